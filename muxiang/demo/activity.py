"""The demo's programme work: the records of what the operator did (events, work orders, articles,
trainings, …) spread over phases 1 and 2 of the demo contract, so that a new user finds the ledgers
and the contract dashboard filled.

Each app that keeps such records contributes a ``demo.py`` with ``seed(demo: DemoActivity) -> dict``
(what it wrote, by name, for the summary). The seeders run once, in ``SEEDERS`` order, after the
demo contract is loaded (its phase dates place the records), in one transaction under the audit
source ``demo``. Like the rest of the demo they draw from a seeded generator, one per app, so
adding records to one app leaves the others' sample unchanged.
"""

import datetime
import importlib
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from muxiang.core import audit
from muxiang.core.models import SiteState

DEMO_FILE_NAMES = {
    "photo": "现场照片.png",
    "screenshot": "页面截图.png",
    "sign_in_sheet": "签到表.pdf",
    "notice": "活动通知.pdf",
    "document": "佐证材料.pdf",
    "work_order": "服务工单.pdf",
    "ledger": "台账.pdf",
    "invoice": "发票.pdf",
    "sales_proof": "销售证明.pdf",
    "video": "视频说明.pdf",
}
SEEDERS = (
    "muxiang.centre.demo",
    "muxiang.publicity.demo",
    "muxiang.training.demo",
    "muxiang.operations.demo",
    "muxiang.mofcom.demo",
    "muxiang.supply.demo",
    "muxiang.network.demo",
    "muxiang.sales.demo",
    "muxiang.brands.demo",
    "muxiang.trace.demo",
    # Last: the reports are built from the records the others wrote.
    "muxiang.reports.demo",
)
ACTIVITY_STATE_KEY = "demo-activity"


@dataclass
class DemoActivity:
    """What a seeder gets: the contract, its phases, the registry the demo already holds, and helpers
    for dates and evidence. Nothing is dated after ``today``."""

    contract: object
    today: datetime.date
    rng: random.Random
    stations: list = field(default_factory=list)  # active stations
    trainees: list = field(default_factory=list)  # people registered as trainees
    staff: list = field(default_factory=list)  # the operator's team
    organisations: list = field(default_factory=list)

    def phase(self, number: int):
        return self.contract.phases.get(number=number)

    def day_in_phase(self, number: int) -> datetime.date:
        """A random day of phase ``number`` that is not after today."""
        phase = self.phase(number)
        last = min(phase.end, self.today)
        if last <= phase.start:
            return phase.start
        return phase.start + datetime.timedelta(days=self.rng.randint(0, (last - phase.start).days))

    def moment(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    def attach_photo(self, records, name: str = "活动照片.png") -> None:
        self.attach_kind(records, "photo", name)

    def attach_document(self, records, name: str = "佐证材料.pdf") -> None:
        self.attach_kind(records, "document", name)

    def attach_kind(self, records, kind: str, name: str = "") -> None:
        """A stand-in file of ``kind`` on each record: a small PNG for photos and screenshots, a
        one-page PDF for the rest (the demo has no real sign-in sheets, invoices or videos)."""
        from muxiang.demo.services import DEMO_PDF, attach_demo_file, demo_png

        name = name or DEMO_FILE_NAMES.get(kind, "佐证材料.pdf")
        if kind in ("photo", "screenshot"):
            attach_demo_file(records, name, demo_png(), "image/png", ".png", "示例图片（演示数据）", kind)
        else:
            attach_demo_file(records, name, DEMO_PDF, "application/pdf", ".pdf", "示例文件（演示数据）", kind)

    def attach_required(self, records, metric: str) -> None:
        """One stand-in file of every kind the contract's targets measured by ``metric`` require, so
        that the records count on the dashboard (where "a|b" is required, the first kind)."""
        kinds = []
        for target in self.contract.targets.filter(metric=metric):
            for requirement in target.evidence or ():
                kind = str(requirement).split("|")[0]
                if kind not in kinds:
                    kinds.append(kind)
        for kind in kinds or ["document"]:
            self.attach_kind(records, kind)


def load_demo_activity(contract, today: datetime.date | None = None) -> dict[str, int]:
    """Run every app's seeder once per installation; a second call changes nothing."""
    from muxiang.organisations.models import Organisation
    from muxiang.people.models import Person
    from muxiang.stations.models import Station

    today = today or timezone.localdate()
    with transaction.atomic(), audit.change_context(source="demo"):
        state, _created = SiteState.objects.select_for_update().get_or_create(
            key=ACTIVITY_STATE_KEY, defaults={"value": {"loaded": False}}
        )
        if state.value.get("loaded"):
            return state.value.get("counts", {})
        counts: dict[str, int] = {}
        stations = list(Station.objects.filter(status="active").order_by("code"))
        trainees = list(Person.objects.filter(kinds__icontains='"trainee"').order_by("pk"))
        staff = list(Person.objects.filter(kinds__icontains='"operator_staff"').order_by("pk"))
        organisations = list(Organisation.objects.order_by("pk"))
        for offset, module_name in enumerate(SEEDERS, start=1):
            demo = DemoActivity(
                contract=contract,
                today=today,
                rng=random.Random(150824 + offset),
                stations=stations,
                trainees=trainees,
                staff=staff,
                organisations=organisations,
            )
            counts.update(importlib.import_module(module_name).seed(demo))
        state.value = {"loaded": True, "counts": counts}
        state.save(update_fields=["value"])
    return counts
