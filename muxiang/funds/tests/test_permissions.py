"""Programme money is the operator's: staff and admin write, the client supervisor and the auditor
read, a station manager reaches nothing at all, an anonymous visitor is sent to log in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from muxiang.funds.models import Expense, FundReceipt
from muxiang.funds.tests.conftest import invoice_pdf, make_expense, make_purchase, make_receipt

REFUSED = {403, 404}


def funds_routes():
    """(name, takes_pk) of every route under funds:."""
    _prefix, resolver = get_resolver().namespace_dict["funds"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


@pytest.fixture
def records(contract):
    expense = make_expense(contract, "N-1")
    purchase = make_purchase(contract, quotes=3)
    return {
        "expense": expense,
        "receipt": make_receipt(contract),
        "equipment": purchase,
        "quotation": purchase.quotations.first(),
    }


def url_of(name, takes_pk, records, contract):
    if takes_pk:
        return reverse(f"funds:{name}", args=[records[name.split("-")[0]].pk])
    return reverse(f"funds:{name}")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_station_manager_gets_403_or_404_everywhere(login, manager, records, contract, method):
    client = login(manager)
    for name, takes_pk in funds_routes():
        url = url_of(name, takes_pk, records, contract)
        data = {"file": invoice_pdf()} if method == "post" else {"contract": contract.key, "year": 2026}
        response = getattr(client, method)(url, data)
        assert response.status_code in REFUSED | {405}, f"{method} {url}: {response.status_code}"
    assert Expense.all_objects.filter(deleted_at__isnull=True).count() == 1


def test_a_station_manager_does_not_see_the_funds_link_or_records(login, manager, records):
    html = login(manager).get(reverse("home")).content.decode()
    assert reverse("funds:summary") not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_login_from_every_funds_route(client, records, contract, method):
    for name, takes_pk in funds_routes():
        url = url_of(name, takes_pk, records, contract)
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["client_supervisor", "auditor"])
def test_read_only_roles_read_everything_and_change_nothing(login, request, persona, records, contract):
    client = login(request.getfixturevalue(persona))
    for name, takes_pk in funds_routes():
        url = url_of(name, takes_pk, records, contract)
        if name.endswith(("-list", "-detail", "-export", "-template")) or name in {"summary", "audit-export"}:
            assert client.get(url, {"contract": contract.key}).status_code == 200, url
        else:
            assert client.post(url, {"file": invoice_pdf()}).status_code in REFUSED | {405}, url
    assert Expense.objects.count() == 1 and FundReceipt.objects.count() == 1


def test_operator_staff_upload_a_receipts_voucher(login, staff, records):
    receipt = records["receipt"]
    client = login(staff)
    client.post(reverse("funds:receipt-evidence", args=[receipt.pk]), {"file": invoice_pdf("voucher.pdf")})
    assert "voucher.pdf" in client.get(reverse("funds:receipt-detail", args=[receipt.pk])).content.decode()


def test_a_file_that_is_not_evidence_is_refused_with_a_message(login, staff, records):
    expense = records["expense"]
    upload = SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "application/octet-stream")
    response = login(staff).post(
        reverse("funds:expense-evidence", args=[expense.pk]), {"file": upload}, follow=True
    )
    assert "不在允许范围内" in response.content.decode()
