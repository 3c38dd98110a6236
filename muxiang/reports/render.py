"""A report's snapshot as a PDF (WeasyPrint, charts drawn by matplotlib) and as an .xlsx
(XlsxWriter, a sheet per table with the figures as numbers).

Both are rendered from the snapshot and the operator's text only, never from the records: what was
frozen at submission renders the same document again.
"""

import base64
import io
import re
from functools import cache

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Tried in order; the first found on the machine draws the charts' Chinese labels.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Sans SC")
PALETTE = ("#2e8b57", "#d98c1f", "#3b6fb6", "#b03a2e", "#7a5fa8", "#5a8f8f")


@cache
def _chart_font() -> list[str]:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = [name for name in CJK_FONTS if name in installed]
    return [*found, "DejaVu Sans"]


def chart_svg(spec: dict) -> str:
    """One chart of the snapshot as an SVG document. The text is drawn as outlines, so the PDF
    needs no font for the chart and shows the Chinese labels wherever it is opened."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = [str(label) for label in spec["labels"]]
    series = spec["series"]
    horizontal = spec["kind"] == "barh"
    with plt.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": _chart_font(),
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
            "font.size": 8,
        }
    ):
        height = max(2.2, 0.24 * len(labels) * max(1, len(series)) + 0.8) if horizontal else 2.8
        figure, axes = plt.subplots(figsize=(7.2, min(height, 9.5)))
        try:
            positions = range(len(labels))
            width = 0.8 / max(1, len(series))
            for n, one in enumerate(series):
                values = [value or 0 for value in one["values"]]
                colour = PALETTE[n % len(PALETTE)]
                if spec["kind"] == "line":
                    axes.plot(labels, values, marker="o", color=colour, label=one["name"])
                else:
                    offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
                    if horizontal:
                        axes.barh(offsets, values, height=width, color=colour, label=one["name"])
                    else:
                        axes.bar(offsets, values, width=width, color=colour, label=one["name"])
            if horizontal:
                axes.set_yticks(list(positions), labels)
                axes.invert_yaxis()
                axes.grid(axis="x", color="#dddddd", linewidth=0.6)
            elif spec["kind"] == "bar":
                axes.set_xticks(
                    list(positions),
                    labels,
                    rotation=20 if len(labels) > 4 else 0,
                    ha="right" if len(labels) > 4 else "center",
                )
                axes.grid(axis="y", color="#dddddd", linewidth=0.6)
            else:
                axes.grid(axis="y", color="#dddddd", linewidth=0.6)
            axes.set_axisbelow(True)
            axes.set_title(spec["title"], fontsize=10)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            if len(series) > 1:
                axes.legend(frameon=False)
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg")
        finally:
            plt.close(figure)
    return buffer.getvalue()


def chart_uri(spec: dict) -> str:
    """The chart as a data: URI for an <img>: WeasyPrint draws it with its SVG renderer, whereas
    SVG written inline in the HTML would have its styles read as (unknown) HTML CSS."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(spec).encode("utf-8")).decode("ascii")


TEXT_LABELS = {
    "problems": gettext_lazy("存在的问题"),
    "plan": gettext_lazy("下月工作计划"),
    "adjustments": gettext_lazy("下期培训方案调整建议"),
    "remarks": gettext_lazy("说明"),
}


def _text_sections(texts: dict) -> list[tuple[str, str]]:
    return [(str(TEXT_LABELS[key]), value) for key, value in texts.items() if key in TEXT_LABELS]


def render_pdf(snapshot: dict, texts: dict, meta: dict | None = None) -> bytes:
    """The report as a PDF, in Chinese whatever the language of whoever builds it."""
    from weasyprint import HTML

    with translation.override("zh-hans"):
        sections = []
        for item in snapshot["sections"]:
            sections.append(
                {**item, "charts_uri": [chart_uri(spec) for spec in item["charts"] if spec["labels"]]}
            )
        html = render_to_string(
            "reports/report_pdf.html",
            {
                "s": snapshot,
                "sections": sections,
                "texts": _text_sections(texts),
                "meta": meta or {},
                "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
        )
        return HTML(string=html).write_pdf()


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "Sheet"
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name[:26]}{n}"
    used.add(candidate)
    return candidate


def render_xlsx(snapshot: dict, texts: dict, meta: dict | None = None) -> bytes:
    """The report's figures: an 概况 sheet, then a sheet per table with numbers as numbers."""
    import xlsxwriter

    with translation.override("zh-hans"):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        head = workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1, "text_wrap": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        used: set[str] = set()
        about = workbook.add_worksheet(_sheet_name(_("概况"), used))
        about.set_column(0, 0, 18)
        about.set_column(1, 1, 90)
        facts = [
            (_("报告"), snapshot["kind_label"]),
            (_("合同"), snapshot["contract_name"]),
            (_("报告期间"), snapshot["period_label"]),
            (_("统计区间"), f"{snapshot['start']} — {snapshot['end']}"),
            (_("统计日期"), snapshot["as_of"]),
            *[(label, value) for label, value in (meta or {}).items()],
        ]
        for item in snapshot["sections"]:
            for statement in item["statements"]:
                facts.append((item["title"], statement))
        facts += _text_sections(texts)
        for row, (label, value) in enumerate(facts):
            about.write(row, 0, label, head)
            about.write(row, 1, value, wrap)
        for item in snapshot["sections"]:
            for one in item["tables"]:
                sheet = workbook.add_worksheet(_sheet_name(one["title"], used))
                for col, title in enumerate(one["columns"]):
                    sheet.write(0, col, title, head)
                    sheet.set_column(col, col, max(10, min(60, len(title) * 2 + 4)))
                for r, values in enumerate(one["rows"], start=1):
                    for col, value in enumerate(values):
                        if value is not None:
                            sheet.write(r, col, value)
                if one.get("note"):
                    sheet.write(len(one["rows"]) + 2, 0, one["note"])
                sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()
