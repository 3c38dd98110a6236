"""What the people registry contributes to the contract engine (contract 4.1)."""

import datetime

from django.utils import timezone

from muxiang.contracts.engine import EVIDENCE_PARAM, evidenced, memo, records_of, register
from muxiang.people.models import Person


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in local time: comparing timestamps with it needs no
    conversion of every row's timestamp to a date (``__date__lte``)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def operator_team():
    return Person.objects.filter(kinds__icontains='"operator_staff"')


@register("team.members")
def team_members(window, params, contract):
    """The operator's team: people registered as 运营团队 by the day measured. The team's
    registration times are read once per dashboard (one scan of the people), then counted per day."""
    team = evidenced(operator_team(), params)
    joined = memo(
        ("team.members", tuple(params.get(EVIDENCE_PARAM) or ())),
        lambda: list(team.values_list("created_at", flat=True)),
    )
    cutoff = end_of_day(window.as_of)
    return sum(1 for moment in joined if moment < cutoff)


@records_of("team.members")
def team(window, params, contract):
    return operator_team().filter(created_at__lt=end_of_day(window.as_of))
