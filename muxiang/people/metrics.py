"""What the people registry contributes to the contract engine (contract 4.1)."""

from muxiang.contracts.engine import records_of, register
from muxiang.people.models import Person


@register("team.members")
def team_members(window, params, contract):
    """The operator's team: people registered as 运营团队 by the day measured."""
    return Person.objects.filter(
        kinds__icontains='"operator_staff"', created_at__date__lte=window.as_of
    ).count()


@records_of("team.members")
def team(window, params, contract):
    return Person.objects.filter(kinds__icontains='"operator_staff"', created_at__date__lte=window.as_of)
