"""Evidence files: stored under their SHA-256 with the type read from the bytes, refused when they
are not what the programme accepts, and re-hashed by ``muxiang evidence verify``."""

import hashlib
import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from muxiang.core import services
from muxiang.core.models import Evidence, ObjectChange
from muxiang.stations.models import Station


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real PNG: signature, header, one compressed image chunk, end."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\x2e\x8b\x57" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program"
RANDOM = random.Random(11643).randbytes(4096)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- what is stored ---------------------------------------------------------------------------------


def test_a_png_is_stored_under_its_hash_with_size_and_detected_type(staff, station, settings):
    data = png_bytes()
    evidence = services.attach_evidence(station, upload("签到照片.jpg", data), staff, "开业照片")
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    assert evidence.mime_type == "image/png"  # from the bytes, whatever the name says
    assert evidence.extension == ".png"
    assert evidence.original_name == "签到照片.jpg"
    assert evidence.description == "开业照片"
    assert evidence.uploaded_by == staff
    assert evidence.record == station
    assert evidence.file.name.startswith("evidence/")
    assert evidence.file.name.endswith(f"{evidence.sha256}.png")
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == data


def test_a_pdf_is_stored_as_a_pdf(staff, station):
    evidence = services.attach_evidence(station, upload("合同.pdf", PDF), staff)
    assert (evidence.mime_type, evidence.extension, evidence.size) == ("application/pdf", ".pdf", len(PDF))
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_csv_saved_as_gbk_is_accepted_as_text(staff, station):
    evidence = services.attach_evidence(
        station, upload("名单.csv", "姓名,电话\n张三,13800000000\n".encode("gbk")), staff
    )
    assert (evidence.mime_type, evidence.extension) == ("text/csv", ".csv")


def test_uploading_evidence_is_audited_against_the_uploader(staff, station):
    evidence = services.attach_evidence(station, upload("照片.png", png_bytes()), staff)
    entry = ObjectChange.objects.get(content_type__model="evidence", object_id=evidence.pk)
    assert (entry.action, entry.user) == ("create", staff)
    assert entry.after["sha256"] == evidence.sha256


# --- what is refused -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("合同.pdf", EXECUTABLE, "application/x-msdownload"),
        ("照片.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "application/x-executable"),
        ("扫描件.pdf", RANDOM, "application/octet-stream"),
        ("资料.pdf", b"PK\x03\x04" + b"\x00" * 100, "application/zip"),
    ],
)
def test_a_file_whose_bytes_are_not_an_accepted_type_is_refused_in_chinese(
    staff, station, settings, name, data, kind
):
    with pytest.raises(services.ValidationError) as caught:
        services.attach_evidence(station, upload(name, data), staff)
    message = caught.value.messages[0]
    assert f"文件「{name}」的实际类型为 {kind}，不在允许范围内" in message
    assert not Evidence.all_objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_naming_both_sizes(staff, station, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    data = png_bytes(64, 64) + b"\x00" * 2048
    with pytest.raises(services.ValidationError) as caught:
        services.attach_evidence(station, upload("大照片.png", data), staff)
    message = caught.value.messages[0].replace("\xa0", " ")
    assert "文件「大照片.png」大小为" in message
    assert "超过上限 1.0 KB" in message  # a limit below 1 MB is not "0 MB"
    assert not Evidence.all_objects.exists()
    assert stored_files(settings) == []


def test_the_size_limit_itself_is_allowed(staff, station, settings):
    data = png_bytes()
    settings.EVIDENCE_MAX_BYTES = len(data)
    assert services.attach_evidence(station, upload("照片.png", data), staff).size == len(data)


def test_an_empty_file_is_refused(staff, station):
    with pytest.raises(services.ValidationError, match="是空文件"):
        services.attach_evidence(station, upload("空.pdf", b""), staff)


def test_only_those_who_may_change_the_record_may_add_evidence(client_supervisor, station):
    with pytest.raises(services.PermissionDenied):
        services.attach_evidence(station, upload("照片.png", png_bytes()), client_supervisor)


# --- through the web -------------------------------------------------------------------------------


def test_evidence_uploaded_on_the_detail_page_is_listed_and_downloadable(login, staff, station):
    client = login(staff)
    data = png_bytes()
    response = client.post(
        f"/stations/{station.pk}/evidence/",
        {"file": SimpleUploadedFile("开业.png", data, "image/png"), "description": "开业当天"},
        follow=True,
    )
    page = response.content.decode()
    assert "佐证材料已上传" in page
    assert "开业.png" in page
    evidence = Evidence.objects.get()
    download = client.get(f"/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == data


def test_an_executable_named_pdf_is_refused_on_the_page_with_a_message(login, staff, station, settings):
    response = login(staff).post(
        f"/stations/{station.pk}/evidence/",
        {"file": SimpleUploadedFile("验收单.pdf", EXECUTABLE, "application/pdf")},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "验收单.pdf" in page
    assert "不在允许范围内" in page
    assert not Evidence.all_objects.exists()
    assert stored_files(settings) == []


def test_an_upload_without_a_file_asks_for_one(login, staff, station):
    response = login(staff).post(
        f"/stations/{station.pk}/evidence/", {"description": "忘了选文件"}, follow=True
    )
    assert "请选择要上传的文件" in response.content.decode()


def test_a_station_manager_adds_evidence_to_their_own_station_only(login, manager, station, other_station):
    client = login(manager)
    own = client.post(f"/stations/{station.pk}/evidence/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert own.status_code == 302
    other = client.post(f"/stations/{other_station.pk}/evidence/", {"file": SimpleUploadedFile("b.pdf", PDF)})
    assert other.status_code == 404
    assert Evidence.objects.count() == 1


def test_evidence_of_another_station_cannot_be_downloaded(login, staff, other_manager, station):
    evidence = services.attach_evidence(station, upload("a.pdf", PDF), staff)
    assert login(other_manager).get(f"/evidence/{evidence.pk}/").status_code == 404


def test_downloading_evidence_that_does_not_exist_is_a_404(login, staff):
    assert login(staff).get("/evidence/999999/").status_code == 404


# --- muxiang evidence verify -----------------------------------------------------------------------


@pytest.fixture
def two_files(staff, station, person):
    return [
        services.attach_evidence(station, upload("开业.png", png_bytes()), staff),
        services.attach_evidence(person, upload("证书.pdf", PDF), staff),
    ]


def verify():
    out = io.StringIO()
    try:
        call_command("evidence", "verify", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_verify_reports_every_file_ok(two_files):
    out, error = verify()
    assert error is None
    assert "共检查 2 个文件，0 个有问题" in out


def test_verify_reports_a_changed_file_and_fails(two_files, settings):
    changed = two_files[1]
    path = Path(settings.MEDIA_ROOT) / changed.file.name
    path.write_bytes(path.read_bytes().replace(b"Catalog", b"Katalog"))
    out, error = verify()
    assert error is not None
    assert error.returncode != 0
    assert "1 个有问题" in str(error)
    [line] = out.splitlines()
    assert line.startswith("已被修改 changed")
    assert f"#{changed.pk}" in line
    assert "证书.pdf" in line
    assert "people.person#" in line


def test_verify_reports_a_missing_file_and_fails(two_files, settings):
    gone = two_files[0]
    (Path(settings.MEDIA_ROOT) / gone.file.name).unlink()
    out, error = verify()
    assert error is not None
    [line] = out.splitlines()
    assert line.startswith("缺失 missing")
    assert "开业.png" in line


def test_verify_checks_evidence_of_deleted_records_too(two_files, staff, settings):
    services.soft_delete_record(two_files[0], staff)
    (Path(settings.MEDIA_ROOT) / two_files[0].file.name).unlink()
    out, error = verify()
    assert error is not None
    assert "missing" in out


# --- kinds: what a file shows ---------------------------------------------------------------------


def test_a_file_uploaded_without_a_kind_is_a_photo_or_a_document_by_its_type(staff, station):
    photo = services.attach_evidence(station, upload("门头.png", png_bytes()), staff)
    scan = services.attach_evidence(station, upload("签到.pdf", PDF), staff)
    assert (photo.kind, scan.kind) == ("photo", "document")


def test_the_kind_chosen_on_upload_is_kept(staff, station):
    scan = services.attach_evidence(station, upload("签到.pdf", PDF), staff, kind="sign_in_sheet")
    assert scan.get_kind_display() == "签到表"


def test_an_unknown_kind_is_refused(staff, station):
    with pytest.raises(ValidationError, match="未知的材料类型"):
        services.attach_evidence(station, upload("签到.pdf", PDF), staff, kind="selfie")
    assert not Evidence.objects.exists()


def test_the_detail_page_uploads_with_the_kind_chosen(login, staff, station):
    # when
    login(staff).post(
        reverse("stations:evidence", args=[station.pk]),
        {"file": upload("通知.pdf", PDF), "kind": "notice", "description": "开业通知"},
    )
    # then
    assert services.evidence_for(station).get().kind == "notice"


def test_a_record_counts_only_with_a_file_of_every_kind_required(staff, station, other_station):
    # given: 海流图镇 has a photo and a sign-in sheet, 巴音村 only a photo
    services.attach_evidence(station, upload("照片.png", png_bytes()), staff)
    services.attach_evidence(station, upload("签到.pdf", PDF), staff, kind="sign_in_sheet")
    services.attach_evidence(other_station, upload("照片.png", png_bytes()), staff)
    stations = Station.objects.filter(pk__in=[station.pk, other_station.pk])
    # when / then
    assert set(services.with_evidence(stations, ["photo"])) == {station, other_station}
    assert set(services.with_evidence(stations, ["photo", "sign_in_sheet"])) == {station}
    assert set(services.with_evidence(stations, ["photo", "sign_in_sheet|notice"])) == {station}
    assert set(services.with_evidence(stations, ["notice|photo"])) == {station, other_station}
    assert set(services.with_evidence(stations)) == {station, other_station}


def test_the_missing_kinds_are_named_as_people_read_them(staff, station):
    files = [services.attach_evidence(station, upload("照片.png", png_bytes()), staff)]
    assert services.missing_evidence_kinds(files, ["photo", "sign_in_sheet", "notice|document"]) == [
        "签到表",
        "通知或文件资料",
    ]
    assert services.missing_evidence_kinds([], []) == ["佐证材料"]
    assert services.missing_evidence_kinds(files, []) == []


def test_a_deleted_file_no_longer_shows_its_kind(staff, station):
    scan = services.attach_evidence(station, upload("签到.pdf", PDF), staff, kind="sign_in_sheet")
    services.soft_delete_record(scan, staff)
    assert not services.with_evidence(Station.objects.filter(pk=station.pk), ["sign_in_sheet"]).exists()
