"""Capture the README's screenshots from a throwaway instance with sample data.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--port 8765]

Builds a fresh SQLite instance in a temporary MUXIANG_VAR_DIR (never the developer's own var/ or
DATABASE_URL), loads the demo data set with ``muxiang demo`` when that command exists and a small
hand-made one otherwise, starts ``muxiang runserver`` and photographs the main pages in headless
Chromium: desktop pages at 1280×800, the station list also on a 390-wide phone.
"""

import argparse
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
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
USERNAME, PASSWORD = "liqiang", "readme-screenshots"
MANAGER_USERNAME = "demo-manager"  # the demo's station manager; its password is reset for the shots
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def muxiang(*args: str, env: dict, check: bool = True, capture: bool = False):
    return subprocess.run(
        [sys.executable, "-m", "muxiang", *args],
        cwd=ROOT,
        env=env,
        check=check,
        text=True,
        capture_output=capture,
    )


def has_command(name: str, env: dict) -> bool:
    listing = muxiang("help", "--commands", env=env, capture=True).stdout
    return name in {line.strip() for line in listing.splitlines()}


def seed_sample_records() -> None:
    """A few records by hand for when ``muxiang demo`` is not there yet: enough for every page to
    show a real table, coverage short of and meeting targets, and station managers with people."""
    from muxiang.core.validators import make_credit_code, make_id_number
    from muxiang.organisations.models import Organisation
    from muxiang.people.models import Person
    from muxiang.regions.models import Region
    from muxiang.stations.models import Station

    county = Region.objects.create(name="乌拉特中旗", level="county", code="150824")
    towns = {
        name: Region.objects.create(name=name, level="town", parent=county)
        for name in ["海流图镇", "乌加河镇", "德岭山镇", "石哈河镇", "巴音乌兰苏木"]
    }
    villages = {}
    for town_name, names in {
        "海流图镇": ["新华村", "团结村", "红旗嘎查"],
        "乌加河镇": ["巴音村", "联丰村", "八一村"],
        "德岭山镇": ["德岭山村", "乌兰布拉格嘎查"],
        "石哈河镇": ["石哈河村"],
    }.items():
        for i, name in enumerate(names):
            villages[name] = Region.objects.create(
                name=name, level="village", parent=towns[town_name], exited_poverty=i == 0
            )

    stations = [
        ("HLT-001", "海流图镇电商服务中心", "town", towns["海流图镇"], "active", True, "2023-05-18"),
        ("WJH-001", "乌加河镇电商服务站", "town", towns["乌加河镇"], "active", False, "2023-07-01"),
        ("DLS-001", "德岭山镇电商服务站", "town", towns["德岭山镇"], "planned", False, None),
        ("HLT-101", "新华村电商服务站", "village", villages["新华村"], "active", True, "2023-09-12"),
        ("HLT-102", "红旗嘎查牧民电商服务点", "village", villages["红旗嘎查"], "active", False, "2024-03-01"),
        ("WJH-101", "巴音村电商服务站", "village", villages["巴音村"], "active", False, "2024-04-01"),
        ("WJH-102", "联丰村电商服务站", "village", villages["联丰村"], "suspended", False, "2024-05-20"),
        ("DLS-101", "德岭山村电商服务站", "village", villages["德岭山村"], "active", False, "2024-06-15"),
    ]
    created = {}
    for n, (code, name, level, region, status, premium, opened) in enumerate(stations):
        created[code] = Station.objects.create(
            code=code,
            name=name,
            level=level,
            region=region,
            status=status,
            is_premium=premium,
            opened_on=datetime.date.fromisoformat(opened) if opened else None,
            phone=f"139478{n:05d}",
            address=f"{region.path.replace('/', '')}政府路 {n + 1} 号",
            services=["proxy_buying", "proxy_selling", "parcels", "payments"][: 2 + n % 3],
        )
    Organisation.objects.create(
        name="海流图牧歌合作社",
        kind="cooperative",
        credit_code=make_credit_code("93150824MA0N00001"),
        region=towns["海流图镇"],
        station=created["HLT-001"],
    )
    people = [
        ("乌云", "HLT-001", ["station_manager"], True),
        ("巴特尔", "HLT-001", ["trainee"], False),
        ("其其格", "WJH-101", ["station_manager", "trainee"], True),
        ("张建国", "HLT-101", ["trainee"], False),
        ("萨仁高娃", "HLT-102", ["contact"], False),
        ("王秀兰", "DLS-101", ["station_manager"], True),
        ("格日勒", "WJH-001", ["trainee"], False),
    ]
    for n, (name, code, kinds, poor) in enumerate(people):
        station = created[code]
        person = Person.objects.create(
            name=name,
            id_number=make_id_number("150824", datetime.date(1975 + 3 * n, 1 + n, 10 + n), 11 + n),
            mobile=f"138478{n:05d}",
            kinds=kinds,
            poor_household=poor,
            region=station.region,
            station=station,
        )
        if "station_manager" in kinds:
            station.manager = person
            station.save()


def prepare_instance(env: dict) -> None:
    muxiang("migrate", "--no-input", "-v", "0", env=env)
    if has_command("demo", env):
        print("loading the demo data set (muxiang demo)")
        # The demo prints its users' generated passwords; they die with the temporary instance.
        loaded = muxiang("demo", env=env, capture=True).stdout
        print(*(line for line in loaded.splitlines() if "password" not in line), sep="\n")
    else:
        print("no `muxiang demo` command yet: creating a few sample records through the ORM")
        seed_sample_records()

    from muxiang.accounts.models import User
    from muxiang.core.permissions import Role

    User.objects.filter(username=USERNAME).delete()
    User.objects.create_user(username=USERNAME, password=PASSWORD, role=Role.OPERATOR_STAFF, full_name="李强")
    manager = User.objects.filter(username=MANAGER_USERNAME).first()
    if manager is not None:
        manager.set_password(PASSWORD)
        manager.save()


def busiest_station_pk() -> int:
    from django.db.models import Count

    from muxiang.stations.models import Station

    return Station.objects.annotate(n=Count("people")).order_by("-n", "code").values_list("pk", flat=True)[0]


PICKED: dict = {}


def regional_brand_pk() -> int:
    from muxiang.brands.models import Brand

    return Brand.objects.filter(tier="regional").values_list("pk", flat=True).first()


def bound_trace_code() -> str:
    """A code bound to a batch and scanned before, so that the page shows the batch's story and the
    scan count."""
    from muxiang.trace.models import TraceCode

    return (
        TraceCode.objects.filter(state="bound")
        .order_by("-scan_count", "code")
        .values_list("code", flat=True)[0]
    )


def busiest_area_calendar() -> str:
    """The booking calendar of the week and functional area of the most recent work order."""
    from django.utils import timezone

    from muxiang.centre.models import WorkOrder

    latest = WorkOrder.objects.order_by("-starts_at").first()
    if latest is None:
        return "/centre/"
    return f"/centre/areas/{latest.area_id}/calendar/?week={timezone.localtime(latest.starts_at):%G-W%V}"


def bad_people_csv() -> bytes:
    """Five rows, four of them wrong in the ways a county clerk's spreadsheet usually is."""
    from muxiang.core.validators import make_id_number

    good = make_id_number("150824", datetime.date(1990, 2, 3), 41)
    valid = make_id_number("150824", datetime.date(1986, 7, 9), 52)
    broken_checksum = valid[:-1] + ("1" if valid.endswith("0") else "0")
    rows = [
        "姓名,身份证号,手机号,人员类别,贫困户/脱贫户,户籍/居住地,所属站点编号,备注",
        f"阿拉坦,{good},13847801234,学员,否,乌拉特中旗/海流图镇,HLT-001,",
        f"苏和,{broken_checksum},13847801235,学员,是,乌拉特中旗/海流图镇,HLT-001,",
        f"高娃,{make_id_number('150824', datetime.date(1992, 4, 5), 63)},1384780,学员,否,,HLT-001,",
        f"孟和,{make_id_number('150824', datetime.date(1979, 8, 1), 74)},13847801237,牧民,否,,XYZ-999,",
        f",{make_id_number('150824', datetime.date(2001, 12, 24), 85)},13847801238,学员,也许,,,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"runserver did not answer at {url} within {seconds:.0f}s")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def sign_in(page, username: str = USERNAME) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def capture(base_url: str, out: Path, station_pk: int, csv_bytes: bytes, calendar_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots: list[Path] = []

    def shoot(page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        path = out / f"{name}.png"
        page.screenshot(path=str(path))
        shots.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop = browser.new_context(base_url=base_url, locale="zh-CN", viewport=DESKTOP)
        page = desktop.new_page()
        sign_in(page)

        # One change through the form, so the detail page's history and the audit list show a
        # person's edit next to the system's records.
        page.goto(f"/stations/{station_pk}/edit/")
        page.fill("#id_phone", "13947809999")
        page.get_by_role("button", name="保存").click()
        page.wait_for_load_state()
        if page.locator(".error").count():
            raise SystemExit(
                "editing the station failed: " + " ".join(page.locator(".error").all_inner_texts())
            )

        for name, url in [
            ("home", "/"),
            ("stations", "/stations/"),
            ("station-detail", f"/stations/{station_pk}/"),
            ("coverage", "/stations/coverage/"),
            ("people", "/people/"),
            ("audit", "/audit/"),
            ("contract", "/contracts/urad-middle-banner-package-1/"),
            ("phase", "/contracts/urad-middle-banner-package-1/phases/1/"),
            ("target", "/contracts/urad-middle-banner-package-1/targets/1.2-premium-count/"),
            ("funds", "/funds/summary/?contract=urad-middle-banner-package-1"),
            ("centre", "/centre/"),
            ("publicity", "/publicity/articles/"),
            ("training", "/training/sessions/"),
            ("completeness", "/operations/completeness/"),
            ("premium", "/operations/premium/"),
            ("mofcom", "/mofcom/"),
            ("supply-balances", "/supply/balances/"),
            ("sales", "/sales/orders/"),
            ("census-compare", "/sales/census/compare/"),
            ("network-coverage", "/network/coverage/"),
            ("brand", f"/brands/brands/{PICKED['brand']}/"),
            ("trace-runs", "/trace/runs/"),
            ("trace-alerts", "/trace/alerts/"),
            ("jobs", "/jobs/"),
        ]:
            page.goto(url)
            shoot(page, name)

        # The booking calendar of the area and week of the latest work order.
        page.goto(calendar_url)
        shoot(page, "calendar")
        page.goto("/training/sessions/")
        page.locator("#records table a").first.click()
        page.wait_for_load_state()
        shoot(page, "training-session")

        page.goto("/people/import/")
        page.set_input_files(
            "#id_file", {"name": "人员台账.csv", "mimeType": "text/csv", "buffer": csv_bytes}
        )
        page.locator("main form").get_by_role("button", name="上传并检查").click()
        page.locator("#import-report").scroll_into_view_if_needed()
        shoot(page, "import-errors")
        desktop.close()

        phone = browser.new_context(
            base_url=base_url,
            locale="zh-CN",
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        page = phone.new_page()
        # What a consumer sees after scanning a package's trace code: no login.
        page.goto(f"/t/{PICKED['code']}")
        shoot(page, "trace-scan-phone")
        sign_in(page)
        page.goto("/stations/")
        shoot(page, "stations-phone")
        phone.close()

        # A station manager's day, on a phone: the demo manager's login has a generated password,
        # so the manager reports through a session made for the screenshot.
        manager = browser.new_context(
            base_url=base_url,
            locale="zh-CN",
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        page = manager.new_page()
        sign_in(page, MANAGER_USERNAME)
        page.goto("/operations/today/")
        shoot(page, "daily-report-phone")
        manager.close()
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is needed at {CHROMIUM}")
    if not port_is_free(options.port):
        raise SystemExit(f"port {options.port} is in use; pass --port")
    options.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="muxiang-screenshots-") as var_dir:
        # The throwaway instance must not touch the developer's database, cache or storage.
        for key in ("DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SECRET_KEY", "STATIC_ROOT", "MEDIA_ROOT"):
            os.environ.pop(key, None)
        # DEBUG lets runserver serve the static files straight from the apps, without collectstatic.
        os.environ.update(
            MUXIANG_VAR_DIR=var_dir,
            DEBUG="1",
            DJANGO_SETTINGS_MODULE="muxiang.settings",
            PYTHONUNBUFFERED="1",
        )
        env = dict(os.environ)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        prepare_instance(env)
        station_pk = busiest_station_pk()
        csv_bytes = bad_people_csv()
        calendar_url = busiest_area_calendar()
        # Read before the browser starts: the ORM refuses to run inside Playwright's event loop.
        PICKED.update(brand=regional_brand_pk(), code=bound_trace_code())
        from django.db import connections

        connections.close_all()

        log_path = Path(var_dir) / "runserver.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "muxiang", "runserver", f"127.0.0.1:{options.port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://127.0.0.1:{options.port}"
                wait_until_up(base_url + "/accounts/login/", server)
                print(f"capturing into {options.out}")
                capture(base_url, options.out, station_pk, csv_bytes, calendar_url)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        server_errors = [line for line in log_path.read_text().splitlines() if '" 5' in line]
        if server_errors:
            print("server errors while capturing:", *server_errors, sep="\n  ")


if __name__ == "__main__":
    main()
