"""Publicity pages driven end to end in headless Chromium against a live server: an article's reads
grow for weeks after publication and operator staff type the new figure in on the article's page."""

import re

import pytest

from muxiang.conftest import CHROMIUM, sign_in
from muxiang.publicity.tests.conftest import make_article

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")]


def test_operator_staff_update_an_articles_reads_from_its_page_and_see_the_figure_and_the_audit_entry(
    new_page, staff, contract
):
    from django.contrib.contenttypes.models import ContentType
    from playwright.sync_api import expect

    from muxiang.core.models import ObjectChange
    from muxiang.publicity.models import Article

    # given an article read 1,000 times when it was entered, and 李强 signed in
    article = make_article(contract, reads=1000)
    page = new_page()
    sign_in(page, "liqiang")

    # when he opens it from the article list and saves the reads read off the channel's back end
    page.get_by_role("navigation").get_by_role("link", name="公共宣传", exact=True).click()
    page.wait_for_url("**/publicity/articles/")
    page.locator("table.records").get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**/publicity/articles/{article.pk}/")
    reads = page.locator("#reads")
    expect(reads.get_by_role("heading", name="更新阅读量")).to_be_visible()
    expect(reads.locator("#id_reads")).to_have_value("1000")
    reads.locator("#id_reads").fill("3560")
    reads.get_by_role("button", name="保存阅读量").click()

    # then he is back on the article's page, which shows the new figure…
    page.wait_for_url(re.compile(rf"/publicity/articles/{article.pk}/$"))
    expect(page.locator(".flash")).to_have_text("阅读量已更新：1,000 → 3,560")
    fields = page.locator("dl.fields")
    expect(fields.locator("dt", has_text=re.compile(r"^阅读量$"))).to_have_count(1)
    expect(fields.locator("dt:text-is('阅读量') + dd")).to_have_text("3560")
    expect(page.locator("#id_reads")).to_have_value("3560")
    # …and the change in its history: who, what, from and to
    history = page.locator("section.card", has=page.get_by_role("heading", name="变更历史"))
    entry = history.locator("tbody tr", has_text="修改")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("李强")
    expect(entry.locator(".diff")).to_have_text("阅读量：1000 → 3560")
    expect(entry.locator(".diff del")).to_have_text("1000")
    expect(entry.locator(".diff ins")).to_have_text("3560")

    assert Article.objects.get(pk=article.pk).reads == 3560
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk, action="update"
    )
    assert change.user == staff
    assert change.changed_fields() == {"reads": (1000, 3560)}

    # and the list shows the new figure too
    page.goto("/publicity/articles/")
    expect(page.locator("table.records tbody tr", has_text=article.title)).to_contain_text("3,560")
