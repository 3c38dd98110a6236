"""What the contracts app contributes to the contract engine: the ``manual`` metric."""

from muxiang.contracts.engine import TARGET_PARAM, register
from muxiang.contracts.models import ManualFigure


@register("manual")
def manual_figure(window, params, contract):
    """The latest figure entered by hand for the target, in the latest phase the window covers.

    A per-phase window covers one phase, so that phase's latest entry counts; a cumulative or
    whole-contract window takes the latest phase that has an entry (figures of a cumulative target
    are entered as running totals). No entry: None, "not measurable yet", never zero.
    """
    key = params.get(TARGET_PARAM)
    if key is None:
        return None
    figure = (
        ManualFigure.objects.filter(
            target__contract=contract,
            target__key=key,
            phase__contract=contract,
            phase__start__gte=window.start,
            phase__end__lte=window.end,
            phase__start__lte=window.as_of,
        )
        .order_by("-phase__number", "-id")
        .values_list("value", flat=True)
        .first()
    )
    return figure
