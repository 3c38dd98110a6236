"""The trace ledgers as spreadsheets: producers, bases and batches import all-or-nothing, a second
import of the same file changes nothing, the export imports back unchanged, and a bad row is refused
whole with its row and column named in Chinese."""

import datetime

import pytest

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import ledger_xlsx, problems
from muxiang.trace.ledgers import BatchLedger, EnterpriseLedger, ProductionBaseLedger
from muxiang.trace.models import Batch, Enterprise, ProductionBase

pytestmark = pytest.mark.django_db


def run(ledger_class, user, rows):
    return ledger_class(user).import_file(ledger_xlsx(ledger_class, rows), "溯源台账.xlsx")


def test_producers_import_once_and_again_change_nothing(contract, staff, organisation, other_organisation):
    rows = [
        {"企业": organisation.credit_code, "入驻日期": datetime.date(2026, 2, 1), "重点产业": "肉羊"},
        {
            "企业": "巴音家庭牧场",
            "入驻日期": datetime.date(2026, 3, 1),
            "重点产业": "奶食品",
            "区域公用品牌": "乌拉特中旗奶食",
            "企业简介（公开）": "三代牧民的家庭牧场。",
        },
    ]
    report = run(EnterpriseLedger, staff, rows)
    assert report.ok, problems(report)
    assert report.created == 2
    assert Enterprise.objects.get(organisation=other_organisation).regional_brand == "乌拉特中旗奶食"
    assert Enterprise.objects.get(organisation=organisation).contract == contract
    entries = ObjectChange.objects.count()
    again = run(EnterpriseLedger, staff, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert ObjectChange.objects.count() == entries


def test_an_unknown_organisation_refuses_the_whole_file_naming_row_and_column(contract, staff, organisation):
    rows = [
        {"企业": "海流图牧歌合作社", "入驻日期": datetime.date(2026, 2, 1), "重点产业": "肉羊"},
        {"企业": "不存在的公司", "入驻日期": datetime.date(2026, 2, 1), "重点产业": "肉羊"},
    ]
    report = run(EnterpriseLedger, staff, rows)
    assert not report.ok and "第 3 行，「企业」列：找不到「不存在的公司」" in problems(report)
    assert not Enterprise.objects.exists()


def test_bases_import_within_their_producer_and_the_export_reads_back_unchanged(
    staff, enterprise, other_enterprise, town
):
    rows = [
        {
            "溯源企业": "海流图牧歌合作社",
            "基地名称": "巴音哈太牧场",
            "所在区域": "海流图镇",
            "面积（亩）": 3200,
            "纬度": 41.5678,
            "经度": 108.5153,
        },
        # The same name at another producer is another base.
        {"溯源企业": "巴音家庭牧场", "基地名称": "巴音哈太牧场", "地址": "巴音村三组"},
    ]
    report = run(ProductionBaseLedger, staff, rows)
    assert report.ok, problems(report)
    assert report.created == 2
    assert ProductionBase.objects.get(enterprise=enterprise).region == town
    data = ProductionBaseLedger(staff).export(ProductionBase.objects.all())
    back = ProductionBaseLedger(staff).import_file(data, "导出.xlsx")
    assert back.ok, problems(back)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 2)


def test_a_latitude_out_of_range_is_named(staff, enterprise):
    report = run(
        ProductionBaseLedger, staff, [{"溯源企业": "海流图牧歌合作社", "基地名称": "北坡", "纬度": 141}]
    )
    assert "第 2 行，「纬度」列：不能大于 90" in problems(report)
    assert not ProductionBase.objects.exists()


def test_a_producer_not_enrolled_is_named(staff, enterprise, other_organisation):
    report = run(ProductionBaseLedger, staff, [{"溯源企业": "巴音家庭牧场", "基地名称": "北坡"}])
    assert "第 2 行，「溯源企业」列：找不到已入驻溯源体系的企业「巴音家庭牧场」" in problems(report)


BATCH = {
    "批次号": "L20261101",
    "溯源企业": "海流图牧歌合作社",
    "商品": "SP-0001",
    "生产基地": "巴音哈太牧场",
    "日期类型": "屠宰",
    "生产/屠宰日期": datetime.date(2026, 11, 1),
    "数量": 120,
    "投入品": "天然牧草",
    "产品故事（公开）": "十一月第一批出栏。",
}


def test_batches_import_idempotently_and_a_change_updates_the_batch(staff, enterprise, product, base):
    report = run(BatchLedger, staff, [BATCH])
    assert report.ok, problems(report)
    made = Batch.objects.get(lot="L20261101")
    assert (made.base, made.product, made.unit, made.kind) == (base, product, "件", "slaughter")
    again = run(BatchLedger, staff, [BATCH])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = run(BatchLedger, staff, [{**BATCH, "数量": 150}])
    assert changed.updated == 1 and Batch.objects.get(lot="L20261101").quantity == 150


def test_the_batch_export_imports_back_unchanged(staff, batch):
    data = BatchLedger(staff).export(Batch.objects.all())
    back = BatchLedger(staff).import_file(data, "导出.xlsx")
    assert back.ok, problems(back)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 1)


def test_a_batch_file_with_a_wrong_base_or_product_imports_nothing(
    staff, enterprise, other_enterprise, product, base
):
    rows = [
        BATCH,
        {**BATCH, "批次号": "L20261102", "生产基地": "不存在的牧场"},
        {**BATCH, "批次号": "L20261103", "溯源企业": "巴音家庭牧场", "生产基地": ""},
        {**BATCH, "批次号": "L20261104", "生产/屠宰日期": datetime.date(2027, 1, 1)},
        BATCH,
    ]
    report = run(BatchLedger, staff, rows)
    said = problems(report)
    assert "第 3 行，「生产基地」列：海流图牧歌合作社 没有名为「不存在的牧场」的生产基地" in said
    assert "第 4 行，「商品」列：「乌拉特羊肉」的生产企业不是 巴音家庭牧场" in said
    assert "第 5 行，「生产/屠宰日期」列" in said
    assert "第 6 行，「批次号」列：与第 2 行重复" in said
    assert not Batch.objects.exists()


def test_the_batch_list_offers_the_import_and_the_page_imports(login, staff, enterprise, product, base):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(staff)
    assert "trace/batches/import/" in client.get("/trace/batches/").content.decode()
    upload = SimpleUploadedFile("批次.xlsx", ledger_xlsx(BatchLedger, [BATCH]))
    response = client.post("/trace/batches/import/", {"file": upload})
    assert response.status_code == 200 and Batch.objects.filter(lot="L20261101").exists()
    assert client.get("/trace/certificates/import/").status_code == 403
