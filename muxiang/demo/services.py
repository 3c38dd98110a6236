"""The demo data set: a realistic sample of 乌拉特中旗 (Urad Middle Banner) to show and try the platform.

``load_demo_data`` writes, once per installation:

- the county (150824) and its real six 镇 and four 苏木; under them 6–10 villages (村 under a 镇,
  嘎查 under a 苏木) each, about a third of them 出列村. **Village and gacha names are synthetic**
  (``Region.is_synthetic``), as are every person, business, phone number and ID number below;
- town stations in every town but one, and village stations in about half the villages, favouring
  出列村, so that the coverage page shows honest shortfalls rather than a wall of 100%;
- about 30 organisations of every kind, with valid unified social credit codes;
- about 300 people: the operator's team, station managers, trainees (about 10% from poor households)
  and the contacts of the organisations, with valid resident ID numbers;
- one login for each role but the operator admin (``muxiang ensureadmin`` creates that one).

The data come from a seeded random generator, so every installation gets the same sample (only the
dates depend on the day it is loaded: nothing is dated after it). The load is one transaction that
either writes everything or nothing, records an audit entry per row under the source ``demo``, and
marks ``SiteState(key="demo")`` so that every page shows the demo banner and a second load changes
nothing.
"""

import datetime
import math
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from muxiang.accounts.models import User
from muxiang.core import audit
from muxiang.core.choices import ChangeAction
from muxiang.core.ledgers import bulk_changes
from muxiang.core.models import SiteState
from muxiang.core.permissions import Role
from muxiang.core.validators import make_credit_code, make_id_number
from muxiang.demo import data
from muxiang.organisations.models import Organisation
from muxiang.people.choices import Gender, PersonKind
from muxiang.people.models import Person
from muxiang.regions.choices import RegionLevel
from muxiang.regions.models import Region
from muxiang.stations.choices import StationLevel, StationService, StationStatus
from muxiang.stations.models import Station

SEED = 150824
DEMO_STATE_KEY = "demo"
# The key under which muxiang.core.context_processors caches whether the banner shows.
DEMO_CACHE_KEY = "muxiang:demo_loaded"
AUDIT_MESSAGE = "加载示例数据"

TARGET_PEOPLE = 300
STAFF_COUNT = len(data.STAFF_DUTIES)
VILLAGE_STATION_SHARE = 0.5
EXITED_STATION_SHARE = 0.6
POOR_HOUSEHOLD_SHARE = 0.10
PREMIUM_TOWN_STATIONS = 3
PREMIUM_VILLAGE_STATIONS = 3

FIRST_DAY = datetime.date(2023, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)

# The GB 32100 organisation-code alphabet: no I, O, S, V or Z.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class DemoLogin:
    """A demo user; the password is known only on the run that created the user."""

    username: str
    role: str
    full_name: str
    password: str | None = None
    station: str = ""


@dataclass
class DemoSummary:
    """What a call of ``load_demo_data`` did: ``loaded`` is False when the data set was already
    there and nothing was written."""

    loaded: bool
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)


class DemoConflict(Exception):
    """The installation already holds records the demo data set would clash with."""


# (username, role) of the demo logins, in the order they are printed.
DEMO_USERS = (
    ("demo-staff", Role.OPERATOR_STAFF),
    ("demo-manager", Role.STATION_MANAGER),
    ("demo-client", Role.CLIENT_SUPERVISOR),
    ("demo-auditor", Role.AUDITOR),
)


def load_demo_data(today: datetime.date | None = None) -> DemoSummary:
    """Load the demo data set unless it is already loaded; ``today`` caps every date in it."""
    today = today or timezone.localdate()
    with transaction.atomic(), audit.change_context(source="demo"):
        # The row lock makes a second, concurrent load wait for the first and then find it done.
        state, _created = SiteState.objects.select_for_update().get_or_create(
            key=DEMO_STATE_KEY, defaults={"value": {"loaded": False}}
        )
        if state.value.get("loaded"):
            return DemoSummary(loaded=False, counts=state.value.get("counts", {}), logins=_existing_logins())
        _refuse_clashes()
        build = _DemoBuild(random.Random(SEED), today)
        build.run()
        logins = _create_demo_users(build)
        counts = build.counts() | {"users": sum(1 for login in logins if login.password)}
        state.value = {
            "loaded": True,
            "loaded_at": timezone.now().isoformat(),
            "as_of": today.isoformat(),
            "seed": SEED,
            "counts": counts,
        }
        state.save(update_fields=["value"])
    # After the commit, so that no page can cache "not loaded" between the delete and the commit.
    cache.delete(DEMO_CACHE_KEY)
    return DemoSummary(loaded=True, counts=counts, logins=logins)


def _refuse_clashes() -> None:
    if Region.all_objects.filter(path=data.COUNTY_NAME).exists():
        raise DemoConflict(
            f"已存在行政区划「{data.COUNTY_NAME}」，示例数据只能加载到空白的安装中。"
            f" (The region {data.COUNTY_NAME} already exists; load the demo into an empty installation.)"
        )
    demo_codes = Q()
    for town in data.TOWNS:
        demo_codes |= Q(code__startswith=f"{town.initials}-")
    taken = list(Station.all_objects.filter(demo_codes).order_by("code").values_list("code", flat=True)[:5])
    if taken:
        raise DemoConflict(
            f"站点编号 {'、'.join(taken)} 已被使用，示例数据只能加载到空白的安装中。"
            " (Station codes of the demo are taken; load the demo into an empty installation.)"
        )


def _existing_logins() -> list[DemoLogin]:
    users = {u.username: u for u in User.objects.filter(username__in=[name for name, _ in DEMO_USERS])}
    return [
        DemoLogin(
            username=name,
            role=str(Role(role).label),
            full_name=users[name].full_name,
            station=users[name].station.code if users[name].station_id else "",
        )
        for name, role in DEMO_USERS
        if name in users
    ]


def _create_demo_users(build: "_DemoBuild") -> list[DemoLogin]:
    """One login per role but the operator admin; a username already taken is left alone."""
    station = next(s for s in build.stations if s.code == data.MANAGER_LOGIN_STATION)
    staff = build.staff[0]
    profiles = {
        "demo-staff": {"full_name": staff.name, "phone": staff.mobile},
        "demo-manager": {
            "full_name": station.manager.name,
            "phone": station.manager.mobile,
            "station": station,
        },
        "demo-client": {"full_name": data.CLIENT_SUPERVISOR_NAME},
        "demo-auditor": {"full_name": data.AUDITOR_NAME},
    }
    existing = set(User.objects.filter(username__in=profiles).values_list("username", flat=True))
    logins = []
    for username, role in DEMO_USERS:
        profile = profiles[username]
        password = None
        if username not in existing:
            # Passwords come from the system's secure generator, never from the seeded one.
            password = secrets.token_urlsafe(12)
            User.objects.create_user(username=username, password=password, role=role, **profile)
        logins.append(
            DemoLogin(
                username=username,
                role=str(Role(role).label),
                full_name=profile["full_name"],
                password=password,
                station=profile["station"].code if "station" in profile else "",
            )
        )
    return logins


class _DemoBuild:
    """Draws the sample from the seeded generator and writes it in bulk, level by level.

    The order of the draws is part of the data set: drawing in a different order gives a different
    (equally valid) sample, so keep new draws at the end of a step."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.town_seeds = {seed.name: seed for seed in data.TOWNS}
        self.county: Region | None = None
        self.towns: list[Region] = []
        self.villages: list[Region] = []
        self.stations: list[Station] = []
        self.organisations: list[Organisation] = []
        self.staff: list[Person] = []
        self.people: list[Person] = []
        self.points: dict[str, tuple[float, float]] = {}  # region path -> (latitude, longitude)
        self._mobiles: set[str] = set()
        self._id_numbers: set[str] = set()
        self._credit_codes: set[str] = set()

    def run(self) -> None:
        self.create_regions()
        self.create_stations()
        self.create_organisations_and_people()
        self.record_audit_trail()

    def counts(self) -> dict[str, int]:
        return {
            "counties": 1,
            "towns": len(self.towns),
            "villages": len(self.villages),
            "exited_poverty_villages": sum(v.exited_poverty for v in self.villages),
            "stations": len(self.stations),
            "organisations": len(self.organisations),
            "people": len(self.people),
        }

    # --- regions ---------------------------------------------------------------------------------

    def create_regions(self) -> None:
        rng = self.rng
        # bulk_create skips Region.save(), which computes the path: set it here, parent first.
        self.county = Region(
            name=data.COUNTY_NAME, level=RegionLevel.COUNTY, code=data.COUNTY_CODE, path=data.COUNTY_NAME
        )
        Region.objects.bulk_create([self.county])
        self.towns = [
            Region(
                name=seed.name,
                level=RegionLevel.TOWN,
                parent=self.county,
                path=f"{data.COUNTY_NAME}/{seed.name}",
            )
            for seed in data.TOWNS
        ]
        Region.objects.bulk_create(self.towns)
        farm_names = rng.sample(data.VILLAGE_NAMES, len(data.VILLAGE_NAMES))
        gacha_names = rng.sample(data.GACHA_NAMES, len(data.GACHA_NAMES))
        for town in self.towns:
            seed = self.town_seeds[town.name]
            self.points[town.path] = (seed.latitude, seed.longitude)
            pool = gacha_names if seed.village_suffix == "嘎查" else farm_names
            for _ in range(rng.randint(6, 10)):
                name = pool.pop() + seed.village_suffix
                village = Region(
                    name=name,
                    level=RegionLevel.VILLAGE,
                    parent=town,
                    path=f"{town.path}/{name}",
                    exited_poverty=rng.random() < 1 / 3,
                    is_synthetic=True,
                )
                self.points[village.path] = self._scatter(seed.latitude, seed.longitude, 0.12, 0.18)
                self.villages.append(village)
        Region.objects.bulk_create(self.villages)

    def _scatter(self, latitude: float, longitude: float, dlat: float, dlon: float) -> tuple[float, float]:
        lat = min(
            max(latitude + self.rng.uniform(-dlat, dlat), data.LATITUDE_RANGE[0]), data.LATITUDE_RANGE[1]
        )
        lon = min(
            max(longitude + self.rng.uniform(-dlon, dlon), data.LONGITUDE_RANGE[0]), data.LONGITUDE_RANGE[1]
        )
        return lat, lon

    # --- stations --------------------------------------------------------------------------------

    def create_stations(self) -> None:
        rng = self.rng
        for town in self.towns:
            if town.name == data.TOWN_WITHOUT_STATION:
                continue
            seed = self.town_seeds[town.name]
            lat, lon = self._scatter(seed.latitude, seed.longitude, 0.01, 0.01)
            services = [
                StationService.PROXY_BUYING,
                StationService.PROXY_SELLING,
                StationService.PARCELS,
                StationService.TRAINING,
                *rng.sample(
                    [
                        StationService.PAYMENTS,
                        StationService.TOP_UPS,
                        StationService.CASH,
                        StationService.LIVE_STREAMING,
                        StationService.TRADE_OUTLET,
                    ],
                    rng.randint(2, 4),
                ),
            ]
            self.stations.append(
                Station(
                    code=f"{seed.initials}-001",
                    name=f"{town.name}电商服务站",
                    level=StationLevel.TOWN,
                    region=town,
                    address=f"{data.COUNTY_NAME}{town.name}人民政府便民服务中心一楼",
                    latitude=_coordinate(lat),
                    longitude=_coordinate(lon),
                    status=StationStatus.ACTIVE,
                    opened_on=self._day_between(datetime.date(2023, 3, 1), datetime.date(2024, 6, 30)),
                    services=_in_choice_order(services),
                )
            )

        # About half the villages get a station; 出列村 first, since the contract counts them apart.
        exited = [v for v in self.villages if v.exited_poverty]
        others = [v for v in self.villages if not v.exited_poverty]
        wanted = round(len(self.villages) * VILLAGE_STATION_SHARE)
        from_exited = min(len(exited), math.ceil(len(exited) * EXITED_STATION_SHARE))
        served = rng.sample(exited, from_exited) + rng.sample(others, max(0, wanted - from_exited))
        served.sort(key=lambda v: v.path)
        village_stations = []
        numbers: dict[str, int] = {}
        for village in served:
            seed = self.town_seeds[village.parent.name]
            numbers[seed.initials] = numbers.get(seed.initials, 100) + 1
            lat, lon = self.points[village.path]
            services = [StationService.PROXY_BUYING, StationService.PARCELS]
            services += [
                s
                for s, chance in (
                    (StationService.PROXY_SELLING, 0.8),
                    (StationService.PAYMENTS, 0.5),
                    (StationService.TOP_UPS, 0.5),
                    (StationService.CASH, 0.3),
                    (StationService.LIVE_STREAMING, 0.15),
                )
                if rng.random() < chance
            ]
            village_stations.append(
                Station(
                    code=f"{seed.initials}-{numbers[seed.initials]:03d}",
                    name=f"{village.name}电商服务站",
                    level=StationLevel.VILLAGE,
                    region=village,
                    address=f"{village.parent.name}{village.name}党群服务中心",
                    latitude=_coordinate(lat),
                    longitude=_coordinate(lon),
                    status=StationStatus.ACTIVE,
                    opened_on=self._day_between(datetime.date(2023, 6, 1), LAST_DAY),
                    services=_in_choice_order(services),
                )
            )
        # A few stations are not serving: being set up, paused, or closed for good.
        odd = rng.sample(village_stations, 6)
        for station in odd[:3]:
            station.status = StationStatus.PLANNED
            station.opened_on = None
        for station in odd[3:5]:
            station.status = StationStatus.SUSPENDED
            station.opened_on = self._day_between(datetime.date(2023, 6, 1), datetime.date(2025, 6, 30))
        closed = odd[5]
        closed.status = StationStatus.CLOSED
        closed.opened_on = self._day_between(datetime.date(2023, 5, 1), datetime.date(2023, 12, 31))
        closed.closed_on = self._day_between(closed.opened_on + datetime.timedelta(days=180), LAST_DAY)
        self.stations.extend(village_stations)

        town_stations = [s for s in self.stations if s.level == StationLevel.TOWN]
        serving = [s for s in village_stations if s.status == StationStatus.ACTIVE]
        # The manager login's station is always premium: it is the one the demo user sees.
        premium = [next(s for s in town_stations if s.code == data.MANAGER_LOGIN_STATION)]
        premium += rng.sample(
            [s for s in town_stations if s not in premium], PREMIUM_TOWN_STATIONS - len(premium)
        )
        premium += rng.sample(serving, PREMIUM_VILLAGE_STATIONS)
        for station in premium:
            station.is_premium = True
        Station.objects.bulk_create(self.stations)

    def _day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A day in [first, last], never after today (the demo must not report the future)."""
        first = max(first, FIRST_DAY)
        last = min(last, LAST_DAY, self.today)
        if last <= first:
            return last
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # --- organisations and people ----------------------------------------------------------------

    def create_organisations_and_people(self) -> None:
        rng = self.rng
        towns = {town.name: town for town in self.towns}
        town_station = {s.region_id: s for s in self.stations if s.level == StationLevel.TOWN}
        village_station = {
            s.region_id: s
            for s in self.stations
            if s.level == StationLevel.VILLAGE and s.status in (StationStatus.ACTIVE, StationStatus.SUSPENDED)
        }
        villages_of: dict[int, list[Region]] = {}
        for village in self.villages:
            villages_of.setdefault(village.parent_id, []).append(village)

        def station_for(region: Region) -> Station | None:
            """Where a person or business of ``region`` is served: its village station, else the town's."""
            if region.level == RegionLevel.VILLAGE:
                return village_station.get(region.pk) or town_station.get(region.parent_id)
            return town_station.get(region.pk)

        # The operator's team sits in the service centre at the banner seat.
        seat = towns["海流图镇"]
        for duty in data.STAFF_DUTIES:
            self.staff.append(
                self._person(seat, [PersonKind.OPERATOR_STAFF], 1975, 2001, station=None, notes=duty)
            )

        managers = []
        for station in self.stations:
            kinds = [PersonKind.STATION_MANAGER]
            if rng.random() < 1 / 3:
                kinds.append(PersonKind.TRAINEE)
            manager = self._person(station.region, kinds, 1966, 1998, station=station)
            station.manager = manager
            station.phone = manager.mobile
            managers.append(manager)

        contacts = []
        names_taken: set[str] = set()
        for seed in data.ORGANISATIONS:
            town = towns[seed.town]
            region = rng.choice(villages_of[town.pk]) if seed.in_village else town
            station = station_for(region) if seed.kind in data.STATION_LINKED_KINDS else None
            contact = self._person(region, [PersonKind.CONTACT], 1965, 1995, station=station, id_number=False)
            name = seed.name.format(owner=contact.name)
            while name in names_taken:
                contact.name = self._name(contact.gender == Gender.MALE, region)
                name = seed.name.format(owner=contact.name)
            names_taken.add(name)
            organisation = Organisation(
                name=name,
                kind=seed.kind,
                credit_code=self._credit_code(seed.credit_prefix),
                region=region,
                station=station,
                contact_name=contact.name,
                contact_phone=contact.mobile,
                address=f"{data.COUNTY_NAME}{town.name}" + (region.name if region != town else ""),
                main_products=seed.main_products,
            )
            contact.organisation = organisation
            self.organisations.append(organisation)
            contacts.append(contact)
        Organisation.objects.bulk_create(self.organisations)

        trainees = []
        for _ in range(TARGET_PEOPLE - len(self.staff) - len(managers) - len(contacts)):
            village = rng.choice(self.villages)
            region = village if rng.random() < 0.75 else village.parent
            trainees.append(
                self._person(region, [PersonKind.TRAINEE], 1960, 2005, station=station_for(region))
            )

        poor = round(TARGET_PEOPLE * POOR_HOUSEHOLD_SHARE)
        for person in rng.sample(trainees, poor - 3) + rng.sample(
            [m for m in managers if m.region.level == RegionLevel.VILLAGE], 3
        ):
            person.poor_household = True

        self.people = self.staff + managers + contacts + trainees
        Person.objects.bulk_create(self.people)
        Station.objects.bulk_update(self.stations, ["manager", "phone"])

    def _person(
        self,
        region: Region,
        kinds: list[str],
        born_from: int,
        born_to: int,
        *,
        station: Station | None,
        notes: str = "",
        id_number: bool = True,
    ) -> Person:
        rng = self.rng
        male = rng.random() < 0.55
        birth = datetime.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        number = None
        if id_number:
            # The 17th digit carries the sex: odd for men, even for women (GB 11643).
            number = make_id_number(data.COUNTY_CODE, birth, rng.randrange(500) * 2 + male)
            while number in self._id_numbers:
                number = make_id_number(data.COUNTY_CODE, birth, rng.randrange(500) * 2 + male)
            self._id_numbers.add(number)
        # Person.save() derives birth date and sex from the ID number; bulk_create skips it.
        return Person(
            name=self._name(male, region),
            id_number=number,
            gender=Gender.MALE if male else Gender.FEMALE,
            birth_date=birth if number else None,
            mobile=self._mobile(),
            kinds=_in_kind_order(kinds),
            region=region,
            station=station,
            notes=notes,
        )

    def _name(self, male: bool, region: Region) -> str:
        rng = self.rng
        town_name = region.parent.name if region.level == RegionLevel.VILLAGE else region.name
        seed = self.town_seeds[town_name]
        mongolian_share = 0.7 if town_name.endswith("苏木") else 0.4 if seed.pastoral else 0.15
        if rng.random() < mongolian_share:
            return rng.choice(data.MONGOLIAN_MALE if male else data.MONGOLIAN_FEMALE)
        return rng.choice(data.HAN_SURNAMES) + rng.choice(
            data.HAN_MALE_GIVEN if male else data.HAN_FEMALE_GIVEN
        )

    def _mobile(self) -> str:
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10000):04d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def _credit_code(self, prefix: str) -> str:
        """A GB 32100 code registered in the banner: prefix, 150824, the body, the check character.
        Market registrations (9x) since 2015 have bodies starting "MA"; a public body keeps the digits
        of its old organisation code."""
        while True:
            if prefix.startswith("9"):
                body = "MA" + "".join(self.rng.choice(CREDIT_CODE_CHARS) for _ in range(7))
            else:
                body = "".join(self.rng.choice("0123456789") for _ in range(9))
            code = make_credit_code(f"{prefix}{data.COUNTY_CODE}{body}")
            if code not in self._credit_codes:
                self._credit_codes.add(code)
                return code

    # --- audit trail -----------------------------------------------------------------------------

    def record_audit_trail(self) -> None:
        """One "create" entry per row, taken after the last write so that it shows the final values."""
        changes = []
        for rows in (
            [self.county, *self.towns, *self.villages],
            self.stations,
            self.organisations,
            self.people,
        ):
            changes += bulk_changes(rows, ChangeAction.CREATE, AUDIT_MESSAGE)
        audit.record_changes(changes)


def _coordinate(value: float) -> Decimal:
    # Six places, as the model's DecimalField stores them (about 10 cm).
    return Decimal(f"{value:.6f}")


def _in_choice_order(services: list[str]) -> list[str]:
    return [value for value in StationService.values if value in services]


def _in_kind_order(kinds: list[str]) -> list[str]:
    return [value for value in PersonKind.values if value in kinds]


SHIPPED_CONTRACT = (
    Path(__file__).resolve().parents[1] / "contracts" / "data" / "urad-middle-banner-package-1.toml"
)


def load_demo_contract(today: datetime.date | None = None):
    """The shipped Urad Middle Banner contract, its phases placed so that today falls three months
    into phase 2 (the contract's signing date is blank, so the dates are the demo's choice).
    Loaded once: an installation that already holds it keeps its dates."""
    from muxiang.contracts.loader import add_months
    from muxiang.contracts.models import Contract
    from muxiang.contracts.services import load_contract

    existing = Contract.objects.filter(key="urad-middle-banner-package-1").first()
    if existing is not None:
        return existing, False
    today = today or timezone.localdate()
    start = add_months(today.replace(day=1), -15)
    with audit.change_context(source="demo"):
        contract = load_contract(SHIPPED_CONTRACT.read_text(encoding="utf-8"), start=start)
    _spread_team_over_phase_1(contract)
    _attach_demo_evidence()
    from muxiang.demo.activity import load_demo_activity

    load_demo_activity(contract, today)
    return contract, True


def demo_png(width: int = 96, height: int = 64) -> bytes:
    """A small solid-colour PNG standing in for a station photo (the demo has no real photos)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes((47, 107, 58)) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def attach_demo_file(
    records, name: str, data: bytes, mime: str, extension: str, description: str, kind: str = ""
) -> None:
    """The same stand-in file as evidence on each of ``records`` (one stored copy per record, as an
    upload would give), of ``kind`` (inferred from the type when not given)."""
    import hashlib

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from muxiang.core.models import Evidence
    from muxiang.core.services import infer_evidence_kind

    digest = hashlib.sha256(data).hexdigest()
    for record in records:
        evidence = Evidence(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            original_name=name,
            description=description,
            sha256=digest,
            size=len(data),
            mime_type=mime,
            extension=extension,
            kind=kind or infer_evidence_kind(mime),
        )
        evidence.file.save(f"{digest}{extension}", ContentFile(data), save=False)
        evidence.save()


def _attach_demo_evidence() -> None:
    """Evidence for the demo's figures: a photo for most active stations (a few are left without,
    so the target pages show "missing evidence") and a contract document for the operator's team."""
    from muxiang.people.models import Person

    stations = list(Station.objects.filter(status="active").order_by("code"))
    # Every ninth station lacks its photo (the target pages show "missing evidence"), but never a
    # premium one: the demo's premium stations meet their target.
    photographed = [s for index, s in enumerate(stations) if index % 9 != 4 or s.is_premium]
    with audit.change_context(source="demo"):
        attach_demo_file(
            photographed, "站点门头照片.png", demo_png(), "image/png", ".png", "示例照片（演示数据）", "photo"
        )
        # The premium-station target also asks for a document: the premium designation.
        premium = [s for s in photographed if s.is_premium]
        attach_demo_file(
            premium,
            "精品站点认定文件.pdf",
            DEMO_PDF,
            "application/pdf",
            ".pdf",
            "示例文件（演示数据）",
            "document",
        )
        team = Person.objects.filter(kinds__icontains='"operator_staff"')
        attach_demo_file(
            team, "劳动合同.pdf", DEMO_PDF, "application/pdf", ".pdf", "示例文件（演示数据）", "document"
        )


def _spread_team_over_phase_1(contract) -> None:
    """The operator's team was registered during phase 1, not on the day the demo was loaded, so
    that the dashboard's phase-1 figure for the team is what the demo's story says."""
    import datetime as _dt

    from muxiang.people.models import Person

    first = contract.phases.get(number=1)
    staff = Person.objects.filter(kinds__icontains='"operator_staff"').order_by("pk")
    for index, pk in enumerate(staff.values_list("pk", flat=True)):
        day = first.start + _dt.timedelta(days=3 * index)
        moment = timezone.make_aware(_dt.datetime.combine(day, _dt.time(10, 0)))
        Person.objects.filter(pk=pk).update(created_at=moment)
