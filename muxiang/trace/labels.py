"""Printable label sheets: one QR label per code of a run, in the run's serial order (the order a
roll is wound and bound), each with its QR code, the code in text and the product name in Chinese.

The QR code holds the code's short URL in upper case (``HTTPS://HOST/T/<CODE>``): scheme, host and
path are case-insensitive here (``/T/`` is routed like ``/t/``), and an all-upper-case URL is
encoded in the QR alphanumeric mode, which needs a smaller symbol for the same print size.

The PDF is written directly with ReportLab, which costs little beside encoding the QR matrices
themselves (bench/trace_labels.py):

- each QR code is one filled path: the runs of dark modules of each row as rectangles, in a
  coordinate system of one unit per module (whole numbers, so the operators are short and exact);
- the product and producer, the same on every label of a run, are drawn once into a form XObject
  that every label references; only the code's text is drawn per label;
- the text is set in TrueType fonts that ReportLab embeds as subsets — WenQuanYi Zen Hei for the
  Chinese (ReportLab's built-in ``STSong-Light`` is *not* embedded, and Noto CJK's OpenType/CFF
  fonts are not read by ReportLab) and DejaVu Sans Mono for the code — so a viewer without Chinese
  fonts still shows the text.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import segno

from muxiang.trace.models import CodeRun, TraceCode

MM = 72 / 25.4  # PDF points per millimetre

# The first of these that exists is used (the Debian packages fonts-wqy-zenhei, fonts-dejavu-core).
CJK_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
]
MONO_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
]
CJK_FONT = "MuxiangCJK"
MONO_FONT = "MuxiangMono"


@dataclass(frozen=True)
class LabelLayout:
    key: str
    title: str
    page_mm: tuple[float, float]  # width, height
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    margin_mm: float  # page margin

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "a4-40": LabelLayout("a4-40", "A4 不干胶 40 枚（4×10，52.5×29.7mm）", (210, 297), 4, 10, 52.5, 29.7, 0),
    "roll-40x30": LabelLayout("roll-40x30", "卷筒标签 40×30mm（每页一枚）", (40, 30), 1, 1, 40, 30, 0),
}
# Progress is reported every this many pages.
PROGRESS_PAGES = 25
QUIET_ZONE = 2  # modules of white around the QR code (zbar and phones read 2 at this print size)
PADDING_MM = 2
GAP_MM = 1.5


def public_base_url() -> str:
    """Where the public page is served, as printed on labels (``TRACE_PUBLIC_URL``)."""
    from django.conf import settings

    return getattr(settings, "TRACE_PUBLIC_URL", os.environ.get("TRACE_PUBLIC_URL", "http://127.0.0.1:8000"))


def code_url(code: str, base: str | None = None) -> str:
    return f"{(base or public_base_url()).rstrip('/').upper()}/T/{code}"


def _first_existing(paths: list[str]) -> str:
    for path in paths:
        if os.path.exists(path):
            return path
    raise FileNotFoundError(
        "no font for the label sheets: install fonts-wqy-zenhei and fonts-dejavu-core ("
        + ", ".join(paths)
        + ")"
    )


def register_fonts() -> None:
    """Register the two TrueType fonts with ReportLab (once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if CJK_FONT not in registered:
        pdfmetrics.registerFont(TTFont(CJK_FONT, _first_existing(CJK_FONTS), subfontIndex=0))
    if MONO_FONT not in registered:
        pdfmetrics.registerFont(TTFont(MONO_FONT, _first_existing(MONO_FONTS)))


_DARK_RUN = re.compile(b"\x01+")


def qr_path_operators(url: str) -> tuple[str, int]:
    """The QR code of ``url`` as PDF path operators in module units, y pointing down from the top
    left of the symbol (the caller sets the transformation), and the symbol's width in modules
    (without the quiet zone). One ``re`` per run of dark modules in a row, one fill for all."""
    matrix = segno.make(url, error="m", micro=False).matrix
    parts = []
    append = parts.append
    for y, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(row):
            start = run.start()
            append(f"{start} {y} {run.end() - start} 1 re")
    append("f")
    return "\n".join(parts), len(matrix)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """``text`` cut into lines no wider than ``width`` points (character by character: Chinese has
    no spaces to break at); the last line ends in … if the text does not fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


class _Sheet:
    """The geometry of one layout, and the drawing of a label at a place on the page."""

    NAME_PT, MAKER_PT, CODE_PT = 7.5, 6.5, 6.0

    def __init__(self, layout: LabelLayout, product: str, producer: str):
        self.layout = layout
        self.width = layout.width_mm * MM
        self.height = layout.height_mm * MM
        self.qr = min(layout.height_mm - 2 * PADDING_MM, layout.width_mm * 0.5) * MM
        self.text_x = (PADDING_MM + GAP_MM) * MM + self.qr
        self.text_width = self.width - self.text_x - PADDING_MM * MM
        self.product, self.producer = product, producer

    def static_form(self, canvas) -> None:
        """The product and producer, drawn once as a form XObject (``label``) for every label."""
        name = _wrap(self.product, CJK_FONT, self.NAME_PT, self.text_width, 2)
        maker = _wrap(self.producer, CJK_FONT, self.MAKER_PT, self.text_width, 3)
        lines = [(line, self.NAME_PT) for line in name] + [(line, self.MAKER_PT) for line in maker]
        # The code's two lines go below the names; the whole block is centred vertically.
        block = sum(size * 1.25 for _, size in lines) + 2 * self.CODE_PT * 1.25
        top = (self.height + block) / 2
        canvas.beginForm("label", lowerx=0, lowery=0, upperx=self.width, uppery=self.height)
        y = top
        for line, size in lines:
            y -= size * 1.25
            canvas.setFont(CJK_FONT, size)
            canvas.drawString(self.text_x, y, line)
        canvas.endForm()
        self.code_y = y - self.CODE_PT * 1.25

    def draw(self, canvas, x: float, y: float, code_text: str, qr: tuple[str, int]) -> None:
        """The label whose lower left corner is at (x, y)."""
        operators, modules = qr
        module = self.qr / (modules + 2 * QUIET_ZONE)
        left = x + PADDING_MM * MM + QUIET_ZONE * module
        top = y + (self.height + self.qr) / 2 - QUIET_ZONE * module
        # One unit = one module, y downwards from the symbol's top left: the path is in whole numbers.
        canvas.addLiteral(f"q {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm\n{operators}\nQ")
        canvas.addLiteral(f"q 1 0 0 1 {x:.3f} {y:.3f} cm")
        canvas.doForm("label")
        canvas.addLiteral("Q")
        canvas.setFont(MONO_FONT, self.CODE_PT)
        half = code_text[:9], code_text[10:]  # "7KQ2-M9XD" / "ABCD-EFGH": two groups a line
        canvas.drawString(x + self.text_x, y + self.code_y, half[0] + "-")
        canvas.drawString(x + self.text_x, y + self.code_y - self.CODE_PT * 1.25, half[1])


def build_label_sheet(
    run: CodeRun, layout_key: str, path: Path, progress=None, base_url: str | None = None
) -> int:
    """Write the PDF of ``run``'s labels to ``path``; returns the number of labels. ``progress``
    (done, total, message) is called every ``PROGRESS_PAGES`` pages."""
    from reportlab.pdfgen.canvas import Canvas

    from muxiang.trace.codes import grouped

    register_fonts()
    layout = LAYOUTS[layout_key]
    sheet = _Sheet(layout, run.product.name if run.product_id else "", run.enterprise.organisation.name)
    page_width, page_height = layout.page_mm[0] * MM, layout.page_mm[1] * MM
    canvas = Canvas(
        str(path),
        pagesize=(page_width, page_height),
        pageCompression=1,
        initialFontName=MONO_FONT,  # else every page names Helvetica, which is not embedded
        initialFontSize=6,
    )
    canvas.setTitle(str(run))
    canvas.setCreator("muxiang")
    sheet.static_form(canvas)
    places = [
        (
            layout.margin_mm * MM + column * sheet.width,
            page_height - layout.margin_mm * MM - (row + 1) * sheet.height,
        )
        for row in range(layout.rows)
        for column in range(layout.columns)
    ]
    base = base_url or public_base_url()
    total, done, on_page, pages = run.count, 0, 0, 0
    codes = TraceCode.objects.filter(run=run).order_by("serial").values_list("code", flat=True)
    for code in codes.iterator(chunk_size=10_000):
        if on_page == layout.per_page:
            canvas.showPage()
            on_page = 0
            pages += 1
            if progress and pages % PROGRESS_PAGES == 0:
                progress(done, total, "")
        x, y = places[on_page]
        sheet.draw(canvas, x, y, grouped(code), qr_path_operators(code_url(code, base)))
        on_page += 1
        done += 1
    canvas.showPage()
    canvas.save()
    if progress:
        progress(done, total, "")
    return done
