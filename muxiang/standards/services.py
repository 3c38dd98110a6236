"""The trade standard's rules: one current version per standard (a second one is refused; the
way to switch is ``make_current``, which retires the old one in the same transaction), and an
enterprise applies a standard once."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.services import acting_as
from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard


def current_version_clash(standard_id, exclude=None) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(standard_id=standard_id, is_current=True).exclude(pk=exclude).first()
    )


def current_clash_message(other: StandardVersion) -> str:
    return _("该标准已有现行版本「%(v)s」，请在该版本页面改为非现行，或在本版本页面点「设为现行版本」") % {
        "v": other
    }


def version_problems(version: StandardVersion) -> dict[str, str]:
    if version.is_current and version.standard_id:
        other = current_version_clash(version.standard_id, exclude=version.pk)
        if other is not None:
            return {"is_current": current_clash_message(other)}
    return {}


def adoption_problems(adoption: StandardAdoption) -> dict[str, str]:
    if not (adoption.standard_id and adoption.organisation_id):
        return {}
    other = (
        StandardAdoption.objects.filter(
            standard_id=adoption.standard_id, organisation_id=adoption.organisation_id
        )
        .exclude(pk=adoption.pk)
        .first()
    )
    if other is not None:
        return {
            "organisation": _("「%(o)s」已在执行此标准（自 %(d)s 起）")
            % {"o": adoption.organisation, "d": other.since.isoformat()}
        }
    return {}


def _save(record, by):
    if by is not None and not (
        permissions.can_change(by, record) if record.pk else permissions.can_add(by, type(record))
    ):
        raise PermissionDenied(_("您没有修改此记录的权限"))
    record.full_clean()
    with acting_as(by):
        record.save()
    return record


@transaction.atomic
def issue_version(
    standard: TradeStandard, number: str, version: str, effective_on, by=None, current=False, **fields
):
    """Record a version of ``standard``; with ``current`` it replaces the current one."""
    record = _save(
        StandardVersion(
            standard=standard, number=number, version=version, effective_on=effective_on, **fields
        ),
        by,
    )
    return make_current(record, by) if current else record


@transaction.atomic
def make_current(version: StandardVersion, by=None) -> StandardVersion:
    """``version`` becomes the standard's current version; the one it replaces is retired. Both
    writes are audited, and the standard is locked so two switches cannot leave two current."""
    TradeStandard.objects.select_for_update().filter(pk=version.standard_id).first()
    if by is not None and not permissions.can_change(by, version):
        raise PermissionDenied(_("您没有修改此记录的权限"))
    for previous in StandardVersion.objects.filter(standard_id=version.standard_id, is_current=True).exclude(
        pk=version.pk
    ):
        previous.is_current = False
        with acting_as(by):
            previous.save()
    version.refresh_from_db()
    version.is_current = True
    return _save(version, by)


@transaction.atomic
def adopt_standard(standard: TradeStandard, organisation, since, by=None, **fields) -> StandardAdoption:
    """An enterprise starts applying the standard."""
    return _save(StandardAdoption(standard=standard, organisation=organisation, since=since, **fields), by)
