"""Dated programme work (``contracts.records.ContractRecord``) freezes with its accepted phase: no form,
API call, import or delete may add, move, change or remove a record dated in it until the operator
admin unlocks the phase. Shown on the publicity app's articles, a ledger like every other."""

import datetime

import pytest
from django.urls import reverse

from muxiang.contracts import acceptance
from muxiang.contracts.choices import AcceptanceState
from muxiang.contracts.models import PhaseAcceptance
from muxiang.core import services
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems
from muxiang.publicity.ledgers import ArticleLedger
from muxiang.publicity.models import Article
from muxiang.publicity.tests.conftest import IN_PHASE_1, IN_PHASE_2, make_article

pytestmark = pytest.mark.usefixtures("_not_after_the_sample_phases")


@pytest.fixture
def _not_after_the_sample_phases(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 28))


@pytest.fixture
def contract(db):
    from muxiang.contracts.services import load_contract
    from muxiang.publicity.tests.conftest import SAMPLE

    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def accepted(contract, client_supervisor):
    """Phase 1 (2026-01-01..06-30) accepted by 赵监, hence frozen."""
    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED, decided_by=client_supervisor)
    return phase


def article_form(contract, day, n=9):
    return {
        "contract": contract.pk,
        "title": f"第{n}期",
        "channel": "wechat",
        "account": "乌拉特中旗电商",
        "url": f"https://mp.weixin.qq.com/s/frozen-{n}",
        "published_on": day.isoformat(),
        "reads": 10,
    }


def test_a_new_record_dated_in_an_accepted_phase_is_refused_with_the_reason(login, staff, contract, accepted):
    response = login(staff).post(reverse("publicity:article-add"), article_form(contract, IN_PHASE_1))
    assert response.status_code == 400
    assert "已验收" in response.content.decode() and "冻结" in response.content.decode()
    assert not Article.objects.exists()


def test_a_record_dated_in_an_open_phase_is_written(login, staff, contract, accepted):
    response = login(staff).post(reverse("publicity:article-add"), article_form(contract, IN_PHASE_2))
    assert response.status_code == 302
    assert Article.objects.count() == 1


def test_a_record_cannot_be_moved_out_of_an_accepted_phase(login, staff, contract, accepted):
    # given: an article of phase 1, written before the acceptance
    article = make_article(contract, day=IN_PHASE_1)
    # when: its date is moved into phase 2
    data = article_form(contract, IN_PHASE_2) | {"url": article.url, "title": article.title}
    response = login(staff).post(reverse("publicity:article-edit", args=[article.pk]), data)
    # then
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).published_on == IN_PHASE_1


def test_a_frozen_record_is_neither_deleted_nor_restored(login, staff, contract, accepted):
    article = make_article(contract, day=IN_PHASE_1)
    response = login(staff).post(reverse("publicity:article-delete", args=[article.pk]), follow=True)
    assert "冻结" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_api_refuses_to_delete_a_frozen_record(client, api_token, staff, contract, accepted):
    article = make_article(contract, day=IN_PHASE_1)
    response = client.delete(f"/api/publicity/articles/{article.pk}", **api_token(staff))
    assert response.status_code == 400 and "冻结" in response.json()["detail"]
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_import_names_the_row_and_column_of_a_date_in_an_accepted_phase(staff, contract, accepted):
    rows = [
        {
            "标题": "第一篇",
            "发布渠道": "微信公众号",
            "链接": "https://mp.weixin.qq.com/s/x1",
            "发布日期": IN_PHASE_2,
            "阅读量": 5,
        },
        {
            "标题": "第二篇",
            "发布渠道": "微信公众号",
            "链接": "https://mp.weixin.qq.com/s/x2",
            "发布日期": IN_PHASE_1,
            "阅读量": 5,
        },
    ]
    report = ArticleLedger(staff).import_file(ledger_xlsx(ArticleLedger, rows), "文章.xlsx")
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, "发布日期")]
    assert "冻结" in problems(report)
    assert not Article.objects.exists()


def test_reimporting_unchanged_rows_of_an_accepted_phase_changes_nothing_and_is_not_refused(
    staff, contract, accepted
):
    # given: an article of phase 1, exported after the acceptance
    article = make_article(contract, day=IN_PHASE_1)
    data = ArticleLedger(staff).export(Article.objects.all())
    # when
    report = ArticleLedger(staff).import_file(data, "文章.xlsx")
    # then
    assert report.ok, problems(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Article.objects.get().pk == article.pk


def test_after_the_admin_unlocks_the_phase_the_record_may_be_corrected(
    login, staff, operator_admin, contract, accepted
):
    # given
    article = make_article(contract, day=IN_PHASE_1)
    acceptance.unlock_phase(accepted, "更正阅读量", operator_admin)
    # when
    data = article_form(contract, IN_PHASE_1) | {"url": article.url, "title": "更正后的标题"}
    response = login(staff).post(reverse("publicity:article-edit", args=[article.pk]), data)
    # then
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "更正后的标题"


def test_a_frozen_record_still_takes_evidence(staff, contract, accepted):
    """Evidence proves work done; uploading a missing sign-in sheet does not change the figure's
    record, and the client may ask for it during acceptance."""
    article = make_article(contract, day=IN_PHASE_1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.attach_evidence(article, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), staff)
    assert services.evidence_for(article).count() == 1
