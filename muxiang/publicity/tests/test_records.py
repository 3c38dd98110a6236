"""Publicity records through forms, pages and the API: bad input is refused with a Chinese message
naming the field and writes nothing; billboards and brochure distributions are numbered when the
number is left blank; an article's reads are updated later, every update an audit entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muxiang.core.models import ObjectChange
from muxiang.publicity import services
from muxiang.publicity.forms import ArticleForm, BillboardForm, BrochureDistributionForm, VideoForm
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, Video
from muxiang.publicity.tests.conftest import (
    IN_PHASE_1,
    IN_PHASE_2,
    make_article,
    make_billboard,
    make_brochure,
    make_coverage,
    make_video,
)
from muxiang.publicity.tests.test_permissions import new_values

pytestmark = pytest.mark.django_db


def update_entries(record):
    return ObjectChange.objects.filter(
        object_id=record.pk, action="update", content_type__model=record._meta.model_name
    )


# --- forms: bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reads", -1, "阅读量不能为负数"),
        ("url", "mp.weixin.qq.com/s/1", "请填写以 http:// 或 https:// 开头的完整网址"),
        ("url", "javascript:alert(1)", "请填写以 http:// 或 https:// 开头的完整网址"),
        ("published_on", "2027-01-01", "日期不能晚于今天"),
        ("title", "", "这个字段是必填项"),
    ],
)
def test_the_article_form_names_the_field_of_bad_input(contract, town, field, value, message):
    form = ArticleForm(data={**new_values("article", contract, town), field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.parametrize("pages", [0, -5])
def test_the_brochure_form_refuses_a_distribution_of_no_pages(contract, town, pages):
    form = BrochureDistributionForm(data={**new_values("brochure", contract, town), "pages": pages})
    assert not form.is_valid()
    assert form.errors["pages"] == ["发放页数应大于 0"]


def test_the_video_form_refuses_negative_views(contract, town):
    form = VideoForm(data={**new_values("video", contract, town), "views": -3})
    assert not form.is_valid()
    assert form.errors["views"] == ["播放量不能为负数"]


def test_a_link_already_registered_is_refused_naming_the_record(contract, town):
    make_article(contract, url="https://mp.weixin.qq.com/s/1", title="先登记的文章")
    form = ArticleForm(data={**new_values("article", contract, town), "url": "https://mp.weixin.qq.com/s/1"})
    assert not form.is_valid()
    assert form.errors["url"] == ["「https://mp.weixin.qq.com/s/1」已登记：先登记的文章"]


def test_a_link_of_a_deleted_record_is_refused_with_the_way_out_not_a_server_error(
    login, staff, contract, town
):
    # given an article deleted to the recycle bin
    article = make_article(contract, url="https://mp.weixin.qq.com/s/1", title="删掉的文章")
    login(staff).post(reverse("publicity:article-delete", args=[article.pk]))
    # when 李强 enters the same link again
    data = {**new_values("article", contract, town), "url": "https://mp.weixin.qq.com/s/1"}
    response = login(staff).post(reverse("publicity:article-add"), data)
    # then
    assert response.status_code == 400
    assert "已登记在已删除的记录「删掉的文章」中，请先在回收站恢复" in response.content.decode()
    assert Article.all_objects.count() == 1


def test_a_billboard_in_the_county_as_a_whole_is_refused(contract, town, county):
    form = BillboardForm(data={**new_values("billboard", contract, town), "region": county.pk})
    assert not form.is_valid()
    assert "region" in form.errors


def test_the_form_offers_the_only_contract_preselected(contract):
    assert ArticleForm().initial["contract"] == contract.pk


def test_a_record_dated_in_an_accepted_phase_is_refused_on_the_form(contract, town, phase_1_accepted):
    data = {**new_values("article", contract, town), "published_on": IN_PHASE_1.isoformat()}
    form = ArticleForm(data=data)
    assert not form.is_valid()
    assert "已验收" in form.errors["published_on"][0]


# --- numbering -----------------------------------------------------------------------------------


def test_a_billboard_left_without_a_number_gets_the_next_of_the_series(login, staff, contract, town):
    # given boards up to GGP-009, one deleted, and one numbered by hand
    make_billboard(contract, 7)
    deleted = make_billboard(contract, 9)
    deleted.deleted_at = deleted.created_at
    deleted.save()
    make_billboard(contract, 1, number="GGP-北门")
    # when
    data = {**new_values("billboard", contract, town), "number": ""}
    assert login(staff).post(reverse("publicity:billboard-add"), data).status_code == 302
    # then a number never comes back, even a deleted one's
    assert Billboard.objects.latest("id").number == "GGP-010"


def test_numbers_beyond_999_keep_counting(contract):
    make_brochure(contract, 999)
    make_brochure(contract, 1000, number="CY-1000")
    assert services.next_number(BrochureDistribution) == "CY-1001"


def test_the_first_distribution_is_cy_001(contract, town):
    form = BrochureDistributionForm(data={**new_values("brochure", contract, town), "number": " "})
    assert form.is_valid(), form.errors
    assert form.save().number == "CY-001"


# --- reads updated later ------------------------------------------------------------------------


def test_operator_staff_update_the_reads_on_the_articles_page_with_an_audit_entry(login, staff, contract):
    article = make_article(contract, reads=120)
    client = login(staff)
    page = client.get(article.get_absolute_url()).content.decode()
    assert reverse("publicity:article-reads", args=[article.pk]) in page
    # when
    response = client.post(reverse("publicity:article-reads", args=[article.pk]), {"reads": "3560"})
    # then
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.reads == 3560
    entry = update_entries(article).get()
    assert entry.changed_fields() == {"reads": (120, 3560)}
    assert entry.user == staff
    history = client.get(article.get_absolute_url()).content.decode()
    assert "3560" in history and "阅读量已更新" in history


@pytest.mark.parametrize(
    ("reads", "message"), [("-7", "阅读量不能为负数"), ("很多", "阅读量应为整数"), ("", "必填")]
)
def test_bad_reads_on_the_articles_page_are_refused_and_nothing_is_written(
    login, staff, contract, reads, message
):
    article = make_article(contract, reads=120)
    response = login(staff).post(reverse("publicity:article-reads", args=[article.pk]), {"reads": reads})
    assert response.status_code == 400
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.reads == 120
    assert not update_entries(article).exists()


def test_the_reads_of_an_article_of_an_accepted_phase_are_frozen(login, staff, contract, phase_1_accepted):
    article = make_article(contract, day=IN_PHASE_1, reads=120)
    response = login(staff).post(reverse("publicity:article-reads", args=[article.pk]), {"reads": "999"})
    assert response.status_code == 400
    assert "已验收" in response.content.decode()
    article.refresh_from_db()
    assert article.reads == 120


def test_the_edit_form_updates_the_reads_with_an_audit_entry(login, staff, contract, town):
    article = make_article(contract, reads=120)
    data = {**new_values("article", contract, town), "url": article.url, "reads": 800}
    assert login(staff).post(reverse("publicity:article-edit", args=[article.pk]), data).status_code == 302
    assert update_entries(article).get().after["reads"] == 800


def test_a_patch_of_the_reads_alone_through_the_api_leaves_an_audit_entry(client, api_token, staff, contract):
    article = make_article(contract, reads=120)
    response = client.patch(
        f"/api/publicity/articles/{article.pk}",
        {"reads": 2048},
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 200, response.content
    assert response.json()["reads"] == 2048
    entry = update_entries(article).get()
    assert entry.changed_fields() == {"reads": (120, 2048)}
    assert (entry.user, entry.source) == (staff, "api")


def test_negative_reads_through_the_api_are_refused_naming_the_field(client, api_token, staff, contract):
    article = make_article(contract, reads=120)
    response = client.patch(
        f"/api/publicity/articles/{article.pk}",
        {"reads": -1},
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "reads", "message": "阅读量不能为负数"}]
    article.refresh_from_db()
    assert article.reads == 120


def test_zero_pages_through_the_api_are_refused_naming_the_field(client, api_token, staff, contract, town):
    payload = {**new_values("brochure", contract, town), "pages": 0}
    response = client.post(
        "/api/publicity/brochures/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "pages", "message": "发放页数应大于 0"}]
    assert not BrochureDistribution.all_objects.exists()


def test_a_billboard_created_through_the_api_without_a_number_is_numbered(
    client, api_token, staff, contract, town
):
    payload = {k: v for k, v in new_values("billboard", contract, town).items() if k != "number"}
    response = client.post(
        "/api/publicity/billboards/", payload, content_type="application/json", **api_token(staff)
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "GGP-001"


def test_a_text_where_a_number_belongs_is_a_422_naming_the_field_not_a_server_error(
    client, api_token, staff, contract
):
    article = make_article(contract)
    response = client.patch(
        f"/api/publicity/articles/{article.pk}",
        {"reads": "很多"},
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reads"


# --- brand films, pages ----------------------------------------------------------------------------


def test_a_brand_film_is_always_a_brand_promotion(contract, town):
    data = {**new_values("video", contract, town), "kind": "brand_promo", "promotes_brand": False}
    form = VideoForm(data=data)
    assert form.is_valid(), form.errors
    assert form.save().promotes_brand is True


def test_the_detail_page_links_the_publication(login, client_supervisor, contract):
    article = make_article(contract, url="https://mp.weixin.qq.com/s/x?a=1&b=2")
    page = login(client_supervisor).get(article.get_absolute_url()).content.decode()
    assert '<a href="https://mp.weixin.qq.com/s/x?a=1&amp;b=2" target="_blank"' in page


@pytest.mark.parametrize(
    ("prefix", "make"),
    [
        ("article", make_article),
        ("coverage", make_coverage),
        ("billboard", make_billboard),
        ("brochure", make_brochure),
        ("video", make_video),
    ],
)
def test_a_list_page_and_its_api_list_cost_the_same_queries_for_3_and_30_records(
    login, client, api_token, staff, contract, town, prefix, make
):
    web = login(staff)
    headers = api_token(staff)
    api_url = f"/api/publicity/{API_SEGMENTS[prefix]}/?limit=100"
    extra = {"region": town} if prefix in {"billboard", "brochure"} else {}
    for n in range(1, 4):
        make(contract, n, day=IN_PHASE_2, **extra)
    web.get(reverse(f"publicity:{prefix}-list"))  # warm the session and content types
    client.get(api_url, **headers)
    with CaptureQueriesContext(connection) as three:
        assert web.get(reverse(f"publicity:{prefix}-list")).status_code == 200
    with CaptureQueriesContext(connection) as three_api:
        assert len(client.get(api_url, **headers).json()["items"]) == 3
    for n in range(4, 31):
        make(contract, n, day=IN_PHASE_2, **extra)
    with CaptureQueriesContext(connection) as thirty:
        page = web.get(reverse(f"publicity:{prefix}-list"))
    with CaptureQueriesContext(connection) as thirty_api:
        assert len(client.get(api_url, **headers).json()["items"]) == 30
    assert "共 30 条" in page.content.decode()
    assert len(thirty) == len(three)
    assert len(thirty_api) == len(three_api)


API_SEGMENTS = {
    "article": "articles",
    "coverage": "coverage",
    "billboard": "billboards",
    "brochure": "brochures",
    "video": "videos",
}


def test_the_list_filters_by_channel_and_brand(login, staff, contract):
    make_article(contract, 1, channel="wechat", promotes_brand=True, title="品牌文章")
    make_article(contract, 2, channel="douyin", title="抖音文章")
    page = login(staff).get(
        reverse("publicity:article-list"), {"channel": "wechat", "promotes_brand": "true"}
    )
    html = page.content.decode()
    assert "品牌文章" in html and "抖音文章" not in html


def test_the_list_filters_by_date_range_and_region(login, staff, contract, town, village):
    make_billboard(contract, 1, day=IN_PHASE_1, region=town, place="镇上")
    make_billboard(contract, 2, day=IN_PHASE_2, region=village, place="村里")
    client = login(staff)
    html = client.get(reverse("publicity:billboard-list"), {"since": "2026-07-01"}).content.decode()
    assert "村里" in html and "镇上" not in html
    html = client.get(reverse("publicity:billboard-list"), {"region": town.pk}).content.decode()
    assert "镇上" in html and "村里" not in html


def test_a_video_is_listed_once_per_platform(contract):
    make_video(contract, 1, platform="抖音")
    make_video(contract, 2, platform="快手")
    assert Video.objects.filter(title="乌拉特中旗区域公共品牌宣传片").count() == 2
