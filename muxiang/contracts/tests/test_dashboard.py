from pathlib import Path

import pytest

from muxiang.contracts.services import load_contract

SAMPLE = (Path(__file__).parent / "data" / "sample-county.toml").read_text(encoding="utf-8")


@pytest.fixture
def contract(county):
    return load_contract(SAMPLE)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["operator_admin", "staff", "client_supervisor", "auditor"])
def test_the_operator_and_the_client_see_the_contract_dashboard(request, login, contract, persona):
    page = login(request.getfixturevalue(persona)).get(f"/contracts/{contract.key}/").content.decode()
    assert contract.name in page
    assert "宣传文章" in page and "暂无法计量" in page
    assert "各阶段目标之和 20" in page  # the annex/main-text discrepancy next to its target


@pytest.mark.django_db
def test_a_station_manager_does_not_see_contract_progress(login, manager, contract):
    client = login(manager)
    assert client.get("/contracts/").status_code == 403
    assert client.get(f"/contracts/{contract.key}/").status_code == 403


@pytest.mark.django_db
def test_an_unknown_contract_is_not_found(login, staff):
    assert login(staff).get("/contracts/no-such-contract/").status_code == 404


@pytest.mark.django_db
def test_the_contract_list_names_every_loaded_contract(login, client_supervisor, contract):
    page = login(client_supervisor).get("/contracts/").content.decode()
    assert contract.name in page and contract.project_number in page


@pytest.mark.django_db
def test_every_page_names_the_contract_it_shows(login, client_supervisor, contract):
    client = login(client_supervisor)
    for url in ("/", "/stations/", "/audit/"):
        assert contract.name in client.get(url).content.decode(), url


@pytest.mark.django_db
def test_with_several_contracts_the_header_follows_the_one_opened_last(login, staff, contract):
    other = load_contract(
        SAMPLE.replace("sample-county-2026", "other-county").replace(
            "示例县电子商务进农村综合示范项目", "另一县项目"
        )
    )
    client = login(staff)
    client.get(f"/contracts/{other.key}/")
    assert "另一县项目" in client.get("/stations/").content.decode()


@pytest.mark.django_db
def test_the_home_page_summarises_the_current_phase_for_the_client(login, client_supervisor, contract):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    contract.phases.filter(number=1).update(
        start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=10)
    )
    page = login(client_supervisor).get("/").content.decode()
    assert "合同目标" in page and "暂无法计量" in page


@pytest.mark.django_db
def test_the_target_page_lists_the_records_behind_the_figure(login, client_supervisor, contract, town):
    import datetime

    from muxiang.stations.models import Station

    Station.objects.create(
        code="P-9",
        name="精品示范站",
        level="town",
        region=town,
        status="active",
        opened_on=datetime.date(2026, 2, 1),
        is_premium=True,
    )
    page = login(client_supervisor).get(f"/contracts/{contract.key}/targets/A-premium/").content.decode()
    assert "精品示范站" in page


@pytest.mark.django_db
def test_a_target_whose_records_are_not_in_the_platform_says_so(login, staff, contract):
    page = login(staff).get(f"/contracts/{contract.key}/targets/B-articles/").content.decode()
    assert "暂无法列出" in page or "阶段未开始" in page


@pytest.mark.django_db
def test_an_unknown_target_is_not_found(login, staff, contract):
    assert login(staff).get(f"/contracts/{contract.key}/targets/nope/").status_code == 404
