"""Helpers the apps' tests share: the query-count guard of the API's list endpoints.

Not imported by the application. Each app of several ledgers guards its own lists (the core guard
in ``core/tests/test_list_queries.py`` covers the single-ledger apps) with::

    @pytest.mark.parametrize("path", api_list_paths("/api/centre/"))
    def test_every_api_list_costs_the_same_queries_for_3_and_30_records(client, api_token, auditor, build, path):
        assert_list_cost_is_constant(client, api_token(auditor), path, build)

where ``build(first, count)`` writes ``count`` records of every kind the app lists, every relation
filled, so that a schema field that queries once per row shows as a count that grows.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def api_list_paths(prefix: str) -> list[str]:
    """The list endpoints (paths without ``{pk}``) the API publishes under ``prefix``."""
    from muxiang.api import api

    return sorted(
        path for path in api.get_openapi_schema()["paths"] if path.startswith(prefix) and "{pk}" not in path
    )


def assert_list_cost_is_constant(client, headers: dict, path: str, build, counts=(3, 30)) -> None:
    """GET ``path`` with 3 records built and with 30: the same number of queries, and (``counts``,
    None where a list holds a fixed set) every record listed."""
    url = f"{path}?limit=100"

    def listed() -> int:
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    build(0, 3)
    listed()  # the first request fills what later ones find cached (content types, the token)
    with CaptureQueriesContext(connection) as few:
        found = listed()
    assert counts is None or found == counts[0], (path, found)
    build(3, 27)
    with CaptureQueriesContext(connection) as many:
        found = listed()
    assert counts is None or found == counts[1], (path, found)
    assert len(many) == len(few), f"{path}: {len(few)} queries for 3 records, {len(many)} for 30"
