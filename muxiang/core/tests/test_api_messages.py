import pytest


@pytest.mark.django_db
def test_an_unparseable_api_body_is_explained_in_chinese(client, staff, api_token):
    response = client.post("/api/stations/", "{not json", content_type="application/json", **api_token(staff))
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON"


@pytest.mark.django_db
def test_a_negative_page_limit_is_explained_in_chinese(client, staff, api_token):
    response = client.get("/api/stations/?limit=-1", **api_token(staff))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "limit", "message": "不能小于 1"}]


def test_every_api_operation_has_its_own_id():
    """Client generators name their methods after the operation ids: two ledgers called ``video``
    in two apps must not give two ``video_list``."""
    from collections import Counter

    from muxiang.api import api

    ids = Counter(
        operation["operationId"]
        for operations in api.get_openapi_schema()["paths"].values()
        for operation in operations.values()
    )
    assert [name for name, count in ids.items() if count > 1] == []
    assert "funds_expense_list" in ids
