import pytest


@pytest.mark.django_db
def test_operator_staff_creates_a_station_and_sees_it_in_the_list(login, staff, town):
    client = login(staff)
    response = client.post(
        "/stations/add/",
        {
            "code": "HLT-002",
            "name": "海流图二站",
            "level": "town",
            "region": town.pk,
            "status": "active",
            "opened_on": "2024-06-01",
            "phone": "13900000000",
            "services": ["proxy_buying"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = client.get("/stations/")
    assert "海流图二站" in listing.content.decode()


@pytest.mark.django_db
def test_station_manager_sees_only_their_own_station(login, manager, station, other_station):
    page = login(manager).get("/stations/").content.decode()
    assert station.name in page
    assert other_station.name not in page
    assert login(manager).get(f"/stations/{other_station.pk}/").status_code == 404
