"""Bench: importing a 100,000-row people ledger (.xlsx) against merely reading the file.

Run from the repository root, with nothing set up beforehand:

    .venv/bin/python bench/import_people.py              # 100,000 rows, temporary SQLite
    .venv/bin/python bench/import_people.py --rows 5000  # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_people.py

What it does:

1. Points MUXIANG_VAR_DIR at a fresh temporary directory (SQLite database, secret key, media). When
   DATABASE_URL names a PostgreSQL server, a scratch database ``bench_muxiang`` is created on that
   server instead (the database named in the URL is never touched) and dropped at the end.
2. Runs ``migrate`` quietly, creates an operator-staff user and a few regions and stations.
3. Writes an .xlsx in the import template's layout (sheet 人员, headers from PersonLedger.columns,
   ``*`` on required ones) with XlsxWriter in constant-memory mode: valid, unique ID numbers, phone
   numbers, categories, the poor-household flag, and references to the regions and stations.
4. Times (time.perf_counter):
   a. the baseline: python-calamine reading the sheet into Python rows (median of 3 reads);
   b. the import: ``PersonLedger(user).import_file(data, "people.xlsx")`` inside an audit
      ``change_context``, as the web view runs it; checks every row was created and audited;
   c. the re-import of the same file: checks nothing is created or changed (idempotency).
5. Prints a summary and, as the last line, one JSON object with the figures. The budget is an import
   at most ``BUDGET_RATIO`` times the baseline; ``--check`` makes the exit status fail above it.

``--profile DIR`` also writes cProfile stats of the import and the re-import to DIR (the timings of
such a run are inflated by the profiler and are not the bench's figures).
"""

import argparse
import datetime
import gc
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import scratch  # noqa: E402
from scratch import Scratch  # noqa: E402  (bench/ is the script's own directory)

BUDGET_RATIO = 5
SCRATCH_DB = "bench_muxiang"
MAX_ROWS = 20_000_000  # make_id_number keeps 3 sequence digits: 20,000 birth dates x 1,000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁龙林欢阳晨辉巴特尔其木格乌云那仁图雅苏日娜额尔敦"
NOTES = ["", "", "", "", "", "", "", "", "2024 年春季培训", "合作社成员", "返乡创业"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows in the file (default 100000)")
    parser.add_argument(
        "--check", action="store_true", help=f"exit with status 1 when the ratio is above {BUDGET_RATIO}"
    )
    parser.add_argument("--profile", metavar="DIR", help="write cProfile stats of both imports to DIR")
    args = parser.parse_args(argv)
    if not 1 <= args.rows <= MAX_ROWS:
        parser.error(f"--rows must be between 1 and {MAX_ROWS}")
    return args


# ---------------------------------------------------------------------------------------------------
# Environment: a throw-away database, set up before Django is imported.


# ---------------------------------------------------------------------------------------------------
# Fixtures and the file


def create_fixtures():
    """An operator-staff user, one county with towns and villages, and village stations."""
    from muxiang.accounts.models import User
    from muxiang.core import audit
    from muxiang.core.permissions import Role
    from muxiang.regions.choices import RegionLevel
    from muxiang.regions.models import Region
    from muxiang.stations.choices import StationLevel
    from muxiang.stations.models import Station

    user = User.objects.create_user(username="bench", role=Role.OPERATOR_STAFF, full_name="基准测试")
    villages, stations = [], []
    with audit.change_context(user=user, source="bench"):
        county = Region.objects.create(name="乌拉特中旗", level=RegionLevel.COUNTY, code="150824")
        for t in range(5):
            town = Region.objects.create(
                name=f"第{t + 1}镇", level=RegionLevel.TOWN, parent=county, code=f"150824{100 + t:03d}"
            )
            for v in range(4):
                villages.append(
                    Region.objects.create(
                        name=f"第{t + 1}镇{v + 1}村",
                        level=RegionLevel.VILLAGE,
                        parent=town,
                        code=f"{town.code}{200 + v:03d}",
                    )
                )
        for index, village in enumerate(villages[:10]):
            stations.append(
                Station.objects.create(
                    code=f"HLT-{index + 1:03d}",
                    name=f"{village.name}服务站",
                    level=StationLevel.VILLAGE,
                    region=village,
                )
            )
    return user, villages, stations


def write_people_xlsx(path: Path, rows: int, villages, stations) -> None:
    """The import template's layout, filled with ``rows`` valid people, row by row (constant memory)."""
    import xlsxwriter

    from muxiang.core.validators import make_id_number
    from muxiang.people.ledgers import PersonLedger

    columns = [c for c in PersonLedger.columns if c.importable]
    headers = [c.header + ("*" if c.required else "") for c in columns]
    by_header = {c.header: i for i, c in enumerate(columns)}
    rng = random.Random(20240315)
    county_codes = ["150824", "150821", "150822", "150823", "150825", "150826"]
    first_birth = datetime.date(1950, 1, 1)
    region_keys = [v.code for v in villages] + [v.path for v in villages[:5]]
    station_codes = [s.code for s in stations]
    kinds = ["学员"] * 8 + ["学员、联系人", "联系人"]

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(PersonLedger.sheet_name)
    head = workbook.add_format({"bold": True, "bg_color": "#E8F0E0", "border": 1})
    text_format = workbook.add_format({"num_format": "@"})
    for col, header in enumerate(headers):
        sheet.set_column(col, col, max(12, len(header) * 2 + 4), text_format)
        sheet.write_string(0, col, header, head)
    for i in range(rows):
        # (birth date, sequence) is unique for every i below MAX_ROWS: 7919 is prime to 20,000.
        birth = first_birth + datetime.timedelta(days=(i * 7919) % 20_000)
        id_number = make_id_number(county_codes[i % len(county_codes)], birth, i // 20_000)
        cells = {
            "姓名": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            "身份证号": id_number,
            "手机号": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else "",
            "人员类别": rng.choice(kinds),
            "贫困户/脱贫户": "是" if rng.random() < 0.12 else "否",
            "户籍/居住地": rng.choice(region_keys) if rng.random() < 0.8 else "",
            "所属站点编号": rng.choice(station_codes) if rng.random() < 0.5 else "",
            "所在单位信用代码": "",
            "备注": rng.choice(NOTES),
        }
        row = i + 1
        for header, value in cells.items():
            if value and header in by_header:
                sheet.write_string(row, by_header[header], value)
    notes = workbook.add_worksheet("填写说明")
    for row, column in enumerate(columns):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, "必填" if column.required else "选填")
    workbook.close()


# ---------------------------------------------------------------------------------------------------
# Measurements


def read_baseline(data: bytes, sheet_name: str, expect_rows: int) -> float:
    """Median of three plain reads: calamine into Python rows, the call the engine itself makes."""
    from python_calamine import CalamineWorkbook

    timings = []
    for _attempt in range(3):
        gc.collect()
        start = time.perf_counter()
        rows = (
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_name(sheet_name)
            .to_python(skip_empty_area=False)
        )
        timings.append(time.perf_counter() - start)
        assert len(rows) == expect_rows + 1, f"calamine read {len(rows)} rows, expected {expect_rows + 1}"
        del rows
    return statistics.median(timings)


class Phases:
    """Wall time per step of ``Ledger.import_file``, by wrapping the engine's steps for this process.

    Only names that exist are wrapped, so the bench keeps working while the engine changes; whatever
    is not covered (the transaction's commit, the report) is shown as "other"."""

    STEPS = (
        # (module, class or None, attribute, label); labels starting with spaces are inside write
        ("muxiang.core.ledgers", None, "read_table", "read .xlsx (calamine)"),
        ("muxiang.core.ledgers", "Ledger", "_parse", "parse and check cells, resolve references"),
        ("muxiang.core.ledgers", "Ledger", "_match", "match natural keys to records"),
        ("muxiang.core.ledgers", "Ledger", "_check_unique", "check other unique fields"),
        ("muxiang.core.ledgers", "Ledger", "validate_plans", "validate plans"),
        ("muxiang.core.ledgers", "Ledger", "write", "write (all of it)"),
        ("muxiang.people.ledgers", "PersonLedger", "build_instance", "  build Person instances"),
        ("muxiang.core.ledgers", None, "bulk_changes", "  build audit entries (snapshots)"),
        ("muxiang.core.audit", None, "record_changes", "  insert audit entries (bulk_create)"),
    )

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._undo = []

    def __enter__(self):
        import importlib

        for module_path, class_name, name, label in self.STEPS:
            owner = importlib.import_module(module_path)
            if class_name:
                owner = getattr(owner, class_name, None)
            original = vars(owner).get(name) if owner is not None else None
            if not callable(original):
                continue
            setattr(owner, name, self._wrap(original, label))
            self._undo.append((owner, name, original))
        return self

    def __exit__(self, *exc):
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()

    def _wrap(self, function, label):
        seconds = self.seconds

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - start

        return timed

    def lines(self, total: float) -> list[str]:
        labels = [step[-1] for step in self.STEPS if step[-1] in self.seconds]
        if not labels:
            return []
        out = []
        for label in labels:
            value = self.seconds[label]
            out.append(f"      {label:<44} {value:7.2f} s  {value / total:6.1%}")
        write = self.seconds.get("write (all of it)")
        if write is not None:
            inner = sum(v for k, v in self.seconds.items() if k.startswith("  "))
            rest = write - inner
            out.append(
                f"      {'  insert Person rows, rest of write':<44} {rest:7.2f} s  {rest / total:6.1%}"
            )
        top = sum(v for k, v in self.seconds.items() if not k.startswith("  "))
        other = total - top
        out.append(f"      {'other (commit, report)':<44} {other:7.2f} s  {other / total:6.1%}")
        return out


def timed_import(user, data: bytes, profile_path: Path | None):
    from muxiang.people.ledgers import PersonLedger

    return scratch.timed_import(PersonLedger(user), data, "people.xlsx", Phases(), profile_path)


def problems_of(report) -> str:
    return "; ".join(str(p) for p in report.problems[:5])


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run(args, scratch: Scratch) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from muxiang.core.models import ObjectChange
    from muxiang.people.ledgers import PersonLedger
    from muxiang.people.models import Person

    rows = args.rows
    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    user, villages, stations = create_fixtures()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    print(f"set-up (migrate, fixtures): {time.perf_counter() - step:.1f} s", flush=True)

    step = time.perf_counter()
    path = scratch.var_dir / "people.xlsx"
    write_people_xlsx(path, rows, villages, stations)
    data = path.read_bytes()
    print(
        f"generated {path.name}: {rows:,} rows, {len(data) / 1048576:.1f} MB "
        f"in {time.perf_counter() - step:.1f} s",
        flush=True,
    )

    baseline = read_baseline(data, PersonLedger.sheet_name, rows)
    print(f"(a) baseline, calamine read to Python rows: {baseline:.3f} s (median of 3)", flush=True)

    audit_before = ObjectChange.objects.count()
    report, seconds, cpu, phases = timed_import(
        user, data, profile_dir / "import.prof" if profile_dir else None
    )
    assert report.ok, f"import refused: {problems_of(report)}"
    assert report.applied
    assert report.created == rows, f"created {report.created}, expected {rows}"
    assert report.updated == 0 and report.unchanged == 0, report
    assert Person.all_objects.count() == rows, Person.all_objects.count()
    audit_entries = ObjectChange.objects.count() - audit_before
    assert audit_entries == rows, f"{audit_entries} audit entries, expected {rows}"
    print(
        f"(b) import: {seconds:.2f} s ({cpu:.2f} s CPU in this process), {rows / seconds:,.0f} rows/s, "
        f"created {report.created:,}, {audit_entries:,} audit entries",
        flush=True,
    )
    print("\n".join(phases.lines(seconds)), flush=True)

    report2, reimport_seconds, cpu2, phases2 = timed_import(
        user, data, profile_dir / "reimport.prof" if profile_dir else None
    )
    assert report2.ok, f"re-import refused: {problems_of(report2)}"
    assert report2.created == 0, f"re-import created {report2.created}"
    assert report2.updated == 0, f"re-import updated {report2.updated}"
    assert report2.unchanged == rows, f"re-import: {report2.unchanged} unchanged, expected {rows}"
    assert Person.all_objects.count() == rows
    assert ObjectChange.objects.count() - audit_before == rows, "the re-import wrote audit entries"
    print(
        f"(c) re-import: {reimport_seconds:.2f} s ({cpu2:.2f} s CPU in this process), "
        f"unchanged {report2.unchanged:,}, created 0, updated 0",
        flush=True,
    )
    print("\n".join(phases2.lines(reimport_seconds)), flush=True)

    result = {
        "bench": "import_people",
        "database": connection.vendor,
        "rows": rows,
        "baseline_seconds": round(baseline, 3),
        "seconds": round(seconds, 3),
        "ratio": round(seconds / baseline, 2),
        "reimport_seconds": round(reimport_seconds, 3),
        "reimport_ratio": round(reimport_seconds / baseline, 2),
        "budget_ratio": BUDGET_RATIO,
    }
    verdict = "within" if result["ratio"] <= BUDGET_RATIO else "ABOVE"
    print(
        f"ratio import/baseline {result['ratio']}x, re-import/baseline {result['reimport_ratio']}x "
        f"({verdict} the budget of {BUDGET_RATIO}x) on {machine()}, load average at start {load}",
        flush=True,
    )
    if profile_dir:
        print(
            f"profiles: {profile_dir / 'import.prof'}, {profile_dir / 'reimport.prof'} "
            "(timings of a profiled run are inflated)",
            flush=True,
        )
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
    if args.check and result["ratio"] > BUDGET_RATIO:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
