"""The service centre in the API: every ledger through the shared record routes, so the API reads
and writes exactly what the pages do (the same forms, rules and scoping: a station manager reads
their own station's field surveys and nothing else)."""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from muxiang.centre.views import (
    EventViewSet,
    FieldSurveyViewSet,
    FunctionalAreaViewSet,
    IncubationFollowUpViewSet,
    IncubationServiceViewSet,
    ServiceCentreViewSet,
    ServiceIncomeViewSet,
    ValueAddedServiceViewSet,
    WorkOrderViewSet,
)
from muxiang.core.api import record_router

TAGS = ["centre 公共服务中心"]


class ServiceCentreOut(Schema):
    id: int
    name: str
    address: str
    floor_area: Decimal
    opened_on: datetime.date | None
    notes: str


class ServiceCentreIn(Schema):
    name: str | None = None
    address: str | None = None
    floor_area: Decimal | None = None
    opened_on: datetime.date | None = None
    notes: str | None = None


class FunctionalAreaOut(Schema):
    id: int
    centre_id: int
    code: str
    kind: str
    name: str
    floor_area: Decimal | None
    capacity: int | None
    notes: str


class FunctionalAreaIn(Schema):
    centre: int | None = None
    code: str | None = None
    kind: str | None = None
    name: str | None = None
    floor_area: Decimal | None = None
    capacity: int | None = None
    notes: str | None = None


class WorkOrderOut(Schema):
    id: int
    contract_id: int
    number: str
    area_id: int
    requester_person_id: int | None
    requester_organisation_id: int | None
    requester_name: str
    requester: str
    purpose: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    attendees: int
    outcome: str


class WorkOrderIn(Schema):
    contract: int | None = None
    number: str | None = None
    area: int | None = None
    requester_person: int | None = None
    requester_organisation: int | None = None
    requester_name: str | None = None
    purpose: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    attendees: int | None = None
    outcome: str | None = None


class EventOut(Schema):
    id: int
    contract_id: int
    number: str
    kind: str
    title: str
    held_on: datetime.date
    place: str
    organiser: str
    attendees: int
    sales_amount: Decimal | None
    counts_as_fair: bool
    notes: str


class EventIn(Schema):
    contract: int | None = None
    number: str | None = None
    kind: str | None = None
    title: str | None = None
    held_on: datetime.date | None = None
    place: str | None = None
    organiser: str | None = None
    attendees: int | None = None
    sales_amount: Decimal | None = None
    notes: str | None = None


class IncubationServiceOut(Schema):
    id: int
    contract_id: int
    number: str
    recipient_organisation_id: int | None
    recipient_person_id: int | None
    recipient: str
    kind: str
    directed: bool
    provided_on: datetime.date
    delivered: str
    outcome: str


class IncubationServiceIn(Schema):
    contract: int | None = None
    number: str | None = None
    recipient_organisation: int | None = None
    recipient_person: int | None = None
    kind: str | None = None
    directed: bool | None = None
    provided_on: datetime.date | None = None
    delivered: str | None = None
    outcome: str | None = None


class IncubationFollowUpOut(Schema):
    id: int
    contract_id: int
    number: str
    incubation_id: int
    held_on: datetime.date
    content: str
    next_steps: str


class IncubationFollowUpIn(Schema):
    number: str | None = None
    incubation: int | None = None
    held_on: datetime.date | None = None
    content: str | None = None
    next_steps: str | None = None


class FieldSurveyOut(Schema):
    id: int
    contract_id: int
    number: str
    subject: str
    station_id: int | None
    surveyed_on: datetime.date
    place: str
    findings: str
    improvement_plan: str
    plan_status: str
    plan_due: datetime.date | None


class FieldSurveyIn(Schema):
    contract: int | None = None
    number: str | None = None
    subject: str | None = None
    station: int | None = None
    surveyed_on: datetime.date | None = None
    place: str | None = None
    findings: str | None = None
    improvement_plan: str | None = None
    plan_status: str | None = None
    plan_due: datetime.date | None = None


class ValueAddedServiceOut(Schema):
    id: int
    name: str
    description: str
    price: Decimal | None
    unit: str
    active: bool


class ValueAddedServiceIn(Schema):
    name: str | None = None
    description: str | None = None
    price: Decimal | None = None
    unit: str | None = None
    active: bool | None = None


class ServiceIncomeOut(Schema):
    id: int
    contract_id: int
    number: str
    service_id: int
    received_on: datetime.date
    customer: str
    amount: Decimal
    notes: str


class ServiceIncomeIn(Schema):
    contract: int | None = None
    number: str | None = None
    service: int | None = None
    received_on: datetime.date | None = None
    customer: str | None = None
    amount: Decimal | None = None
    notes: str | None = None


router = Router(tags=TAGS)
for _path, _viewset, _out, _in in (
    ("/centres", ServiceCentreViewSet, ServiceCentreOut, ServiceCentreIn),
    ("/areas", FunctionalAreaViewSet, FunctionalAreaOut, FunctionalAreaIn),
    ("/work-orders", WorkOrderViewSet, WorkOrderOut, WorkOrderIn),
    ("/events", EventViewSet, EventOut, EventIn),
    ("/incubations", IncubationServiceViewSet, IncubationServiceOut, IncubationServiceIn),
    ("/follow-ups", IncubationFollowUpViewSet, IncubationFollowUpOut, IncubationFollowUpIn),
    ("/surveys", FieldSurveyViewSet, FieldSurveyOut, FieldSurveyIn),
    ("/services", ValueAddedServiceViewSet, ValueAddedServiceOut, ValueAddedServiceIn),
    ("/incomes", ServiceIncomeViewSet, ServiceIncomeOut, ServiceIncomeIn),
):
    router.add_router(_path, record_router(_viewset, _out, _in, tags=TAGS))
