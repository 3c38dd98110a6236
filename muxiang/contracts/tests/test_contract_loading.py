"""Loading contracts from files: the shipped one, another county's, and broken ones."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from muxiang.contracts.loader import ContractInvalid, parse_contract
from muxiang.contracts.models import Contract
from muxiang.contracts.services import lint_contract, load_contract

DATA = Path(__file__).parent / "data"
SHIPPED = Path(__file__).parents[1] / "data" / "urad-middle-banner-package-1.toml"
SAMPLE = (DATA / "sample-county.toml").read_text(encoding="utf-8")


def problems_of(text, start=None):
    with pytest.raises(ContractInvalid) as caught:
        parse_contract(text, start)
    return caught.value.problems


@pytest.mark.django_db
def test_another_countys_contract_loads_without_code_changes():
    contract = load_contract(SAMPLE)
    assert contract.key == "sample-county-2026"
    assert [p.number for p in contract.phases.all()] == [1, 2]
    assert list(contract.targets.values_list("section", flat=True)) == ["A", "A", "B.1"]
    assert [p.amount for p in contract.payments.all()] == [600000, 400000]


@pytest.mark.django_db
def test_one_installation_holds_several_contracts():
    load_contract(SAMPLE)
    load_contract(SAMPLE.replace("sample-county-2026", "another-county"))
    assert Contract.objects.count() == 2


@pytest.mark.django_db
def test_reloading_a_contract_updates_it_in_place():
    first = load_contract(SAMPLE)
    target_id = first.targets.get(key="B-articles").pk
    again = load_contract(SAMPLE.replace("total = 25", "total = 30"))
    assert again.pk == first.pk
    target = again.targets.get(key="B-articles")
    assert target.pk == target_id and target.total == 30


def test_an_unknown_metric_is_refused_naming_the_key_and_line():
    text = SAMPLE.replace('metric = "publicity.articles"', 'metric = "publicity.tweets"')
    problems = problems_of(text)
    line = text.splitlines().index('metric = "publicity.tweets"') + 1
    assert [(p.where, p.line) for p in problems] == [("targets.B-articles", line)]
    assert "publicity.tweets" in problems[0].message


@pytest.mark.parametrize("value, words", [("-5", "负数"), ('"十"', "数字"), ("true", "数字")])
def test_a_negative_or_non_numeric_phase_target_is_refused(value, words):
    text = SAMPLE.replace("phases = { 1 = 10, 2 = 10 }", f"phases = {{ 1 = {value}, 2 = 10 }}")
    problems = problems_of(text)
    assert len(problems) == 1 and problems[0].where == "targets.B-articles" and words in problems[0].message
    assert problems[0].line == text.splitlines().index(f"phases = {{ 1 = {value}, 2 = 10 }}") + 1


def test_overlapping_phases_are_refused():
    problems = problems_of(SAMPLE.replace("start = 2026-07-01", "start = 2026-06-15"))
    assert "重叠" in problems[0].message and problems[0].where == "phases[2]"


def test_a_gap_between_phases_is_refused():
    problems = problems_of(SAMPLE.replace("start = 2026-07-01", "start = 2026-07-05"))
    assert "空档" in problems[0].message


def test_payment_shares_must_add_up_to_100():
    problems = problems_of(SAMPLE.replace("share = 40", "share = 30"))
    assert [p.where for p in problems] == ["payments"] and "90" in problems[0].message


def test_phases_given_in_months_need_a_start_date():
    text = SAMPLE.replace("start = 2026-01-01\nend = 2026-06-30", "months = 6").replace(
        "start = 2026-07-01\nend = 2026-12-31", "months = 6"
    )
    assert "--start" in problems_of(text)[0].message
    draft = parse_contract(text, datetime.date(2025, 1, 31))
    assert [(p.start, p.end) for p in draft.phases] == [
        (datetime.date(2025, 1, 31), datetime.date(2025, 7, 30)),
        (datetime.date(2025, 7, 31), datetime.date(2026, 1, 30)),
    ]


def test_a_broken_toml_file_names_its_line():
    problems = problems_of(SAMPLE.replace('unit = "篇"', 'unit = "篇'))
    assert problems[0].line is not None and "TOML" in problems[0].message


@pytest.mark.django_db
def test_contract_show_json_prints_each_target_with_its_phases_and_total(capsys):
    load_contract(SAMPLE)
    call_command("contract", "show", "--json")
    targets = json.loads(capsys.readouterr().out)
    articles = next(t for t in targets if t["key"] == "B-articles")
    assert articles == {
        "key": "B-articles",
        "section": "B.1",
        "title": "宣传文章",
        "unit": "篇",
        "phases": {"1": 10, "2": 10},
        "total": 25,
        "metric": "publicity.articles",
    }
    coverage = next(t for t in targets if t["key"] == "A-town-coverage")
    assert coverage["phases"] == {} and coverage["total"] == 100


@pytest.mark.django_db
def test_contract_load_command_refuses_a_broken_file_and_loads_nothing(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text(SAMPLE.replace("share = 40", "share = 30"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("contract", "load", str(broken))
    assert "100" in capsys.readouterr().err
    assert not Contract.objects.exists()


@pytest.mark.django_db
def test_lint_reports_phase_figures_that_do_not_add_up_to_the_total():
    contract = load_contract(SAMPLE)
    findings = {f.target: f.message for f in lint_contract(contract)}
    assert "B-articles" in findings and "20" in findings["B-articles"] and "25" in findings["B-articles"]


@pytest.mark.django_db
def test_the_shipped_contract_loads_and_its_lint_finds_the_known_discrepancies():
    contract = load_contract(SHIPPED.read_text(encoding="utf-8"), start=datetime.date(2025, 9, 1))
    assert contract.phases.count() == 3
    assert [p.amount for p in contract.payments.all()] == [3136500, 2091000, 1045500, 697000]
    findings = {f.target for f in lint_contract(contract)}
    events = contract.targets.get(section="1.1", metric="centre.events")
    assert events.total == 30 and events.key in findings
    assert contract.targets.count() >= 40


@pytest.mark.django_db
def test_a_reload_cannot_erase_a_paid_payment_milestone(staff):
    contract = load_contract(SAMPLE)
    contract.payments.filter(key="first").update(paid_on=datetime.date(2026, 1, 5))
    without_first = SAMPLE.replace('key = "first"', 'key = "first-renamed"')
    with pytest.raises(ContractInvalid) as caught:
        load_contract(without_first)
    assert "first" in str(caught.value)
    assert contract.payments.filter(key="first", paid_on__isnull=False).exists()


def test_an_unknown_evidence_kind_is_refused_naming_the_key_and_the_kinds_there_are():
    text = SAMPLE.replace("total = 25\n", 'total = 25\nevidence = ["photo", "selfie|notice"]\n')
    problems = problems_of(text)
    assert [p.where for p in problems] == ["targets.B-articles"]
    assert "selfie" in problems[0].message and "sign_in_sheet" in problems[0].message
    assert problems[0].line == text.splitlines().index('evidence = ["photo", "selfie|notice"]') + 1


def test_an_unknown_evidence_kind_of_an_obligation_is_refused():
    problems = problems_of(SAMPLE.replace('evidence = ["document"]', 'evidence = ["minutes"]'))
    assert [p.where for p in problems] == ["obligations.B-plan"] and "minutes" in problems[0].message
