"""What the programme funds contribute to the contract engine: each funds record the yearly audit
would question (an expense without its invoice, equipment without three quotations) is a condition
on the acceptance checklist of its phase."""

from muxiang.contracts.acceptance import ChecklistItem, add_checklist_source
from muxiang.contracts.choices import ChecklistState
from muxiang.funds.services import funds_flags


@add_checklist_source
def funds_checklist_items(phase):
    return [
        ChecklistItem(
            kind="funds",
            key=f"funds-{flag.kind}-{flag.record.pk}",
            section="4",
            title=f"{flag.label}：{flag.record}",
            state=ChecklistState.NOT_MET,
            detail=flag.message,
        )
        for flag in funds_flags(phase.contract, phase)
    ]
