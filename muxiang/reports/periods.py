"""What period a report covers, written the way people write it, and checked.

- monthly and analysis reports: a month, ``2026-10`` (also ``2026年10月``);
- training reports: a phase of the contract, ``phase-1`` (also ``第1阶段``), or a date range
  ``2026-01-01..2026-06-30``;
- merchant statistics: a year, ``2026``.

Every period is stored in its normal form with its first and last day, so that the contract's
metrics place a report in a phase by its first day.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from muxiang.reports.choices import ReportKind


@dataclass(frozen=True)
class Period:
    text: str  # the normal form stored on the report
    start: datetime.date
    end: datetime.date
    label: str  # how the report's title says it

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(
        f"{year:04d}-{month:02d}",
        datetime.date(year, month, 1),
        datetime.date(year, month, last),
        _("%(y)d年%(m)d月") % {"y": year, "m": month},
    )


_MONTH = re.compile(r"^\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")
_PHASE = re.compile(r"^\s*(?:phase-?|第\s*)(\d+)\s*(?:阶段)?\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|～|至|—)\s*(\d{4}-\d{2}-\d{2})\s*$")


def parse_period(kind: str, text: str, contract=None) -> Period:
    """The period ``text`` means for a report of ``kind`` (of ``contract``, whose phases a training
    report may name). Raises ``ValidationError`` with a message that says what is expected."""
    text = (text or "").strip()
    if kind in (ReportKind.MONTHLY, ReportKind.ANALYSIS):
        found = _MONTH.match(text)
        if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 2000:
            raise ValidationError(_("报告期间「%(p)s」不是月份，应写作 2026-10") % {"p": text}, code="period")
        return month_period(int(found[1]), int(found[2]))
    if kind == ReportKind.MERCHANTS:
        found = _YEAR.match(text)
        if not found or not 2000 <= int(found[1]) <= 2100:
            raise ValidationError(_("报告期间「%(p)s」不是年份，应写作 2026") % {"p": text}, code="period")
        year = int(found[1])
        return Period(
            str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("%(y)d年") % {"y": year}
        )
    if kind == ReportKind.TRAINING:
        found = _PHASE.match(text)
        if found:
            number = int(found[1])
            phase = contract.phases.filter(number=number).first() if contract is not None else None
            if phase is None:
                raise ValidationError(
                    _("合同没有第 %(n)d 阶段，报告期间「%(p)s」无效") % {"n": number, "p": text},
                    code="period",
                )
            return Period(f"phase-{number}", phase.start, phase.end, _("第%(n)d阶段") % {"n": number})
        found = _RANGE.match(text)
        if found:
            try:
                start = datetime.date.fromisoformat(found[1])
                end = datetime.date.fromisoformat(found[2])
            except ValueError as exc:
                raise ValidationError(
                    _("报告期间「%(p)s」中的日期无效") % {"p": text}, code="period"
                ) from exc
            if end < start:
                raise ValidationError(_("报告期间的结束日期早于开始日期：%(p)s") % {"p": text}, code="period")
            if (end - start).days > 3 * 366:
                raise ValidationError(_("报告期间不能超过三年：%(p)s") % {"p": text}, code="period")
            label = _("%(s)s 至 %(e)s") % {"s": start.isoformat(), "e": end.isoformat()}
            return Period(f"{start}..{end}", start, end, label)
        raise ValidationError(
            _("报告期间「%(p)s」无效，培训分析报告应写作 第1阶段（phase-1）或 2026-01-01..2026-06-30")
            % {"p": text},
            code="period",
        )
    raise ValidationError(
        _("未知的报告类型「%(k)s」，应为 monthly、analysis、training 或 merchants") % {"k": kind}, code="kind"
    )
