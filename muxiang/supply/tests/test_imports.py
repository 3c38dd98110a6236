"""The supply documents import from spreadsheets, one row per line: centralised purchase orders,
their receipts, unified deliveries and stock counts. Each new document is posted through the
service its form uses, so the stock rules hold for a file as for a form: all or nothing, a row that
would take stock below zero is named, and importing the same file again changes nothing."""

import datetime

import pytest
from django.urls import reverse

from muxiang.core.models import ObjectChange
from muxiang.core.tests.test_ledger_import import csv_bytes, ledger_xlsx, problems, read_xlsx, xlsx_bytes
from muxiang.supply import services
from muxiang.supply.ledgers import DeliveryLedger, PurchaseOrderLedger, ReceiptLedger, StockCountLedger
from muxiang.supply.models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    StockCount,
    StockMovement,
)
from muxiang.supply.tests.conftest import IN_PHASE_1, IN_PHASE_2, q, stock

MARCH_16 = datetime.date(2026, 3, 16)
MARCH_20 = datetime.date(2026, 3, 20)
MARCH_31 = datetime.date(2026, 3, 31)


def run(ledger_class, user, rows, dry_run=False, filename="台账.xlsx"):
    data = csv_bytes(rows) if filename.endswith(".csv") else ledger_xlsx(ledger_class, rows)
    return ledger_class(user).import_file(data, filename, dry_run)


def delivery_row(number, product, quantity, day=IN_PHASE_1, client="", station="", **extra):
    return {
        "配送单号": number,
        "发货库存点": "CK-01",
        "收货企业": client,
        "收货站点": station,
        "配送日期": day,
        "配送线路": "海流图镇—德岭山镇",
        "商品": product,
        "配送数量": quantity,
        **extra,
    }


def footprint():
    return (
        Delivery.all_objects.count(),
        DeliveryLine.objects.count(),
        StockMovement.objects.count(),
        ObjectChange.objects.count(),
    )


# ---------------------------------------------------------------------------------------------------
# Centralised purchase orders


@pytest.fixture
def order_rows(supply, supplier, seeds):
    common = {"供应商": supplier.name, "收货库存点": "CK-01", "下单日期": IN_PHASE_1}
    return [
        {**common, "采购单号": "CG-IMP-01", "商品": "SP-0002", "需求企业": supply.shop.credit_code,
         "采购数量": 100, "单价（元）": "65.00", "备注": "春耕前集中采购"},
        {**common, "采购单号": "CG-IMP-01", "商品": "SP-0002", "需求企业": supply.organisation.name,
         "采购数量": 40, "备注": "春耕前集中采购"},
        {**common, "采购单号": "CG-IMP-01", "商品": "河套向日葵籽", "需求企业": supply.shop.name,
         "采购数量": 200, "备注": "春耕前集中采购"},
        {**common, "采购单号": "CG-IMP-02", "商品": "SP-0001", "需求企业": supply.shop.name, "采购数量": 30},
    ]  # fmt: skip


def test_purchase_orders_import_with_their_lines_and_again_change_nothing(staff, supply, order_rows):
    # when
    report = run(PurchaseOrderLedger, staff, order_rows)
    # then two orders, their lines numbered in the order of the file
    assert report.ok, problems(report)
    assert (report.total, report.created, report.updated, report.unchanged) == (4, 2, 0, 0)
    order = PurchaseOrder.objects.get(number="CG-IMP-01")
    assert [(line.position, line.client, line.quantity) for line in order.lines.all()] == [
        (1, supply.shop, 100),
        (2, supply.organisation, 40),
        (3, supply.shop, 200),
    ]
    assert order.lines.get(position=1).unit_price == q("65.00")
    assert order.contract == supply.contract and order.notes == "春耕前集中采购"
    assert ObjectChange.objects.filter(object_id=order.pk, source="import", user=staff).exists()
    # and the same file again
    before = footprint(), PurchaseOrderLine.objects.count()
    again = run(PurchaseOrderLedger, staff, order_rows)
    assert again.ok, problems(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (footprint(), PurchaseOrderLine.objects.count()) == before


def test_rows_of_one_order_that_disagree_on_the_order_are_refused_naming_the_row(staff, supply, order_rows):
    order_rows[2]["下单日期"] = MARCH_16
    report = run(PurchaseOrderLedger, staff, order_rows)
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (4, "下单日期")
    assert "与第 2 行是同一单据「CG-IMP-01」" in problem.message
    assert PurchaseOrder.all_objects.count() == 0


def test_an_unknown_product_or_client_is_named_by_row_and_column(staff, supply, order_rows):
    order_rows[1]["需求企业"] = "不存在的网店"
    report = run(PurchaseOrderLedger, staff, order_rows)
    assert [str(p) for p in report.problems] == ["第 3 行，「需求企业」列：找不到「不存在的网店」"]
    assert PurchaseOrder.all_objects.count() == 0


def test_a_changed_line_of_a_stored_order_is_refused_but_its_expected_date_updates(staff, supply, order_rows):
    assert run(PurchaseOrderLedger, staff, order_rows).ok
    changed = [dict(row) for row in order_rows]
    changed[1]["采购数量"] = 45
    report = run(PurchaseOrderLedger, staff, changed)
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "采购数量")
    assert "已记账" in problem.message and "45" in problem.message
    # a descriptive field is an edit, audited once
    later = [
        {**row, "预计到货日期": MARCH_31} if row["采购单号"] == "CG-IMP-02" else row for row in order_rows
    ]
    changes = ObjectChange.objects.count()
    report = run(PurchaseOrderLedger, staff, later)
    assert report.ok, problems(report)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert PurchaseOrder.objects.get(number="CG-IMP-02").expected_on == MARCH_31
    assert ObjectChange.objects.count() == changes + 1


# ---------------------------------------------------------------------------------------------------
# Receipts


def receipt_row(number, line, quantity, day=MARCH_20, order="CG-202603-001"):
    return {
        "入库单号": number,
        "采购单号": order,
        "到货日期": day,
        "验收人": "刘仓管",
        "行号": line,
        "到货数量": quantity,
    }


def test_receipts_import_against_the_order_lines_and_post_their_stock(staff, order, county_warehouse, flour):
    rows = [receipt_row("RK-IMP-01", 1, 60), receipt_row("RK-IMP-01", 2, 40), receipt_row("RK-IMP-02", 1, 40)]
    report = run(ReceiptLedger, staff, rows)
    assert report.ok, problems(report)
    assert (report.created, report.unchanged) == (2, 0)
    assert services.balance_on(county_warehouse, flour, MARCH_20) == 140
    assert services.outstanding_lines(order) == {3: 200}
    receipt = Receipt.objects.get(number="RK-IMP-01")
    assert receipt.contract == order.contract
    assert sorted(receipt.movements().values_list("kind", "quantity")) == [("receipt", 40), ("receipt", 60)]
    # the same file again
    before = StockMovement.objects.count(), ObjectChange.objects.count()
    again = run(ReceiptLedger, staff, rows)
    assert again.ok, problems(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (StockMovement.objects.count(), ObjectChange.objects.count()) == before


def test_a_receipt_beyond_the_order_counting_the_files_earlier_receipts_is_named_by_its_row(staff, order):
    rows = [receipt_row("RK-IMP-01", 1, 60), receipt_row("RK-IMP-02", 2, 10), receipt_row("RK-IMP-02", 1, 41)]
    report = run(ReceiptLedger, staff, rows)
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (4, "到货数量")
    assert "到货超过采购数量" in problem.message and "最多还可到货 40袋" in problem.message
    assert (Receipt.all_objects.count(), StockMovement.objects.count()) == (0, 0)


# ---------------------------------------------------------------------------------------------------
# Deliveries


def test_deliveries_import_and_post_their_stock_through_the_service(staff, supply):
    stock(supply.county, supply.flour, 50)
    stock(supply.county, supply.mutton, 10)
    rows = [
        delivery_row("PS-IMP-01", "SP-0002", 20, client=supply.shop.credit_code, 签收人="王店主"),
        delivery_row("PS-IMP-01", "SP-0001", 4, client=supply.shop.credit_code, 签收人="王店主"),
        delivery_row("PS-IMP-02", "SP-0002", 30, day=MARCH_16, station=supply.station_point.station.code),
    ]
    report = run(DeliveryLedger, staff, rows)
    assert report.ok, problems(report)
    assert report.created == 2
    assert services.balance_on(supply.county, supply.flour, MARCH_16) == 0
    assert services.balance_on(supply.county, supply.mutton, MARCH_16) == 6
    first = Delivery.objects.get(number="PS-IMP-01")
    assert (first.client, first.receiver_name, first.lines.count()) == (supply.shop, "王店主", 2)
    assert Delivery.objects.get(number="PS-IMP-02").station == supply.station_point.station
    assert services.negative_balance_days() == []


def test_a_row_that_would_take_the_stock_below_zero_is_named_and_nothing_is_written(staff, supply):
    # given 30 bags of flour
    stock(supply.county, supply.flour, 30)
    before = footprint()
    rows = [
        delivery_row("PS-IMP-01", "SP-0002", 20, client=supply.shop.name),
        delivery_row("PS-IMP-02", "SP-0002", 11, day=MARCH_16, client=supply.organisation.name),
    ]
    # when
    report = run(DeliveryLedger, staff, rows)
    # then the second delivery's row is refused, and not even the first was posted
    assert not report.ok
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "配送数量")
    assert problem.message.startswith(
        "库存不足：「河套雪花粉（5kg/袋）」在「乌拉特中旗县级仓储配送中心」2026-03-16"
    )
    assert "可用数量为 10袋" in problem.message
    assert footprint() == before


def test_a_back_dated_delivery_in_a_file_is_checked_against_later_deliveries(staff, supply):
    # given 30 bags, 25 of them delivered in August
    stock(supply.county, supply.flour, 30)
    services.record_delivery(
        supply.contract, supply.county, IN_PHASE_2, [(supply.flour, q(25))], staff, client=supply.shop
    )
    # when a file back-dates 10 bags to March
    report = run(DeliveryLedger, staff, [delivery_row("PS-IMP-01", "SP-0002", 10, client=supply.shop.name)])
    # then
    assert not report.ok
    assert report.problems[0].row == 2 and "可用数量为 5袋" in report.problems[0].message
    assert services.negative_balance_days() == []


def test_a_dry_run_reports_a_shortage_and_posts_nothing(staff, supply):
    stock(supply.county, supply.flour, 5)
    before = footprint()
    good = run(
        DeliveryLedger, staff, [delivery_row("PS-IMP-01", "SP-0002", 5, client=supply.shop.name)], True
    )
    assert good.ok and good.created == 1 and not good.applied
    short = run(
        DeliveryLedger, staff, [delivery_row("PS-IMP-01", "SP-0002", 6, client=supply.shop.name)], True
    )
    assert not short.ok and "库存不足" in short.problems[0].message
    assert footprint() == before


def test_a_delivery_names_a_business_or_a_station_not_both(staff, supply):
    stock(supply.county, supply.flour, 50)
    rows = [
        delivery_row(
            "PS-IMP-01", "SP-0002", 5, client=supply.shop.name, station=supply.station_point.station.code
        )
    ]
    report = run(DeliveryLedger, staff, rows)
    assert [str(p) for p in report.problems] == [
        "第 2 行，「收货企业」列：请填写收货企业或收货站点（二选一）"
    ]


def test_a_posted_delivery_refuses_a_changed_quantity_but_takes_a_new_route(staff, supply):
    stock(supply.county, supply.flour, 50)
    rows = [delivery_row("PS-IMP-01", "SP-0002", 20, client=supply.shop.name)]
    assert run(DeliveryLedger, staff, rows).ok
    report = run(DeliveryLedger, staff, [{**rows[0], "配送数量": 25}])
    assert not report.ok and report.problems[0].column == "配送数量"
    assert "请作废后重新录入" in report.problems[0].message
    report = run(DeliveryLedger, staff, [{**rows[0], "配送线路": "海流图镇—石哈河镇"}])
    assert report.ok and report.updated == 1
    delivery = Delivery.objects.get(number="PS-IMP-01")
    assert delivery.route == "海流图镇—石哈河镇"
    assert (
        delivery.movements().count() == 1
        and services.balance_on(supply.county, supply.flour, IN_PHASE_1) == 30
    )


def test_a_cancelled_delivery_is_not_imported_again(staff, supply):
    stock(supply.county, supply.flour, 50)
    rows = [delivery_row("PS-IMP-01", "SP-0002", 20, client=supply.shop.name)]
    assert run(DeliveryLedger, staff, rows).ok
    services.cancel_document(Delivery.objects.get(number="PS-IMP-01"), staff)
    report = run(DeliveryLedger, staff, rows)
    assert [str(p) for p in report.problems] == [
        "第 2 行，「配送单号」列：单据「PS-IMP-01」已作废，不能再导入；请用新的单号重新录入"
    ]


def test_a_gbk_csv_of_deliveries_imports(staff, supply):
    stock(supply.county, supply.flour, 50)
    rows = [delivery_row("PS-IMP-01", "SP-0002", "12.5", client=supply.shop.name)]
    report = DeliveryLedger(staff).import_file(csv_bytes(rows, "gbk"), "配送.csv")
    assert report.ok, problems(report)
    assert services.balance_on(supply.county, supply.flour, IN_PHASE_1) == q("37.5")


def test_the_exported_deliveries_import_back_unchanged(staff, supply):
    stock(supply.county, supply.flour, 50)
    stock(supply.county, supply.mutton, 10)
    services.record_delivery(
        supply.contract,
        supply.county,
        IN_PHASE_1,
        [(supply.flour, q(20)), (supply.mutton, q(3))],
        staff,
        client=supply.shop,
        route="海流图镇—德岭山镇",
    )
    exported = DeliveryLedger(staff).export(Delivery.objects.all())
    assert len(read_xlsx(exported)) == 3  # the header and one row per line
    before = footprint()
    report = DeliveryLedger(staff).import_file(exported, "统一配送台账.xlsx")
    assert report.ok, problems(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert footprint() == before


# ---------------------------------------------------------------------------------------------------
# Stock counts


def test_a_count_imports_with_the_book_figure_of_its_day_and_posts_the_difference(staff, supply):
    stock(supply.county, supply.flour, 30)
    rows = [
        {"盘点单号": "PD-IMP-01", "库存点": "CK-01", "盘点日期": MARCH_31, "盘点人": "刘仓管", "商品": "SP-0002",
         "实盘数量": 28},
        {"盘点单号": "PD-IMP-01", "库存点": "CK-01", "盘点日期": MARCH_31, "盘点人": "刘仓管", "商品": "SP-0001",
         "实盘数量": 0},
    ]  # fmt: skip
    report = run(StockCountLedger, staff, rows)
    assert report.ok, problems(report)
    count = StockCount.objects.get(number="PD-IMP-01")
    line = count.lines.get(product=supply.flour)
    assert (line.book_quantity, line.counted_quantity, line.difference) == (30, 28, -2)
    assert services.balance_on(supply.county, supply.flour, MARCH_31) == 28
    assert run(StockCountLedger, staff, rows).unchanged == 1


# ---------------------------------------------------------------------------------------------------
# Pages


def test_staff_download_the_templates_and_import_on_the_page(login, supply):
    stock(supply.county, supply.flour, 50)
    client = login(supply.staff)
    for name in ("order", "receipt", "delivery", "count"):
        response = client.get(reverse(f"supply:{name}-template"))
        assert response.status_code == 200, name
    headers = read_xlsx(client.get(reverse("supply:delivery-template")).content)[0]
    assert headers[:3] == ["合同", "配送单号*", "发货库存点*"]
    row = delivery_row("PS-IMP-01", "SP-0002", 5, client=supply.shop.name)
    upload = xlsx_bytes({"统一配送": [list(row), list(row.values())]})
    response = client.post(reverse("supply:delivery-import"), {"file": _file(upload)})
    assert response.status_code == 200, response.content.decode()
    assert Delivery.objects.filter(number="PS-IMP-01").exists()


def test_the_movement_ledger_still_does_not_import(login, supply):
    response = login(supply.staff).get(reverse("supply:movement-import"))
    assert response.status_code == 302


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "配送.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_a_document_dated_in_an_accepted_phase_is_refused_and_re_importing_a_posted_one_is_fine(
    staff, supply, client_supervisor
):
    from muxiang.contracts.choices import AcceptanceState
    from muxiang.contracts.models import PhaseAcceptance

    stock(supply.county, supply.flour, 50)
    posted = [delivery_row("PS-IMP-01", "SP-0002", 20, client=supply.shop.name)]
    assert run(DeliveryLedger, staff, posted).ok
    PhaseAcceptance.objects.create(
        phase=supply.contract.phases.get(number=1),
        state=AcceptanceState.ACCEPTED,
        decided_by=client_supervisor,
    )
    # the posted delivery's file again changes nothing
    assert run(DeliveryLedger, staff, posted).unchanged == 1
    # a new one of phase 1 is refused on its date, nothing posted
    before = footprint()
    report = run(
        DeliveryLedger,
        staff,
        [delivery_row("PS-IMP-02", "SP-0002", 5, day=MARCH_16, client=supply.shop.name)],
    )
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "配送日期") and "已验收" in problem.message
    assert footprint() == before
