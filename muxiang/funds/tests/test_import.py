import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from muxiang.core.models import ObjectChange
from muxiang.funds.models import EquipmentPurchase, Expense, Quotation
from muxiang.funds.tests.conftest import make_expense, make_purchase


def problems(response) -> list[tuple[str, str, str]]:
    """(row, column, message) of each problem the import report lists."""
    return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", response.content.decode())


HEADER = "合同,发票号码,支出日期,收款单位,金额（元）,合同条款,用途\n"


def upload(login, user, route, text, dry_run=False):
    data = {"file": SimpleUploadedFile("ledger.csv", text.encode("utf-8"), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return login(user).post(reverse(f"funds:{route}"), data)


def test_importing_expenses_derives_each_phase(login, staff, contract):
    text = HEADER + (
        f"{contract.key},INV-1,2026-03-15,甲公司,100.50,A,标识牌\n{contract.key},INV-2,2026/08/01,乙公司,200,4,培训场地\n"
    )
    response = upload(login, staff, "expense-import", text)
    assert response.status_code == 200, response.content.decode()
    phases = dict(Expense.objects.values_list("invoice_number", "phase__number"))
    assert phases == {"INV-1": 1, "INV-2": 2}
    assert ObjectChange.objects.filter(action="create", object_repr="INV-2").exists()


def test_import_of_expenses_is_all_or_nothing(login, staff, contract):
    # given: three good rows and one whose section, amount and date are wrong
    good = "".join(f"{contract.key},INV-{i},2026-03-1{i},甲公司,10{i},4,物料\n" for i in range(3))
    bad = f"{contract.key},INV-9,2026-12-25,乙公司,-5,9.9,物料\n"
    # when
    response = upload(login, staff, "expense-import", HEADER + good + bad)
    # then
    assert response.status_code == 400
    found = problems(response)
    assert ("5", "支出日期", "日期不能晚于今天：2026-12-25") in found
    assert ("5", "金额（元）", "不能小于 0.01：-5") in found
    assert not Expense.objects.exists()


def test_import_names_an_unknown_section_by_row_and_column(login, staff, contract):
    text = HEADER + f"{contract.key},INV-1,2026-03-15,甲公司,100,9.9,物料\n"
    response = upload(login, staff, "expense-import", text)
    assert response.status_code == 400
    [(row, column, message)] = problems(response)
    assert (row, column) == ("2", "合同条款")
    assert message.startswith("合同中没有条款「9.9」")
    assert not Expense.objects.exists()


def test_importing_the_same_expenses_twice_changes_nothing(login, staff, contract):
    text = HEADER + f"{contract.key},INV-1,2026-03-15,甲公司,100,4,物料\n"
    upload(login, staff, "expense-import", text)
    before = ObjectChange.objects.count()
    assert upload(login, staff, "expense-import", text).status_code == 200
    assert Expense.objects.count() == 1
    assert ObjectChange.objects.count() == before


def test_a_damaged_file_is_refused_with_a_message(login, staff, contract):
    data = {"file": SimpleUploadedFile("ledger.xlsx", b"not a workbook", "application/octet-stream")}
    response = login(staff).post(reverse("funds:expense-import"), data)
    assert response.status_code == 400
    assert "无法读取该电子表格" in response.content.decode()


def test_quotations_import_matches_on_asset_number_and_supplier(login, staff, contract):
    purchase = make_purchase(contract, "ZC-1", quotes=2)
    text = "资产编号,供应商,报价（元）,报价日期,选定\nZC-1,供应商1,3999,2026-03-01,否\nZC-1,新供应商,4100,2026-03-02,否\n"
    response = upload(login, staff, "quotation-import", text)
    assert response.status_code == 200, response.content.decode()
    assert purchase.quotations.count() == 3
    assert str(Quotation.objects.get(supplier="供应商1").amount) == "3999.00"


def test_quotations_import_refuses_a_second_chosen_quotation(login, staff, contract):
    make_purchase(contract, "ZC-1", quotes=2)
    text = "资产编号,供应商,报价（元）,报价日期,选定\nZC-1,新供应商,4100,2026-03-02,是\n"
    response = upload(login, staff, "quotation-import", text)
    assert response.status_code == 400
    assert "已有选定的报价" in response.content.decode()
    assert Quotation.objects.count() == 2


def test_equipment_import_checks_the_section(login, staff, contract):
    head = "合同,资产编号,设备名称,数量,采购日期,金额（元）,合同条款\n"
    text = (
        head
        + f"{contract.key},ZC-9,展示柜,1,2026-03-01,3000,B.1\n{contract.key},ZC-10,展示柜,0,2026-03-01,3000,Z\n"
    )
    response = upload(login, staff, "equipment-import", text)
    assert response.status_code == 400
    assert not EquipmentPurchase.objects.exists()


def test_equipment_import_links_each_item_to_the_expense_that_paid_for_it(login, staff, contract):
    # given: one invoice of 5,000 yuan paying two items
    make_expense(contract, "FP-1", amount="5000.00")
    head = "合同,资产编号,设备名称,数量,采购日期,金额（元）,合同条款,付款支出发票号码\n"
    rows = f"{contract.key},ZC-7,补光灯,1,2026-03-01,3000,4,FP-1\n{contract.key},ZC-8,声卡,1,2026-03-01,2000,4,FP-1\n"
    # when
    response = upload(login, staff, "equipment-import", head + rows)
    again = upload(login, staff, "equipment-import", head + rows)
    # then
    assert response.status_code == 200 and again.status_code == 200, problems(again)
    assert set(EquipmentPurchase.objects.values_list("asset_number", "expense__invoice_number")) == {
        ("ZC-7", "FP-1"),
        ("ZC-8", "FP-1"),
    }


def test_equipment_import_refuses_items_costing_more_than_their_expense(login, staff, contract):
    # given
    make_expense(contract, "FP-2", amount="4000.00")
    head = "合同,资产编号,设备名称,数量,采购日期,金额（元）,合同条款,付款支出发票号码\n"
    rows = f"{contract.key},ZC-7,补光灯,1,2026-03-01,3000,4,FP-2\n{contract.key},ZC-8,声卡,1,2026-03-01,2000,4,FP-2\n"
    # when
    response = upload(login, staff, "equipment-import", head + rows)
    # then: the second row tips it over; nothing is written
    assert response.status_code == 400
    assert [(row, column) for row, column, _message in problems(response)] == [("3", "付款支出发票号码")]
    assert "不足以支付" in problems(response)[0][2]
    assert not EquipmentPurchase.objects.exists()


def test_the_equipment_form_refuses_an_expense_of_another_contract(login, staff, contract):
    from muxiang.contracts.services import load_contract
    from muxiang.funds.tests.conftest import SAMPLE

    other = load_contract(
        SAMPLE.read_text(encoding="utf-8").replace('key = "sample-county-2026"', 'key = "other-county"')
    )
    expense = make_expense(other, "FP-3", amount="9000.00")
    data = {
        "contract": contract.pk,
        "asset_number": "ZC-9",
        "name": "电脑",
        "quantity": 1,
        "purchased_on": "2026-03-01",
        "amount": "3000",
        "section": "4",
        "expense": expense.pk,
    }
    response = login(staff).post(reverse("funds:equipment-add"), data)
    assert response.status_code == 400
    assert "属于另一个合同" in response.content.decode()
    assert not EquipmentPurchase.objects.exists()


def test_the_audit_entries_of_imported_amounts_read_as_the_python_encoder_writes_them(
    login, staff, contract, monkeypatch
):
    """The database builds the creation entries of an import; an amount reads "100.50" there as in
    the entries DjangoJSONEncoder writes (``core.bulk.creation_entries``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from muxiang.core import bulk

    text = HEADER + f"{contract.key},INV-A,2026-03-15,甲公司,100.5,4,标识牌\n"
    # Recording the queries, as DEBUG does, formats each statement with its parameters: the
    # statement's own "%" must survive that.
    with CaptureQueriesContext(connection):
        upload(login, staff, "expense-import", text)
    by_database = ObjectChange.objects.get(action="create", object_repr="INV-A").after
    Expense.all_objects.all().delete()
    ObjectChange.objects.filter(object_repr="INV-A").delete()
    monkeypatch.setattr(bulk, "insert_creation_entries", lambda *args: False)
    upload(login, staff, "expense-import", text)
    in_python = ObjectChange.objects.get(action="create", object_repr="INV-A").after
    assert by_database["amount"] == in_python["amount"] == "100.50"
    assert {k: v for k, v in by_database.items() if k != "id"} == {
        k: v for k, v in in_python.items() if k != "id"
    }
