"""Publicity in the API: the five ledgers through the shared record routes, so the API reads and
writes exactly what the pages do (station managers get nothing). Updating an article's reads is a
PATCH of ``reads`` alone on ``/api/publicity/articles/{id}``; it leaves an audit entry."""

import datetime

from ninja import Router, Schema

from muxiang.core.api import record_router
from muxiang.publicity.views import (
    ArticleViewSet,
    BillboardViewSet,
    BrochureDistributionViewSet,
    MediaCoverageViewSet,
    VideoViewSet,
)

TAGS = ["publicity 公共宣传"]


class ArticleOut(Schema):
    id: int
    contract_id: int
    title: str
    channel: str
    account: str
    url: str
    published_on: datetime.date
    reads: int
    promotes_brand: bool
    notes: str


class ArticleIn(Schema):
    contract: int | None = None
    title: str | None = None
    channel: str | None = None
    account: str | None = None
    url: str | None = None
    published_on: datetime.date | None = None
    reads: int | None = None
    promotes_brand: bool | None = None
    notes: str | None = None


class MediaCoverageOut(Schema):
    id: int
    contract_id: int
    level: str
    outlet: str
    title: str
    published_on: datetime.date
    url: str
    promotes_brand: bool
    notes: str


class MediaCoverageIn(Schema):
    contract: int | None = None
    level: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_on: datetime.date | None = None
    url: str | None = None
    promotes_brand: bool | None = None
    notes: str | None = None


class BillboardOut(Schema):
    id: int
    contract_id: int
    number: str
    place: str
    region_id: int | None
    installed_on: datetime.date
    size: str
    content: str
    notes: str


class BillboardIn(Schema):
    contract: int | None = None
    number: str | None = None
    place: str | None = None
    region: int | None = None
    installed_on: datetime.date | None = None
    size: str | None = None
    content: str | None = None
    notes: str | None = None


class BrochureDistributionOut(Schema):
    id: int
    contract_id: int
    number: str
    title: str
    pages: int
    place: str
    region_id: int | None
    distributed_on: datetime.date
    audience: str
    notes: str


class BrochureDistributionIn(Schema):
    contract: int | None = None
    number: str | None = None
    title: str | None = None
    pages: int | None = None
    place: str | None = None
    region: int | None = None
    distributed_on: datetime.date | None = None
    audience: str | None = None
    notes: str | None = None


class VideoOut(Schema):
    id: int
    contract_id: int
    title: str
    kind: str
    platform: str
    url: str
    published_on: datetime.date
    views: int
    promotes_brand: bool
    notes: str


class VideoIn(Schema):
    contract: int | None = None
    title: str | None = None
    kind: str | None = None
    platform: str | None = None
    url: str | None = None
    published_on: datetime.date | None = None
    views: int | None = None
    promotes_brand: bool | None = None
    notes: str | None = None


router = Router(tags=TAGS)
router.add_router("/articles", record_router(ArticleViewSet, ArticleOut, ArticleIn, tags=TAGS))
router.add_router(
    "/coverage", record_router(MediaCoverageViewSet, MediaCoverageOut, MediaCoverageIn, tags=TAGS)
)
router.add_router("/billboards", record_router(BillboardViewSet, BillboardOut, BillboardIn, tags=TAGS))
router.add_router(
    "/brochures",
    record_router(BrochureDistributionViewSet, BrochureDistributionOut, BrochureDistributionIn, tags=TAGS),
)
router.add_router("/videos", record_router(VideoViewSet, VideoOut, VideoIn, tags=TAGS))
