"""The trace system's pages: the operator's ledgers (enrolled producers, bases, batches, papers,
events, issuing runs) under the ``trace`` namespace, the forms that issue, bind and void codes, the
scan log and the anomaly review queue; and the consumer's public page of a code, ``/t/<CODE>``
(also reached through a GS1 Digital Link), which needs no login."""

import functools
import hashlib
import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.trace import codes, scans, services
from muxiang.trace.anomalies import review_alert
from muxiang.trace.choices import AlertState, CodeState, ScanOutcome
from muxiang.trace.filters import (
    BatchFilter,
    CertificateFilter,
    CodeRunFilter,
    EnterpriseFilter,
    ProductionBaseFilter,
    TraceEventFilter,
)
from muxiang.trace.forms import (
    AlertReviewForm,
    BatchForm,
    BindForm,
    CertificateForm,
    CodeRunForm,
    EnterpriseForm,
    IssueForm,
    ProductionBaseForm,
    TraceEventForm,
    VoidForm,
)
from muxiang.trace.labels import LAYOUTS
from muxiang.trace.ledgers import (
    BatchLedger,
    CertificateLedger,
    CodeRunLedger,
    EnterpriseLedger,
    ProductionBaseLedger,
    TraceEventLedger,
)
from muxiang.trace.models import (
    Batch,
    Certificate,
    CodeRun,
    Enterprise,
    ProductionBase,
    Scan,
    ScanAlert,
    TraceCode,
    TraceEvent,
)


def state_counts(queryset) -> dict[str, int]:
    """How many codes of ``queryset`` are in each state, in one grouped query."""
    return dict(queryset.order_by().values_list("state").annotate(n=Count("id")))


class TraceViewSet(RecordViewSet):
    """Producers, bases and batches import from a spreadsheet (``importable``); the papers,
    events and runs export only (see ``ledgers``)."""

    importable = False

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        return context if cls.importable else {**context, "can_import": False}

    @classmethod
    def import_view(cls, request):
        if not cls.importable:
            raise PermissionDenied
        return super().import_view(request)


class EnterpriseViewSet(TraceViewSet):
    importable = True
    model = Enterprise
    namespace = LedgerRoute("trace", "enterprise")
    url_prefix = "enterprises"
    form_class = EnterpriseForm
    filterset_class = EnterpriseFilter
    ledger_class = EnterpriseLedger
    select_related = ("organisation", "contract")
    list_columns = [
        ListColumn(gettext_lazy("企业"), "organisation.name"),
        ListColumn(gettext_lazy("入驻日期"), "enrolled_on"),
        ListColumn(gettext_lazy("重点产业"), "industry"),
        ListColumn(gettext_lazy("企业品牌"), "enterprise_brand"),
        ListColumn(gettext_lazy("区域公用品牌"), "regional_brand"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        batches = record.batches.select_related("product")[:20]
        runs = record.code_runs.all()[:20]
        return [
            (
                _("批次"),
                [_("批次号"), _("商品"), _("生产/屠宰日期"), _("数量")],
                [
                    (
                        reverse("trace:batch-detail", args=[b.pk]),
                        [b.lot, b.product.name, b.produced_on, b.quantity],
                    )
                    for b in batches
                ],
            ),
            (
                _("发码记录"),
                [_("发码日期"), _("数量")],
                [(reverse("trace:run-detail", args=[r.pk]), [r.issued_on, f"{r.count:,}"]) for r in runs],
            ),
        ]


class ProductionBaseViewSet(TraceViewSet):
    importable = True
    model = ProductionBase
    namespace = LedgerRoute("trace", "base")
    url_prefix = "bases"
    form_class = ProductionBaseForm
    filterset_class = ProductionBaseFilter
    ledger_class = ProductionBaseLedger
    select_related = ("enterprise__organisation", "region")
    list_columns = [
        ListColumn(gettext_lazy("基地名称"), "name"),
        ListColumn(gettext_lazy("溯源企业"), "enterprise.organisation.name"),
        ListColumn(gettext_lazy("所在区域"), "region.name"),
        ListColumn(gettext_lazy("面积（亩）"), "area_mu"),
    ]


class BatchViewSet(TraceViewSet):
    importable = True
    model = Batch
    namespace = LedgerRoute("trace", "batch")
    url_prefix = "batches"
    form_class = BatchForm
    filterset_class = BatchFilter
    ledger_class = BatchLedger
    select_related = ("enterprise__organisation", "product", "base")
    list_columns = [
        ListColumn(gettext_lazy("批次号"), "lot"),
        ListColumn(gettext_lazy("商品"), "product.name"),
        ListColumn(gettext_lazy("溯源企业"), "enterprise.organisation.name"),
        ListColumn(gettext_lazy("生产/屠宰日期"), "produced_on"),
        ListColumn(gettext_lazy("数量"), lambda b, u: f"{b.quantity:,.0f} {b.unit}"),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        counts = state_counts(TraceCode.objects.filter(batch=record))
        rows.append((_("已绑定溯源码"), f"{counts.get(CodeState.BOUND, 0):,}"))
        rows.append((_("已作废溯源码"), f"{counts.get(CodeState.VOIDED, 0):,}"))
        return rows

    @classmethod
    def related_sections(cls, record, user):
        events = record.events.select_related("recorded_by")
        return [
            (
                _("溯源事件（按时间）"),
                [_("时间"), _("环节"), _("地点"), _("说明"), _("记录人"), _("公开")],
                [
                    (
                        reverse("trace:event-detail", args=[e.pk]),
                        [
                            str(e).split(" ", 1)[1],
                            e.get_step_display(),
                            e.place,
                            e.description,
                            e.recorded_by or "",
                            _("是") if e.is_public else _("否"),
                        ],
                    )
                    for e in events
                ],
            ),
            (
                _("检测报告与合格证"),
                [_("类型"), _("编号"), _("出具单位"), _("出具日期"), _("结论")],
                [
                    (
                        reverse("trace:certificate-detail", args=[c.pk]),
                        [
                            c.get_kind_display(),
                            c.number,
                            c.issuer,
                            c.issued_on,
                            _("合格") if c.passed else _("不合格"),
                        ],
                    )
                    for c in record.certificates.all()
                ],
            ),
        ]


class CertificateViewSet(TraceViewSet):
    model = Certificate
    namespace = LedgerRoute("trace", "certificate")
    url_prefix = "certificates"
    form_class = CertificateForm
    filterset_class = CertificateFilter
    ledger_class = CertificateLedger
    select_related = ("batch__product",)
    list_columns = [
        ListColumn(gettext_lazy("类型"), "kind"),
        ListColumn(gettext_lazy("编号"), "number"),
        ListColumn(gettext_lazy("批次号"), "batch.lot"),
        ListColumn(gettext_lazy("出具单位"), "issuer"),
        ListColumn(gettext_lazy("出具日期"), "issued_on"),
    ]


class TraceEventViewSet(TraceViewSet):
    model = TraceEvent
    namespace = LedgerRoute("trace", "event")
    url_prefix = "events"
    form_class = TraceEventForm
    filterset_class = TraceEventFilter
    ledger_class = TraceEventLedger
    select_related = ("batch__product", "recorded_by")
    list_columns = [
        ListColumn(gettext_lazy("批次号"), "batch.lot"),
        ListColumn(gettext_lazy("环节"), "step"),
        ListColumn(gettext_lazy("发生时间"), lambda e, u: str(e).split(" ", 1)[1]),
        ListColumn(gettext_lazy("地点"), "place"),
        ListColumn(gettext_lazy("记录人"), lambda e, u: e.recorded_by or ""),
    ]

    @classmethod
    def prepare_new(cls, instance, user):
        super().prepare_new(instance, user)
        instance.recorded_by = user


class CodeRunViewSet(TraceViewSet):
    model = CodeRun
    namespace = LedgerRoute("trace", "run")
    url_prefix = "runs"
    form_class = CodeRunForm
    filterset_class = CodeRunFilter
    ledger_class = CodeRunLedger
    select_related = ("enterprise__organisation", "product", "contract", "issued_by")
    detail_template = "trace/run_detail.html"
    list_template = "trace/run_list.html"
    list_columns = [
        ListColumn(gettext_lazy("发码日期"), "issued_on"),
        ListColumn(gettext_lazy("溯源企业"), "enterprise.organisation.name"),
        ListColumn(gettext_lazy("商品"), lambda r, u: r.product.name if r.product else ""),
        ListColumn(gettext_lazy("数量"), lambda r, u: f"{r.count:,}"),
        ListColumn(gettext_lazy("发码人"), lambda r, u: r.issued_by or ""),
    ]

    @classmethod
    def create_view(cls, request):
        # A run is made by issuing its codes: the 新建 button leads to the issue page.
        _operator_only(request.user)
        return redirect("trace:issue")

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        record = extra.get("record")
        if isinstance(record, CodeRun) and permissions.can_change(request.user, record):
            context["bind_form"] = BindForm(prefix="bind")
            context["bind_form"].fields["batch"].queryset = Batch.objects.filter(enterprise=record.enterprise)
            context["void_form"] = VoidForm(prefix="void")
        if isinstance(record, CodeRun):
            counts = state_counts(TraceCode.objects.filter(run=record))
            context["state_counts"] = [(label, counts.get(value, 0)) for value, label in CodeState.choices]
            context["sample_codes"] = list(TraceCode.objects.filter(run=record).order_by("serial")[:10])
            context["label_layouts"] = [(key, layout.title) for key, layout in LAYOUTS.items()]
        return context


VIEWSETS = [
    EnterpriseViewSet,
    ProductionBaseViewSet,
    BatchViewSet,
    CertificateViewSet,
    TraceEventViewSet,
    CodeRunViewSet,
]


# --------------------------------------------------------------------------------------------------
# Issuing, binding and voiding


def _operator_only(user, model=CodeRun):
    if not permissions.can_add(user, model):
        raise PermissionDenied


@login_required
def issue(request):
    """The 发码 page: a run of new codes for an enrolled producer."""
    _operator_only(request.user)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.issue_trace_codes(
                data["enterprise"],
                data["count"],
                request.user,
                product=data["product"],
                issued_on=data["issued_on"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已发码 %(n)s 个") % {"n": f"{run.count:,}"})
            return redirect("trace:run-detail", run.pk)
    return render(
        request,
        "trace/issue.html",
        {"form": form, "ledger_tabs": CodeRunViewSet.sibling_tabs(request.user)},
        status=400 if form.errors else 200,
    )


def _lines(text: str) -> list[str]:
    return [line for line in text.replace(",", "\n").replace("，", "\n").splitlines() if line.strip()]


@login_required
@require_POST
def bind(request, pk):
    run = CodeRunViewSet.get_record(request, pk)
    if not permissions.can_change(request.user, run):
        raise PermissionDenied
    form = BindForm(request.POST, prefix="bind")
    form.fields["batch"].queryset = Batch.objects.filter(enterprise=run.enterprise)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("trace:run-detail", run.pk)
    data = form.cleaned_data
    try:
        if data["listed"].strip():
            bound = services.bind_codes(_lines(data["listed"]), data["batch"], request.user, run=run)
        else:
            bound = services.bind_code_range(
                data["first"], data["last"], data["batch"], request.user, run=run
            )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("已将 %(n)s 个溯源码绑定到批次 %(b)s") % {"n": f"{bound:,}", "b": data["batch"]}
        )
    return redirect("trace:run-detail", run.pk)


@login_required
@require_POST
def void(request, pk):
    run = CodeRunViewSet.get_record(request, pk)
    if not permissions.can_change(request.user, run):
        raise PermissionDenied
    form = VoidForm(request.POST, prefix="void")
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("trace:run-detail", run.pk)
    data = form.cleaned_data
    try:
        if data["listed"].strip():
            voided = services.void_codes(_lines(data["listed"]), data["reason"], request.user, run=run)
        else:
            voided = services.void_codes(
                [data["first"]], data["reason"], request.user, last=data["last"] or None, run=run
            )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已作废 %(n)s 个溯源码") % {"n": f"{voided:,}"})
    return redirect("trace:run-detail", run.pk)


# --------------------------------------------------------------------------------------------------
# Scan log and review queue


def _reader(user):
    if not permissions.can_view(user, Scan) or not permissions.can_read_audit(user):
        raise PermissionDenied


@login_required
def scan_list(request):
    """Every scan, newest first; filter by outcome or code."""
    _reader(request.user)
    scans = Scan.objects.select_related("code")
    outcome = request.GET.get("outcome", "")
    if outcome in ScanOutcome.values:
        scans = scans.filter(outcome=outcome)
    asked = codes.normalise(request.GET.get("code", ""))[:40]
    if asked:
        scans = scans.filter(asked=asked)
    page = Paginator(scans, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trace/scan_list.html",
        {
            "page": page,
            "outcomes": ScanOutcome.choices,
            "outcome": outcome,
            "code": asked,
            "querystring": query.urlencode(),
        },
    )


@login_required
def alert_list(request):
    """The review queue: open alerts first; an operator dismisses or confirms each."""
    _reader(request.user)
    state = request.GET.get("state", AlertState.OPEN)
    alerts = ScanAlert.objects.select_related("code__batch__product", "reviewed_by")
    if state in AlertState.values:
        alerts = alerts.filter(state=state)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trace/alert_list.html",
        {
            "page": page,
            "states": AlertState.choices,
            "state": state,
            "review_form": AlertReviewForm(),
            "can_review": permissions.can_add(request.user, CodeRun),
            "open_count": ScanAlert.objects.filter(state=AlertState.OPEN).count(),
        },
    )


@login_required
@require_POST
def alert_review(request, pk):
    alert = get_object_or_404(ScanAlert, pk=pk)
    _operator_only(request.user)
    form = AlertReviewForm(request.POST)
    if form.is_valid():
        try:
            review_alert(alert, form.cleaned_data["state"], request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("已处理"))
    else:
        messages.error(request, _("请选择处理结果"))
    return redirect(reverse("trace:alert-list"))


# --------------------------------------------------------------------------------------------------
# The consumer's page


SCANS_PER_MINUTE = getattr(settings, "TRACE_SCANS_PER_MINUTE", 30)
CACHE_PREFIX = "trace"
# Set by the reverse proxy's geolocation (nginx geoip2), where it has one.
PLACE_HEADER = "HTTP_X_GEO_CITY"
LATITUDE_HEADER = "HTTP_X_GEO_LATITUDE"
LONGITUDE_HEADER = "HTTP_X_GEO_LONGITUDE"


def client_key(request) -> str:
    """Who is scanning, coarsely and not reversibly: a hash of the client's network (/24, /48)."""
    return _client_key(request.META.get("REMOTE_ADDR", "") or "0.0.0.0", settings.SECRET_KEY)


@functools.lru_cache(maxsize=4096)
def _client_key(address: str, secret: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
        network = ipaddress.ip_network(f"{address}/{24 if ip.version == 4 else 48}", strict=False)
    except ValueError:
        network = address
    return hashlib.sha256(f"{secret}:{network}".encode()).hexdigest()[:16]


def _rate_limited(client: str) -> bool:
    import time

    key = f"{CACHE_PREFIX}:rate:{client}:{int(time.time() // 60)}"
    try:
        return cache.incr(key) > SCANS_PER_MINUTE  # the common case: the minute's counter exists
    except ValueError:
        pass
    cache.add(key, 0, 90)
    try:
        return cache.incr(key) > SCANS_PER_MINUTE
    except ValueError:  # evicted between add and incr
        return False


def _position(request) -> tuple[float | None, float | None]:
    """The coarse position the proxy's geolocation gives, where it gives a sensible one."""
    try:
        latitude = float(request.META.get(LATITUDE_HEADER, ""))
        longitude = float(request.META.get(LONGITUDE_HEADER, ""))
    except ValueError:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _answer(request, asked: str, expect=None):
    """The public page: the code's data and the batch's story from the cache, the count from a
    cache counter, the scan queued for the worker (``scans``) — no database write on the way."""
    client = client_key(request)
    if _rate_limited(client):
        response = _public_page({"outcome": "limited"}, 429)
        response["Retry-After"] = "60"
        return response
    if expect is not None and not expect():
        asked = ""  # a Digital Link whose product or lot does not match the code: not this code
    text, valid = scans.canonical(asked)
    current = scans.generation()
    data = scans.code_data(text, current) if valid else None
    outcome = scans.outcome_of(data)
    now = timezone.now()
    place = request.META.get(PLACE_HEADER, "")[:100]
    latitude, longitude = _position(request)
    scans.queue_scan(
        scans.QueuedScan(
            text,
            data.code_id if data else None,
            outcome,
            now,
            place,
            client,
            request.META.get("HTTP_USER_AGENT", "")[:200],
            latitude,
            longitude,
        )
    )
    context = {"outcome": outcome, "asked": codes.grouped(text[:16])}
    status = 200
    if data is not None:
        count, first_at, first_place = scans.count_scan(data, now, place)
        context["result"] = {
            "scan_count": count,
            "first_scanned_at": first_at,
            "first_scan_place": first_place,
        }
    if outcome == ScanOutcome.SHOWN:
        response = HttpResponse(_story_page(data.batch_id, context, current))
        response["Cache-Control"] = "no-store"  # the count changes with every scan
        return response
    if outcome == ScanOutcome.UNKNOWN:
        status = 404
    elif outcome == ScanOutcome.VOIDED:
        status = 410
    response = _public_page(context, status)
    response["Cache-Control"] = "no-store"  # the count changes with every scan
    return response


COUNT_SLOT = "<!--scan-count-->"


def _story_page(batch_id: int, context: dict, current: int) -> str:
    """The page of a bound code: the batch's page, rendered once per batch (and cache generation)
    with a slot for the one line that changes with each scan, which is rendered alone."""
    from django.utils.translation import get_language

    key = f"{scans.CACHE_PREFIX}:html:{current}:{batch_id}:{get_language()}"
    halves = cache.get(key)
    if halves is None:
        page = render_to_string("trace/public_code.html", {**context, "story": scans.story(batch_id)})
        halves = page.split(COUNT_SLOT, 1)
        cache.set(key, halves, scans.PAGE_SECONDS)
    return halves[0] + _count_line(context["result"]) + halves[1]


def _count_line(result: dict) -> str:
    """ "此码已被扫描 N 次，首次于 <date> 在 <place>。" — formatted here rather than by a template,
    which costs a fifth of the whole request."""
    count = result["scan_count"]
    day = dateformat.format(timezone.localtime(result["first_scanned_at"]), "Y年n月j日")
    text = _("此码已被扫描 %(n)s 次，首次于 %(day)s") % {"n": count, "day": day}
    if result["first_scan_place"]:
        text += _(" 在 %(place)s") % {"place": result["first_scan_place"]}
    line = escape(text) + "。"
    if count > 3:
        line += "<br><strong>" + escape(_("如果这是您第一次扫描此码，请注意核实产品来源。")) + "</strong>"
    return f'<p id="scan-count">{line}</p>'


def _public_page(context: dict, status: int) -> HttpResponse:
    # Rendered without the request: the site's context processors (current contract, demo flag,
    # the user's menu) cost queries the consumer's page has no use for.
    return HttpResponse(render_to_string("trace/public_code.html", context), status=status)


def public_code(request, code):
    """``/t/<CODE>``: what the consumer sees when scanning a label."""
    return _answer(request, code)


def digital_link(request, gtin, lot, serial):
    """GS1 Digital Link ``/01/<GTIN>/10/<lot>/21/<serial>``: the same page, when the product's GTIN
    and the batch's lot are those of the code."""
    wanted = gtin.zfill(14)

    def matches():
        found = (
            TraceCode.objects.filter(code=codes.normalise(serial)[:16])
            .values_list("batch__product__gtin", "batch__lot")
            .first()
        )
        return found is not None and found == (wanted, lot)

    return _answer(request, serial, expect=matches)


def public_photo(request, pk):
    """A photo of a batch, as shown on its public page (only photos of batches, nothing else)."""
    from django.contrib.contenttypes.models import ContentType

    from muxiang.core.models import Evidence

    evidence = Evidence.objects.filter(
        pk=pk, kind="photo", content_type=ContentType.objects.get_for_model(Batch)
    ).first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=evidence.mime_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_POST
def labels(request, pk):
    """Queue the run's label sheet in the background and show its progress."""
    from muxiang.jobs.services import start_job
    from muxiang.trace import jobs

    run = CodeRunViewSet.get_record(request, pk)
    try:
        params = jobs.labels_params(run, request.POST.get("layout", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("trace:run-detail", run.pk)
    job = start_job(jobs.LABELS_JOB, params, request.user, jobs.labels_title(run, params["layout"]))
    return redirect(job)
