from muxiang.core.testing import api_list_paths


def get_list_paths() -> list[str]:
    """The GET list endpoints under /api/supply/ (the transfer route is a POST; balances take the
    stock point as ``{pk}``)."""
    from muxiang.api import api

    paths = api.get_openapi_schema()["paths"]
    return [p for p in api_list_paths("/api/supply/") if "{" not in p and "get" in paths[p]]
