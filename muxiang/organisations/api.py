from ninja import Schema

from muxiang.core.api import record_router
from muxiang.organisations.views import OrganisationViewSet


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str | None
    region_id: int | None
    station_id: int | None
    contact_name: str
    contact_phone: str
    address: str
    main_products: str


class OrganisationIn(Schema):
    name: str | None = None
    kind: str | None = None
    credit_code: str | None = None
    region: int | None = None
    station: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    main_products: str | None = None


router = record_router(OrganisationViewSet, OrganisationOut, OrganisationIn, tags=["organisations 组织"])
