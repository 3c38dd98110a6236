"""The trace system in the API: the batch records through the shared record routes (the same forms,
rules and scoping as the pages), and the code runs through routes of their own, since a run is made
by issuing its codes and changed by binding and voiding them (``services``)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from muxiang.core import permissions
from muxiang.core.api import ErrorOut, record_router
from muxiang.trace import services
from muxiang.trace.models import Batch, CodeRun, Enterprise
from muxiang.trace.views import (
    BatchViewSet,
    CertificateViewSet,
    CodeRunViewSet,
    EnterpriseViewSet,
    ProductionBaseViewSet,
    TraceEventViewSet,
)

TAGS = ["trace 溯源体系"]


class EnterpriseOut(Schema):
    id: int
    contract_id: int
    organisation_id: int
    enrolled_on: datetime.date
    industry: str
    enterprise_brand: str
    regional_brand: str
    introduction: str
    notes: str


class EnterpriseIn(Schema):
    contract: int | None = None
    organisation: int | None = None
    enrolled_on: datetime.date | None = None
    industry: str | None = None
    enterprise_brand: str | None = None
    regional_brand: str | None = None
    introduction: str | None = None
    notes: str | None = None


class ProductionBaseOut(Schema):
    id: int
    enterprise_id: int
    name: str
    region_id: int | None
    address: str
    area_mu: Decimal | None
    latitude: Decimal | None
    longitude: Decimal | None


class ProductionBaseIn(Schema):
    enterprise: int | None = None
    name: str | None = None
    region: int | None = None
    address: str | None = None
    area_mu: Decimal | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class BatchOut(Schema):
    id: int
    enterprise_id: int
    product_id: int
    base_id: int | None
    lot: str
    kind: str
    produced_on: datetime.date
    quantity: Decimal
    unit: str
    inputs: str
    story: str


class BatchIn(Schema):
    enterprise: int | None = None
    product: int | None = None
    base: int | None = None
    lot: str | None = None
    kind: str | None = None
    produced_on: datetime.date | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    inputs: str | None = None
    story: str | None = None


class CertificateOut(Schema):
    id: int
    batch_id: int
    kind: str
    number: str
    issuer: str
    issued_on: datetime.date
    passed: bool
    items: str


class CertificateIn(Schema):
    batch: int | None = None
    kind: str | None = None
    number: str | None = None
    issuer: str | None = None
    issued_on: datetime.date | None = None
    passed: bool | None = None
    items: str | None = None


class TraceEventOut(Schema):
    id: int
    batch_id: int
    step: str
    occurred_at: datetime.datetime
    place: str
    description: str
    is_public: bool
    recorded_by_id: int | None


class TraceEventIn(Schema):
    batch: int | None = None
    step: str | None = None
    occurred_at: datetime.datetime | None = None
    place: str | None = None
    description: str | None = None
    is_public: bool | None = None


class CodeRunOut(Schema):
    id: int
    contract_id: int
    enterprise_id: int
    product_id: int | None
    issued_on: datetime.date
    count: int
    issued_by_id: int | None
    notes: str


class IssueIn(Schema):
    enterprise: int
    count: int
    product: int | None = None
    issued_on: datetime.date | None = None
    notes: str = ""


class BindIn(Schema):
    batch: int
    first: str | None = None
    last: str | None = None
    codes: list[str] | None = None


class VoidIn(Schema):
    reason: str
    first: str | None = None
    last: str | None = None
    codes: list[str] | None = None


class CountOut(Schema):
    count: int


router = Router(tags=TAGS)
for _path, _viewset, _out, _in in (
    ("/enterprises", EnterpriseViewSet, EnterpriseOut, EnterpriseIn),
    ("/bases", ProductionBaseViewSet, ProductionBaseOut, ProductionBaseIn),
    ("/batches", BatchViewSet, BatchOut, BatchIn),
    ("/certificates", CertificateViewSet, CertificateOut, CertificateIn),
    ("/events", TraceEventViewSet, TraceEventOut, TraceEventIn),
):
    router.add_router(_path, record_router(_viewset, _out, _in, tags=TAGS))


def _run(request, pk) -> CodeRun:
    try:
        return permissions.get_scoped_or_404(CodeRunViewSet.base_queryset(request.auth), request.auth, pk=pk)
    except Http404 as exc:
        raise HttpError(404, _("找不到编号为 %(pk)s 的记录") % {"pk": pk}) from exc


def _scoped(model, request, pk):
    try:
        return permissions.get_scoped_or_404(model.objects.all(), request.auth, pk=pk)
    except Http404 as exc:
        raise HttpError(
            400, _("找不到编号为 %(pk)s 的%(m)s") % {"pk": pk, "m": model._meta.verbose_name}
        ) from exc


@router.get("/runs/", response=list[CodeRunOut], summary="List 发码记录", operation_id="trace_run_list")
@paginate(LimitOffsetPagination)
def list_runs(request):
    if not permissions.can_view(request.auth, CodeRun):
        raise HttpError(403, _("您没有查看此类记录的权限"))
    return CodeRunViewSet.base_queryset(request.auth)


@router.get("/runs/{int:pk}", response=CodeRunOut, summary="Read one 发码记录", operation_id="trace_run_get")
def get_run(request, pk: int):
    return _run(request, pk)


@router.post(
    "/runs/",
    response={201: CodeRunOut, 400: ErrorOut, 403: ErrorOut},
    summary="Issue trace codes (a new run)",
    operation_id="trace_run_issue",
)
def issue_run(request, payload: IssueIn):
    if not permissions.can_add(request.auth, CodeRun):
        return 403, {"detail": _("您没有发码的权限")}
    from muxiang.supply.models import Product

    enterprise = _scoped(Enterprise, request, payload.enterprise)
    product = _scoped(Product, request, payload.product) if payload.product else None
    try:
        run = services.issue_trace_codes(
            enterprise,
            payload.count,
            request.auth,
            product=product,
            issued_on=payload.issued_on,
            notes=payload.notes,
        )
    except ValidationError as exc:
        return 400, {"detail": "；".join(exc.messages)}
    return 201, run


def _change(request, pk, action):
    run = _run(request, pk)
    if not permissions.can_change(request.auth, run):
        return 403, {"detail": _("您没有修改此记录的权限")}
    try:
        return 200, {"count": action(run)}
    except PermissionDenied:
        return 403, {"detail": _("您没有修改此记录的权限")}
    except ValidationError as exc:
        return 400, {"detail": "；".join(exc.messages)}


@router.post(
    "/runs/{int:pk}/bind",
    response={200: CountOut, 400: ErrorOut, 403: ErrorOut},
    summary="Bind codes of the run to a batch: a range (first, last) or a list",
    operation_id="trace_run_bind",
)
def bind_run(request, pk: int, payload: BindIn):
    batch = _scoped(Batch, request, payload.batch)

    def action(run):
        if payload.codes:
            return services.bind_codes(payload.codes, batch, request.auth, run=run)
        if not (payload.first and payload.last):
            raise ValidationError(_("请给出首末两个码（first、last）或码的列表（codes）"))
        return services.bind_code_range(payload.first, payload.last, batch, request.auth, run=run)

    return _change(request, pk, action)


@router.post(
    "/runs/{int:pk}/void",
    response={200: CountOut, 400: ErrorOut, 403: ErrorOut},
    summary="Void codes: a range (first, last), one (first) or a list",
    operation_id="trace_run_void",
)
def void_run(request, pk: int, payload: VoidIn):
    def action(run):
        if payload.codes:
            return services.void_codes(payload.codes, payload.reason, request.auth, run=run)
        if not payload.first:
            raise ValidationError(_("请给出要作废的码（first，或 first 与 last，或 codes）"))
        return services.void_codes([payload.first], payload.reason, request.auth, last=payload.last, run=run)

    return _change(request, pk, action)
