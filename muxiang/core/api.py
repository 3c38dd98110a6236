"""REST API plumbing shared by every app: token authentication, error bodies, and the generic
record routes (list, read, create, update, delete) that reuse each app's form, filter and the
one scoping layer, so the API can never show or accept more than the web pages do."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from muxiang.core import permissions, services


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def form_errors(form) -> list[dict]:
    return [
        {"field": name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


class FormInvalid(Exception):
    def __init__(self, errors):
        self.errors = errors


def record_router(viewset, out_schema, in_schema, tags: list[str]) -> Router:
    """list / get / create / update / delete for one ledger, all scoped for the calling user."""
    router = Router(tags=tags)
    from muxiang.core.views import LedgerRoute

    model = viewset.model
    # Operation ids are unique across the API: a ledger of an app of several ledgers is prefixed
    # with its app (funds_expense_list, centre_event_list).
    namespace = viewset.namespace
    prefix = f"{namespace.app}_{namespace}" if isinstance(namespace, LedgerRoute) else str(namespace)
    plural = str(model._meta.verbose_name_plural)

    def _get(request, pk):
        try:
            return permissions.get_scoped_or_404(viewset.base_queryset(request.auth), request.auth, pk=pk)
        except Http404 as exc:
            raise HttpError(404, _("找不到编号为 %(pk)s 的记录") % {"pk": pk}) from exc

    def _save(request, instance, data):
        form = viewset.make_form(request.auth, data=data, instance=instance)
        if not form.is_valid():
            raise FormInvalid(form_errors(form))
        if instance.pk is None:
            viewset.prepare_new(form.instance, request.auth)
        try:
            with transaction.atomic():
                return form.save()
        except ValidationError as exc:
            raise FormInvalid([{"field": "__all__", "message": m} for m in exc.messages]) from exc

    @router.get("/", response=list[out_schema], summary=f"List {plural}", operation_id=f"{prefix}_list")
    @paginate(LimitOffsetPagination)
    def list_records(request, q: str | None = None):
        if not permissions.can_view(request.auth, model):
            raise HttpError(403, _("您没有查看此类记录的权限"))
        filterset = viewset.filterset_class(
            request.GET, queryset=viewset.base_queryset(request.auth), request=request
        )
        if not filterset.is_valid():
            raise HttpError(400, "；".join(f"{k}：{v[0]}" for k, v in filterset.errors.items()))
        return filterset.qs

    @router.get(
        "/{int:pk}", response=out_schema, summary=f"Read one of {plural}", operation_id=f"{prefix}_get"
    )
    def get_record(request, pk: int):
        return _get(request, pk)

    @router.post(
        "/",
        response={201: out_schema, 400: ErrorOut, 403: ErrorOut},
        summary=f"Create one of {plural}",
        operation_id=f"{prefix}_create",
    )
    def create_record(request, payload: in_schema):
        if not permissions.can_add(request.auth, model):
            return 403, {"detail": _("您没有新建此类记录的权限")}
        try:
            return 201, _save(request, model(), payload.dict(exclude_unset=True))
        except FormInvalid as exc:
            return 400, {"detail": _("输入有误"), "errors": exc.errors}

    @router.patch(
        "/{int:pk}",
        response={200: out_schema, 400: ErrorOut, 403: ErrorOut},
        summary=f"Change one of {plural}",
        operation_id=f"{prefix}_update",
    )
    def update_record(request, pk: int, payload: in_schema):
        record = _get(request, pk)
        if not permissions.can_change(request.auth, record):
            return 403, {"detail": _("您没有修改此记录的权限")}
        data = {k: v for k, v in model_to_dict(record).items() if v is not None}
        data.update(payload.dict(exclude_unset=True))
        try:
            return 200, _save(request, record, data)
        except FormInvalid as exc:
            return 400, {"detail": _("输入有误"), "errors": exc.errors}

    @router.delete(
        "/{int:pk}",
        response={204: None, 400: ErrorOut, 403: ErrorOut},
        summary=f"Delete (soft) one of {plural}",
        operation_id=f"{prefix}_delete",
    )
    def delete_record(request, pk: int):
        record = _get(request, pk)
        try:
            services.soft_delete_record(record, request.auth)
        except PermissionDenied:
            return 403, {"detail": _("您没有删除此记录的权限")}
        except ValidationError as exc:
            return 400, {"detail": exc.messages[0]}
        return 204, None

    return router
