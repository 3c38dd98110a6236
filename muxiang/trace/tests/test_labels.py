"""Label sheets: a PDF of QR labels in serial order, whose QR codes decode (zbarimg) to the codes'
public URLs, with the Chinese product name in an embedded font; built by a background job."""

import shutil
import subprocess

import pytest

from muxiang.jobs.models import Job
from muxiang.trace.labels import build_label_sheet, code_url
from muxiang.trace.services import issue_trace_codes

needs_tools = pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm") and shutil.which("pdffonts")),
    reason="zbar-tools and poppler-utils are needed",
)


@needs_tools
def test_an_a4_sheet_decodes_to_the_codes_urls_with_the_chinese_name_embedded(
    enterprise, product, staff, tmp_path
):
    run = issue_trace_codes(enterprise, 40, staff, product=product)
    pdf = tmp_path / "labels.pdf"
    assert build_label_sheet(run, "a4-40", pdf, base_url="https://trace.example.cn") == 40
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    # zbar misses a code now and then among 40 on one page: each label is cut out and decoded alone.
    from PIL import Image

    cells = []
    with Image.open(pages[0]) as page:
        width, height = page.size
        for row in range(10):
            for column in range(4):
                box = (
                    column * width // 4,
                    row * height // 10,
                    (column + 1) * width // 4,
                    (row + 1) * height // 10,
                )
                cell = tmp_path / f"cell-{row}-{column}.png"
                page.crop(box).save(cell)
                cells.append(str(cell))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *cells],
        capture_output=True,
        text=True,
    ).stdout.split()
    wanted = [
        code_url(c, "https://trace.example.cn") for c in run.tracecode_set.values_list("code", flat=True)
    ]
    assert sorted(decoded) == sorted(wanted)
    assert wanted[0].startswith("HTTPS://TRACE.EXAMPLE.CN/T/")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "乌拉特羊肉" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_a_roll_sheet_has_one_label_per_page(enterprise, product, staff, tmp_path):
    run = issue_trace_codes(enterprise, 3, staff, product=product)
    pdf = tmp_path / "roll.pdf"
    build_label_sheet(run, "roll-40x30", pdf)
    assert pdf.read_bytes().count(b"/Type /Page\n") in (0, 3) or b"/Count 3" in pdf.read_bytes()


def test_the_run_page_queues_the_sheet_as_a_job_with_progress(
    login, staff, enterprise, product, django_capture_on_commit_callbacks
):
    run = issue_trace_codes(enterprise, 12, staff, product=product)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(f"/trace/runs/{run.pk}/labels/", {"layout": "a4-40"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.state == "succeeded" and job.done == 12 and job.total == 12
