import datetime

from ninja import Schema

from muxiang.core import permissions
from muxiang.core.api import record_router
from muxiang.core.validators import mask_id_number
from muxiang.people.views import PersonViewSet


class PersonOut(Schema):
    id: int
    name: str
    id_number: str | None
    gender: str
    birth_date: datetime.date | None
    mobile: str
    kinds: list[str]
    poor_household: bool
    region_id: int | None
    station_id: int | None
    organisation_id: int | None
    notes: str

    @staticmethod
    def resolve_id_number(obj, context):
        # Masked for every role that does not register people, as on pages and exports.
        user = context["request"].auth
        return obj.id_number if permissions.sees_full_id(user) else mask_id_number(obj.id_number) or None

    @staticmethod
    def resolve_birth_date(obj, context):
        user = context["request"].auth
        return obj.birth_date if permissions.sees_full_id(user) else None


class PersonIn(Schema):
    name: str | None = None
    id_number: str | None = None
    mobile: str | None = None
    kinds: list[str] | None = None
    poor_household: bool | None = None
    region: int | None = None
    station: int | None = None
    organisation: int | None = None
    notes: str | None = None


router = record_router(PersonViewSet, PersonOut, PersonIn, tags=["people 人员"])
