"""Contracts in the API: the loaded contracts and every target's progress, as the dashboard and
``muxiang progress --json`` give them."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from muxiang.contracts.models import Contract
from muxiang.core import permissions

router = Router(tags=["contracts 合同"])


class PhaseOut(Schema):
    number: int
    title: str
    start: datetime.date
    end: datetime.date


class ContractOut(Schema):
    key: str
    name: str
    project_number: str
    county_name: str
    client_name: str
    operator_name: str
    total_amount: float
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj):
        return list(obj.phases.all())


class FigureOut(Schema):
    actual: float | None
    target: float | None
    status: str


class TargetProgressOut(Schema):
    key: str
    section: str
    phases: dict[str, FigureOut]
    overall: FigureOut


def _require_reader(request):
    if not permissions.can_read_audit(request.auth):
        raise HttpError(403, _("您没有查看合同进度的权限"))


@router.get("/", response=list[ContractOut], summary="List contracts", operation_id="contracts_list")
def list_contracts(request):
    _require_reader(request)
    return list(Contract.objects.prefetch_related("phases"))


@router.get(
    "/{key}/progress",
    response=list[TargetProgressOut],
    summary="Every target's progress per phase",
    operation_id="contracts_progress",
)
def contract_progress(request, key: str, today: datetime.date | None = None):
    _require_reader(request)
    contract = Contract.objects.filter(key=key).first()
    if contract is None:
        raise HttpError(404, _("找不到合同「%(k)s」") % {"k": key})
    from muxiang.contracts.management.commands.progress import progress_rows

    return progress_rows(contract, today)
