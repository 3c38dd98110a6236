"""The acceptance dossier (验收材料包) of one phase: a ZIP the client's acceptance panel can read
without the platform.

What is in it::

    index.xlsx      概况 / 绩效目标 / 履约事项 / 佐证材料 sheets
    index.pdf       the same index, A4 landscape, in Chinese
    evidence/<section>/<target or obligation key>/<sha256 prefix>-<original name>
    manifest.csv    every other file of the ZIP with its SHA-256 and size
    manifest.txt    the same, for reading (and for `sha256sum -c` after cutting the columns)

The figures are those of the contract dashboard: the same ``compute_progress(contract, today)``
call, read at the phase's column. The ZIP is written in one pass to a seekable file; evidence files
are streamed from storage and hashed as they are copied, so a file that went missing or changed
since upload is reported rather than silently packed.

The phase page builds it in the background (``contracts/jobs.py``, the job kind
``contracts.dossier``): ``build_dossier`` reports its progress file by file to the job's page.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from muxiang.contracts.choices import ProgressStatus
from muxiang.contracts.engine import PhaseProgress, Window, compute_progress, records_behind
from muxiang.contracts.models import Contract, ManualFigure, Obligation, ObligationFulfilment, Phase, Target
from muxiang.core import permissions
from muxiang.core.models import Evidence
from muxiang.core.services import evidence_by_record, evidence_for

MANIFEST_NAMES = ("manifest.csv", "manifest.txt")
# Photos, PDFs, videos and Office files are compressed already: deflating them again costs time
# and gains nothing.
_PRECOMPRESSED = ("image/", "video/", "application/pdf", "application/vnd.openxmlformats")
_CHUNK = 1024 * 1024


def evidence_for_target(target: Target, phase: Phase, figure: PhaseProgress | None = None, today=None):
    """The evidence that supports ``target`` in ``phase``: the documents attached to the target
    itself (a signed statement, a summary table; not dated, so in every phase's dossier), the
    screenshots of its manual figures, and — with ``figure``, the target's progress in the phase —
    the files of the records behind that figure as of ``today`` (``engine.records_behind``: the
    events, sessions, stations … the metric considered in the figure's window), so that the dossier holds the proof
    of exactly the figure it shows. Each file comes with the record it proves (None for the
    target's own). Oldest first."""
    own = [(e, None) for e in evidence_for(target).order_by("created_at", "pk")]
    figures = list(ManualFigure.objects.filter(target=target, phase=phase).values_list("pk", flat=True))
    if figures:
        # A manual figure (e.g. reads on WeChat) is proven by the screenshots entered with it.
        files = evidence_by_record(ManualFigure, figures)
        own += [(e, None) for pk in figures for e in files.get(pk, [])]
    today = today or timezone.localdate()
    if figure is not None and figure.start is not None and today >= figure.start:
        records = records_behind(target, Window(figure.start, figure.end, min(today, figure.end)))
        if records is not None:
            own += _record_evidence(records)
    return own


def _record_evidence(records) -> list[tuple[Evidence, object]]:
    """The files of ``records`` (a QuerySet of any size: the evidence is selected by a subquery,
    not by a list of ids), each with its record, in record order."""
    content_type = ContentType.objects.get_for_model(records.model, for_concrete_model=True)
    files = Evidence.objects.filter(
        content_type=content_type, object_id__in=records.order_by().values("pk")
    ).order_by("object_id", "created_at", "pk")
    by_record: dict[int, list[Evidence]] = {}
    for evidence in files.iterator(chunk_size=2000):
        by_record.setdefault(evidence.object_id, []).append(evidence)
    if not by_record:
        return []
    named = records.model._base_manager.in_bulk(list(by_record))
    return [(e, named.get(pk)) for pk, found in by_record.items() for e in found]


@dataclass
class ManifestEntry:
    path: str
    sha256: str
    size: int


@dataclass
class EvidenceEntry:
    """One evidence file as packed: where it sits in the ZIP and whether its bytes are intact."""

    evidence: Evidence
    record_key: str
    section: str
    path: str
    state: str = "ok"  # ok, missing (not in storage), changed (SHA-256 differs from upload)


@dataclass
class DossierRow:
    section: str
    key: str
    title: str
    unit: str = ""
    mode: str = ""
    mode_label: str = ""
    progress: PhaseProgress | None = None
    phases: list[int] = field(default_factory=list)
    evidence: list[EvidenceEntry] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        status = self.progress.status if self.progress else ""
        return str(ProgressStatus(status).label) if status else ""


@dataclass
class DossierSummary:
    contract: str
    phase: int
    as_of: datetime.date
    targets: int
    obligations: int
    evidence_files: int
    manifest: list[ManifestEntry]
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.manifest)


def build_dossier(
    contract: Contract,
    phase_number: int,
    out: BinaryIO | str | Path,
    today: datetime.date | None = None,
    progress=None,
) -> DossierSummary:
    """Write the acceptance dossier of phase ``phase_number`` of ``contract`` to ``out`` (a path or
    a binary file opened for writing). Raises ``Phase.DoesNotExist`` for an unknown phase.
    ``progress(done, total, message)``, when given, is told of each step: the figures, every
    evidence file, the index."""
    phase = contract.phases.get(number=phase_number)
    today = today or timezone.localdate()
    report = progress or (lambda done, total=None, message="": None)
    # A dossier is a Chinese document whatever the language of whoever builds it.
    with translation.override("zh-hans"):
        report(0, None, "计算各项指标")
        targets, obligations = _rows(contract, phase, today)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            writer = _Writer(archive)
            entries = [entry for row in [*targets, *obligations] for entry in row.evidence]
            # The steps: one per evidence file, then the index and the manifest.
            steps = len(entries) + 1
            for number, entry in enumerate(entries, start=1):
                writer.add_evidence(entry)
                report(number, steps, f"打包佐证材料 {number}/{len(entries)}")
            report(len(entries), steps, "生成目录（xlsx、pdf）与校验清单")
            context = _context(contract, phase, today, targets, obligations, entries)
            writer.add_bytes("index.xlsx", _index_xlsx(context))
            writer.add_bytes("index.pdf", _index_pdf(context))
            writer.add_manifest(context)
            report(steps, steps, "完成")
    return DossierSummary(
        contract=contract.key,
        phase=phase.number,
        as_of=today,
        targets=len(targets),
        obligations=len(obligations),
        evidence_files=len(entries),
        manifest=writer.manifest,
        missing=[e.path for e in entries if e.state == "missing"],
        changed=[e.path for e in entries if e.state == "changed"],
    )


def _rows(contract: Contract, phase: Phase, today) -> tuple[list[DossierRow], list[DossierRow]]:
    targets = []
    for item in compute_progress(contract, today):
        target = item.target
        row = DossierRow(
            section=target.section,
            key=target.key,
            title=target.title,
            unit=target.unit,
            mode=target.mode,
            mode_label=str(target.get_mode_display()),
            progress=item.phases[phase.number - 1],
        )
        row.evidence = _entries(evidence_for_target(target, phase, row.progress, today), row)
        targets.append(row)
    # Obligation.phases is a JSON list; SQLite has no JSON "contains", and a contract has a few
    # dozen obligations, so the phase is picked here.
    chosen = [o for o in contract.obligations.all() if phase.number in (o.phases or [])]
    evidence = evidence_by_record(Obligation, [o.pk for o in chosen])
    # What was uploaded through the phase page sits on the phase's fulfilment record.
    fulfilments = dict(
        ObligationFulfilment.objects.filter(phase=phase, obligation__in=chosen).values_list(
            "obligation_id", "pk"
        )
    )
    fulfilment_evidence = evidence_by_record(ObligationFulfilment, list(fulfilments.values()))
    for obligation_pk, fulfilment_pk in fulfilments.items():
        evidence.setdefault(obligation_pk, []).extend(fulfilment_evidence.get(fulfilment_pk, []))
    obligations = []
    for obligation in chosen:
        row = DossierRow(
            section=obligation.section,
            key=obligation.key,
            title=obligation.title,
            phases=list(obligation.phases),
        )
        row.evidence = _entries([(e, None) for e in evidence.get(obligation.pk, [])], row)
        obligations.append(row)
    return targets, obligations


def _entries(evidence, row: DossierRow) -> list[EvidenceEntry]:
    """Where each (file, record) goes: the target's own files in its folder, a record's files in a
    sub-folder named after the record."""
    folder = f"evidence/{_safe(row.section)}/{_safe(row.key)}"
    entries = []
    for e, record in evidence:
        where = folder if record is None else f"{folder}/{_safe(str(record))}"
        entries.append(
            EvidenceEntry(e, row.key, row.section, f"{where}/{e.sha256[:12]}-{_safe(e.original_name)}")
        )
    return entries


def _safe(name: str) -> str:
    """A single path component: the original name comes from the uploader's machine and must not
    climb out of its folder ("../") or hide a control character in the listing."""
    cleaned = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", name).strip(" .")
    return cleaned[:120] or "_"


class _Writer:
    """Adds files to the ZIP and remembers the SHA-256 and size of what was actually written."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.manifest: list[ManifestEntry] = []
        self.names: set[str] = set()

    def _unique(self, path: str) -> str:
        # The same bytes uploaded twice under the same name to the same record give the same path.
        candidate, n = path, 1
        while candidate in self.names:
            n += 1
            stem, dot, ext = path.rpartition(".")
            candidate = f"{stem}-{n}.{ext}" if dot else f"{path}-{n}"
        self.names.add(candidate)
        return candidate

    def add_bytes(self, path: str, data: bytes) -> None:
        path = self._unique(path)
        self.archive.writestr(path, data)
        self.manifest.append(ManifestEntry(path, hashlib.sha256(data).hexdigest(), len(data)))

    def add_evidence(self, entry: EvidenceEntry) -> None:
        evidence = entry.evidence
        storage = evidence.file.storage
        if not evidence.file.name or not storage.exists(evidence.file.name):
            entry.state = "missing"
            return
        entry.path = self._unique(entry.path)
        compress = (
            zipfile.ZIP_STORED if evidence.mime_type.startswith(_PRECOMPRESSED) else zipfile.ZIP_DEFLATED
        )
        info = zipfile.ZipInfo(entry.path, date_time=_zip_time(evidence.created_at))
        info.compress_type = compress
        digest, size = hashlib.sha256(), 0
        with storage.open(evidence.file.name, "rb") as source, self.archive.open(info, "w") as target:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        sha256 = digest.hexdigest()
        if sha256 != evidence.sha256:
            entry.state = "changed"
        self.manifest.append(ManifestEntry(entry.path, sha256, size))

    def add_manifest(self, context: dict) -> None:
        entries = list(self.manifest)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["path", "sha256", "size"])
        writer.writerows([e.path, e.sha256, e.size] for e in entries)
        # A BOM so that Excel opens the Chinese file names as UTF-8.
        self.add_bytes("manifest.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        lines = [
            f"{context['contract'].name}  {context['phase_title']}  {_('验收材料包文件清单')}",
            _("统计日期 %(d)s，生成于 %(t)s") % {"d": context["today"], "t": context["generated"]},
            _("每行：SHA-256、大小（字节）、文件路径；清单文件本身不在其中。"),
        ]
        for problem in context["problems"]:
            lines.append("!! " + problem)
        lines.append("")
        lines += [f"{e.sha256}  {e.size:>12}  {e.path}" for e in entries]
        self.add_bytes("manifest.txt", ("\n".join(lines) + "\n").encode("utf-8"))


def _zip_time(moment: datetime.datetime | None) -> tuple:
    local = timezone.localtime(moment) if moment else timezone.localtime()
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def _context(contract, phase, today, targets, obligations, entries) -> dict:
    problems = []
    missing = [e for e in entries if e.state == "missing"]
    changed = [e for e in entries if e.state == "changed"]
    if missing:
        problems.append(
            _("%(n)d 个佐证文件在存储中找不到，未打包：%(names)s")
            % {
                "n": len(missing),
                "names": "、".join(f"{e.record_key}/{e.evidence.original_name}" for e in missing),
            }
        )
    if changed:
        problems.append(
            _("%(n)d 个佐证文件与上传时登记的 SHA-256 不一致：%(names)s")
            % {"n": len(changed), "names": "、".join(e.path for e in changed)}
        )
    return {
        "contract": contract,
        "phase": phase,
        "phase_title": str(phase),
        "today": today,
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "targets": targets,
        "obligations": obligations,
        "entries": entries,
        "evidence_count": sum(1 for e in entries if e.state != "missing"),
        "problems": problems,
    }


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _index_xlsx(context: dict) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    head = workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1, "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    contract, phase = context["contract"], context["phase"]

    about = workbook.add_worksheet(_("概况"))
    about.set_column(0, 0, 16)
    about.set_column(1, 1, 70)
    facts = [
        (_("合同名称"), contract.name),
        (_("项目编号"), contract.project_number),
        (_("甲方"), contract.client_name),
        (_("乙方"), contract.operator_name),
        (_("验收阶段"), context["phase_title"]),
        (_("阶段起止"), f"{phase.start:%Y-%m-%d} — {phase.end:%Y-%m-%d}"),
        (_("统计日期"), f"{context['today']:%Y-%m-%d}"),
        (_("生成时间"), context["generated"]),
        (_("佐证文件"), context["evidence_count"]),
    ]
    for row, (label, value) in enumerate(facts):
        about.write(row, 0, label, head)
        about.write(row, 1, value, wrap)
    for offset, problem in enumerate(context["problems"]):
        about.write(len(facts) + 1 + offset, 1, problem, wrap)

    targets = workbook.add_worksheet(_("绩效目标"))
    headers = [
        (_("条款"), 8),
        (_("标识"), 26),
        (_("绩效目标"), 60),
        (_("单位"), 6),
        (_("计量方式"), 10),
        (_("阶段目标"), 10),
        (_("实际完成"), 10),
        (_("状态"), 12),
        (_("统计区间"), 24),
        (_("佐证材料（份）"), 10),
    ]
    _header(targets, headers, head)
    for row, item in enumerate(context["targets"], start=1):
        p = item.progress
        window = f"{p.start:%Y-%m-%d} — {p.end:%Y-%m-%d}" if p.start and p.end else ""
        values = [
            item.section,
            item.key,
            item.title,
            item.unit,
            item.mode_label,
            _number(p.target),
            _number(p.actual),
            item.status_label,
            window,
            len(item.evidence),
        ]
        for col, value in enumerate(values):
            if value is not None:
                targets.write(row, col, value, wrap if col == 2 else None)

    obligations = workbook.add_worksheet(_("履约事项"))
    _header(
        obligations,
        [(_("条款"), 10), (_("标识"), 26), (_("内容"), 70), (_("验收阶段"), 10), (_("佐证材料（份）"), 10)],
        head,
    )
    for row, item in enumerate(context["obligations"], start=1):
        values = [item.section, item.key, item.title, "、".join(map(str, item.phases)), len(item.evidence)]
        for col, value in enumerate(values):
            obligations.write(row, col, value, wrap if col == 2 else None)

    files = workbook.add_worksheet(_("佐证材料"))
    _header(
        files,
        [
            (_("条款"), 8),
            (_("所属目标或事项"), 26),
            (_("原文件名"), 30),
            (_("说明"), 30),
            (_("包内路径"), 60),
            (_("SHA-256"), 66),
            (_("大小（字节）"), 12),
            (_("上传时间"), 18),
            (_("上传人"), 12),
            (_("校验"), 10),
        ],
        head,
    )
    states = {"ok": _("一致"), "missing": _("文件缺失"), "changed": _("与登记不符")}
    for row, entry in enumerate(context["entries"], start=1):
        e = entry.evidence
        uploader = e.uploaded_by
        values = [
            entry.section,
            entry.record_key,
            e.original_name,
            e.description,
            entry.path if entry.state != "missing" else "",
            e.sha256,
            e.size,
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
            (getattr(uploader, "full_name", "") or uploader.get_username()) if uploader else "",
            states[entry.state],
        ]
        for col, value in enumerate(values):
            files.write(row, col, value)
    workbook.close()
    return buffer.getvalue()


def _header(sheet, headers, fmt) -> None:
    for col, (title, width) in enumerate(headers):
        sheet.write(0, col, title, fmt)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)


def _index_pdf(context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which every other command would pay for.
    from weasyprint import HTML

    html = render_to_string("contracts/dossier_index.html", context)
    return HTML(string=html).write_pdf()


# --------------------------------------------------------------------------------------------------
# Download (wired in contracts/urls.py)


@login_required
def dossier_download(request, key, number):
    """The acceptance dossier of one phase as a ZIP download, for the operator, the client's
    supervisor and the auditor; station managers are refused (it holds every station's figures)."""
    import tempfile

    # The role is checked before anything is looked up: a station manager learns nothing from
    # which contracts and phases exist.
    if not permissions.can_read_audit(request.user):
        raise PermissionDenied
    try:
        number = int(number)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    contract = Contract.objects.filter(key=key).first()
    if contract is None or not contract.phases.filter(number=number).exists():
        raise Http404
    # A temporary file, not memory: a dossier holds every photo of the phase. FileResponse
    # closes (and so deletes) it once sent.
    spool = tempfile.TemporaryFile()
    try:
        build_dossier(contract, number, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    filename = f"{contract.key}-phase-{number}-dossier-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")
