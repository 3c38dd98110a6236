"""Programme work done under a contract: the base of every dated ledger that counts toward targets.

An event, a work order, an article, a training session … is done under one contract (one operator
may serve several counties) and dated: its date places it in a phase, and the contract's metrics
count it there. Once that phase is accepted (验收) the record is frozen: it cannot be added, moved,
changed or deleted until the operator admin unlocks the phase (``contracts.acceptance``).

The three pieces every such ledger uses:

- ``ContractRecord``: the abstract model (``contract`` and the name of its date field);
- ``ContractRecordForm``: a form mixin that offers the contract, preselected when only one is loaded;
- ``ContractRecordLedger``: a spreadsheet ledger whose 合同 column may be left empty when only one
  contract is loaded, and which refuses rows dated in a frozen phase, naming row and column.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.contracts.acceptance import frozen_phase_for, frozen_phases
from muxiang.core.ledgers import CellError, ForeignColumn, Ledger
from muxiang.core.models import SoftDeleteModel


def local_date(value) -> datetime.date | None:
    """The local (Asia/Shanghai) day of a date or a datetime: a work order starting at 07:00 on
    1 July in Urad Middle Banner is a 1 July record, though it is 30 June in UTC."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def only_contract():
    """The contract records belong to when the installation holds exactly one, else None."""
    from muxiang.contracts.models import Contract

    contracts = list(Contract.objects.all()[:2])
    return contracts[0] if len(contracts) == 1 else None


def later_dates(changed, stored: dict, new: dict) -> list[datetime.date]:
    """The dates among the changed later fields, before and after the change."""
    days = []
    for name in changed:
        for value in (stored.get(name), new.get(name)):
            if isinstance(value, datetime.date):
                days.append(local_date(value))
    return days


def frozen_message(day: datetime.date, phase) -> str:
    return _("%(day)s 属于已验收的%(contract)s%(phase)s，记录已冻结；如需更正请由运营方管理员解锁") % {
        "day": day.isoformat(),
        "contract": phase.contract.name,
        "phase": phase,
    }


class ContractRecord(SoftDeleteModel):
    """A dated piece of programme work under one contract. Subclasses name their date field in
    ``date_field``; a record without a date (``None``) is not placed in any phase."""

    contract = models.ForeignKey(
        "contracts.Contract", verbose_name=gettext_lazy("合同"), on_delete=models.PROTECT, related_name="+"
    )

    date_field = "date"

    class Meta:
        abstract = True

    @property
    def work_date(self) -> datetime.date | None:
        return local_date(getattr(self, self.date_field, None))

    def stored_dates(self) -> list[tuple[int, datetime.date]]:
        """(contract id, date) the record holds in the database now: moving a record out of an
        accepted phase changes that phase as much as moving one into it."""
        if self.pk is None:
            return []
        stored = type(self).all_objects.filter(pk=self.pk).values_list("contract_id", self.date_field).first()
        if stored is None or stored[1] is None:
            return []
        return [(stored[0], local_date(stored[1]))]

    def frozen_problem(self) -> str | None:
        """Why this record may not be written now, or None."""
        from muxiang.contracts.models import Contract

        later = self.later_change()
        if later is not None:
            # Only what happened after the record's date changes (a member leaving the brand):
            # frozen only where those dates themselves fall in an accepted phase.
            dates = [(self.contract_id, day) for day in later]
        else:
            dates = self.stored_dates()
            if self.contract_id and self.work_date:
                dates.append((self.contract_id, self.work_date))
        for contract_id, day in dates:
            phase = frozen_phase_for(day, Contract(pk=contract_id))
            if phase is not None:
                return frozen_message(day, phase)
        return None

    # Fields that record what happened after the record's own date (the day a member left, a
    # trademark registered later): editable while that date is in an accepted phase, unless their
    # own dates fall in one.
    later_fields: tuple[str, ...] = ()

    def later_change(self) -> list[datetime.date] | None:
        """When a stored record changes in ``later_fields`` only: the dates those fields held and
        hold (to be checked against the accepted phases); otherwise None."""
        if self.pk is None or not self.later_fields:
            return None
        names = [
            f.attname for f in self._meta.concrete_fields if f.attname not in ("updated_at", "created_at")
        ]
        stored = type(self).all_objects.filter(pk=self.pk).values(*names).first()
        if stored is None:
            return None
        changed = {name for name in names if getattr(self, name) != stored[name]}
        if not changed or not changed <= set(self.later_fields):
            return None
        return later_dates(changed, stored, {name: getattr(self, name) for name in changed})

    def clean(self):
        super().clean()
        problem = self.frozen_problem()
        if problem:
            raise ValidationError({self.date_field: problem})

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore."""
        problem = self.frozen_problem()
        if problem:
            raise ValidationError(problem)


class PhaseDatedRecord(SoftDeleteModel):
    """A dated record of county-wide work bound to no one contract (a version of the trade standard,
    an enterprise applying it, an outlet of the trade network): it is frozen when its date falls in
    an accepted phase of any contract, as a ``ContractRecord`` is in its own contract's. Subclasses
    name their date field in ``date_field``; ``None`` means the record has no date and never
    freezes."""

    date_field: str | None = None

    class Meta:
        abstract = True

    @property
    def work_date(self) -> datetime.date | None:
        return local_date(getattr(self, self.date_field, None)) if self.date_field else None

    def stored_date(self) -> datetime.date | None:
        if self.pk is None or not self.date_field:
            return None
        return local_date(
            type(self).all_objects.filter(pk=self.pk).values_list(self.date_field, flat=True).first()
        )

    def frozen_problem(self) -> str | None:
        """Why this record may not be written now, or None: moving a record out of an accepted
        phase changes that phase as much as moving one into it."""
        for day in sorted({d for d in (self.stored_date(), self.work_date) if d is not None}):
            phase = frozen_phase_for(day)
            if phase is not None:
                return frozen_message(day, phase)
        return None

    def clean(self):
        super().clean()
        problem = self.frozen_problem()
        if problem:
            raise ValidationError({self.date_field: problem})

    def assert_writable(self) -> None:
        """Called by ``core.services`` before a delete or restore."""
        problem = self.frozen_problem()
        if problem:
            raise ValidationError(problem)


class PhaseDatedLedger(Ledger):
    """A ledger of ``PhaseDatedRecord`` rows: a row that creates or changes a record dated (now or
    before) in an accepted phase of any contract is refused, naming row and date column. An
    unchanged row is fine: re-importing an accepted phase's ledger changes nothing."""

    def validate_plans(self, plans, report):
        super().validate_plans(plans, report)
        date_field = self.model.date_field
        frozen = list(frozen_phases()) if date_field else []
        if not frozen:
            return
        header = self.header_of(date_field)
        writing = [p for p in plans if p.pk is None or p.changed]
        stored = dict(
            self.model.all_objects.filter(pk__in=[p.pk for p in writing if p.pk]).values_list(
                "pk", date_field
            )
        )
        for plan in writing:
            for value in (plan.values.get(date_field), stored.get(plan.pk)):
                day = local_date(value)
                if day is None:
                    continue
                phase = next((p for p in frozen if p.start <= day <= p.end), None)
                if phase is not None:
                    report.add(plan.number, header, frozen_message(day, phase))
                    break


class ContractRecordForm:
    """Mix into a ModelForm of a ``ContractRecord``: with one contract loaded it is preselected."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("contract")
        if field is not None:
            field.label_from_instance = lambda contract: contract.name
            if not self.instance.pk and not self.initial.get("contract"):
                contract = only_contract()
                if contract is not None:
                    self.initial["contract"] = contract.pk


def contract_column(**kwargs) -> ForeignColumn:
    from muxiang.contracts.models import Contract

    return ForeignColumn(
        "contract",
        "合同",
        Contract,
        keys=("key", "name"),
        note="合同标识或合同名称；系统中只有一个合同时可不填",
        example="urad-middle-banner-package-1",
        export=lambda record, ledger: record.contract.key,
        **kwargs,
    )


class ContractRecordLedger(Ledger):
    """A ledger of ``ContractRecord`` rows: put ``contract_column()`` among the columns. An empty
    合同 cell means the only contract loaded; a row dated in an accepted phase is refused."""

    def clean_row(self, values):
        if values.get("contract") is None:
            if "_only_contract" not in self.__dict__:
                self._only_contract = only_contract()  # once per import, not once per row
            contract = self._only_contract
            if contract is None:
                raise CellError("合同", _("系统中有多个合同，请填写合同标识"))
            values["contract"] = contract

    def validate_plans(self, plans, report):
        """Rows that create or change a record dated in a frozen phase are refused; so is a change
        that would move a record out of one (its stored date counts as much as its new one). An
        unchanged row of a frozen phase is fine: re-importing last year's ledger changes nothing."""
        # The frozen phases are read once: an import of 100,000 rows spans hundreds of days.
        frozen = list(frozen_phases())
        if not frozen:
            return
        date_field = self.model.date_field
        header = self.header_of(date_field)
        writing = [p for p in plans if p.pk is None or p.changed]
        later = set(getattr(self.model, "later_fields", ()))
        stored_later = {}
        if later and any(p.pk and set(p.changed) <= later for p in writing):
            stored_later = {
                row["pk"]: row
                for row in self.model.all_objects.filter(pk__in=[p.pk for p in writing if p.pk]).values(
                    "pk", *later
                )
            }
        stored = dict(
            self.model.all_objects.filter(pk__in=[p.pk for p in writing if p.pk]).values_list(
                "pk", date_field
            )
        )
        for plan in writing:
            contract = plan.values.get("contract")
            if contract is None:
                continue
            days = (plan.values.get(date_field), stored.get(plan.pk))
            if plan.pk in stored_later and set(plan.changed) <= later:
                # Only what happened after the record's date changes (see ContractRecord).
                days = later_dates(plan.changed, stored_later[plan.pk], plan.values)
            for value in days:
                day = local_date(value)
                if day is None:
                    continue
                phase = next(
                    (p for p in frozen if p.contract_id == contract.pk and p.start <= day <= p.end), None
                )
                if phase is not None:
                    report.add(plan.number, header, frozen_message(day, phase))
                    break
