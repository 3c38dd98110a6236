"""Bench: the contract dashboard's KPI computation over 1,000,000 records against one raw SQL pass.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/kpi.py                    # about 1,000,000 records, temporary SQLite
    .venv/bin/python bench/kpi.py --records 100000   # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/kpi.py

What it does:

1. Points MUXIANG_VAR_DIR at a fresh temporary directory (SQLite database, secret key). When
   DATABASE_URL names a PostgreSQL server, a scratch database ``bench_kpi`` is created on that server
   instead (the database named in the URL is never touched) and dropped at the end. DEBUG is off.
2. Runs ``migrate`` quietly and loads the shipped contract (urad-middle-banner-package-1.toml) with a
   start date that puts today in phase 2.
3. Generates a county's records for every metric kind the shipped contract measures, with
   ``core.bulk.insert_rows``, in two steps (the first 10% of every kind, then the other 90%). The
   shape is ``SHAPE`` scaled to ``--records``; at 1,000,000: 1 county, 20 towns, 600 villages (15%
   出列村, a few opened or closed during the contract), 1,200 stations (5% premium; opened from a year
   before the contract to half a year after today; some planned, suspended, closed or deleted),
   60,000 people, the service centre's work orders, events, incubations and their follow-ups, field
   surveys; articles, media reports, brochures, videos; training sessions with 250,000 attendance
   rows, trainee outcomes, follow-up visits, merchant censuses; one daily report per open station
   and day from half a year before the contract to yesterday (93% of the days), app check-ins,
   transaction ledgers of the premium stations, inspections, manager trainings, evaluations, the
   monthly evidence of both rates; the ministry platform's monthly and daily deliveries; the sales
   ledger; the trace system's producers, issuing runs and 60,000 codes; and the
   evidence rows of the kinds each target requires (nine records in ten carry all of them, the
   others miss one). Records are dated from a few weeks before the contract to today; 0.5% are
   soft-deleted. Each kind is one small ``add_<kind>`` function listed in ``KINDS``.
4. After each step, counts the SQL queries ``compute_progress(contract, today)`` issues
   (CaptureQueriesContext): the count must not grow with the records. After the full set, times
   (time.perf_counter, median of ``--runs`` after one warm-up):
   a. the baseline: one raw SQL aggregate statement per table (conditional aggregation: a column per
      target and window the dashboard measures; ``BASELINE``), which computes every measured figure
      of the dashboard; the dashboard's figures are checked equal to the baseline's;
   b. the dashboard: ``compute_progress(contract, today)``.
5. Prints a summary (with the time per metric and the slowest queries of one extra, instrumented
   run) and, as the last line, one JSON object with the figures. The budget is under
   ``BUDGET_SECONDS`` and under ``BUDGET_RATIO`` times the baseline; ``--check`` makes the exit status
   fail above it.

Every measurable target of the shipped contract (37 of 54) is covered by the baseline, for the
parameters the shipped contract uses; a parameter the baseline does not implement (``audiences`` of
person-times, ``kinds`` of incubations, ``areas`` of work orders) makes it stop with a message rather
than compare a different figure.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scratch import Scratch  # noqa: E402  (bench/ is the script's own directory)

BUDGET_SECONDS = 1
BUDGET_RATIO = 3
SCRATCH_DB = "bench_kpi"
CONTRACT_FILE = REPO / "muxiang" / "contracts" / "data" / "urad-middle-banner-package-1.toml"
COUNTY_NAME, COUNTY_CODE = "乌拉特中旗", "150824"
FULL = 1_000_000
DAY = datetime.timedelta(days=1)

# How many of each at 1,000,000 records; --records scales them (villages per town and the per-day
# kinds' rates are fixed). Daily reports (~360,000), app check-ins (~100,000), the premium stations'
# transactions and the evidence rows (~150,000) follow from the stations and the records.
SHAPE = {
    "towns": 20,
    "stations": 1_200,
    "people": 60_000,
    "organisations": 400,
    "work_orders": 30_000,
    "events": 900,
    "incubations": 3_000,
    "incubation_follow_ups": 4_000,
    "field_surveys": 400,
    "articles": 12_000,
    "media_coverage": 600,
    "brochures": 1_500,
    "videos": 3_000,
    "sessions": 2_500,
    "attendance": 250_000,
    "outcomes": 15_000,
    "follow_up_visits": 5_000,
    "inspections": 6_000,
    "manager_trainings": 80,
    "evaluations": 12,
    "products": 40,
    "sales": 60_000,
    "trace_enterprises": 60,
    "code_runs": 300,
    "trace_codes": 60_000,
}
VILLAGES_PER_TOWN = 30
OPERATOR_STAFF = 30
REPORTED_DAYS = 0.93  # share of a station's open days with a daily report
EVIDENCED = 0.9  # share of records that carry every kind of evidence their targets require
DELETED = 0.005  # share of soft-deleted records


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=FULL, help="records in all (default 1000000)")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit with status 1 above {BUDGET_SECONDS} s or a ratio above {BUDGET_RATIO}",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=60,
        help="interrupt a compute_progress run after this many seconds (default 60)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side (default 5)")
    parser.add_argument("--no-profile", action="store_true", help="skip the instrumented runs")
    args = parser.parse_args(argv)
    if not 10_000 <= args.records <= 10_000_000:
        parser.error("--records must be between 10,000 and 10,000,000")
    return args


# ---------------------------------------------------------------------------------------------------
# Calendar: the contract starts about 18 months before today, so today falls in phase 2.


def contract_start(today: datetime.date) -> datetime.date:
    month = today.month - 1 - 18
    return datetime.date(today.year + month // 12, month % 12 + 1, 1)


def months_from(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + 32 * DAY).replace(day=1)
    return months


# ---------------------------------------------------------------------------------------------------
# Records


class Generator:
    """The county's records, a slice of every kind at a time (``lo``..``hi``, fractions of the whole)."""

    def __init__(self, records: int, start: datetime.date, today: datetime.date):
        self.scale = records / FULL
        self.start, self.today = start, today
        self.rng = random.Random(20240315)
        self.now = datetime.datetime.now(datetime.UTC)
        self.counts: dict[str, int] = defaultdict(int)
        self.contract = None
        self.county_id: int | None = None
        self.requirements: dict[str, list[str]] = {}
        # What later kinds draw on: ids of the records generated so far.
        self.villages: list[int] = []
        self.towns: list[int] = []
        self.stations: list[dict] = []  # {"id", "opened_on", "closed_on", "status", "is_premium", ...}
        self.people: list[int] = []
        self.organisations: list[int] = []
        self.sessions: list[tuple[int, datetime.date]] = []
        self.directed: list[int] = []
        self.areas: list[int] = []

    # -- helpers ------------------------------------------------------------------------------------

    def total(self, kind: str) -> int:
        n = SHAPE[kind]
        return n if kind == "towns" and n * self.scale < 10 else max(1, round(n * self.scale))

    def part(self, kind: str, lo: float, hi: float) -> range:
        n = self.total(kind) if isinstance(kind, str) else kind
        return range(round(n * lo), round(n * hi))

    def spread(self, n: int, lo: float, hi: float) -> set[int]:
        """This step's share of ``n`` things that each step should sample across (months, days):
        indexes taken in a fixed shuffled order rather than the first ones."""
        order = list(range(n))
        random.Random(n).shuffle(order)
        return {order[k] for k in self.part(n, lo, hi)}

    def day(self, first: datetime.date | None = None, last: datetime.date | None = None) -> datetime.date:
        """A day from a few weeks before the contract (not counted) to today."""
        first = first or self.start - 21 * DAY
        last = last or self.today
        return first + DAY * self.rng.randrange((last - first).days + 1)

    def deleted(self):
        return self.now if self.rng.random() < DELETED else None

    def stamps(self) -> dict:
        return {"created_at": self.now, "updated_at": self.now}

    def insert(self, model, rows: list[dict], metrics=(), returning: bool = True) -> list[int]:
        """Insert ``rows``; the records carry the evidence the targets measured by ``metrics``
        require (nine in ten all of it, the others miss one kind)."""
        from muxiang.core.bulk import insert_rows

        if not rows:
            return []
        defaults = {**self.stamps(), **({"contract_id": self.contract.pk} if self.contract else {})}
        defaults = {
            k: v for k, v in defaults.items() if k in {f.attname for f in model._meta.concrete_fields}
        }
        ids = insert_rows(model, rows, defaults=defaults, returning=returning or bool(metrics))
        self.counts[model._meta.label] += len(rows)
        if metrics:
            self.add_evidence(model, ids, self.kinds_for(metrics))
        return ids

    def kinds_for(self, metrics) -> list[str]:
        """One kind per requirement of the targets measured by ``metrics``; for "a|b", a kind already
        chosen when there is one, else the first."""
        kinds: list[str] = []
        for metric in metrics:
            for requirement in self.requirements.get(metric, ()):
                alternatives = requirement.split("|")
                if not set(alternatives) & set(kinds):
                    kinds.append(alternatives[0])
        return kinds

    def add_evidence(self, model, pks, kinds: list[str]) -> None:
        """Evidence rows (the metrics read the rows, not the files)."""
        from django.contrib.contenttypes.models import ContentType

        from muxiang.core.bulk import insert_rows
        from muxiang.core.models import Evidence

        if not kinds:
            return
        rng = self.rng
        content_type = ContentType.objects.get_for_model(model).pk
        rows = []
        for pk in pks:
            carried = kinds
            if rng.random() >= EVIDENCED:
                missing = rng.choice(kinds)
                carried = [k for k in kinds if k != missing]
            for kind in carried:
                rows.append(
                    {
                        "content_type_id": content_type,
                        "object_id": pk,
                        "file": "evidence/bench.png",
                        "original_name": "bench.png",
                        "sha256": "0" * 64,
                        "size": 1,
                        "mime_type": "image/png",
                        "extension": ".png",
                        "kind": kind,
                        "deleted_at": self.now if rng.random() < 0.002 else None,
                    }
                )
        insert_rows(Evidence, rows, defaults=self.stamps(), returning=False)
        self.counts["evidence"] += len(rows)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


# -- the kinds: one function each, (gen, lo, hi), run in the order of KINDS ------------------------


def add_county(gen: Generator) -> None:
    from muxiang.core.bulk import insert_rows
    from muxiang.regions.models import Region

    (gen.county_id,) = insert_rows(
        Region,
        [{"name": COUNTY_NAME, "level": "county", "code": COUNTY_CODE, "path": COUNTY_NAME}],
        defaults=gen.stamps(),
    )
    gen.counts["regions.Region"] += 1


def add_regions(gen: Generator, lo: float, hi: float) -> None:
    """Towns (苏木/镇) and their villages (嘎查/村), 15% of them 出列村."""
    from muxiang.regions.models import Region

    rng = gen.rng
    towns = [
        {
            "name": f"第{t + 1}苏木",
            "level": "town",
            "parent_id": gen.county_id,
            "path": f"{COUNTY_NAME}/第{t + 1}苏木",
            "code": f"{COUNTY_CODE}{t + 1:03d}",
        }
        for t in gen.part("towns", lo, hi)
    ]
    town_ids = gen.insert(Region, towns)
    villages = []
    for town_id, town in zip(town_ids, towns, strict=True):
        for v in range(VILLAGES_PER_TOWN):
            name = f"{town['name']}第{v + 1}嘎查"
            row = {
                "name": name,
                "level": "village",
                "parent_id": town_id,
                "path": f"{town['path']}/{name}",
                "code": f"{town['code']}{v + 1:03d}",
                "exited_poverty": rng.random() < 0.15,
            }
            r = rng.random()
            if r < 0.01:  # re-drawn during the contract: closed, or new
                row["closed_on"] = gen.start + DAY * rng.randrange(1, 500)
            elif r < 0.02:
                row["opened_on"] = gen.start + DAY * rng.randrange(1, 500)
            villages.append(row)
    gen.towns += town_ids
    gen.step_towns = town_ids
    gen.step_villages = gen.insert(Region, villages)
    gen.villages += gen.step_villages


def add_stations(gen: Generator, lo: float, hi: float) -> None:
    """Town and village stations of this step's towns: 40% of the villages have none."""
    from muxiang.stations.models import Station

    rng, start, today = gen.rng, gen.start, gen.today
    open_span = (today - start).days + 365 + 180
    first_open = start - 365 * DAY
    places = [("town", t) for t in gen.step_towns for _copy in range(rng.choice((1, 1, 1, 2)))]
    served = [v for v in gen.step_villages if rng.random() < 0.6]
    indexes = gen.part("stations", lo, hi)
    while len(places) < len(indexes):
        places.append(("village", rng.choice(served)))
    rows = []
    for index, (level, region_id) in zip(indexes, places, strict=False):
        opened = first_open + DAY * rng.randrange(open_span)
        r, closed = rng.random(), None
        if opened > today or r < 0.03:
            status, opened = "planned", (opened if rng.random() < 0.5 else None)
        elif r < 0.06:
            status = "suspended"
        elif r < 0.10:
            status = "closed"
            closed = opened + DAY * rng.randrange(30, 600)
        else:
            status = "active"
        rows.append(
            {
                "code": f"ZD-{index + 1:06d}",
                "name": f"服务站{index + 1}",
                "level": level,
                "region_id": region_id,
                "phone": f"13{rng.randrange(10**9):09d}",
                "opened_on": opened,
                "closed_on": closed,
                "status": status,
                "services": rng.choice((["proxy_buying", "proxy_selling", "parcels"], ["parcels"], [])),
                "is_premium": status == "active" and rng.random() < 0.05,
                "deleted_at": gen.deleted(),
            }
        )
    if lo == 0:
        # A premium station serving since before the contract in the first step, so that the
        # dashboard runs the same queries at 10% as at 100%.
        first = next(row for row in rows if row["status"] == "active" and not row["deleted_at"])
        first.update(is_premium=True, opened_on=start - 30 * DAY, closed_on=None)
    # Coverage requires a photo, premium stations also the designation document.
    ids = gen.insert(Station, rows, metrics=["stations.coverage"])
    premium = [pk for pk, row in zip(ids, rows, strict=True) if row["is_premium"]]
    gen.add_evidence(Station, premium, [k for k in gen.kinds_for(["stations.premium_count"]) if k != "photo"])
    gen.step_stations = [{**row, "id": pk} for pk, row in zip(ids, rows, strict=True)]
    gen.stations += gen.step_stations


def add_people(gen: Generator, lo: float, hi: float) -> None:
    """Trainees, contacts and station managers registered over two and a half years; the operator's
    team (with its documents) in the first step."""
    from muxiang.core.validators import make_id_number
    from muxiang.people.models import Person

    rng = gen.rng
    kinds_pool = [["trainee"]] * 80 + [["contact"]] * 10 + [["trainee", "contact"]] * 8
    kinds_pool += [["station_manager"]] * 2
    created_first = datetime.datetime.combine(gen.start - 365 * DAY, datetime.time(), datetime.UTC)
    created_span = int((gen.today - gen.start).days + 365) * 86400
    regions = gen.villages + gen.towns
    rows = []
    for i in gen.part("people", lo, hi):
        birth = datetime.date(1955, 1, 1) + DAY * ((i * 7919) % 18_000)
        id_number = make_id_number(COUNTY_CODE, birth, i // 18_000)
        rows.append(
            {
                "name": f"学员{i}",
                "id_number": id_number,
                "gender": "male" if int(id_number[16]) % 2 else "female",
                "birth_date": birth,
                "mobile": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
                "kinds": rng.choice(kinds_pool),
                "poor_household": rng.random() < 0.12,
                "region_id": rng.choice(regions) if rng.random() < 0.8 else None,
                "created_at": created_first + datetime.timedelta(seconds=rng.randrange(created_span)),
                "deleted_at": gen.deleted(),
            }
        )
    if lo == 0:
        staff = [
            {**row, "kinds": ["operator_staff"], "poor_household": False} for row in rows[:OPERATOR_STAFF]
        ]
        gen.insert(Person, staff, metrics=["team.members"])
        rows = rows[OPERATOR_STAFF:]
    gen.step_people = gen.insert(Person, rows)
    gen.people += gen.step_people


def add_organisations(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.organisations.models import Organisation

    rng = gen.rng
    rows = [
        {
            "name": f"牧业合作社{i + 1}",
            "kind": rng.choice(("enterprise", "cooperative", "large_grower", "online_merchant")),
            "contact_name": f"联系人{i}",
            "contact_phone": f"139{rng.randrange(10**8):08d}",
            "region_id": rng.choice(gen.villages),
        }
        for i in gen.part("organisations", lo, hi)
    ]
    gen.organisations += gen.insert(Organisation, rows)


# -- the service centre (1.1) -----------------------------------------------------------------------


def add_work_orders(gen: Generator, lo: float, hi: float) -> None:
    """Uses of the centre's functional areas (服务工单), starting at local office hours."""
    from django.utils import timezone

    from muxiang.centre.models import FunctionalArea, ServiceCentre, WorkOrder

    rng = gen.rng
    if not gen.areas:
        (centre,) = gen.insert(
            ServiceCentre, [{"name": "乌拉特中旗电子商务公共服务中心", "floor_area": 1200}]
        )
        kinds = (
            "sales_service",
            "marketing",
            "supply_chain",
            "warehousing",
            "station_management",
            "training",
        )
        gen.areas = gen.insert(
            FunctionalArea,
            [
                {"centre_id": centre, "code": f"GN-{n}", "kind": k, "name": f"功能区{n}"}
                for n, k in enumerate(kinds)
            ],
        )
    rows = []
    for i in gen.part("work_orders", lo, hi):
        begins = timezone.make_aware(
            datetime.datetime.combine(gen.day(), datetime.time(rng.randrange(7, 20)))
        )
        rows.append(
            {
                "number": f"GD-{i + 1:07d}",
                "area_id": rng.choice(gen.areas),
                "requester_name": f"申请人{i % 997}",
                "purpose": "直播带货",
                "starts_at": begins,
                "ends_at": begins + datetime.timedelta(hours=2),
                "attendees": rng.randrange(1, 30),
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(WorkOrder, rows, metrics=["centre.work_orders"])


def add_events(gen: Generator, lo: float, hi: float) -> None:
    """Salons, seminars, matchmaking fairs (with their sales), brand launches, live streams."""
    from muxiang.centre.models import Event

    rng = gen.rng
    kinds = ["salon"] * 4 + ["seminar"] * 3 + ["matchmaking"] * 2 + ["brand_launch", "live_stream", "other"]
    rows = []
    for i in gen.part("events", lo, hi):
        kind = rng.choice(kinds)
        rows.append(
            {
                "number": f"HD-{i + 1:06d}",
                "kind": kind,
                "title": f"电商活动{i + 1}",
                "held_on": gen.day(),
                "place": "公共服务中心",
                "organiser": "运营方",
                "attendees": rng.randrange(10, 200),
                "sales_amount": Decimal(rng.randrange(0, 40_000)) if kind == "matchmaking" else None,
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(Event, rows, metrics=["centre.events", "sales.matchmaking_fairs", "brands.launch_events"])


def add_incubations(gen: Generator, lo: float, hi: float) -> None:
    """Incubation services to enterprises and persons, 30% directed (定向孵化), and follow-ups of
    the directed ones."""
    from muxiang.centre.models import IncubationFollowUp, IncubationService

    rng = gen.rng
    rows = []
    for i in gen.part("incubations", lo, hi):
        enterprise = rng.random() < 0.4
        rows.append(
            {
                "number": f"FH-{i + 1:06d}",
                "kind": rng.choice(
                    ("product_guidance", "brand_building", "marketing_plan", "shop_operation")
                ),
                "provided_on": gen.day(),
                "recipient_organisation_id": rng.choice(gen.organisations) if enterprise else None,
                "recipient_person_id": None if enterprise else rng.choice(gen.people),
                "directed": rng.random() < 0.3,
                "deleted_at": gen.deleted(),
            }
        )
    ids = gen.insert(
        IncubationService, rows, metrics=["centre.incubated_recipients", "training.directed_incubations"]
    )
    gen.directed += [(pk, row["provided_on"]) for pk, row in zip(ids, rows, strict=True) if row["directed"]]
    follow_ups = []
    for i in gen.part("incubation_follow_ups", lo, hi):
        incubation, provided = rng.choice(gen.directed)
        follow_ups.append(
            {
                "number": f"FHGZ-{i + 1:06d}",
                "incubation_id": incubation,
                "held_on": gen.day(first=provided),
                "content": "跟踪指导",
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(IncubationFollowUp, follow_ups, metrics=["training.follow_up_guidance"])


def add_field_surveys(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.centre.models import FieldSurvey

    rng = gen.rng
    rows = [
        {
            "number": f"DY-{i + 1:05d}",
            "subject": rng.choice(("station", "brand", "supply_chain", "other")),
            "surveyed_on": gen.day(),
            "place": "站点",
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("field_surveys", lo, hi)
    ]
    gen.insert(FieldSurvey, rows, metrics=["centre.field_surveys"])


# -- publicity (1.1 三, 2.3 二, 3 六) ----------------------------------------------------------------


def add_articles(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.publicity.models import Article

    rng = gen.rng
    rows = [
        {
            "title": f"乌拉特中旗电商进农村第{i + 1}期",
            "account": "乌拉特中旗电商",
            "url": f"https://mp.weixin.qq.com/s/bench{i + 1}",
            "published_on": gen.day(),
            "channel": rng.choice(("wechat", "wechat", "wechat", "website", "douyin")),
            "reads": rng.randrange(50, 5_000),
            "promotes_brand": rng.random() < 0.2,
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("articles", lo, hi)
    ]
    gen.insert(Article, rows, metrics=["publicity.articles", "brands.promotions", "brands.promotion_reads"])


def add_media_coverage(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.publicity.models import MediaCoverage

    rng = gen.rng
    rows = [
        {
            "level": rng.choice(("national", "provincial", "city", "county", "county")),
            "outlet": "内蒙古日报",
            "title": f"报道{i + 1}",
            "published_on": gen.day(),
            "url": f"https://news.example.cn/bench{i + 1}",
            "promotes_brand": rng.random() < 0.3,
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("media_coverage", lo, hi)
    ]
    gen.insert(MediaCoverage, rows, metrics=["publicity.media_coverage", "brands.promotions"])


def add_brochures(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.publicity.models import BrochureDistribution

    rng = gen.rng
    rows = [
        {
            "number": f"SC-{i + 1:06d}",
            "title": "电商知识手册",
            "pages": rng.randrange(100, 3_000),
            "place": "嘎查活动室",
            "distributed_on": gen.day(),
            "region_id": rng.choice(gen.villages),
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("brochures", lo, hi)
    ]
    gen.insert(BrochureDistribution, rows, metrics=["publicity.brochure_pages"])


def add_videos(gen: Generator, lo: float, hi: float) -> None:
    """Training videos, promos, live replays and the regional brand film (a few titles published
    on several platforms)."""
    from muxiang.publicity.models import Video

    rng = gen.rng
    rows = []
    for i in gen.part("videos", lo, hi):
        kind = rng.choice(("training", "training", "promo", "brand_promo", "live_replay", "other"))
        rows.append(
            {
                "title": f"区域品牌宣传片{i % 7}" if kind == "brand_promo" else f"视频{i + 1}",
                "kind": kind,
                "platform": rng.choice(("抖音", "快手", "视频号")),
                "url": f"https://v.example.cn/bench{i + 1}",
                "published_on": gen.day(),
                "views": rng.randrange(100, 20_000),
                "promotes_brand": kind == "brand_promo" or rng.random() < 0.1,
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(
        Video,
        rows,
        metrics=[
            "brands.promotions",
            "brands.promotion_reads",
            "brands.promo_videos",
            "brands.promo_video_showings",
        ],
    )


# -- training (3, 2.4) ---------------------------------------------------------------------------------


def add_training(gen: Generator, lo: float, hi: float) -> None:
    """Sessions (basic and advanced, a tenth on the trade standard) and their attendance: about 100
    trainees a session, each attendance row with the trainee's poor-household flag."""
    from muxiang.training.models import Attendance, TrainingSession

    rng = gen.rng
    topics = ["packaging", "photography", "live_selling", "shop_operation", "marketing", "logistics"] * 2
    topics += ["standards"] * 1
    sessions = [
        {
            "code": f"PX-{i + 1:06d}",
            "title": f"电商培训第{i + 1}期",
            "topic": rng.choice(topics),
            "held_on": gen.day(),
            "place": "培训教室",
            "teacher": "讲师",
            "audiences": ["farmers_herders"],
            "level": "advanced" if rng.random() < 0.25 else "basic",
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("sessions", lo, hi)
    ]
    ids = gen.insert(
        TrainingSession,
        sessions,
        metrics=["training.person_times", "training.poor_household_share", "standards.trainings"],
    )
    gen.sessions += [(pk, row["held_on"]) for pk, row in zip(ids, sessions, strict=True)]
    wanted = len(gen.part("attendance", lo, hi))
    per_session = max(1, wanted // max(1, len(ids)))
    rows = []
    for n, (session, held_on) in enumerate(gen.sessions[-len(ids) :]):
        size = per_session + (wanted - per_session * len(ids) if n == len(ids) - 1 else 0)
        for person in rng.sample(gen.people, min(size, len(gen.people))):
            rows.append(
                {
                    "session_id": session,
                    "person_id": person,
                    "held_on": held_on,
                    "poor_household": rng.random() < 0.12,
                    "deleted_at": gen.deleted(),
                }
            )
    gen.insert(Attendance, rows, returning=False)


def add_outcomes(gen: Generator, lo: float, hi: float) -> None:
    """What trainees became: selling online, employed at an e-commerce firm, influencers, with a
    year's online sales (one record per person and year)."""
    from muxiang.training.models import TraineeOutcome

    rng = gen.rng
    years = sorted({gen.start.year, gen.today.year})
    indexes = gen.part("outcomes", lo, hi)
    # (person, year) is unique: this step's outcomes are of this step's people.
    people = rng.sample(gen.step_people, min(len(indexes), len(gen.step_people)))
    rows = []
    for i, person in zip(indexes, people, strict=False):
        year = years[i % len(years)]
        first = max(gen.start - 21 * DAY, datetime.date(year, 1, 1))
        last = min(gen.today, datetime.date(year, 12, 31))
        rows.append(
            {
                "person_id": person,
                "year": year,
                "recorded_on": gen.day(first, last),
                "sells_online": rng.random() < 0.5,
                "employed": rng.random() < 0.2,
                "influencer": rng.random() < 0.05,
                "annual_online_sales": Decimal(rng.choice((20_000, 80_000, 300_000, 1_200_000))),
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(
        TraineeOutcome,
        rows,
        metrics=[
            "training.conversion_rate",
            "training.million_yuan_merchants",
            "training.placements",
            "training.influencers",
        ],
    )


def add_follow_up_visits(gen: Generator, lo: float, hi: float) -> None:
    from muxiang.training.models import FollowUpVisit, MerchantCensus

    rng = gen.rng
    rows = [
        {
            "number": f"HF-{i + 1:06d}",
            "visited_on": gen.day(),
            "visitor": "回访员",
            "person_id": rng.choice(gen.people),
            "method": rng.choice(("visit", "phone", "online")),
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("follow_up_visits", lo, hi)
    ]
    gen.insert(FollowUpVisit, rows, metrics=["training.follow_up_visits"])
    years = range(gen.start.year, gen.today.year + 1)
    censuses = [
        {"year": year, "counted_on": min(gen.today, datetime.date(year, 11, 15)), "merchant_count": 800 + i}
        for i, year in enumerate(years)
        if i in gen.part(len(years), lo, hi)
    ]
    gen.insert(MerchantCensus, censuses, metrics=["training.merchant_census"])


# -- station operations (1.2) ---------------------------------------------------------------------


def add_daily_reports(gen: Generator, lo: float, hi: float) -> None:
    """One report a day from each open station of this step (from half a year before the contract
    to yesterday, 93% of the days), its app check-ins (most stations on about a third of the days,
    a fifth of them rarely), and the premium stations' transaction ledgers."""
    from muxiang.operations.models import AppCheckIn, StationDailyReport, StationTransaction

    rng = gen.rng
    first, yesterday = gen.start - 180 * DAY, gen.today - DAY
    reports, check_ins, lines = [], [], []
    for station in gen.step_stations:
        if station["opened_on"] is None or station["status"] == "planned" or station["deleted_at"]:
            continue
        day = max(first, station["opened_on"])
        last = min(yesterday, station["closed_on"] - DAY) if station["closed_on"] else yesterday
        check_in_rate = 0.35 if rng.random() < 0.8 else 0.03
        while day <= last:
            if rng.random() < REPORTED_DAYS:
                reports.append(
                    {
                        "station_id": station["id"],
                        "day": day,
                        "proxy_buying_orders": 3,
                        "proxy_buying_amount": Decimal(rng.randrange(0, 800)),
                        "parcels_sent": rng.randrange(0, 20),
                    }
                )
            if rng.random() < check_in_rate:
                check_ins.append({"station_id": station["id"], "day": day})
            if station["is_premium"] and day >= gen.start and rng.random() < 0.6:
                lines.append(
                    {
                        "number": f"JY-{gen.counts['operations.StationTransaction'] + len(lines) + 1:08d}",
                        "station_id": station["id"],
                        "day": day,
                        "kind": rng.choice(("proxy_buying", "proxy_selling", "trade")),
                        "goods": "牛羊肉",
                        "amount": Decimal(rng.randrange(5_000, 40_000)) / 100,
                        "deleted_at": gen.deleted(),
                    }
                )
            day += DAY
    gen.insert(StationDailyReport, reports, returning=False)
    gen.insert(AppCheckIn, check_ins, returning=False)
    gen.insert(StationTransaction, lines, metrics=["stations.premium_min_turnover"])


def add_rate_months(gen: Generator, lo: float, hi: float) -> None:
    """The platform's monthly screenshot of each month of reports and of app activity (the current
    month has none yet; a few past months miss it)."""
    from muxiang.operations.models import AppActivityMonth, ReportMonth

    months = months_from(gen.start - 180 * DAY, gen.today)[:-1]
    if lo > 0:
        return  # one per month: the calendar's, not the county's size, so all in the first step
    chosen = months
    gen.insert(ReportMonth, [{"month": m} for m in chosen], metrics=["stations.daily_report_rate"])
    gen.insert(AppActivityMonth, [{"month": m} for m in chosen], metrics=["stations.app_activity_rate"])


def add_station_work(gen: Generator, lo: float, hi: float) -> None:
    """Inspections (一对一指导、巡查、盘点), manager trainings, station evaluations."""
    from muxiang.operations.models import ManagerTraining, StationEvaluation, StationInspection

    rng = gen.rng
    serving = [s["id"] for s in gen.stations if s["status"] == "active" and not s["deleted_at"]]
    inspections = [
        {
            "number": f"XC-{i + 1:06d}",
            "station_id": rng.choice(serving),
            "visited_on": gen.day(),
            "inspector": "巡查员",
            "kinds": rng.choice((["guidance"], ["inspection"], ["guidance", "inspection"])),
            "has_publicity": rng.random() < 0.5,
            "deleted_at": gen.deleted(),
        }
        for i in gen.part("inspections", lo, hi)
    ]
    gen.insert(StationInspection, inspections, metrics=["stations.inspections"])
    trainings = [
        {"number": f"ZP-{i + 1:04d}", "title": f"站长培训{i + 1}", "held_on": gen.day(), "location": "中心"}
        for i in gen.part("manager_trainings", lo, hi)
    ]
    gen.insert(ManagerTraining, trainings, metrics=["stations.manager_trainings"])
    evaluations = [
        {"number": f"PX-{i + 1:03d}", "title": f"站点综合评选{i + 1}", "held_on": gen.day()}
        for i in gen.part("evaluations", lo, hi)
    ]
    gen.insert(StationEvaluation, evaluations, metrics=["stations.evaluations"])


# -- the ministry platform (4.3) -----------------------------------------------------------------------


def add_ministry_deliveries(gen: Generator, lo: float, hi: float) -> None:
    """The monthly project reports (most delivered, a few failed) and the daily deliveries of the
    stations' transaction data."""
    import uuid

    from muxiang.mofcom.models import MinistryDelivery

    rng = gen.rng
    months = months_from(gen.start, gen.today)[:-1]
    days = [gen.start + DAY * n for n in range((gen.today - gen.start).days)]
    rows = []
    for kind, periods in (("monthly", months), ("daily", days)):
        step = gen.spread(len(periods), lo, hi)
        for i, period in enumerate(periods):
            if i not in step:
                continue
            state = "delivered" if rng.random() < 0.9 else rng.choice(("pending", "retrying"))
            rows.append(
                {
                    "reference": f"{kind}-{period.isoformat()}",
                    "kind": kind,
                    "period": period,
                    "payload_sha256": "0" * 64,
                    "state": state,
                    "idempotency_key": uuid.UUID(int=rng.getrandbits(128)),
                    "delivered_at": gen.now if state == "delivered" else None,
                }
            )
    gen.insert(MinistryDelivery, rows)


# -- the reports to the client (4.3 monthly, 2.2 data analysis) ----------------------------------------


def add_reports(gen: Generator, lo: float, hi: float) -> None:
    """A monthly work report and a data analysis report for every month before this one: most
    approved (one in five in a second approved version), the others submitted or still drafts."""
    import calendar

    from muxiang.reports.models import Report

    rng = gen.rng
    months = months_from(gen.start, gen.today)[:-1]
    step = gen.spread(len(months), lo, hi)
    for kind, metric in (("monthly", "reports.monthly"), ("analysis", "reports.data_analysis")):
        rows = []
        for i, month in enumerate(months):
            if i not in step:
                continue
            draw = rng.random()
            status = "approved" if draw < 0.8 else ("submitted" if draw < 0.9 else "draft")
            versions = 2 if status == "approved" and rng.random() < 0.2 else 1
            last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            for version in range(1, versions + 1):
                rows.append(
                    {
                        "kind": kind,
                        "period": f"{month:%Y-%m}",
                        "period_label": f"{month.year}年{month.month}月",
                        "period_start": month,
                        "period_end": last,
                        "version": version,
                        "status": status,
                        "problems": "",
                        "plan": "",
                        "adjustments": "",
                        "remarks": "",
                        "snapshot_sha256": "0" * 64,
                        "pdf": "",
                        "xlsx": "",
                        "return_reason": "",
                    }
                )
        gen.insert(Report, rows, metrics=[metric])


# -- trade (section 2) ------------------------------------------------------------------------------


def add_sales(gen: Generator, lo: float, hi: float) -> None:
    """The sales ledger (2.5) over a catalogue of products; nine sales in ten carry their proof."""
    from muxiang.sales.models import Sale
    from muxiang.supply.models import Product

    rng = gen.rng
    if not hasattr(gen, "products"):
        gen.products = gen.insert(
            Product,
            [
                {"code": f"SP-{i + 1:04d}", "name": f"农产品{i + 1}", "unit": "件", "is_agricultural": True}
                for i in range(gen.total("products"))
            ],
        )
    from muxiang.sales.choices import SalesChannel

    channels = SalesChannel.values
    rows = []
    for i in gen.part("sales", lo, hi):
        channel = rng.choice(channels)
        rows.append(
            {
                "source": "bench",
                "order_number": f"B{i + 1:08d}",
                "sold_on": gen.day(),
                "seller_id": rng.choice(gen.organisations),
                "product_id": rng.choice(gen.products),
                "quantity": Decimal(rng.randrange(1, 200)),
                "amount": Decimal(rng.randrange(100, 500_000)) / 100,
                "channel": channel,
                "mode": "online" if channel in ("ecommerce", "group_buying", "social_media") else "offline",
                "buyer_kind": "consumer",
                "buyer": "",
                "notes": "",
                "deleted_at": gen.deleted(),
            }
        )
    gen.insert(Sale, rows, metrics=["sales.amount"])


def add_trace(gen: Generator, lo: float, hi: float) -> None:
    """The trace system (2.4 二): enrolled producers (organisations of the registry, each enrolled
    once), issuing runs with their documents, and the codes themselves (60,000 at full size, as
    the contract asks; the figures count the runs, the codes are what a run's ``count`` stands for)."""
    from muxiang.trace import codes
    from muxiang.trace.models import CodeRun, Enterprise, TraceCode

    rng = gen.rng
    # An organisation is enrolled once.
    enrolled = getattr(gen, "enrolled", set())
    free = [pk for pk in gen.organisations if pk not in enrolled]
    chosen = rng.sample(free, min(len(free), len(gen.part("trace_enterprises", lo, hi))))
    gen.enrolled = enrolled | set(chosen)
    rows = [
        {
            "organisation_id": organisation,
            "enrolled_on": gen.day(),
            "industry": rng.choice(["肉羊", "奶食品", "向日葵", "小麦"]),
            "deleted_at": gen.deleted(),
        }
        for organisation in chosen
    ]
    ids = gen.insert(Enterprise, rows, metrics=["trace.enterprises"])
    gen.enterprises = [*getattr(gen, "enterprises", []), *ids]
    runs = list(gen.part("code_runs", lo, hi))
    wanted = len(gen.part("trace_codes", lo, hi))
    sizes = [wanted // max(1, len(runs))] * len(runs)
    if sizes:
        sizes[-1] += wanted - sum(sizes)
    run_rows = [
        {
            "enterprise_id": rng.choice(gen.enterprises),
            "issued_on": gen.day(),
            "count": max(1, size),
            "deleted_at": gen.deleted(),
        }
        for size in sizes
    ]
    run_ids = gen.insert(CodeRun, run_rows, metrics=["trace.codes"])
    issued = iter(codes.generate(sum(row["count"] for row in run_rows)))
    code_rows = []
    for run, row in zip(run_ids, run_rows, strict=True):
        code_rows += [
            {"code": next(issued), "run_id": run, "serial": n + 1, "state": "issued"}
            for n in range(row["count"])
        ]
    gen.insert(TraceCode, code_rows, returning=False)


# Every kind of record, in the order they are generated (later kinds draw on the earlier ones' ids).
# Kinds added later plug in here: an ``add_<kind>(gen, lo, hi)`` function above, a line below, and
# the kind's figures in BASELINE further down. Sales and trace are in (``add_sales``,
# ``add_trace``); still to come: sales census updates, supply (client businesses, supply chains,
# systematic services), brands (brands, member enterprises, product series, packages), standards.
KINDS = [
    add_regions,
    add_stations,
    add_people,
    add_organisations,
    add_work_orders,
    add_events,
    add_incubations,
    add_field_surveys,
    add_articles,
    add_media_coverage,
    add_brochures,
    add_videos,
    add_training,
    add_outcomes,
    add_follow_up_visits,
    add_daily_reports,
    add_rate_months,
    add_station_work,
    add_ministry_deliveries,
    add_reports,
    add_sales,
    add_trace,
]


def generate(gen: Generator, lo: float, hi: float) -> float:
    from django.db import connection, transaction

    gc.collect()
    gc.disable()  # nothing to collect among millions of row dicts
    step = time.perf_counter()
    try:
        with transaction.atomic():
            for add in KINDS:
                add(gen, lo, hi)
        with connection.cursor() as cursor:
            # PostgreSQL's autovacuum would analyse the new rows soon enough; do it now. SQLite gets
            # no statistics: nothing in the application runs ANALYZE there.
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
    finally:
        gc.enable()
    return time.perf_counter() - step


# ---------------------------------------------------------------------------------------------------
# The baseline: one aggregate statement per table, a column per (target, window) figure


def table(label: str) -> str:
    from django.apps import apps

    return apps.get_model(label)._meta.db_table


def engine_windows(contract, target, today: datetime.date):
    """The windows compute_progress measures ``target`` on: each started phase's, and the whole
    contract period's (as ``contracts.engine._compute_progress`` builds them)."""
    from muxiang.contracts.choices import TargetMode
    from muxiang.contracts.engine import Window

    phases = list(contract.phases.all())
    begin, finish = phases[0].start, phases[-1].end
    windows = []
    for phase in phases:
        if today < phase.start:
            continue
        start = begin if target.mode == TargetMode.CUMULATIVE else phase.start
        windows.append((phase.number, Window(start, phase.end, min(today, phase.end))))
    if today >= begin:
        windows.append((None, Window(begin, finish, min(today, finish))))
    return windows


def last_of(window) -> datetime.date:
    return min(window.end, window.as_of)


class Pass:
    """One aggregate statement over one table (with what it joins): ``FROM source WHERE where``,
    the columns the targets add, grouped by ``group`` when given. ``cte`` is a materialised common
    table expression whose columns the targets may extend with flags (``flag``)."""

    def __init__(self, source: str, where: str, params=(), group: str | None = None, cte=None):
        self.source, self.where, self.params, self.group = source, where, list(params), group
        self.cte = cte  # (name, alias in source, "base columns", "FROM … WHERE …")
        self.flags: list[str] = []
        self.columns: list[str] = []
        self.column_params: list = []
        self.index: dict = {}
        self.result = None

    def flag(self, sql: str) -> str:
        """A column of the CTE (computed once per CTE row); returns its name."""
        if sql not in self.flags:
            self.flags.append(sql)
        return f"{self.cte[1]}.f{self.flags.index(sql)}"

    def column(self, sql: str, params=()):
        key = (sql, tuple(params))
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append(sql)
            self.column_params += list(params)
        return self.index[key]

    def value(self, index: int):
        return self.result[index]

    def grouped(self, index: int) -> dict:
        return {row[0]: row[index + 1] for row in self.result}

    def run(self, cursor) -> None:
        if not self.columns:
            return
        sql = ""
        if self.cte is not None:
            name, _alias, columns, rest = self.cte
            inner = ", ".join([columns, *(f"{c} AS f{i}" for i, c in enumerate(self.flags))])
            sql = f"WITH {name} AS MATERIALIZED (SELECT {inner} {rest}) "
        select = ", ".join(self.columns)
        if self.group:
            select = f"{self.group}, {select}"
        sql += f"SELECT {select} FROM {self.source} WHERE {self.where}"
        if self.group:
            sql += " GROUP BY 1"
        cursor.execute(sql, self.column_params + self.params)
        self.result = cursor.fetchall() if self.group else cursor.fetchone()


class Baseline:
    """Every figure the dashboard measures, computed by ``Pass`` statements. Building it reads the
    targets; ``run`` executes the statements and returns {(target key, phase number or None for
    the whole contract): figure}."""

    def __init__(self, contract, today: datetime.date):
        from django.db import connection

        self.connection = connection
        self.ops = connection.ops
        self.sqlite = connection.vendor == "sqlite"
        self.contract, self.today = contract, today
        phases = list(contract.phases.all())
        self.begin = phases[0].start
        self.county = contract.county
        self.passes: dict[str, Pass] = {}
        self.figures = []
        self.not_covered: list[str] = []
        for target in contract.targets.all():
            spec = BASELINE.get(target.metric)
            if spec is None:
                self.not_covered.append(target.key)
                continue
            for number, window in engine_windows(contract, target, today):
                self.figures.append(((target.key, number), spec(self, target, window)))

    def run(self, timings: dict | None = None) -> dict:
        """The figures; with ``timings``, the seconds of each statement are put in it."""
        with self.connection.cursor() as cursor:
            for name, step in self.passes.items():
                started = time.perf_counter()
                step.run(cursor)
                if timings is not None:
                    timings[name] = time.perf_counter() - started
        return {key: figure() for key, figure in self.figures}

    # -- SQL pieces ---------------------------------------------------------------------------------

    def d(self, day: datetime.date):
        return self.ops.adapt_datefield_value(day)

    def dt(self, moment: datetime.datetime):
        return self.ops.adapt_datetimefield_value(moment)

    def month_of(self, expr: str) -> str:
        return (
            f"strftime('%%Y-%%m-01', {expr})" if self.sqlite else f"CAST(date_trunc('month', {expr}) AS date)"
        )

    def as_date(self, value) -> datetime.date:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    def in_county(self, alias: str) -> tuple[str, list]:
        return f"({alias}.id = %s OR {alias}.path LIKE %s)", [self.county.pk, self.county.path + "/%"]

    def evidence(self, label: str, id_expr: str, target, kinds=None) -> str:
        """The target's evidence requirement on the record whose id is ``id_expr``: an EXISTS per
        required kind ("a|b": either), answered from the evidence index."""
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        requirements = target.evidence or () if kinds is None else kinds
        if not requirements:
            return "1 = 1"
        content_type = ContentType.objects.get_for_model(apps.get_model(label)).pk
        evidence = table("core.Evidence")
        return " AND ".join(
            f"EXISTS (SELECT 1 FROM {evidence} ev WHERE ev.content_type_id = {content_type} "
            f"AND ev.object_id = {id_expr} AND ev.deleted_at IS NULL AND ev.kind IN ("
            + ", ".join(f"'{kind}'" for kind in requirement.split("|"))
            + "))"
            for requirement in requirements
        )

    def get(self, name: str) -> Pass:
        if name not in self.passes:
            self.passes[name] = PASSES[name](self)
        return self.passes[name]

    def aggregate(self, name: str, conditions, value: str = "1", how: str = "COUNT"):
        """``how(CASE WHEN conditions THEN value END)`` over pass ``name``, as a figure (a function
        called after the run). ``how`` is COUNT, SUM or DISTINCT (a distinct count)."""
        sql = " AND ".join(c for c, _p in conditions)
        params = [p for _c, ps in conditions for p in ps]
        function = "COUNT(DISTINCT" if how == "DISTINCT" else f"{how}("
        step = self.get(name)
        index = step.column(f"{function} CASE WHEN {sql} THEN {value} END)", params)
        return lambda: step.value(index) or 0

    def between(self, expr: str, window) -> tuple[str, list]:
        return f"{expr} BETWEEN %s AND %s", [self.d(window.start), self.d(last_of(window))]


def only(target, *allowed: str) -> None:
    unknown = set(target.params or {}) - set(allowed)
    if unknown:
        raise SystemExit(f"the baseline does not implement {target.key}'s parameters {sorted(unknown)}")


def listed(target, name: str, expr: str) -> list[tuple[str, list]]:
    values = (target.params or {}).get(name)
    if not values:
        return []
    values = values if isinstance(values, list | tuple) else [values]
    return [(f"{expr} IN ({', '.join(['%s'] * len(values))})", [str(v) for v in values])]


# -- the passes: a table each (with the joins its figures need) ------------------------------------


def _contract_records(label: str, alias: str):
    def make(b: Baseline) -> Pass:
        return Pass(
            f"{table(label)} {alias}",
            f"{alias}.deleted_at IS NULL AND {alias}.contract_id = %s",
            [b.contract.pk],
        )

    return make


def _follow_ups(b: Baseline) -> Pass:
    return Pass(
        f"{table('centre.IncubationFollowUp')} f JOIN {table('centre.IncubationService')} i ON i.id = f.incubation_id",
        "f.deleted_at IS NULL AND f.contract_id = %s AND i.directed AND i.deleted_at IS NULL",
        [b.contract.pk],
    )


def _attendance(b: Baseline) -> Pass:
    # The evidence is the session's: a flag per session, computed once in a materialised CTE.
    return Pass(
        f"{table('training.Attendance')} a JOIN sess s ON s.id = a.session_id",
        "a.deleted_at IS NULL",
        cte=(
            "sess",
            "s",
            "ts.id, ts.held_on, ts.level",
            f"FROM {table('training.TrainingSession')} ts "
            f"WHERE ts.deleted_at IS NULL AND ts.contract_id = {int(b.contract.pk)}",
        ),
    )


def _outcomes(b: Baseline) -> Pass:
    # The day each person was first trained (any session of the contract): "trained by then".
    first_trained = (
        f"SELECT a.person_id, MIN(s.held_on) AS first_day FROM {table('training.Attendance')} a "
        f"JOIN {table('training.TrainingSession')} s ON s.id = a.session_id "
        f"WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL AND s.contract_id = {int(b.contract.pk)} "
        "GROUP BY a.person_id"
    )
    return Pass(
        f"{table('training.TraineeOutcome')} o LEFT JOIN ({first_trained}) t ON t.person_id = o.person_id",
        "o.deleted_at IS NULL AND o.contract_id = %s",
        [b.contract.pk],
    )


def _county_stations(b: Baseline) -> Pass:
    """The county's live stations: open days, open stations per month, premium stations."""
    condition, params = b.in_county("r")
    return Pass(
        f"{table('stations.Station')} s JOIN {table('regions.Region')} r ON r.id = s.region_id",
        f"s.deleted_at IS NULL AND {condition}",
        params,
    )


def _dated_station_rows(label: str, alias: str):
    """Daily reports or app check-ins of a live station of the county, made on a day it was open,
    per month."""

    def make(b: Baseline) -> Pass:
        condition, params = b.in_county("r")
        return Pass(
            f"{table(label)} {alias} JOIN {table('stations.Station')} s ON s.id = {alias}.station_id "
            f"JOIN {table('regions.Region')} r ON r.id = s.region_id",
            f"{alias}.deleted_at IS NULL AND {alias}.day >= %s AND s.deleted_at IS NULL "
            f"AND s.opened_on <= {alias}.day AND (s.closed_on IS NULL OR s.closed_on > {alias}.day) AND {condition}",
            [b.d(b.begin), *params],
            group=b.month_of(f"{alias}.day"),
        )

    return make


def _months(label: str):
    def make(b: Baseline) -> Pass:
        return Pass(f"{table(label)} m", "m.deleted_at IS NULL", group="m.month")

    return make


def _premium_turnover(b: Baseline) -> Pass:
    condition, params = b.in_county("r")
    return Pass(
        f"{table('stations.Station')} s JOIN {table('regions.Region')} r ON r.id = s.region_id "
        f"LEFT JOIN {table('operations.StationTransaction')} x ON x.station_id = s.id AND x.deleted_at IS NULL",
        f"s.deleted_at IS NULL AND s.is_premium AND s.status = 'active' AND {condition}",
        params,
        group="s.id",
    )


def _team(b: Baseline) -> Pass:
    return Pass(
        f"{table('people.Person')} p",
        "p.deleted_at IS NULL AND UPPER(CAST(p.kinds AS TEXT)) LIKE %s",
        ['%"OPERATOR_STAFF"%'],
    )


PASSES = {
    "event": _contract_records("centre.Event", "e"),
    "work order": _contract_records("centre.WorkOrder", "w"),
    "incubation": _contract_records("centre.IncubationService", "i"),
    "follow-up": _follow_ups,
    "field survey": _contract_records("centre.FieldSurvey", "f"),
    "article": _contract_records("publicity.Article", "a"),
    "media": _contract_records("publicity.MediaCoverage", "m"),
    "brochure": _contract_records("publicity.BrochureDistribution", "b"),
    "video": _contract_records("publicity.Video", "v"),
    "attendance": _attendance,
    "session": _contract_records("training.TrainingSession", "s"),
    "outcome": _outcomes,
    "visit": _contract_records("training.FollowUpVisit", "v"),
    "census": _contract_records("training.MerchantCensus", "c"),
    "inspection": _contract_records("operations.StationInspection", "i"),
    "manager training": _contract_records("operations.ManagerTraining", "t"),
    "evaluation": _contract_records("operations.StationEvaluation", "e"),
    "report": _contract_records("reports.Report", "r"),
    "county stations": _county_stations,
    "reports": _dated_station_rows("operations.StationDailyReport", "d"),
    "check-ins": _dated_station_rows("operations.AppCheckIn", "c"),
    "report months": _months("operations.ReportMonth"),
    "activity months": _months("operations.AppActivityMonth"),
    "premium turnover": _premium_turnover,
    "team": _team,
    "sale": _contract_records("sales.Sale", "s"),
    "trace enterprise": _contract_records("trace.Enterprise", "te"),
    "code run": _contract_records("trace.CodeRun", "cr"),
}


# -- the figures: a function per metric, (baseline, target, window) -> a function giving the figure -


def dated_count(name, label, alias, date_field, extra=(), how="COUNT", value="1", params=()):
    """Records of pass ``name`` dated in the window that meet ``extra`` and carry the target's
    evidence: counted, summed or counted distinct."""

    def spec(b: Baseline, target, window):
        only(target, *params)
        conditions = [b.between(f"{alias}.{date_field}", window)]
        for condition in extra:
            conditions += condition(target) if callable(condition) else [(condition, [])]
        conditions.append((b.evidence(label, f"{alias}.id", target), []))
        return b.aggregate(name, conditions, value, how)

    return spec


def plus(*specs):
    def spec(b, target, window):
        parts = [s(b, target, window) for s in specs]
        return lambda: sum(part() for part in parts)

    return spec


def work_orders(b: Baseline, target, window):
    from muxiang.centre.services import local_midnight

    only(target)
    conditions = [
        (
            "w.starts_at >= %s AND w.starts_at < %s",
            [
                b.dt(local_midnight(window.start)),
                b.dt(local_midnight(last_of(window) + DAY)),
            ],
        ),
        (b.evidence("centre.WorkOrder", "w.id", target), []),
    ]
    return b.aggregate("work order", conditions)


def recipients(directed: bool):
    def spec(b: Baseline, target, window):
        only(target)
        conditions = [
            b.between("i.provided_on", window),
            (b.evidence("centre.IncubationService", "i.id", target), []),
        ]
        if directed:
            conditions.insert(0, ("i.directed", []))
        parts = [
            b.aggregate("incubation", conditions, "i.recipient_organisation_id", "DISTINCT"),
            b.aggregate("incubation", conditions, "i.recipient_person_id", "DISTINCT"),
        ]
        return lambda: sum(part() for part in parts)

    return spec


def matchmaking(b: Baseline, target, window):
    only(target, "min_sales")
    floor = float((target.params or {}).get("min_sales", 10_000))
    spec = dated_count(
        "event",
        "centre.Event",
        "e",
        "held_on",
        [lambda t: [("e.kind = 'matchmaking' AND e.sales_amount >= %s", [floor])]],
        params=("min_sales",),
    )
    return spec(b, target, window)


def attendance(b: Baseline, target, window, extra=()):
    """Attendance conditions of person-times: sessions held in the window (of the target's levels),
    carrying the target's evidence."""
    only(target, "levels")
    step = b.get("attendance")
    flag = step.flag(b.evidence("training.TrainingSession", "ts.id", target))
    return [b.between("s.held_on", window), *listed(target, "levels", "s.level"), (f"{flag}", []), *extra]


def person_times(b: Baseline, target, window):
    return b.aggregate("attendance", attendance(b, target, window))


def poor_share(b: Baseline, target, window):
    from muxiang.training.services import poor_share as share

    conditions = attendance(b, target, window)
    total = b.aggregate("attendance", conditions)
    poor = b.aggregate("attendance", [*conditions, ("a.poor_household", [])])
    return lambda: share(total(), poor())


def conversion(b: Baseline, target, window):
    only(target)
    last = b.d(last_of(window))
    trained = b.aggregate("attendance", [("s.held_on <= %s", [last])], "a.person_id", "DISTINCT")
    converted = b.aggregate(
        "outcome",
        [
            (
                "(o.sells_online OR o.employed OR o.influencer) AND o.recorded_on <= %s AND t.first_day <= %s",
                [last, last],
            ),
            (b.evidence("training.TraineeOutcome", "o.id", target), []),
        ],
        "o.person_id",
        "DISTINCT",
    )

    def figure():
        if not trained():
            return None
        return (Decimal(converted()) * 100 / trained()).quantize(Decimal("0.01"))

    return figure


def million(b: Baseline, target, window):
    only(target, "min_sales")
    floor = float((target.params or {}).get("min_sales", 1_000_000))
    return b.aggregate(
        "outcome",
        [
            (
                "o.year BETWEEN %s AND %s AND o.annual_online_sales >= %s",
                [window.start.year, last_of(window).year, floor],
            ),
            (b.evidence("training.TraineeOutcome", "o.id", target), []),
        ],
        "o.person_id",
        "DISTINCT",
    )


def recorded(flag: str):
    return dated_count(
        "outcome", "training.TraineeOutcome", "o", "recorded_on", [f"o.{flag}"], "DISTINCT", "o.person_id"
    )


def coverage(b: Baseline, target, window):
    only(target, "level")
    step = b.passes.get("coverage") or b.passes.setdefault("coverage", CoveragePass(b, target))
    return step.figure(window.as_of, (target.params or {}).get("level", "town"))


class CoveragePass:
    """Regions left-joined with the active stations grouped per region and level: towns, villages
    and 出列村 with and without a station, for each day measured (one statement)."""

    def __init__(self, b: Baseline, target):
        self.b, self.target, self.days, self.result = b, target, [], None

    def figure(self, day, level):
        if day not in self.days:
            self.days.append(day)
        n, k = self.days.index(day), ("town", "village", "exited_poverty").index(level)

        def percent():
            row = self.result[n * 6 : n * 6 + 6]
            total, covered = int(row[2 * k] or 0), int(row[2 * k + 1] or 0)
            return (Decimal(covered) * 100 / total).quantize(Decimal("0.1")) if total else None

        return percent

    def run(self, cursor):
        b = self.b
        open_cols, sums, inner, outer = [], [], [], []
        for n, day in enumerate(self.days):
            d = b.d(day)
            open_cols.append(
                f"MAX(CASE WHEN opened_on <= %s AND (closed_on IS NULL OR closed_on > %s) THEN 1 ELSE 0 END) AS on{n}"
            )
            inner += [d, d]
            exists = (
                "(r.opened_on IS NULL OR r.opened_on <= %s) AND (r.closed_on IS NULL OR r.closed_on > %s)"
            )
            for level, extra in (("town", ""), ("village", ""), ("village", " AND r.exited_poverty")):
                condition = f"r.level = '{level}'{extra} AND {exists}"
                sums.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
                sums.append(f"SUM(CASE WHEN {condition} AND s.on{n} = 1 THEN 1 ELSE 0 END)")
                outer += [d, d, d, d]
        county, county_params = b.in_county("r")
        sql = (
            f"SELECT {', '.join(sums)} FROM {table('regions.Region')} r LEFT JOIN ("
            f"SELECT region_id, level, {', '.join(open_cols)} FROM {table('stations.Station')} st "
            f"WHERE st.deleted_at IS NULL AND st.status = 'active' "
            f"AND {b.evidence('stations.Station', 'st.id', self.target)} GROUP BY region_id, level"
            f") s ON s.region_id = r.id AND s.level = r.level WHERE r.deleted_at IS NULL AND {county}"
        )
        cursor.execute(sql, outer + inner + county_params)  # the parameters in textual order
        self.result = cursor.fetchone()


def open_on(alias: str, b: Baseline, day) -> tuple[str, list]:
    d = b.d(day)
    return f"{alias}.opened_on <= %s AND ({alias}.closed_on IS NULL OR {alias}.closed_on > %s)", [d, d]


def premium_count(b: Baseline, target, window):
    only(target)
    return b.aggregate(
        "county stations",
        [
            ("s.is_premium AND s.status = 'active'", []),
            open_on("s", b, window.as_of),
            (b.evidence("stations.Station", "s.id", target), []),
        ],
    )


def premium_turnover(b: Baseline, target, window):
    only(target)
    step = b.get("premium turnover")
    serving, serving_params = open_on("s", b, window.as_of)
    flag = step.column(f"MAX(CASE WHEN {serving} THEN 1 ELSE 0 END)", serving_params)
    conditions, params = b.between("x.day", window)
    evidence = b.evidence("operations.StationTransaction", "x.id", target)
    total = step.column(f"SUM(CASE WHEN {conditions} AND {evidence} THEN x.amount END)", params)
    cent = Decimal("0.01")

    def figure():
        flags, totals = step.grouped(flag), step.grouped(total)
        measured = [pk for pk, on in flags.items() if on]
        if not measured:
            return Decimal(0)
        return min(Decimal(str(totals[pk] or 0)).quantize(cent) for pk in measured)

    return figure


def team(b: Baseline, target, window):
    from muxiang.people.metrics import end_of_day

    only(target)
    return b.aggregate(
        "team",
        [
            ("p.created_at < %s", [b.dt(end_of_day(window.as_of))]),
            (b.evidence("people.Person", "p.id", target), []),
        ],
    )


def counted_last(window, today) -> datetime.date:
    """``operations.services.last_counted_day``: never today itself."""
    last = last_of(window)
    return min(last, today - DAY) if last >= today else last


def evidenced_month_set(b: Baseline, months_pass: str, label: str, target):
    """Months whose month record carries the target's evidence, and the current month."""
    step = b.get(months_pass)
    index = step.column(f"MAX(CASE WHEN {b.evidence(label, 'm.id', target)} THEN 1 ELSE 0 END)")
    current = b.today.replace(day=1)

    def months(candidates):
        if not target.evidence:
            return set(candidates)
        carried = {b.as_date(month) for month, flag in step.grouped(index).items() if flag}
        return {m for m in candidates if m >= current or m in carried}

    return months


def open_days_column(b: Baseline, first, last) -> int:
    """Days of first..last the county's stations were open, summed (``operations.services.open_days``
    of each station; a station without an opening date has none)."""
    if b.sqlite:
        days = (
            "MAX(0, julianday(MIN(%s, COALESCE(date(s.closed_on, '-1 day'), %s))) "
            "- julianday(MAX(%s, s.opened_on)) + 1)"
        )
    else:
        days = "GREATEST(0, LEAST(%s::date, COALESCE(s.closed_on - 1, %s::date)) - GREATEST(%s::date, s.opened_on) + 1)"
    sql = f"SUM(CASE WHEN s.opened_on IS NULL THEN 0 ELSE {days} END)"
    return b.get("county stations").column(sql, [b.d(last), b.d(last), b.d(first)])


def daily_report_rate(b: Baseline, target, window):
    from muxiang.operations.services import percent

    only(target)
    last = counted_last(window, b.today)
    if last < window.start:
        return lambda: None
    stations = b.get("county stations")
    expected = open_days_column(b, window.start, last)
    reports = b.get("reports")
    per_month = reports.column(
        "COUNT(CASE WHEN d.day BETWEEN %s AND %s THEN 1 END)", [b.d(window.start), b.d(last)]
    )
    evidenced = evidenced_month_set(b, "report months", "operations.ReportMonth", target)

    def figure():
        days = int(stations.value(expected) or 0)
        if not days:
            return None
        counts = {b.as_date(m): n for m, n in reports.grouped(per_month).items()}
        return percent(sum(counts[m] for m in evidenced(counts)), days)

    return figure


def app_activity_rate(b: Baseline, target, window):
    from muxiang.operations.services import month_end, months_between, percent

    only(target)
    last = counted_last(window, b.today)
    if last < window.start:
        return lambda: None
    stations = b.get("county stations")
    open_columns = []
    for month in months_between(window.start, last):
        first, final = max(window.start, month), min(last, month_end(month))
        open_columns.append(
            stations.column(
                "SUM(CASE WHEN s.opened_on <= %s AND (s.closed_on IS NULL OR (s.closed_on > %s "
                "AND s.closed_on > s.opened_on)) THEN 1 ELSE 0 END)",
                [b.d(final), b.d(first)],
            )
        )
    check_ins = b.get("check-ins")
    active = check_ins.column(
        "COUNT(DISTINCT CASE WHEN c.day BETWEEN %s AND %s THEN c.station_id END)",
        [b.d(window.start), b.d(last)],
    )
    evidenced = evidenced_month_set(b, "activity months", "operations.AppActivityMonth", target)

    def figure():
        months = months_between(window.start, last)
        counts = {b.as_date(m): n for m, n in check_ins.grouped(active).items()}
        carried = evidenced(months)
        return percent(
            sum(counts.get(m, 0) for m in months if m in carried),
            sum(int(stations.value(c) or 0) for c in open_columns),
        )

    return figure


def approved_reports(kind: str):
    """Periods of ``kind`` whose report the client approved, counted once whatever the versions."""

    def spec(b: Baseline, target, window):
        only(target)
        return b.aggregate(
            "report",
            [
                (f"r.kind = '{kind}' AND r.status = 'approved'", []),
                b.between("r.period_start", window),
                (b.evidence("reports.Report", "r.id", target), []),
            ],
            value="r.period",
            how="DISTINCT",
        )

    return spec


# The figure of every metric of the shipped contract. Kinds added later (sales, supply, brands,
# trace) add their passes to PASSES and their metrics here.
BASELINE = {
    "sales.amount": dated_count("sale", "sales.Sale", "s", "sold_on", how="SUM", value="s.amount"),
    "trace.codes": dated_count("code run", "trace.CodeRun", "cr", "issued_on", how="SUM", value="cr.count"),
    "trace.enterprises": dated_count(
        "trace enterprise",
        "trace.Enterprise",
        "te",
        "enrolled_on",
        how="DISTINCT",
        value="te.organisation_id",
    ),
    "centre.events": dated_count(
        "event", "centre.Event", "e", "held_on", [lambda t: listed(t, "kinds", "e.kind")], params=("kinds",)
    ),
    "sales.matchmaking_fairs": matchmaking,
    "brands.launch_events": dated_count("event", "centre.Event", "e", "held_on", ["e.kind = 'brand_launch'"]),
    "centre.work_orders": work_orders,
    "centre.incubated_recipients": recipients(directed=False),
    "training.directed_incubations": recipients(directed=True),
    "training.follow_up_guidance": dated_count("follow-up", "centre.IncubationFollowUp", "f", "held_on"),
    "centre.field_surveys": dated_count(
        "field survey",
        "centre.FieldSurvey",
        "f",
        "surveyed_on",
        [lambda t: listed(t, "subjects", "f.subject")],
        params=("subjects",),
    ),
    "publicity.articles": dated_count(
        "article",
        "publicity.Article",
        "a",
        "published_on",
        [lambda t: listed(t, "channels", "a.channel")],
        params=("channels",),
    ),
    "publicity.media_coverage": dated_count(
        "media",
        "publicity.MediaCoverage",
        "m",
        "published_on",
        [lambda t: listed(t, "levels", "m.level")],
        params=("levels",),
    ),
    "publicity.brochure_pages": dated_count(
        "brochure", "publicity.BrochureDistribution", "b", "distributed_on", how="SUM", value="b.pages"
    ),
    "brands.promotions": plus(
        dated_count("article", "publicity.Article", "a", "published_on", ["a.promotes_brand"]),
        dated_count("media", "publicity.MediaCoverage", "m", "published_on", ["m.promotes_brand"]),
        dated_count("video", "publicity.Video", "v", "published_on", ["v.promotes_brand"]),
    ),
    "brands.promotion_reads": plus(
        dated_count(
            "article", "publicity.Article", "a", "published_on", ["a.promotes_brand"], "SUM", "a.reads"
        ),
        dated_count("video", "publicity.Video", "v", "published_on", ["v.promotes_brand"], "SUM", "v.views"),
    ),
    "brands.promo_videos": dated_count(
        "video", "publicity.Video", "v", "published_on", ["v.kind = 'brand_promo'"], "DISTINCT", "v.title"
    ),
    "brands.promo_video_showings": dated_count(
        "video", "publicity.Video", "v", "published_on", ["v.kind = 'brand_promo'"]
    ),
    "training.person_times": person_times,
    "training.poor_household_share": poor_share,
    "training.conversion_rate": conversion,
    "training.million_yuan_merchants": million,
    "training.placements": recorded("employed"),
    "training.influencers": recorded("influencer"),
    "training.follow_up_visits": dated_count("visit", "training.FollowUpVisit", "v", "visited_on"),
    "training.merchant_census": dated_count("census", "training.MerchantCensus", "c", "counted_on"),
    "standards.trainings": dated_count(
        "session", "training.TrainingSession", "s", "held_on", ["s.topic = 'standards'"]
    ),
    "stations.inspections": dated_count("inspection", "operations.StationInspection", "i", "visited_on"),
    "stations.manager_trainings": dated_count(
        "manager training", "operations.ManagerTraining", "t", "held_on"
    ),
    "stations.evaluations": dated_count("evaluation", "operations.StationEvaluation", "e", "held_on"),
    "stations.coverage": coverage,
    "stations.premium_count": premium_count,
    "stations.premium_min_turnover": premium_turnover,
    "stations.daily_report_rate": daily_report_rate,
    "stations.app_activity_rate": app_activity_rate,
    "team.members": team,
    "reports.monthly": approved_reports("monthly"),
    "reports.data_analysis": approved_reports("analysis"),
}


def check_against(progress, figures, today) -> int:
    """The dashboard's actual figures equal the baseline's; returns how many were compared."""
    compared = 0
    for item in progress:
        for phase in [*item.phases, item.overall]:
            key = (item.target.key, phase.phase)
            if key not in figures:
                continue
            expected = figures[key]
            actual = phase.actual
            # SQLite sums money as floating point in the raw statement: equal to the fen.
            assert (expected is None and actual is None) or (
                expected is not None
                and actual is not None
                and abs(Decimal(str(expected)) - actual) < Decimal("0.005")
            ), f"{item.target.key} phase {phase.phase}: dashboard {actual}, baseline {expected}"
            compared += 1
    return compared


class Deadline(Exception):
    pass


def call_with_deadline(function, seconds: float):
    """Run ``function``; past ``seconds`` interrupt the statement in progress and raise Deadline."""
    import threading

    from django.db import DatabaseError, connection

    fired = threading.Event()
    connection.ensure_connection()
    raw = connection.connection  # Django's connections are per thread: take this one's
    sqlite = connection.vendor == "sqlite"

    def interrupt():
        fired.set()
        raw.interrupt() if sqlite else raw.cancel()

    timer = threading.Timer(seconds, interrupt)
    timer.start()
    try:
        return function()
    except DatabaseError:
        if fired.is_set():
            raise Deadline from None
        raise
    finally:
        timer.cancel()


def timed(function, deadline: float, runs: int = 5) -> tuple[float, list[float]]:
    """Median of ``runs`` after one warm-up; Deadline when the warm-up takes longer than ``deadline``."""
    call_with_deadline(function, deadline)  # warm-up
    timings = []
    for _run in range(runs):
        gc.collect()
        start = time.perf_counter()
        call_with_deadline(function, deadline)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings


def count_queries(contract, today) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.contracts.engine import compute_progress

    # A first run fills the per-process caches (content types of every measured model), which a
    # steady dashboard does not pay again; the count is of the run after it.
    compute_progress(contract, today)
    with CaptureQueriesContext(connection) as captured:
        compute_progress(contract, today)
    return len(captured.captured_queries)


ENGINE = "(engine: contract, phases, targets)"


def instrumented_run(contract, today):
    """One extra run of compute_progress with each metric function and each statement timed."""
    from django.db import connection

    from muxiang.contracts import engine

    per_metric: dict[str, list] = defaultdict(lambda: [0, 0.0, 0])  # calls, seconds, queries
    per_query: dict[str, list] = defaultdict(lambda: [0, 0.0])
    current = [ENGINE]
    originals = dict(engine.REGISTRY)

    def wrap(name, function):
        def timed_metric(*args, **kwargs):
            current[0] = name
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                per_metric[name][0] += 1
                per_metric[name][1] += time.perf_counter() - start
                current[0] = ENGINE

        return timed_metric

    def on_query(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            per_metric[current[0]][2] += 1
            key = f"{current[0]}: {' '.join(sql.split())}"
            per_query[key][0] += 1
            per_query[key][1] += time.perf_counter() - start

    for name, function in originals.items():
        engine.REGISTRY[name] = wrap(name, function)
    try:
        with connection.execute_wrapper(on_query):
            start = time.perf_counter()
            engine.compute_progress(contract, today)
            total = time.perf_counter() - start
    finally:
        engine.REGISTRY.update(originals)
    return total, per_metric, per_query


def print_profile(title, contract, today) -> float:
    total, per_metric, per_query = instrumented_run(contract, today)
    outside = per_metric.pop(ENGINE, [0, 0.0, 0])[2]
    print(f"    profile, {title} ({total:.3f} s; {outside} queries outside the metric functions):")
    for name, (calls, secs, nq) in sorted(per_metric.items(), key=lambda kv: -kv[1][1]):
        print(f"      {name:<24} {calls:3d} calls {nq:4d} queries {secs:8.3f} s  {secs / total:6.1%}")
    print("      slowest statements (calls, seconds, metric: SQL):")
    for key, (calls, secs) in sorted(per_query.items(), key=lambda kv: -kv[1][1])[:4]:
        text = key if len(key) <= 400 else key[:397] + "..."
        print(f"      {calls:3d} x {secs:8.3f} s  {text}")
    sys.stdout.flush()
    return total


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def summary(gen: Generator) -> str:
    c = gen.counts
    parts = [f"{label.split('.')[-1]} {n:,}" for label, n in sorted(c.items(), key=lambda kv: -kv[1])]
    return ", ".join(parts)


def run(args, scratch: Scratch) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from muxiang.contracts.engine import compute_progress, is_measurable
    from muxiang.contracts.services import load_contract

    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    today = timezone.localdate()
    start = contract_start(today)

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    gen = Generator(args.records, start, today)
    add_county(gen)  # the contract finds it by its code
    contract = load_contract(CONTRACT_FILE.read_text(encoding="utf-8"), start=start)
    gen.contract = contract
    gen.requirements = defaultdict(list)
    for target in contract.targets.all():
        gen.requirements[target.metric] += [
            r for r in target.evidence or () if r not in gen.requirements[target.metric]
        ]
    phases = list(contract.phases.all())
    assert contract.county_id == gen.county_id, "the contract did not find the county"
    assert phases[1].start <= today <= phases[1].end, "today is not in phase 2"
    vendor = connection.vendor
    measurable = [t for t in contract.targets.all() if is_measurable(t.metric)]
    print(f"database: {vendor} {connection.settings_dict['NAME']}", flush=True)
    print(
        f"set-up (migrate, contract): {time.perf_counter() - step:.1f} s; contract "
        f"{contract.key}, {contract.targets.count()} targets ({len(measurable)} measurable), phases "
        + ", ".join(f"{p.number}: {p.start}–{p.end}" for p in phases)
        + f"; today {today}",
        flush=True,
    )
    dashboard = lambda: compute_progress(contract, today)  # noqa: E731
    baseline_run = lambda: Baseline(contract, today).run()  # noqa: E731
    baseline = Baseline(contract, today)
    missing = [t.key for t in measurable if t.key in baseline.not_covered]
    if missing:
        print(f"    measurable targets the baseline does not compute: {', '.join(missing)}")

    # -- 10% of the records: query count, figures, profile ---------------------------------------
    seconds = generate(gen, 0.0, 0.1)
    small_records = gen.records
    print(f"generated {small_records:,} records (10%) in {seconds:.1f} s", flush=True)
    small_queries = count_queries(contract, today)
    compared = check_against(dashboard(), baseline_run(), today)
    print(f"    compute_progress at 10%: {small_queries} queries; {compared} figures equal to the baseline's")
    small_seconds = None
    if not args.no_profile:
        small_seconds = print_profile(f"at 10% ({small_records:,} records)", contract, today)

    # -- all the records ------------------------------------------------------------------------------
    seconds = generate(gen, 0.1, 1.0)
    records = gen.records
    print(
        f"generated {records:,} records in all ({seconds:.1f} s for the other 90%): {summary(gen)}",
        flush=True,
    )

    figures = baseline_run()
    statements = sum(1 for p in Baseline(contract, today).passes.values())
    base_seconds, base_runs = timed(baseline_run, deadline=600, runs=args.runs)
    print(
        f"(a) baseline, one raw SQL aggregate statement per table ({statements} statements): "
        f"{base_seconds:.3f} s (median of {args.runs}: " + ", ".join(f"{t:.3f}" for t in base_runs) + ")",
        flush=True,
    )

    if not args.no_profile:
        timings: dict[str, float] = {}
        Baseline(contract, today).run(timings)
        print(
            "    baseline statements: "
            + ", ".join(
                f"{name} {secs:.3f} s" for name, secs in sorted(timings.items(), key=lambda kv: -kv[1])
            ),
            flush=True,
        )

    timed_out = False
    try:
        seconds, runs = timed(dashboard, deadline=args.deadline, runs=args.runs)
    except Deadline:
        timed_out, seconds, runs = True, float(args.deadline), []
        print(f"(b) compute_progress: interrupted after {args.deadline} s (--deadline)", flush=True)
    else:
        compared = check_against(dashboard(), figures, today)
        print(
            f"(b) compute_progress: {seconds:.3f} s (median of {args.runs}: "
            + ", ".join(f"{t:.3f}" for t in runs)
            + f"), {seconds / base_seconds:.2f}x the baseline; {compared} measured figures equal to the "
            "baseline's",
            flush=True,
        )
        if not args.no_profile:
            print_profile("all records", contract, today)

    queries = count_queries(contract, today)
    assert queries == small_queries, f"{queries} queries at 100% but {small_queries} at 10%"
    print(f"compute_progress issues {queries} SQL queries, the same as at 10% of the records", flush=True)

    # A what-if: ANALYZE gives SQLite's planner the statistics it lacks (the application never runs it).
    analysed_seconds = None
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analysed_seconds, _runs = timed(dashboard, deadline=600, runs=args.runs)
        analysed_base, _base_runs = timed(baseline_run, deadline=600, runs=args.runs)
        print(
            f"(c) what-if, after ANALYZE: compute_progress {analysed_seconds:.3f} s, baseline "
            f"{analysed_base:.3f} s ({analysed_seconds / analysed_base:.2f}x)",
            flush=True,
        )

    result = {
        "bench": "kpi",
        "database": vendor,
        "records": records,
        "seconds": round(seconds, 3),
        "baseline_seconds": round(base_seconds, 3),
        "ratio": round(seconds / base_seconds, 2),
        "timed_out": timed_out,
        "queries": queries,
        "queries_at_10_percent": small_queries,
        "figures_compared": compared,
        "seconds_at_10_percent": None if small_seconds is None else round(small_seconds, 3),
        "seconds_after_analyze": None if analysed_seconds is None else round(analysed_seconds, 3),
        "budget_seconds": BUDGET_SECONDS,
        "budget_ratio": BUDGET_RATIO,
        "load_average": load,
    }
    within = not timed_out and result["seconds"] < BUDGET_SECONDS and result["ratio"] < BUDGET_RATIO
    print(
        f"compute_progress {'over ' if timed_out else ''}{result['seconds']} s, "
        f"{result['ratio']}x the baseline ({'within' if within else 'ABOVE'} the budget of "
        f"{BUDGET_SECONDS} s and {BUDGET_RATIO}x) on {machine()}, load average at start {load}",
        flush=True,
    )
    result["within_budget"] = within
    return result


def main(argv=None) -> int:
    args = parse_args(argv)
    scratch = Scratch(SCRATCH_DB)
    try:
        scratch.prepare()
        result = run(args, scratch)
    finally:
        scratch.cleanup()
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if args.check and not result["within_budget"] else 0


if __name__ == "__main__":
    sys.exit(main())
