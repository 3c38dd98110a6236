from django.utils.translation import gettext as _

from muxiang.core.ledgers import CellError, Column, Ledger, boolean, checked, choice, date_cell, text
from muxiang.core.validators import validate_division_code
from muxiang.regions.choices import PARENT_LEVEL, RegionLevel
from muxiang.regions.models import Region


def _code_problem(value):
    try:
        validate_division_code(value)
    except Exception as exc:  # ValidationError carries the Chinese message
        return exc.messages[0]
    return None


class RegionLedger(Ledger):
    """The region tree as a sheet: one row per unit, its parent named by full path or code.

    A file may hold a county with its towns and villages: rows are written level by level so that
    a village can name a town created by the same file."""

    model = Region
    sheet_name = "行政区划"
    key_field = "path"
    select_related = ("parent",)
    columns = [
        Column("name", "名称", text(100), required=True, example="海流图镇"),
        Column(
            "level",
            "级别",
            choice(RegionLevel),
            required=True,
            options=[str(c.label) for c in RegionLevel],
            example="镇/苏木",
        ),
        Column(
            "parent",
            "上级",
            text(400),
            note="上级区划的全称（如 乌拉特中旗/海流图镇）或区划代码；旗/县留空",
            example="乌拉特中旗",
            export=lambda r, ledger: r.parent.path if r.parent_id else "",
        ),
        Column(
            "code",
            "行政区划代码",
            checked(_code_problem),
            note="6、9 或 12 位数字，已知时填写",
            example="150824100",
        ),
        Column("exited_poverty", "出列村", boolean(), options=["是", "否"], note="是/否，仅村/嘎查"),
        Column("opened_on", "设立日期", date_cell(), example="2020-01-01"),
        Column("closed_on", "撤销日期", date_cell()),
        Column("path", "全称", importable=False),
    ]

    def clean_row(self, values):
        values["code"] = values.get("code") or None
        level = values["level"]
        if values.get("exited_poverty") and level != RegionLevel.VILLAGE:
            raise CellError("出列村", _("只有村/嘎查可以标记为出列村"))
        parent = (values.pop("parent", None) or "").strip()
        if level == RegionLevel.COUNTY:
            if parent:
                raise CellError("上级", _("旗/县不应有上级"))
            values["path"] = values["name"]
        else:
            if not parent:
                raise CellError("上级", _("必填：%(l)s需要上级") % {"l": RegionLevel(level).label})
            values["path"] = f"{self._parent_path(parent)}/{values['name']}"
        if "/" in values["name"]:
            raise CellError("名称", _("名称中不能含有「/」"))
        if values.get("opened_on") and values.get("closed_on") and values["closed_on"] <= values["opened_on"]:
            raise CellError("撤销日期", _("撤销日期应晚于设立日期"))

    def prepare(self, table):
        # Division code -> full path, of stored regions and of those this file creates, so that a row
        # may name its parent by code even when the same file creates the parent, in any row order.
        self._codes = dict(Region.all_objects.exclude(code=None).values_list("code", "path"))
        at = {h: table.headers.index(h) for h in ("名称", "上级", "行政区划代码") if h in table.headers}
        if "名称" not in at or "行政区划代码" not in at:
            return

        def cell(row, header):
            index = at.get(header)
            return text()(row[index]) if index is not None and index < len(row) else ""

        rows = [(cell(r, "行政区划代码"), cell(r, "名称"), cell(r, "上级")) for r in table.rows]
        for _level in RegionLevel:  # a parent named by code may name its own parent by code
            for code, name, parent in rows:
                if not code or not name or code in self._codes:
                    continue
                if not parent.isdigit():
                    self._codes[code] = f"{parent}/{name}" if parent else name
                elif parent in self._codes:
                    self._codes[code] = f"{self._codes[parent]}/{name}"

    def _parent_path(self, text_value: str) -> str:
        return self._codes.get(text_value, text_value) if text_value.isdigit() else text_value

    def validate_plans(self, plans, report):
        # Only live parents: a town in the recycle bin takes no new villages.
        levels = dict(Region.objects.values_list("path", "level"))
        levels.update({p.values["path"]: p.values["level"] for p in plans})
        for plan in plans:
            level = plan.values["level"]
            if level == RegionLevel.COUNTY or plan.pk is not None:
                # A stored region's path is its key: matching it means its parent did not change.
                continue
            parent_path = plan.values["path"].rsplit("/", 1)[0]
            parent_level = levels.get(parent_path)
            if parent_level is None:
                report.add(plan.number, "上级", _("找不到上级「%(p)s」") % {"p": parent_path})
            elif parent_level != PARENT_LEVEL[level]:
                report.add(
                    plan.number,
                    "上级",
                    _("「%(p)s」的级别不能作为%(l)s的上级")
                    % {"p": parent_path, "l": RegionLevel(level).label},
                )

    def write(self, plans, report, filename):
        # Parents first, so that each level can point at the one above it, even when the same file
        # creates it.
        for level in (RegionLevel.COUNTY, RegionLevel.TOWN, RegionLevel.VILLAGE):
            batch = [p for p in plans if p.values["level"] == level]
            if not batch:
                continue
            new = [p for p in batch if p.pk is None]
            if level != RegionLevel.COUNTY and new:
                parents = {p.values["path"].rsplit("/", 1)[0] for p in new}
                ids = dict(Region.objects.filter(path__in=parents).values_list("path", "id"))
                for plan in new:
                    plan.values["parent_id"] = ids[plan.values["path"].rsplit("/", 1)[0]]
            super().write(batch, report, filename)
