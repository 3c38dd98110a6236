from muxiang.core import permissions


def current_contract(request):
    """The contract the pages speak of, named in every page's header: the one chosen in this
    session (``?contract=KEY`` on the contract pages sets it), else the only one loaded."""
    user = getattr(request, "user", None)
    if not permissions.can_read_audit(user):
        return {}
    from muxiang.contracts.models import Contract

    key = request.session.get("contract") if hasattr(request, "session") else None
    contract = Contract.objects.filter(key=key).only("key", "name").first() if key else None
    if contract is None:
        contracts = list(Contract.objects.only("key", "name")[:2])
        contract = contracts[0] if len(contracts) == 1 else None
    return {"current_contract": contract}
