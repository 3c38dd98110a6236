"""Generic record views: list, detail, create, edit, delete, restore, purge, evidence and ledgers.

A domain app declares a ``RecordViewSet`` subclass (model, form, filter, ledger, list columns) and
gets every page from it. Each page reads through ``permissions.scope`` and checks the same
``permissions.can_*`` rules as the API, so scoping lives in one place.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.core import permissions, services
from muxiang.core.choices import EvidenceKind
from muxiang.core.models import ObjectChange
from muxiang.core.rollups import DERIVED_FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ListColumn:
    """A column of a list page: a header and how to get the cell from a record."""

    header: Any
    accessor: str | Any  # attribute path ("region.name") or callable(record, user)
    link: bool = False

    def value(self, record, user):
        if callable(self.accessor):
            return self.accessor(record, user)
        target = record
        for part in self.accessor.split("."):
            display = getattr(target, f"get_{part}_display", None)
            target = display() if display else getattr(target, part, None)
            if target is None:
                return ""
        if isinstance(target, bool):
            return _("是") if target else _("否")
        return target


def display_value(record, field: models.Field, user):
    """How a field reads on a detail page, with personal data masked for roles that don't need it."""
    value = getattr(record, field.name)
    if field.name in getattr(record, "sensitive_fields", ()) and not permissions.sees_full_id(user):
        return permissions.mask_sensitive(value)
    if field.choices and not isinstance(value, list):
        return getattr(record, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        labels = (
            dict(getattr(field, "base_field", field).choices or []) if hasattr(field, "base_field") else {}
        )
        return "、".join(str(labels.get(v, v)) for v in value)
    return "" if value is None else value


def present_changes(changes, user) -> list[tuple[ObjectChange, list[tuple]]]:
    """Audit entries as people read them: field labels, choice labels, the names of referenced
    records (fetched in one query per referenced model), personal data masked for roles that may
    not see it."""
    pending: dict[Any, set] = {}
    prepared = []
    for change in changes:
        model = change.content_type.model_class()
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        diff = change.changed_fields()
        if change.action == "create":
            diff = {k: v for k, v in diff.items() if k != "id" and v[1] not in (None, "", [], False)}
        for key, (old, new) in diff.items():
            field = fields.get(key)
            if field is not None and field.many_to_one:
                pending.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
        prepared.append((change, model, fields, diff))
    names = {
        related: {pk: str(obj) for pk, obj in related._base_manager.in_bulk(list(ids)).items()}
        for related, ids in pending.items()
    }
    result = []
    for change, model, fields, diff in prepared:
        sensitive = getattr(model, "sensitive_fields", ()) if model else ()
        list_choices = getattr(model, "list_choices", {}) if model else {}
        rows = []
        for key, (old, new) in diff.items():
            field = fields.get(key)
            label = field.verbose_name if field is not None else key
            if (
                field is not None
                and (key in sensitive or field.name in sensitive)
                and not permissions.sees_full_id(user)
            ):
                rows.append((label, permissions.mask_sensitive(old), permissions.mask_sensitive(new)))
                continue
            rows.append(
                (
                    label,
                    _readable(field, old, names, list_choices),
                    _readable(field, new, names, list_choices),
                )
            )
        result.append((change, rows))
    return result


def _readable(field, value, names, list_choices):
    if value is None or value == "":
        return ""
    if field is None:
        return value
    if field.many_to_one:
        return names.get(field.related_model, {}).get(value, f"#{value}")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, list):
        labels = dict(list_choices.get(field.name, []))
        return "、".join(str(labels.get(v, v)) for v in value)
    return value


def history_for(record, user):
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    changes = ObjectChange.objects.filter(content_type=content_type, object_id=record.pk).select_related(
        "user", "content_type"
    )[:100]
    return present_changes(list(changes), user)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件"))
    kind = forms.ChoiceField(
        label=gettext_lazy("材料类型"),
        choices=[("", gettext_lazy("按文件类型判断"))] + EvidenceKind.choices,
        required=False,
    )
    description = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


class LedgerImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("台账文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=gettext_lazy("仅检查，不写入（试运行）"), required=False, initial=True)


def scope_form_choices(form, user):
    """Offer only the records the user may read in every choice field of a form."""
    for bound in form.fields.values():
        queryset = getattr(bound, "queryset", None)
        if queryset is not None:
            bound.queryset = permissions.scope(queryset, user)


class LedgerRoute(str):
    """The route prefix of one ledger inside an app that keeps several ledgers under one URL
    namespace (``funds``, ``centre``, ``training``…): ``LedgerRoute("centre", "event") + ":list"``
    gives ``"centre:event-list"``. The shared record templates build route names as
    ``namespace|add:':list'``, so they serve both kinds of app unchanged; the permission tests walk
    the URL tree one namespace deep."""

    def __new__(cls, app: str, prefix: str):
        route = super().__new__(cls, prefix)
        route.app = app
        return route

    def __add__(self, suffix):
        return f"{self.app}:{self}-{str(suffix).lstrip(':')}"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


class RecordViewSet:
    """The pages of one ledger. Subclasses set the class attributes; ``urls()`` wires them."""

    # The ledgers of each app of several ledgers, in the order their viewsets are declared: every
    # list page of such an app shows them as tabs.
    _ledgers_by_app: dict[str, list] = {}
    # Every viewset by the name of its list route ("people:list", "centre:event-list"): a background
    # export or import (core.jobs) names its ledger so and rebuilds the same scoped queryset.
    by_route: dict[str, type] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if isinstance(cls.__dict__.get("namespace"), LedgerRoute) and cls.model is not None:
            RecordViewSet._ledgers_by_app.setdefault(cls.namespace.app, []).append(cls)
        if cls.model is not None and cls.namespace:
            # The first declared (the app's views.py) keeps the route: the API's variants subclass it.
            RecordViewSet.by_route.setdefault(cls.route_key(), cls)

    @classmethod
    def route_key(cls) -> str:
        return cls.namespace + ":list"

    @classmethod
    def sibling_tabs(cls, user) -> list[tuple[str, str, bool]]:
        """(title, list URL, is this one) of the ledgers of the same app the user may read."""
        if not isinstance(cls.namespace, LedgerRoute):
            return []
        return [
            (sibling.model._meta.verbose_name_plural, sibling.url("list"), sibling is cls)
            for sibling in RecordViewSet._ledgers_by_app.get(cls.namespace.app, [])
            if permissions.can_view(user, sibling.model)
        ]

    model: Any = None
    form_class: Any = None
    filterset_class: Any = None
    ledger_class: Any = None
    list_columns: list[ListColumn] = []
    select_related: tuple[str, ...] = ()
    detail_exclude: tuple[str, ...] = ("id", "deleted_at", "deleted_by", "created_at", "updated_at")
    namespace: str = ""  # the URL namespace, or a LedgerRoute inside an app's namespace
    url_prefix: str = ""  # with a LedgerRoute: the path segment under the app's URLs
    list_template = "core/record_list.html"
    detail_template = "core/record_detail.html"
    form_template = "core/record_form.html"

    # --- hooks -----------------------------------------------------------------------------------

    @classmethod
    def base_queryset(cls, user, deleted: bool = False):
        manager = cls.model.all_objects if hasattr(cls.model, "all_objects") else cls.model.objects
        queryset = (
            manager.filter(deleted_at__isnull=not deleted)
            if hasattr(cls.model, "deleted_at")
            else manager.all()
        )
        if cls.select_related:
            queryset = queryset.select_related(*cls.select_related)
        return permissions.scope(queryset, user)

    @classmethod
    def prepare_new(cls, instance, user):
        """A station manager's new records belong to their station, whatever the form says."""
        if (
            permissions.is_station_manager(user)
            and getattr(cls.model, "scope_station_path", None) == "station"
        ):
            instance.station_id = user.station_id

    @classmethod
    def make_form(cls, user, *args, **kwargs):
        form = cls.form_class(*args, **kwargs)
        scope_form_choices(form, user)
        if permissions.is_station_manager(user) and "station" in form.fields:
            del form.fields["station"]
        if hasattr(form, "limit_for_user"):
            form.limit_for_user(user)
        return form

    @classmethod
    def detail_rows(cls, record, user):
        rows = []
        for field in record._meta.concrete_fields:
            if field.name in cls.detail_exclude or field.name in DERIVED_FIELDS:
                continue
            value = display_value(record, field, user)
            if isinstance(field, models.ForeignKey) and value:
                value = str(value)
            rows.append((field.verbose_name, value))
        return rows

    @classmethod
    def related_sections(cls, record, user):
        """Extra tables on the detail page: [(title, columns, rows)]."""
        return []

    # --- url plumbing ----------------------------------------------------------------------------

    @classmethod
    def url(cls, name, *args):
        return reverse(cls.namespace + f":{name}", args=args)

    @classmethod
    def urls(cls):
        if isinstance(cls.namespace, LedgerRoute):
            return [
                path(f"{cls.url_prefix}/{p.pattern}", p.callback, name=f"{cls.namespace}-{p.name}")
                for p in cls.record_urls()
            ]
        return cls.record_urls()

    @classmethod
    def record_urls(cls):
        return [
            path("", login_required(cls.list_view), name="list"),
            path("add/", login_required(cls.create_view), name="add"),
            path("export.xlsx", login_required(cls.export_view), name="export"),
            path("template.xlsx", login_required(cls.template_view), name="template"),
            path("import/", login_required(cls.import_view), name="import"),
            path("<int:pk>/", login_required(cls.detail_view), name="detail"),
            path("<int:pk>/edit/", login_required(cls.edit_view), name="edit"),
            path("<int:pk>/delete/", login_required(require_POST(cls.delete_view)), name="delete"),
            path("<int:pk>/restore/", login_required(require_POST(cls.restore_view)), name="restore"),
            path("<int:pk>/purge/", login_required(require_POST(cls.purge_view)), name="purge"),
            path("<int:pk>/evidence/", login_required(require_POST(cls.evidence_view)), name="evidence"),
        ]

    @classmethod
    def get_record(cls, request, pk, deleted_ok=False):
        queryset = cls.model.all_objects.all() if deleted_ok and hasattr(cls.model, "all_objects") else None
        if queryset is None:
            queryset = cls.base_queryset(request.user)
        elif not permissions.can_see_deleted(request.user):
            queryset = queryset.filter(deleted_at__isnull=True)
        if cls.select_related:
            queryset = queryset.select_related(*cls.select_related)
        return permissions.get_scoped_or_404(queryset, request.user, pk=pk)

    @classmethod
    def context(cls, request, **extra):
        meta = cls.model._meta
        return {
            "viewset": cls,
            "namespace": cls.namespace,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "can_add": permissions.can_add(request.user, cls.model),
            "can_import": cls.ledger_class is not None and permissions.can_import(request.user, cls.model),
            "has_ledger": cls.ledger_class is not None,
            "ledger_tabs": cls.sibling_tabs(request.user),
            **extra,
        }

    # --- list ------------------------------------------------------------------------------------

    @classmethod
    def filtered(cls, request):
        if not permissions.can_view(request.user, cls.model):
            raise PermissionDenied
        show_deleted = request.GET.get("deleted") == "1" and permissions.can_see_deleted(request.user)
        queryset = cls.base_queryset(request.user, deleted=show_deleted)
        filterset = cls.filterset_class(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and not filterset.is_valid():
            return filterset, queryset.none(), show_deleted
        return filterset, filterset.qs, show_deleted

    @classmethod
    def list_view(cls, request):
        filterset, queryset, show_deleted = cls.filtered(request)
        try:
            per_page = min(max(int(request.GET.get("per_page", 25)), 1), 200)
        except ValueError:
            per_page = 25
        page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
        rows = [
            (record, [c.value(record, request.user) for c in cls.list_columns]) for record in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        # htmx filtering swaps only the table; a plain request gets the whole page.
        template = "core/record_table.html" if getattr(request, "htmx", False) else cls.list_template
        return render(
            request,
            template,
            cls.context(
                request,
                filterset=filterset,
                page=page,
                rows=rows,
                columns=cls.list_columns,
                show_deleted=show_deleted,
                querystring=query.urlencode(),
                can_see_deleted=permissions.can_see_deleted(request.user),
            ),
        )

    @classmethod
    def export_filename(cls, ledger) -> str:
        return f"{ledger.sheet_name}台账-{timezone.localdate():%Y%m%d}.xlsx"

    @classmethod
    def export_view(cls, request):
        _filterset, queryset, _deleted = cls.filtered(request)
        ledger = cls.ledger_class(request.user)
        rows = queryset.count()
        if rows > settings.LEDGER_BACKGROUND_EXPORT_ROWS:
            # Tens of thousands of rows would hold a web worker past the proxy's timeout: the
            # background worker writes the file and the job page offers it when done.
            from muxiang.core.jobs import start_ledger_export

            job = start_ledger_export(cls, request)
            messages.info(request, _("共 %(n)s 行，已转入后台导出；完成后在本页下载。") % {"n": f"{rows:,}"})
            return redirect(job)
        return xlsx_response(ledger.export(queryset), cls.export_filename(ledger))

    @classmethod
    def template_view(cls, request):
        if not permissions.can_view(request.user, cls.model):
            raise PermissionDenied
        ledger = cls.ledger_class(request.user)
        return xlsx_response(ledger.template(), f"{ledger.sheet_name}导入模板.xlsx")

    @classmethod
    def import_view(cls, request):
        if not permissions.can_import(request.user, cls.model):
            raise PermissionDenied
        report = None
        form = LedgerImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if settings.LEDGER_BACKGROUND_IMPORT_KB * 1024 < upload.size <= settings.IMPORT_MAX_BYTES:
                from muxiang.core.jobs import start_ledger_import

                job = start_ledger_import(cls, request, upload, dry_run=form.cleaned_data["dry_run"])
                messages.info(request, _("文件较大，已转入后台导入；结果（含出错的行和列）显示在本页。"))
                return redirect(job)
            ledger = cls.ledger_class(request.user)
            report = ledger.import_file(upload.read(), upload.name, dry_run=form.cleaned_data["dry_run"])
            if report.applied:
                messages.success(
                    request,
                    _("导入完成：新建 %(c)d 条，更新 %(u)d 条，未变化 %(n)d 条")
                    % {"c": report.created, "u": report.updated, "n": report.unchanged},
                )
            status = 200 if report.ok else 400
        else:
            status = 400 if request.method == "POST" else 200
        return render(
            request, "core/ledger_import.html", cls.context(request, form=form, report=report), status=status
        )

    # --- one record ------------------------------------------------------------------------------

    @classmethod
    def detail_view(cls, request, pk):
        record = cls.get_record(request, pk, deleted_ok=True)
        return render(
            request,
            cls.detail_template,
            cls.context(
                request,
                record=record,
                detail_rows=cls.detail_rows(record, request.user),
                related_sections=cls.related_sections(record, request.user),
                evidence=services.evidence_for(record),
                evidence_form=EvidenceForm(),
                history=history_for(record, request.user)
                if permissions.can_read_audit(request.user) or permissions.can_change(request.user, record)
                else None,
                can_change=permissions.can_change(request.user, record) and not record.deleted_at,
                can_delete=permissions.can_delete(request.user, record),
                can_purge=permissions.can_purge(request.user),
            ),
        )

    @classmethod
    def create_view(cls, request):
        if not permissions.can_add(request.user, cls.model):
            raise PermissionDenied
        instance = cls.model()
        form = cls.make_form(request.user, request.POST or None, instance=instance)
        if request.method == "POST" and form.is_valid():
            cls.prepare_new(form.instance, request.user)
            try:
                with transaction.atomic():
                    record = form.save()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已创建：%(r)s") % {"r": record})
                return redirect(cls.url("detail", record.pk))
        return render(
            request,
            cls.form_template,
            cls.context(request, form=form, record=None),
            status=400 if form.errors else 200,
        )

    @classmethod
    def edit_view(cls, request, pk):
        record = cls.get_record(request, pk)
        if not permissions.can_change(request.user, record):
            raise PermissionDenied
        form = cls.make_form(request.user, request.POST or None, instance=record)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    record = form.save()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存：%(r)s") % {"r": record})
                return redirect(cls.url("detail", record.pk))
        return render(
            request,
            cls.form_template,
            cls.context(request, form=form, record=record),
            status=400 if form.errors else 200,
        )

    @classmethod
    def delete_view(cls, request, pk):
        record = cls.get_record(request, pk)
        if not permissions.can_delete(request.user, record):
            raise PermissionDenied
        try:
            services.soft_delete_record(record, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(cls.url("detail", record.pk))
        messages.success(request, _("已删除「%(r)s」，可在回收站中恢复") % {"r": record})
        return redirect(cls.url("list"))

    @classmethod
    def restore_view(cls, request, pk):
        record = cls.get_record(request, pk, deleted_ok=True)
        if not permissions.can_delete(request.user, record):
            raise PermissionDenied
        try:
            services.restore_record(record, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(cls.url("detail", record.pk))
        messages.success(request, _("已恢复「%(r)s」") % {"r": record})
        return redirect(cls.url("detail", record.pk))

    @classmethod
    def purge_view(cls, request, pk):
        record = cls.get_record(request, pk, deleted_ok=True)
        try:
            services.purge_record(record, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(cls.url("detail", record.pk))
        except models.ProtectedError:
            messages.error(request, _("「%(r)s」仍被其他记录引用，不能彻底删除") % {"r": record})
            return redirect(cls.url("detail", record.pk))
        messages.success(request, _("已彻底删除「%(r)s」") % {"r": record})
        return redirect(cls.url("list") + "?deleted=1")

    @classmethod
    def evidence_view(cls, request, pk):
        record = cls.get_record(request, pk)
        if not permissions.can_change(request.user, record):
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_evidence(
                    record,
                    form.cleaned_data["file"],
                    request.user,
                    form.cleaned_data["description"],
                    form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("佐证材料已上传"))
        else:
            messages.error(request, _("请选择要上传的文件"))
        return redirect(cls.url("detail", record.pk))


@login_required
def evidence_download(request, pk):
    """Evidence is served only to those who may read the record it belongs to."""
    from django.http import FileResponse

    from muxiang.core.models import Evidence

    try:
        evidence = Evidence.objects.select_related("content_type").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    model = evidence.content_type.model_class()
    permissions.get_scoped_or_404(
        model.all_objects.all() if hasattr(model, "all_objects") else model.objects.all(),
        request.user,
        pk=evidence.object_id,
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        content_type=evidence.mime_type,
        as_attachment=not evidence.is_image,
        filename=evidence.original_name,
    )


@login_required
def audit_list(request):
    """The global audit trail, filterable by who, what kind of record, which action and when."""
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied
    changes = ObjectChange.objects.select_related("user", "content_type")
    # PostgreSQL refuses NUL characters in text parameters; nobody types them on purpose.
    params = request.GET.copy()
    for name in ("user", "action", "type", "q", "since", "until"):
        if name in params:
            params[name] = params[name].replace("\x00", "")
    problems = []
    if params.get("user"):
        changes = changes.filter(user_name__icontains=params["user"])
    if params.get("action"):
        changes = changes.filter(action=params["action"])
    if params.get("type"):
        changes = changes.filter(content_type__model=params["type"])
    if params.get("q"):
        changes = changes.filter(object_repr__icontains=params["q"])
    for name, lookup in (("since", "time__date__gte"), ("until", "time__date__lte")):
        if params.get(name):
            try:
                changes = changes.filter(**{lookup: datetime.date.fromisoformat(params[name])})
            except ValueError:
                problems.append(_("日期格式应为 2024-03-15：%(v)s") % {"v": params[name]})
    page = Paginator(changes, 50).get_page(params.get("page"))
    rows = present_changes(list(page.object_list), request.user)
    query = params.copy()
    query.pop("page", None)
    from muxiang.core.choices import ChangeAction

    types = ContentType.objects.filter(
        pk__in=ObjectChange.objects.values("content_type").distinct()
    ).order_by("model")
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "rows": rows,
            "params": params,
            "problems": problems,
            "querystring": query.urlencode(),
            "actions": ChangeAction.choices,
            "types": types,
        },
    )
