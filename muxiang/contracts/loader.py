"""Reading a contract file: TOML in, a checked ``ContractDraft`` out, or every problem found, each
naming the key and the line it is on.

Nothing here touches the database; ``services.load_contract`` writes a draft that passed.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from muxiang.contracts.catalogue import CATALOGUE
from muxiang.contracts.choices import Comparison, TargetMode

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class ContractProblem:
    where: str  # the key or field the problem is about
    line: int | None
    message: str

    def __str__(self):
        place = _("第 %(n)d 行") % {"n": self.line} if self.line else _("文件")
        return f"{place}（{self.where}）：{self.message}" if self.where else f"{place}：{self.message}"


class ContractInvalid(ValueError):
    def __init__(self, problems: list[ContractProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class PhaseDraft:
    number: int
    title: str
    start: datetime.date
    end: datetime.date


@dataclass
class ContractDraft:
    data: dict
    phases: list[PhaseDraft] = field(default_factory=list)
    text: str = ""


class _Lines:
    """Finds the line of a key in the source, since TOML parsers forget where things were."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def of_field(self, name: str, after: int = 0) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.match(line):
                return number
        return None

    def of_table_item(self, table: str, key_value: str | None, index: int) -> int | None:
        """The line of ``key = "<key_value>"`` inside a ``[[table]]``, else the index-th header."""
        if key_value:
            pattern = re.compile(rf'^\s*key\s*=\s*["\']{re.escape(str(key_value))}["\']')
            for number, line in enumerate(self.lines, start=1):
                if pattern.match(line):
                    return number
        seen = -1
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        for number, line in enumerate(self.lines, start=1):
            if header.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def of_field_in_item(self, table: str, key_value: str | None, index: int, name: str) -> int | None:
        start = self.of_table_item(table, key_value, index)
        if start is None:
            return None
        # Look back to the item's header, then forward for the field, stopping at the next table.
        first = start
        while first > 1 and not self.lines[first - 1].lstrip().startswith("[["):
            first -= 1
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for number in range(first, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > first and line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return start


def _number(value) -> Decimal | None:
    """A target or amount: an int or float in the file (a string or boolean is refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # Clamp to the month's length (a phase starting on 31 January).
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def parse_contract(text: str, start: datetime.date | None = None) -> ContractDraft:
    """Parse and check a contract file; raise ``ContractInvalid`` listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ContractInvalid(
            [
                ContractProblem(
                    "", int(match.group(1)) if match else None, _("TOML 格式错误：%(e)s") % {"e": exc}
                )
            ]
        ) from exc
    lines = _Lines(text)
    problems: list[ContractProblem] = []

    def top(name, message):
        problems.append(ContractProblem(name, lines.of_field(name), message))

    if data.get("format") != 1:
        top("format", _("格式版本应为 1"))
    for name in ("key", "name", "county"):
        if not isinstance(data.get(name), str) or not data.get(name, "").strip():
            top(name, _("必填"))
    if isinstance(data.get("key"), str) and not KEY_RE.match(data["key"]):
        top("key", _("只能包含字母、数字、点、- 和 _"))
    amount = _number(data.get("total_amount"))
    if amount is None or amount <= 0:
        top("total_amount", _("合同总金额应为正数"))
    for party in ("client", "operator"):
        if not isinstance(data.get(party), dict) or not data[party].get("name"):
            problems.append(
                ContractProblem(party, lines.of_field("name"), _("缺少 [%(p)s] 的 name") % {"p": party})
            )
    signed_on = data.get("signed_on")
    if signed_on is not None and not isinstance(signed_on, datetime.date):
        top("signed_on", _("签订日期应为日期，如 2025-03-01"))

    draft = ContractDraft(data=data, text=text)
    _check_phases(data, lines, problems, draft, start)
    numbers = {p.number for p in draft.phases}
    _check_payments(data, lines, problems, numbers)
    _check_targets(data, lines, problems, numbers)
    _check_obligations(data, lines, problems, numbers)
    if problems:
        raise ContractInvalid(problems)
    return draft


def _check_phases(data, lines, problems, draft, start):
    phases = data.get("phases")
    if not isinstance(phases, list) or not phases:
        problems.append(ContractProblem("phases", None, _("至少需要一个 [[phases]]")))
        return
    begin = start
    shift = None
    for index, item in enumerate(phases):
        number = item.get("number")
        where = f"phases[{number if number is not None else index + 1}]"
        line = lines.of_table_item("phases", None, index)
        if number != index + 1:
            problems.append(
                ContractProblem(where, line, _("阶段应从 1 开始依次编号，此处应为 %(n)d") % {"n": index + 1})
            )
            return
        item_start, item_end, months = item.get("start"), item.get("end"), item.get("months")
        if item_start is not None or item_end is not None:
            if not isinstance(item_start, datetime.date) or not isinstance(item_end, datetime.date):
                problems.append(ContractProblem(where, line, _("start 和 end 应同时给出日期")))
                return
            if start is not None:
                # A start date given at load time moves the file's calendar, keeping each length.
                if shift is None:
                    shift = begin - item_start
                item_start, item_end = item_start + shift, item_end + shift
        elif isinstance(months, int) and not isinstance(months, bool) and months > 0:
            if begin is None:
                problems.append(
                    ContractProblem(where, line, _("阶段按月数给出时，需要起始日期：请用 --start 指定"))
                )
                return
            item_start = begin
            item_end = add_months(begin, months) - datetime.timedelta(days=1)
        else:
            problems.append(ContractProblem(where, line, _("需要 start 与 end，或正整数 months")))
            return
        if item_end < item_start:
            problems.append(ContractProblem(where, line, _("结束日期早于开始日期")))
            return
        if draft.phases:
            previous = draft.phases[-1]
            expected = previous.end + datetime.timedelta(days=1)
            if item_start < expected:
                problems.append(
                    ContractProblem(
                        where,
                        line,
                        _("与第 %(p)d 阶段重叠（%(s)s 早于 %(e)s）")
                        % {"p": previous.number, "s": item_start, "e": expected},
                    )
                )
                return
            if item_start > expected:
                problems.append(
                    ContractProblem(
                        where,
                        line,
                        _("与第 %(p)d 阶段之间有空档（%(e)s 至 %(s)s）")
                        % {"p": previous.number, "e": expected, "s": item_start - datetime.timedelta(days=1)},
                    )
                )
                return
        draft.phases.append(PhaseDraft(number, str(item.get("title") or ""), item_start, item_end))
        begin = item_end + datetime.timedelta(days=1)


def _check_payments(data, lines, problems, numbers):
    payments = data.get("payments") or []
    total = Decimal(0)
    keys = set()
    for index, item in enumerate(payments):
        key = item.get("key")
        line = lines.of_table_item("payments", key, index)
        where = f"payments.{key or index + 1}"
        if not key or key in keys:
            problems.append(ContractProblem(where, line, _("key 缺失或重复")))
        keys.add(key)
        share = _number(item.get("share"))
        if share is None or share < 0:
            problems.append(
                ContractProblem(
                    where, lines.of_field_in_item("payments", key, index, "share"), _("比例应为非负数")
                )
            )
        else:
            total += share
        trigger = str(item.get("trigger", ""))
        if trigger != "signing":
            match = re.fullmatch(r"acceptance:(\d+)", trigger)
            if not match or int(match.group(1)) not in numbers:
                problems.append(
                    ContractProblem(
                        where,
                        lines.of_field_in_item("payments", key, index, "trigger"),
                        _("触发条件应为 signing 或 acceptance:N（N 为已有阶段）"),
                    )
                )
    if payments and total != 100:
        problems.append(
            ContractProblem(
                "payments",
                lines.of_table_item("payments", None, 0),
                _("付款比例合计为 %(t)s%%，应为 100%%") % {"t": f"{total.normalize():f}"},
            )
        )


def _check_targets(data, lines, problems, numbers):
    targets = data.get("targets")
    if not isinstance(targets, list) or not targets:
        problems.append(ContractProblem("targets", None, _("至少需要一个 [[targets]]")))
        return
    keys = set()
    for index, item in enumerate(targets):
        key = item.get("key")
        where = f"targets.{key or index + 1}"

        def at(name, key=key, index=index):
            return lines.of_field_in_item("targets", key, index, name)

        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(ContractProblem(where, at("key"), _("key 缺失或含有不允许的字符")))
        elif key in keys:
            problems.append(ContractProblem(where, at("key"), _("key 重复")))
        keys.add(key)
        for name in ("section", "title", "unit"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                problems.append(ContractProblem(where, at(name), _("%(f)s 必填") % {"f": name}))
        metric = item.get("metric")
        spec = CATALOGUE.get(metric)
        if spec is None:
            problems.append(
                ContractProblem(where, at("metric"), _("未知的计量指标「%(m)s」") % {"m": metric})
            )
        params = item.get("params", {})
        if not isinstance(params, dict):
            problems.append(ContractProblem(where, at("params"), _("params 应为表")))
        elif spec is not None:
            unknown = sorted(set(params) - set(spec.params))
            if unknown:
                problems.append(
                    ContractProblem(
                        where,
                        at("params"),
                        _("指标「%(m)s」没有参数：%(p)s") % {"m": metric, "p": "、".join(unknown)},
                    )
                )
        phase_values = item.get("phases")
        if phase_values is None and item.get("total") is None:
            problems.append(ContractProblem(where, at("key"), _("需要 phases 或 total")))
        if phase_values is not None:
            if not isinstance(phase_values, dict):
                problems.append(ContractProblem(where, at("phases"), _("phases 应为 { 1 = 数值, 2 = 数值 }")))
            else:
                for phase_key, value in phase_values.items():
                    if not str(phase_key).isdigit() or int(phase_key) not in numbers:
                        problems.append(
                            ContractProblem(where, at("phases"), _("没有第 %(p)s 阶段") % {"p": phase_key})
                        )
                    number = _number(value)
                    if number is None:
                        problems.append(
                            ContractProblem(
                                where,
                                at("phases"),
                                _("第 %(p)s 阶段目标应为数字：%(v)r") % {"p": phase_key, "v": value},
                            )
                        )
                    elif number < 0:
                        problems.append(
                            ContractProblem(
                                where,
                                at("phases"),
                                _("第 %(p)s 阶段目标不能为负数：%(v)s") % {"p": phase_key, "v": value},
                            )
                        )
        if item.get("total") is not None:
            number = _number(item["total"])
            if number is None:
                problems.append(
                    ContractProblem(where, at("total"), _("total 应为数字：%(v)r") % {"v": item["total"]})
                )
            elif number < 0:
                problems.append(
                    ContractProblem(where, at("total"), _("total 不能为负数：%(v)s") % {"v": item["total"]})
                )
        if item.get("mode", TargetMode.PER_PHASE) not in TargetMode.values:
            problems.append(ContractProblem(where, at("mode"), _("mode 应为 per_phase、cumulative 或 level")))
        if item.get("comparison", Comparison.AT_LEAST) not in Comparison.values:
            problems.append(
                ContractProblem(where, at("comparison"), _("comparison 应为 at_least 或 at_most"))
            )
        _check_evidence(item, where, at("evidence"), problems)


def _check_evidence(item, where, line, problems):
    """``evidence`` names kinds of ``EvidenceKind``; "a|b" accepts either."""
    from muxiang.core.choices import EvidenceKind

    evidence = item.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(k, str) for k in evidence):
        problems.append(ContractProblem(where, line, _("evidence 应为列表")))
        return
    unknown = [k for requirement in evidence for k in requirement.split("|") if k not in EvidenceKind.values]
    if unknown:
        problems.append(
            ContractProblem(
                where,
                line,
                _("evidence 中有未知的材料类型：%(u)s（可用：%(k)s）")
                % {"u": "、".join(unknown), "k": "、".join(EvidenceKind.values)},
            )
        )


def _check_obligations(data, lines, problems, numbers):
    keys = set()
    for index, item in enumerate(data.get("obligations") or []):
        key = item.get("key")
        where = f"obligations.{key or index + 1}"
        line = lines.of_table_item("obligations", key, index)
        if not isinstance(key, str) or not KEY_RE.match(key) or key in keys:
            problems.append(ContractProblem(where, line, _("key 缺失、重复或含有不允许的字符")))
        keys.add(key)
        if not item.get("title") or not item.get("section"):
            problems.append(ContractProblem(where, line, _("section 和 title 必填")))
        phases = item.get("phases", [])
        if not isinstance(phases, list) or any(p not in numbers for p in phases):
            problems.append(ContractProblem(where, line, _("phases 应为已有阶段编号的列表")))
        _check_evidence(item, where, line, problems)
