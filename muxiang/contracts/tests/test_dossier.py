"""The acceptance dossier of a phase: an index (xlsx and PDF) with the dashboard's figures, the
evidence files in folders by section and key, and a manifest whose checksums match the ZIP."""

import csv
import datetime
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import RequestFactory
from python_calamine import CalamineWorkbook

from muxiang.contracts.choices import ProgressStatus
from muxiang.contracts.dossier import build_dossier, dossier_download, evidence_for_target
from muxiang.contracts.engine import compute_progress
from muxiang.contracts.services import load_contract
from muxiang.core.models import Evidence
from muxiang.core.services import attach_evidence
from muxiang.core.tests.test_evidence import PDF, png_bytes

SAMPLE = (Path(__file__).parent / "data" / "sample-county.toml").read_text(encoding="utf-8")
SHIPPED = Path(__file__).parents[1] / "data" / "urad-middle-banner-package-1.toml"
TODAY = datetime.date(2026, 3, 1)  # in phase 1 of the sample contract


@pytest.fixture
def contract(county, station, other_town):
    # given one of two towns with a station: town coverage is measurable (50 %)
    return load_contract(SAMPLE)


@pytest.fixture
def evidence(contract, staff):
    plan = contract.obligations.get(key="B-plan")
    premium = contract.targets.get(key="A-premium")
    return {
        "photo": attach_evidence(plan, SimpleUploadedFile("签到照片.png", png_bytes()), staff, "启动会"),
        "plan": attach_evidence(plan, SimpleUploadedFile("实施方案.pdf", PDF), staff),
        "statement": attach_evidence(premium, SimpleUploadedFile("精品站说明.png", png_bytes(6, 5)), staff),
    }


def dossier(contract, phase=1, today=TODAY):
    buffer = io.BytesIO()
    summary = build_dossier(contract, phase, buffer, today=today)
    buffer.seek(0)
    return zipfile.ZipFile(buffer), summary


def sheet(archive, name) -> list[dict]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("index.xlsx")))
    header, *rows = workbook.get_sheet_by_name(name).to_python()
    return [dict(zip(header, row, strict=False)) for row in rows]


def number(value):
    # Calamine gives whole numbers as floats; an empty cell as "".
    return None if value == "" else float(value)


@pytest.mark.django_db
def test_the_index_lists_every_target_with_the_dashboards_figures(contract, evidence):
    # when
    archive, summary = dossier(contract)
    # then
    rows = {row["标识"]: row for row in sheet(archive, "绩效目标")}
    progress = compute_progress(contract, TODAY)
    assert set(rows) == {item.target.key for item in progress} and summary.targets == len(progress)
    for item in progress:
        phase_1 = item.phases[0]
        row = rows[item.target.key]
        assert row["条款"] == item.target.section and row["单位"] == item.target.unit
        assert number(row["实际完成"]) == (None if phase_1.actual is None else float(phase_1.actual))
        assert number(row["阶段目标"]) == (None if phase_1.target is None else float(phase_1.target))
        assert row["状态"] == ProgressStatus(phase_1.status).label
    assert (rows["A-town-coverage"]["实际完成"], rows["A-town-coverage"]["状态"]) == (50, "落后")
    assert rows["B-articles"]["状态"] == "暂无法计量"
    assert number(rows["A-premium"]["佐证材料（份）"]) == 1


@pytest.mark.django_db
def test_the_index_lists_the_obligations_of_the_phase_with_their_evidence_count(contract, evidence):
    archive, summary = dossier(contract)
    obligations = sheet(archive, "履约事项")
    assert [(o["标识"], number(o["佐证材料（份）"])) for o in obligations] == [("B-plan", 2)]
    assert summary.obligations == 1 and summary.evidence_files == 3


@pytest.mark.django_db
def test_an_obligation_of_another_phase_is_left_out(contract, evidence):
    archive, summary = dossier(contract, phase=2)
    assert sheet(archive, "履约事项") == [] and summary.obligations == 0
    assert not any(name.startswith("evidence/B.2/") for name in archive.namelist())


@pytest.mark.django_db
def test_evidence_files_sit_in_folders_by_section_and_key(contract, evidence):
    archive, _ = dossier(contract)
    photo, plan, statement = evidence["photo"], evidence["plan"], evidence["statement"]
    expected = {
        f"evidence/B.2/B-plan/{photo.sha256[:12]}-签到照片.png": png_bytes(),
        f"evidence/B.2/B-plan/{plan.sha256[:12]}-实施方案.pdf": PDF,
        f"evidence/A/A-premium/{statement.sha256[:12]}-精品站说明.png": png_bytes(6, 5),
    }
    for name, data in expected.items():
        assert archive.read(name) == data
    files = {row["包内路径"]: row for row in sheet(archive, "佐证材料")}
    assert set(files) == set(expected)
    assert all(row["校验"] == "一致" for row in files.values())


@pytest.mark.django_db
def test_every_manifest_checksum_matches_the_bytes_in_the_zip(contract, evidence):
    archive, summary = dossier(contract)
    with archive.open("manifest.csv") as stream:
        listed = list(csv.DictReader(io.TextIOWrapper(stream, encoding="utf-8-sig")))
    # every file but the manifests themselves is listed, once
    assert sorted(row["path"] for row in listed) == sorted(
        n for n in archive.namelist() if n not in ("manifest.csv", "manifest.txt")
    )
    for row in listed:
        data = archive.read(row["path"])
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == int(row["size"])
    text = archive.read("manifest.txt").decode("utf-8")
    for row in listed:
        assert f"{row['sha256']}  {int(row['size']):>12}  {row['path']}" in text
    assert {e.path for e in summary.manifest} == set(archive.namelist())


@pytest.mark.django_db
def test_the_pdf_index_is_in_chinese(contract, evidence, tmp_path):
    archive, _ = dossier(contract)
    data = archive.read("index.pdf")
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    (tmp_path / "index.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "index.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert contract.name in flat
    assert contract.client_name in flat and contract.operator_name in flat
    assert "2026-01-01" in flat and "2026-06-30" in flat
    assert "落后" in flat and "暂无法计量" in flat and "实施方案" in flat


@pytest.mark.django_db
def test_a_file_gone_from_storage_is_reported_and_not_packed(contract, evidence):
    # given the PDF's stored file was lost after upload
    lost = evidence["plan"]
    lost.file.storage.delete(lost.file.name)
    # when
    archive, summary = dossier(contract)
    # then
    assert summary.missing == [f"evidence/B.2/B-plan/{lost.sha256[:12]}-实施方案.pdf"]
    assert not any(name.endswith("实施方案.pdf") for name in archive.namelist())
    assert "1 个佐证文件在存储中找不到" in archive.read("manifest.txt").decode("utf-8")
    states = {row["原文件名"]: row["校验"] for row in sheet(archive, "佐证材料")}
    assert states["实施方案.pdf"] == "文件缺失"


@pytest.mark.django_db
def test_a_file_changed_since_upload_is_reported(contract, evidence):
    changed = evidence["photo"]
    with changed.file.storage.open(changed.file.name, "wb") as stream:
        stream.write(png_bytes(9, 9))
    _archive, summary = dossier(contract)
    assert summary.changed == [f"evidence/B.2/B-plan/{changed.sha256[:12]}-签到照片.png"]


@pytest.mark.django_db
def test_an_uploaded_file_name_cannot_climb_out_of_its_folder(contract, evidence):
    Evidence.objects.filter(pk=evidence["plan"].pk).update(original_name="../../..\\etc/passwd.pdf")
    archive, _ = dossier(contract)
    names = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert all(".." not in n.split("/") and "\\" not in n for n in names)
    assert all(n.count("/") == 3 for n in names)


@pytest.mark.django_db
def test_soft_deleted_evidence_is_not_packed(contract, evidence, staff):
    from muxiang.core.services import soft_delete_record

    soft_delete_record(evidence["statement"], staff)
    assert not evidence_for_target(contract.targets.get(key="A-premium"), contract.phases.get(number=1))
    archive, summary = dossier(contract)
    assert summary.evidence_files == 2
    assert not any(n.startswith("evidence/A/") for n in archive.namelist())


@pytest.mark.django_db
def test_the_command_writes_the_zip(contract, evidence, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "验收材料包.zip"
    stdout = io.StringIO()
    call_command(
        "dossier",
        "--contract",
        contract.key,
        "--phase",
        "1",
        "--out",
        str(out),
        "--today",
        "2026-03-01",
        stdout=stdout,
    )
    with zipfile.ZipFile(out) as archive:
        assert {"index.xlsx", "index.pdf", "manifest.csv", "manifest.txt"} <= set(archive.namelist())
    assert "3 份佐证文件" in stdout.getvalue()
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no partial file left behind


@pytest.mark.django_db
def test_the_command_refuses_a_phase_the_contract_does_not_have(contract, tmp_path):
    out = tmp_path / "x.zip"
    with pytest.raises(CommandError, match="没有第 7 阶段"):
        call_command("dossier", "--contract", contract.key, "--phase", "7", "--out", str(out))
    assert not out.exists()


def download(user, contract, number=1):
    request = RequestFactory().get(f"/contracts/{contract.key}/dossier/{number}/")
    request.user = user
    return dossier_download(request, contract.key, number)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["operator_admin", "staff", "client_supervisor", "auditor"])
def test_the_operator_and_the_client_download_the_dossier(request, contract, evidence, persona):
    response = download(request.getfixturevalue(persona), contract)
    data = b"".join(response.streaming_content)
    response.close()
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert contract.key in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "index.pdf" in archive.namelist()


@pytest.mark.django_db
def test_a_station_manager_may_not_download_the_dossier(manager, contract):
    with pytest.raises(PermissionDenied):
        download(manager, contract)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(contract):
    response = download(AnonymousUser(), contract)
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("number", [9, "x"])
def test_an_unknown_phase_is_not_found(staff, contract, number):
    with pytest.raises(Http404):
        download(staff, contract, number=number)


@pytest.mark.django_db
def test_the_shipped_contract_renders_as_a_readable_pdf(county, tmp_path):
    # The 54 targets and 31 obligations of the real contract: long Chinese titles, three phases.
    contract = load_contract(SHIPPED.read_text(encoding="utf-8"), start=datetime.date(2025, 9, 1))
    archive, summary = dossier(contract, phase=1, today=datetime.date(2026, 3, 15))
    assert summary.targets == 54 and summary.obligations == 30
    assert archive.read("index.pdf").startswith(b"%PDF")
    if shutil.which("pdffonts") is None:
        return
    (tmp_path / "index.pdf").write_bytes(archive.read("index.pdf"))
    fonts = subprocess.run(["pdffonts", str(tmp_path / "index.pdf")], capture_output=True, check=True)
    lines = fonts.stdout.decode().splitlines()[2:]
    # every font embedded ("emb" column), so the PDF reads the same on a machine without CJK fonts
    assert lines and all(line.split()[-5] == "yes" for line in lines)


@pytest.mark.django_db
def test_the_files_of_the_records_behind_a_figure_are_packed_by_record(contract, evidence, station, staff):
    # given: 海流图镇 is a premium station with its photo, counted by A-premium in phase 1
    station.is_premium = True
    station.save()
    photo = attach_evidence(station, SimpleUploadedFile("门头.png", png_bytes(3, 3)), staff, kind="photo")
    # when
    archive, summary = dossier(contract)
    # then: the photo sits in the target's folder, under the station it proves
    path = f"evidence/A/A-premium/{station}/{photo.sha256[:12]}-门头.png"
    assert archive.read(path) == png_bytes(3, 3)
    premium = next(row for row in sheet(archive, "绩效目标") if row["标识"] == "A-premium")
    assert number(premium["佐证材料（份）"]) == 2  # the target's own statement and the station's photo
    # The same station proves the town coverage too: its photo is packed under that target as well.
    assert f"evidence/A/A-town-coverage/{station}/{photo.sha256[:12]}-门头.png" in archive.namelist()
    assert summary.evidence_files == 5
