"""Named personas shared by every test, each with a meaning for permissions.

- 王敏 (``operator_admin``): the operator's admin; may purge.
- 李强 (``staff``): operator staff; reads and writes everything, cannot purge.
- 巴特尔 (``manager``): manages 海流图镇电商服务站 (``station``); sees only that station.
- 其其格 (``other_manager``): manages 巴音村电商服务站 (``other_station``); must see nothing of the first.
- 赵监 (``client``): the client's supervisor; reads everything, changes nothing.
- 孙审 (``auditor``): read-only.
"""

import datetime
import os
from pathlib import Path

import pytest

from muxiang.core.permissions import Role
from muxiang.core.validators import make_credit_code, make_id_number

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that the test knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The Redis cache (REDIS_URL) is shared by the xdist workers and by earlier runs: each worker of
# each run gets its own key prefix, so one test's cached flag never leaks into another's.
_CACHE_PREFIX = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}-{os.urandom(4).hex()}"


@pytest.fixture(scope="session", autouse=True)
def _jobs_run_in_process():
    """Background jobs run at once, in the test's process, from an in-memory queue: a job queued
    when its transaction commits has finished when the request returns."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": _CACHE_PREFIX}}
    from django.core.cache import cache

    cache.delete("muxiang:demo_loaded")  # every test decides for itself whether the demo is loaded
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real password hashing costs ~0.3 s per persona; the tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db):
    from muxiang.regions.models import Region

    return Region.objects.create(name="乌拉特中旗", level="county", code="150824")


@pytest.fixture
def town(county):
    from muxiang.regions.models import Region

    return Region.objects.create(name="海流图镇", level="town", parent=county)


@pytest.fixture
def other_town(county):
    from muxiang.regions.models import Region

    return Region.objects.create(name="乌加河镇", level="town", parent=county)


@pytest.fixture
def village(other_town):
    from muxiang.regions.models import Region

    return Region.objects.create(name="巴音村", level="village", parent=other_town, exited_poverty=True)


@pytest.fixture
def station(town):
    from muxiang.stations.models import Station

    return Station.objects.create(
        code="HLT-001",
        name="海流图镇电商服务站",
        level="town",
        region=town,
        status="active",
        opened_on=datetime.date(2024, 3, 1),
        phone="13947800001",
        services=["proxy_buying", "parcels"],
    )


@pytest.fixture
def other_station(village):
    from muxiang.stations.models import Station

    return Station.objects.create(
        code="WJH-101",
        name="巴音村电商服务站",
        level="village",
        region=village,
        status="active",
        opened_on=datetime.date(2024, 4, 1),
        phone="13947800002",
    )


@pytest.fixture
def person(station, town):
    from muxiang.people.models import Person

    return Person.objects.create(
        name="乌云",
        id_number=make_id_number("150824", datetime.date(1988, 5, 12), 21),
        mobile="13847800011",
        kinds=["trainee"],
        poor_household=True,
        region=town,
        station=station,
    )


@pytest.fixture
def other_person(other_station, village):
    from muxiang.people.models import Person

    return Person.objects.create(
        name="格日勒",
        id_number=make_id_number("150824", datetime.date(1979, 11, 3), 32),
        mobile="13847800022",
        kinds=["trainee"],
        region=village,
        station=other_station,
    )


@pytest.fixture
def organisation(station, town):
    from muxiang.organisations.models import Organisation

    return Organisation.objects.create(
        name="海流图牧歌合作社",
        kind="cooperative",
        credit_code=make_credit_code("93150824MA0N00001"),
        region=town,
        station=station,
    )


@pytest.fixture
def other_organisation(other_station, village):
    from muxiang.organisations.models import Organisation

    return Organisation.objects.create(
        name="巴音家庭牧场",
        kind="family_farm",
        credit_code=make_credit_code("92150824MA0N00002"),
        region=village,
        station=other_station,
    )


def _user(username, role, **extra):
    from muxiang.accounts.models import User

    return User.objects.create_user(username=username, password="pw-" + username, role=role, **extra)


@pytest.fixture
def operator_admin(db):
    return _user("wangmin", Role.OPERATOR_ADMIN, full_name="王敏")


@pytest.fixture
def staff(db):
    return _user("liqiang", Role.OPERATOR_STAFF, full_name="李强")


@pytest.fixture
def manager(station):
    return _user("bateer", Role.STATION_MANAGER, full_name="巴特尔", station=station)


@pytest.fixture
def other_manager(other_station):
    return _user("qiqige", Role.STATION_MANAGER, full_name="其其格", station=other_station)


@pytest.fixture
def client_supervisor(db):
    return _user("zhaojian", Role.CLIENT_SUPERVISOR, full_name="赵监")


@pytest.fixture
def auditor(db):
    return _user("sunshen", Role.AUDITOR, full_name="孙审")


@pytest.fixture
def login(client):
    """``login(user)`` returns the test client signed in as that persona."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_token():
    """``api_token(user)`` returns headers carrying a fresh API token of that persona."""
    from muxiang.accounts.services import issue_api_token

    def _token(user):
        _t, raw = issue_api_token(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _token


@pytest.fixture
def world(
    operator_admin,
    staff,
    manager,
    other_manager,
    client_supervisor,
    auditor,
    county,
    town,
    other_town,
    village,
    station,
    other_station,
    person,
    other_person,
    organisation,
    other_organisation,
):
    """Every persona and both stations with their records: 巴特尔's station and 其其格's."""
    from types import SimpleNamespace

    return SimpleNamespace(**{k: v for k, v in locals().items()})


# --- the browser (tests marked ``browser``: Debian's Chromium driven by Playwright) -----------------
# Chromium starts once per test module (per xdist worker) and each test gets a fresh context, so no
# cookie or storage leaks from one persona to the next. A browser test module sets
# ``pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), …)]``.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# A live server on a loaded CI machine (two xdist workers, two Chromiums) can be slow on first hit.
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """``new_page(width=…, height=…)`` opens a page in a fresh context pointed at the live server."""
    contexts = []

    def _new_page(width=1280, height=800):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def sign_in(page, username):
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("main").get_by_role("button", name="登录").click()
    # Only a signed-in page has the 退出 button; a refused login stays on the form without it.
    expect(page.get_by_role("button", name="退出")).to_be_visible()
