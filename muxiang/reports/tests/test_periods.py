"""A report's period as people write it: months, years, phases and date ranges, with Chinese
messages that say what is expected."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.reports.periods import parse_period


@pytest.mark.parametrize("text", ["2026-10", "2026年10月", " 2026/10 "])
def test_a_monthly_period_is_a_month(text):
    period = parse_period("monthly", text)
    assert (period.text, period.start, period.end) == (
        "2026-10",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )
    assert period.label == "2026年10月"


@pytest.mark.parametrize("text", ["2026-13", "2026", "十月", "", "26-10"])
def test_an_analysis_period_that_is_not_a_month_is_refused_with_the_expected_form(text):
    with pytest.raises(ValidationError) as refused:
        parse_period("analysis", text)
    assert "应写作 2026-10" in refused.value.messages[0]


def test_a_merchant_period_is_a_year():
    period = parse_period("merchants", "2026")
    assert (period.start, period.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError, match="不是年份"):
        parse_period("merchants", "2026-10")


@pytest.mark.django_db
def test_a_training_period_is_a_phase_of_the_contract_or_a_date_range(contract):
    phase = parse_period("training", "第2阶段", contract)
    assert (phase.text, phase.start, phase.end) == (
        "phase-2",
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
    )
    assert parse_period("training", "phase-1", contract).end == datetime.date(2026, 6, 30)
    span = parse_period("training", "2026-03-01..2026-05-31", contract)
    assert (span.start, span.end, span.text) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 5, 31),
        "2026-03-01..2026-05-31",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("第3阶段", "合同没有第 3 阶段"),
        ("2026-06-01..2026-05-01", "结束日期早于开始日期"),
        ("2026-02-30..2026-05-01", "日期无效"),
        ("上半年", "第1阶段（phase-1）"),
    ],
)
def test_a_training_period_naming_nothing_is_refused(contract, text, message):
    with pytest.raises(ValidationError) as refused:
        parse_period("training", text, contract)
    assert message in refused.value.messages[0]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="未知的报告类型"):
        parse_period("weekly", "2026-10")
