import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from muxiang.accounts.models import User
from muxiang.core.models import ObjectChange, SiteState
from muxiang.core.permissions import Role
from muxiang.core.validators import (
    birth_date_from_id,
    credit_code_problem,
    gender_from_id,
    id_number_problem,
    mobile_problem,
)
from muxiang.demo import data
from muxiang.demo.services import DEMO_CACHE_KEY, DemoConflict, load_demo_data
from muxiang.organisations.choices import OrganisationKind
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.choices import StationService, StationStatus
from muxiang.stations.models import Station
from muxiang.stations.services import compute_coverage

TODAY = datetime.date(2026, 6, 15)
BANNER = "示例数据："
TOWNS = {
    "海流图镇", "乌加河镇", "德岭山镇", "石哈河镇", "甘其毛都镇",
    "温更镇", "川井苏木", "新忽热苏木", "呼鲁斯太苏木", "巴音乌兰苏木",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Four demo users per load: the production hasher would make every test spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _forget_the_banner():
    # The banner flag is cached in the process: a loaded demo must not leak into the next test's pages.
    cache.delete(DEMO_CACHE_KEY)
    yield
    cache.delete(DEMO_CACHE_KEY)


@pytest.fixture
def demo(db):
    return load_demo_data(TODAY)


def _row_counts() -> dict[str, int]:
    return {
        "regions": Region.all_objects.count(),
        "stations": Station.all_objects.count(),
        "organisations": Organisation.all_objects.count(),
        "people": Person.all_objects.count(),
        "users": User.objects.count(),
        "changes": ObjectChange.objects.count(),
        "states": SiteState.objects.count(),
    }


def _fingerprint() -> list:
    """Everything that makes the sample what it is, in a stable order."""
    return [
        list(Region.objects.values_list("path", "exited_poverty").order_by("path")),
        list(
            Station.objects.values_list(
                "code", "region__path", "status", "opened_on", "latitude", "services", "is_premium"
            ).order_by("code")
        ),
        list(Organisation.objects.values_list("name", "credit_code", "station__code").order_by("name")),
        list(
            Person.objects.values_list("name", "id_number", "mobile", "kinds", "poor_household").order_by(
                "mobile"
            )
        ),
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    # given
    before = _row_counts()
    # when
    again = load_demo_data(TODAY)
    # then
    assert demo.loaded and not again.loaded
    assert _row_counts() == before
    assert again.counts == demo.counts
    assert [login.username for login in again.logins] == [login.username for login in demo.logins]
    assert all(login.password is None for login in again.logins)


def test_demo_is_the_same_sample_every_time_it_is_loaded(db):
    with transaction.atomic():
        load_demo_data(TODAY)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Region.all_objects.exists()
    load_demo_data(TODAY)
    assert _fingerprint() == first


def test_demo_has_every_town_of_the_banner(demo):
    county = Region.objects.get(level="county")
    assert (county.name, county.code, county.path) == ("乌拉特中旗", "150824", "乌拉特中旗")
    towns = Region.objects.filter(level="town")
    assert {t.name for t in towns} == TOWNS
    villages = Region.objects.filter(level="village").select_related("parent")
    for town in towns:
        assert town.parent_id == county.pk and town.path == f"乌拉特中旗/{town.name}"
        assert 6 <= sum(v.parent_id == town.pk for v in villages) <= 10
    for village in villages:
        assert village.is_synthetic
        assert village.code is None, "village division codes must not be invented"
        assert village.path == f"乌拉特中旗/{village.parent.name}/{village.name}"
        assert village.name.endswith("嘎查" if village.parent.name.endswith("苏木") else "村")
    exited_share = sum(v.exited_poverty for v in villages) / len(villages)
    assert 0.25 <= exited_share <= 0.42


def test_demo_stations_serve_regions_of_their_level(demo):
    stations = list(Station.objects.select_related("region", "region__parent", "manager"))
    for station in stations:
        assert station.region.level == station.level
        town = station.region if station.level == "town" else station.region.parent
        initials = next(seed.initials for seed in data.TOWNS if seed.name == town.name)
        assert re.fullmatch(rf"{initials}-\d{{3}}", station.code)
        assert station.manager.station_id == station.pk
        assert station.phone == station.manager.mobile
        assert set(station.services) <= set(StationService.values) and station.services
        assert Decimal("41.2") <= station.latitude <= Decimal("42.3")
        assert Decimal("107.5") <= station.longitude <= Decimal("109.5")
    town_stations = [s for s in stations if s.level == "town"]
    village_stations = [s for s in stations if s.level == "village"]
    assert len(town_stations) == len(TOWNS) - 1
    assert 0.45 <= len(village_stations) / Region.objects.villages().count() <= 0.55
    assert sum(s.is_premium for s in stations) == 6
    assert all(s.status == StationStatus.ACTIVE for s in stations if s.is_premium)


def test_demo_station_dates_are_never_in_the_future(db):
    # given: a load on a day in the middle of the programme
    day = datetime.date(2024, 5, 1)
    # when
    load_demo_data(day)
    # then
    for station in Station.objects.all():
        if station.status == StationStatus.PLANNED:
            assert station.opened_on is None
            continue
        assert datetime.date(2023, 1, 1) <= station.opened_on <= day
        if station.status == StationStatus.CLOSED:
            assert station.opened_on <= station.closed_on <= day
        else:
            assert station.closed_on is None


def test_demo_stations_are_mostly_active_with_a_few_not_serving(demo):
    statuses = list(Station.objects.values_list("status", flat=True))
    assert statuses.count(StationStatus.PLANNED) >= 2
    assert statuses.count(StationStatus.SUSPENDED) >= 1
    assert statuses.count(StationStatus.CLOSED) == 1
    assert statuses.count(StationStatus.ACTIVE) / len(statuses) > 0.8
    years = {
        d.year for d in Station.objects.filter(opened_on__isnull=False).values_list("opened_on", flat=True)
    }
    assert {2023, 2024, 2025, 2026} <= years


def test_demo_coverage_falls_short_in_one_town_and_meets_the_exited_village_target(demo):
    figures = {f.key: f for f in compute_coverage(Region.objects.get(level="county"), on=TODAY)}
    assert (figures["town"].covered, figures["town"].total) == (9, 10)
    assert figures["exited_poverty"].percent >= 20
    assert 30 <= figures["village"].percent <= 55


def test_demo_identifiers_pass_their_check_digits(demo):
    people = list(Person.objects.all())
    for person in people:
        if person.id_number:
            assert id_number_problem(person.id_number) is None, person.id_number
            assert person.id_number.startswith("150824")
            assert person.birth_date == birth_date_from_id(person.id_number)
            assert person.gender == gender_from_id(person.id_number)
            assert 1955 <= person.birth_date.year <= 2008
        assert mobile_problem(person.mobile) is None
    assert len({p.mobile for p in people}) == len(people)
    for organisation in Organisation.objects.all():
        assert credit_code_problem(organisation.credit_code) is None, organisation.credit_code
        assert organisation.credit_code[2:8] == "150824"
        assert not set(organisation.credit_code) & set("IOSVZ")
        assert mobile_problem(organisation.contact_phone) is None
    for station in Station.objects.all():
        assert mobile_problem(station.phone) is None


def test_demo_people_are_the_team_the_managers_the_trainees_and_the_contacts(demo):
    people = list(Person.objects.all())
    assert 280 <= len(people) <= 320
    staff = [p for p in people if "operator_staff" in p.kinds]
    trainees = [p for p in people if "trainee" in p.kinds]
    assert len(staff) >= 20
    assert all(p.id_number for p in trainees)
    assert 0.08 <= sum(p.poor_household for p in people) / len(people) <= 0.12
    assert all(p.region.level != "county" for p in people if p.region_id)
    assert sum("station_manager" in p.kinds for p in people) == Station.objects.count()
    mongolian = set(data.MONGOLIAN_MALE + data.MONGOLIAN_FEMALE)
    assert 0.15 <= sum(p.name in mongolian for p in people) / len(people) <= 0.6


def test_demo_organisations_cover_every_kind(demo):
    organisations = list(Organisation.objects.all())
    assert 25 <= len(organisations) <= 35
    assert {o.kind for o in organisations} == set(OrganisationKind.values)
    linked = [o for o in organisations if o.station_id]
    assert 5 <= len(linked) < len(organisations)
    for organisation in organisations:
        contact = Person.objects.get(organisation=organisation)
        assert contact.name == organisation.contact_name


def test_demo_records_pass_model_validation(demo):
    records = [
        *Region.objects.all(),
        *Station.objects.all(),
        *Organisation.objects.all(),
        *Person.objects.all()[::10],
        *User.objects.all(),
    ]
    for record in records:
        record.full_clean()


def test_demo_load_is_in_the_audit_trail(demo):
    changes = ObjectChange.objects.filter(source="demo", action="create", user_name="demo")
    rows = (
        Region.objects.count()
        + Station.objects.count()
        + Organisation.objects.count()
        + Person.objects.count()
    )
    assert changes.count() == rows
    station = Station.objects.get(code=data.MANAGER_LOGIN_STATION)
    entry = changes.get(content_type__model="station", object_id=station.pk)
    assert entry.after["manager_id"] == station.manager_id


def test_demo_has_one_login_per_role_but_the_operator_admin(demo):
    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == set(Role.values) - {Role.OPERATOR_ADMIN}
    manager = users["demo-manager"]
    assert manager.station.code == data.MANAGER_LOGIN_STATION
    assert manager.full_name == manager.station.manager.name
    passwords = [login.password for login in demo.logins]
    assert all(passwords) and len(set(passwords)) == len(passwords)
    for login in demo.logins:
        assert users[login.username].check_password(login.password)


def test_demo_command_prints_each_password_once(db, client):
    first, second = io.StringIO(), io.StringIO()
    call_command("demo", stdout=first)
    call_command("demo", stdout=second)
    passwords = dict(re.findall(r"login: (\S+)\s+密码 password: (\S+)", first.getvalue()))
    assert set(passwords) == {"demo-staff", "demo-manager", "demo-client", "demo-auditor"}
    assert "password:" not in second.getvalue()
    assert second.getvalue().count("already exists") == 4
    assert client.login(username="demo-manager", password=passwords["demo-manager"])


def test_demo_refuses_to_load_over_an_existing_banner(county):
    with pytest.raises(DemoConflict):
        load_demo_data(TODAY)
    assert not SiteState.objects.filter(key="demo").exists()
    assert Region.objects.count() == 1 and not Station.objects.exists()


def test_demo_banner_shows_while_demo_is_loaded(login, staff):
    client = login(staff)
    assert BANNER not in client.get("/").content.decode()
    load_demo_data(TODAY)
    page = client.get("/").content.decode()
    assert BANNER in page
