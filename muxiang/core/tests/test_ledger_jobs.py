"""Large ledger exports and imports in the background worker: the job page shows progress and the
result, the export's workbook is downloaded there, and the permission scoping of the direct
download holds in the job too."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from muxiang.core.jobs import LEDGER_EXPORT_JOB, LEDGER_IMPORT_JOB, may_import
from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import ledger_xlsx
from muxiang.core.validators import make_id_number
from muxiang.jobs.choices import JobState
from muxiang.jobs.models import Job
from muxiang.people.ledgers import PersonLedger
from muxiang.people.models import Person

pytestmark = pytest.mark.django_db

ZHANG = make_id_number("150824", datetime.date(1990, 1, 1), 11)
LI = make_id_number("150824", datetime.date(1985, 7, 9), 22)


@pytest.fixture
def always_in_background(settings):
    """Every export and import goes to the worker, however small (the tests' files are)."""
    settings.LEDGER_BACKGROUND_EXPORT_ROWS = 0
    settings.LEDGER_BACKGROUND_IMPORT_KB = 0


def names_in(workbook_bytes: bytes) -> set[str]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(workbook_bytes)).get_sheet_by_index(0).to_python()
    column = sheet[0].index("姓名")
    return {row[column] for row in sheet[1:]}


def download(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- exports ---------------------------------------------------------------------------------------


def test_a_large_export_is_written_by_the_worker_and_downloaded_from_the_job_page(
    login, staff, person, other_person, always_in_background, django_capture_on_commit_callbacks
):
    client = login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/people/export.xlsx")

    job = Job.objects.get(kind=LEDGER_EXPORT_JOB)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.created_by == staff
    assert (job.done, job.total, job.summary["行数"]) == (2, 2, 2)
    assert job.result_name.startswith("人员台账-") and job.result_name.endswith(".xlsx")
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.result_name in page and reverse("jobs:download", args=[job.pk]) in page
    assert names_in(download(client, job)) == {"乌云", "格日勒"}


def test_a_station_managers_background_export_holds_only_their_station(
    login,
    manager,
    other_manager,
    person,
    other_person,
    always_in_background,
    django_capture_on_commit_callbacks,
):
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/people/export.xlsx")
    job = Job.objects.get(kind=LEDGER_EXPORT_JOB)
    job.refresh_from_db()

    assert names_in(download(client, job)) == {"乌云"}

    # 其其格, the other station's manager, finds neither the job nor its file.
    other = login(other_manager)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_background_export_keeps_the_lists_filters(
    login, staff, person, other_person, always_in_background, django_capture_on_commit_callbacks
):
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/people/export.xlsx", {"q": "格日勒", "page": "3"})
    job = Job.objects.get(kind=LEDGER_EXPORT_JOB)
    job.refresh_from_db()

    assert "page" not in job.params["query"]
    assert names_in(download(client, job)) == {"格日勒"}


def test_the_job_runs_with_the_users_permissions_of_when_it_runs(
    login, manager, person, other_person, station, other_station, always_in_background
):
    # given 巴特尔 queued an export, then was moved to the other station before the worker ran it
    client = login(manager)
    client.get("/people/export.xlsx")  # on_commit not executed: the job waits in the queue
    job = Job.objects.get(kind=LEDGER_EXPORT_JOB)
    manager.station = other_station
    manager.save()

    from muxiang.jobs.services import run_job

    run_job(job.pk)
    job.refresh_from_db()

    assert names_in(download(client, job)) == {"格日勒"}


def test_a_second_click_waits_for_the_export_already_queued(login, staff, person, always_in_background):
    client = login(staff)
    first = client.get("/people/export.xlsx")
    second = client.get("/people/export.xlsx")

    assert first.url == second.url
    assert Job.objects.filter(kind=LEDGER_EXPORT_JOB).count() == 1


def test_a_small_export_still_answers_at_once(login, staff, person, other_person, settings):
    settings.LEDGER_BACKGROUND_EXPORT_ROWS = 2

    response = login(staff).get("/people/export.xlsx")

    assert response.status_code == 200 and names_in(response.content) == {"乌云", "格日勒"}
    assert not Job.objects.exists()


# --- imports ---------------------------------------------------------------------------------------


def upload(rows, name="人员.xlsx"):
    return SimpleUploadedFile(name, ledger_xlsx(PersonLedger, rows))


def test_a_large_import_is_written_by_the_worker_and_audited_as_the_uploader(
    login, staff, town, always_in_background, django_capture_on_commit_callbacks
):
    client = login(staff)
    rows = [{"姓名": "张三", "身份证号": ZHANG, "户籍/居住地": town.path}, {"姓名": "李四", "身份证号": LI}]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/import/", {"file": upload(rows), "dry_run": ""})

    job = Job.objects.get(kind=LEDGER_IMPORT_JOB)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.message == "导入完成：新建 2 条，更新 0 条，未变化 0 条"
    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四"}
    entries = ObjectChange.objects.filter(source="import", object_repr__in=["张三", "李四"])
    assert entries.count() == 2 and {e.user for e in entries} == {staff}
    # the entries lead back to the upload's request, as a direct import's do
    assert {str(e.request_id) for e in entries} == {job.params["request_id"]}
    # the upload, which carries ID numbers, is not kept once read
    assert not job.source and not list(default_storage.listdir("jobs/uploads")[1])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "导入完成" in page


def test_a_refused_background_import_lists_each_row_and_column_on_the_job_page(
    login, staff, always_in_background, django_capture_on_commit_callbacks
):
    client = login(staff)
    broken = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    rows = [{"姓名": "李四", "身份证号": LI}, {"姓名": "张三", "身份证号": broken}]

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/people/import/", {"file": upload(rows), "dry_run": ""})

    job = Job.objects.get(kind=LEDGER_IMPORT_JOB)
    job.refresh_from_db()
    assert job.message == "导入未执行：发现 1 个问题，未写入任何数据"
    [problem] = job.summary["problems"]
    assert (problem["row"], problem["column"]) == (3, "身份证号") and "校验位错误" in problem["message"]
    assert not Person.objects.exists()  # all or nothing: the good row is not written either
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'id="job-problems"' in page and "校验位错误" in page and "身份证号" in page


def test_a_background_dry_run_checks_and_writes_nothing(
    login, staff, always_in_background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(
            "/people/import/", {"file": upload([{"姓名": "李四", "身份证号": LI}]), "dry_run": "on"}
        )

    job = Job.objects.get(kind=LEDGER_IMPORT_JOB)
    job.refresh_from_db()
    assert job.message == "检查通过（试运行，未写入）" and job.summary["新建"] == 1
    assert not Person.objects.exists()


def test_a_small_import_still_answers_at_once(login, staff, settings):
    settings.LEDGER_BACKGROUND_IMPORT_KB = 1024

    response = login(staff).post("/people/import/", {"file": upload([{"姓名": "李四", "身份证号": LI}])})

    assert response.status_code == 200 and Person.objects.filter(name="李四").exists()
    assert not Job.objects.exists()


def test_a_station_manager_may_not_start_a_background_import(login, manager, always_in_background):
    response = login(manager).post("/people/import/", {"file": upload([{"姓名": "李四", "身份证号": LI}])})

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not may_import(manager, {"ledger": "people:list"})
