"""The files: the PDF holds the Chinese headings and figures in embedded fonts, with the charts;
the .xlsx has a sheet per table with the figures as numbers; ``muxiang report`` writes either and
refuses, in Chinese, what names nothing."""

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from muxiang.reports.figures import build_figures
from muxiang.reports.periods import parse_period
from muxiang.reports.render import render_pdf, render_xlsx
from muxiang.reports.tests.conftest import OCTOBER, SEPTEMBER, daily

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@pytest.fixture
def analysis(contract, station, other_station):
    daily(station, SEPTEMBER, buying="100", selling="200")
    daily(station, OCTOBER, buying="150", selling="450")
    daily(other_station, OCTOBER, buying="1234.5", selling="300")
    return build_figures("analysis", contract, parse_period("analysis", "2026-10"))


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@needs_poppler
def test_the_pdf_holds_the_chinese_headings_figures_and_the_operators_text(analysis):
    data = render_pdf(analysis, {"remarks": "乌加河镇代买增长来自春耕物资"})
    text = pdf_text(data)
    for heading in (
        "2026年10月数据分析报告",
        "一、各镇与站点交易",
        "二、近6个月趋势",
        "五、日报报送完整性",
        "说明",
    ):
        assert heading in text
    assert "海流图镇" in text and "1534.50" in text and "乌加河镇代买增长来自春耕物资" in text
    assert "交易额增长最多的是海流图镇" in text
    # the charts write their labels as text in the embedded fonts
    assert "各镇交易额（元）" in text


@needs_poppler
def test_the_pdfs_fonts_are_embedded_and_the_charts_are_drawn(analysis):
    data = render_pdf(analysis, {})
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in line[50:] for line in rows), fonts
    # the first page's chart draws last month's bars in orange, a colour nothing else uses
    from PIL import Image

    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    orange = sum(1 for r, g, b in pixels if abs(r - 0xD9) < 24 and abs(g - 0x8C) < 24 and abs(b - 0x1F) < 24)
    assert orange > 50


def test_the_xlsx_has_a_sheet_per_table_with_numbers(analysis):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(analysis, {"remarks": "说明文字"})))
    assert {"概况", "各镇交易", "月度趋势", "销售渠道", "日报报送率"} <= set(workbook.sheet_names)
    header, *rows = workbook.get_sheet_by_name("各镇交易").to_python()
    assert header[0] == "镇/苏木"
    by_town = {row[0]: row for row in rows}
    assert by_town["乌加河镇"][3] == 1234.5 and isinstance(by_town["海流图镇"][6], float)
    assert by_town["海流图镇"][6] == 600
    about = workbook.get_sheet_by_name("概况").to_python()
    assert ["说明", "说明文字"] in about


@needs_poppler
def test_the_command_writes_the_pdf_and_the_xlsx(contract, station, tmp_path):
    daily(station, OCTOBER, buying="88")
    pdf = tmp_path / "monthly.pdf"
    call_command("report", "monthly", "--contract", contract.key, "--period", "2026-10", "--out", str(pdf))
    assert "2026年10月月度工作报告" in pdf_text(pdf.read_bytes())
    xlsx = tmp_path / "analysis.xlsx"
    call_command("report", "analysis", "--period", "2026-10", "--out", str(xlsx))
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("月度趋势").to_python()
    assert rows[-1][0] == "2026-10" and rows[-1][3] == 88


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["weekly", "--period", "2026-10"], "未知的报告类型"),
        (["monthly", "--period", "2026-13"], "不是月份"),
        (["monthly", "--period", "2026-10", "--contract", "nope"], "没有标识为「nope」的合同"),
        (["training", "--period", "第9阶段"], "没有第 9 阶段"),
        (["merchants", "--period", "2027"], "尚未开始"),
        (["analysis", "--period", "2026-10", "--out", "x.pdf", "--format", "xlsx"], "扩展名应为 .xlsx"),
    ],
)
def test_the_command_refuses_what_names_nothing(contract, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args)


def test_an_unknown_kind_exits_non_zero_from_the_console(contract):
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "muxiang", "report", "weekly", "--period", "2026-10"],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "未知的报告类型" in result.stderr
