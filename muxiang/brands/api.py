"""The brand system in the API: the six ledgers through the shared record routes, so the API reads
and writes exactly what the pages do (station managers get nothing). A member leaves by a PATCH of
``left_on`` on ``/api/brands/members/{id}``."""

import datetime

from ninja import Router, Schema

from muxiang.brands.views import (
    BrandMemberViewSet,
    BrandServiceViewSet,
    BrandViewSet,
    PackagingRunViewSet,
    ProductSeriesViewSet,
    SeriesProductViewSet,
)
from muxiang.core.api import record_router

TAGS = ["brands 品牌体系"]


class BrandOut(Schema):
    id: int
    contract_id: int
    name: str
    tier: str
    industry: str
    owner_id: int | None
    trademark_number: str
    trademark_status: str
    established_on: datetime.date
    story: str
    notes: str


class BrandIn(Schema):
    contract: int | None = None
    name: str | None = None
    tier: str | None = None
    industry: str | None = None
    owner: int | None = None
    trademark_number: str | None = None
    trademark_status: str | None = None
    established_on: datetime.date | None = None
    story: str | None = None
    notes: str | None = None


class BrandMemberOut(Schema):
    id: int
    contract_id: int
    brand_id: int
    organisation_id: int
    authorisation_number: str
    joined_on: datetime.date
    left_on: datetime.date | None
    products: str
    notes: str


class BrandMemberIn(Schema):
    brand: int | None = None
    organisation: int | None = None
    authorisation_number: str | None = None
    joined_on: datetime.date | None = None
    left_on: datetime.date | None = None
    products: str | None = None
    notes: str | None = None


class BrandServiceOut(Schema):
    id: int
    contract_id: int
    number: str
    member_id: int
    kind: str
    provided_on: datetime.date
    content: str
    outcome: str


class BrandServiceIn(Schema):
    number: str | None = None
    member: int | None = None
    kind: str | None = None
    provided_on: datetime.date | None = None
    content: str | None = None
    outcome: str | None = None


class ProductSeriesOut(Schema):
    id: int
    contract_id: int
    code: str
    name: str
    brand_id: int
    launched_on: datetime.date
    description: str


class ProductSeriesIn(Schema):
    code: str | None = None
    name: str | None = None
    brand: int | None = None
    launched_on: datetime.date | None = None
    description: str | None = None


class SeriesProductOut(Schema):
    id: int
    contract_id: int
    series_id: int
    product_id: int
    launched_on: datetime.date
    selling_points: str


class SeriesProductIn(Schema):
    series: int | None = None
    product: int | None = None
    launched_on: datetime.date | None = None
    selling_points: str | None = None


class PackagingRunOut(Schema):
    id: int
    contract_id: int
    number: str
    series_id: int
    product_id: int | None
    design: str
    units: int
    supplier: str
    invoice_number: str
    produced_on: datetime.date
    notes: str


class PackagingRunIn(Schema):
    number: str | None = None
    series: int | None = None
    product: int | None = None
    design: str | None = None
    units: int | None = None
    supplier: str | None = None
    invoice_number: str | None = None
    produced_on: datetime.date | None = None
    notes: str | None = None


router = Router(tags=TAGS)
router.add_router("/brands", record_router(BrandViewSet, BrandOut, BrandIn, tags=TAGS))
router.add_router("/members", record_router(BrandMemberViewSet, BrandMemberOut, BrandMemberIn, tags=TAGS))
router.add_router("/services", record_router(BrandServiceViewSet, BrandServiceOut, BrandServiceIn, tags=TAGS))
router.add_router(
    "/series", record_router(ProductSeriesViewSet, ProductSeriesOut, ProductSeriesIn, tags=TAGS)
)
router.add_router(
    "/products", record_router(SeriesProductViewSet, SeriesProductOut, SeriesProductIn, tags=TAGS)
)
router.add_router(
    "/packaging", record_router(PackagingRunViewSet, PackagingRunOut, PackagingRunIn, tags=TAGS)
)
