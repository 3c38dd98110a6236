"""Who sees which outlets: a station manager only those sharing their station's premises (another
station's outlet is not found), read only, and not the coverage figures; the operator everything."""

from muxiang.network.tests.conftest import make_outlet


def test_a_station_manager_sees_only_outlets_sharing_their_station(login, world):
    make_outlet("T-1", world.town, world.organisation, station=world.station)
    theirs = make_outlet("V-1", world.village, world.other_organisation, station=world.other_station)
    client = login(world.manager)
    response = client.get("/network/")
    assert [record.code for record, _cells in response.context["rows"]] == ["T-1"]
    assert client.get(f"/network/{theirs.pk}/").status_code == 404
    assert client.get("/network/coverage/").status_code == 403
    assert client.get("/network/add/").status_code == 403


def test_the_api_gives_a_station_manager_their_stations_outlets_and_no_coverage(client, api_token, world):
    make_outlet("T-1", world.town, world.organisation, station=world.station)
    theirs = make_outlet("V-1", world.village, world.other_organisation, station=world.other_station)
    headers = api_token(world.manager)
    assert [o["code"] for o in client.get("/api/network/outlets/", **headers).json()["items"]] == ["T-1"]
    assert client.get(f"/api/network/outlets/{theirs.pk}", **headers).status_code == 404
    assert (
        client.post(
            "/api/network/outlets/", {"code": "X"}, content_type="application/json", **headers
        ).status_code
        == 403
    )
    assert client.get("/api/network/coverage", **headers).status_code == 403
    staff = api_token(world.staff)
    figures = client.get("/api/network/coverage?on=2026-03-15", **staff).json()
    assert [(f["key"], f["covered"]) for f in figures] == [("town", 1), ("village", 1)]
