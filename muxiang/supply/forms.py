"""Forms of the supply chain, used by the pages and the API alike. The forms of posted documents
(purchase orders, receipts, deliveries, counts, transfers) take their lines as text — one line per
row, e.g. ``SP-0006 20`` — or, from the API, as a list of objects, and save through ``services``
so that the stock rules are checked once. Once posted, only a document's descriptive fields can
be edited; its stock effect is changed by cancelling it (作废并冲销)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.contracts.records import ContractRecordForm
from muxiang.organisations.models import Organisation
from muxiang.supply import services
from muxiang.supply.models import (
    Delivery,
    Product,
    PurchaseOrder,
    Receipt,
    StockCount,
    StockMovement,
    Supplier,
    SupplyChain,
    SystematicService,
    Warehouse,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
LINES = forms.Textarea(attrs={"rows": 6, "placeholder": ""})


class NumberMixin:
    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        return number or (self.instance.number if self.instance.pk else "")


# ---------------------------------------------------------------------------------------------------
# Lines


def _quantity(text, row: int, header: str, allow_zero=False) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            _("第 %(r)d 行：%(h)s应为数字：%(v)s") % {"r": row, "h": header, "v": text}
        ) from exc
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise ValidationError(_("第 %(r)d 行：%(h)s应大于 0：%(v)s") % {"r": row, "h": header, "v": text})
    if value.as_tuple().exponent < -3:
        raise ValidationError(_("第 %(r)d 行：%(h)s最多三位小数：%(v)s") % {"r": row, "h": header, "v": text})
    return value


def _find(model, text, row: int, header: str, keys: tuple[str, ...]):
    text = str(text).strip()
    for key in keys:
        if key == "pk" and not text.isdigit():
            continue
        found = list(model.objects.filter(**{key: text})[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValidationError(
                _("第 %(r)d 行：%(h)s「%(v)s」对应多条记录，请改填编号") % {"r": row, "h": header, "v": text}
            )
    raise ValidationError(_("第 %(r)d 行：找不到%(h)s「%(v)s」") % {"r": row, "h": header, "v": text})


class LinesField(forms.Field):
    """The lines of a document: text with one line per row, cells separated by spaces, commas or
    tabs, or (from the API) a list of objects. ``columns`` are (name, header, kind) with kind one
    of ``product``, ``organisation``, ``quantity``, ``count``, ``price`` (optional) and
    ``position``."""

    widget = LINES

    def __init__(self, columns, *args, **kwargs):
        self.columns = columns
        headers = format_lazy(" ".join(["{}"] * len(columns)), *[header for _n, header, _k in columns])
        kwargs.setdefault("help_text", format_lazy("{}{}", gettext_lazy("每行一条，用空格分隔："), headers))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, "", []):
            return []
        if isinstance(value, str):
            rows = [
                dict(zip([c[0] for c in self.columns], re.split(r"[\s,，、\t]+", line.strip()), strict=False))
                for line in value.splitlines()
                if line.strip()
            ]
        elif isinstance(value, list | tuple):
            rows = [dict(item) if isinstance(item, dict) else {} for item in value]
        else:
            raise ValidationError(_("明细格式不正确"))
        parsed, problems = [], []
        for number, row in enumerate(rows, start=1):
            try:
                parsed.append(self._parse_row(row, number))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return parsed

    def _parse_row(self, row: dict, number: int) -> dict:
        values = {}
        for name, header, kind in self.columns:
            raw = row.get(name)
            if raw in (None, ""):
                if kind == "price":
                    values[name] = None
                    continue
                raise ValidationError(_("第 %(r)d 行：缺少%(h)s") % {"r": number, "h": header})
            if kind == "product":
                values[name] = _find(Product, raw, number, header, ("code", "pk", "name"))
            elif kind == "organisation":
                values[name] = _find(Organisation, raw, number, header, ("credit_code", "pk", "name"))
            elif kind == "position":
                if not str(raw).strip().isdigit():
                    raise ValidationError(_("第 %(r)d 行：行号应为整数：%(v)s") % {"r": number, "v": raw})
                values[name] = int(str(raw).strip())
            else:
                values[name] = _quantity(raw, number, header, allow_zero=kind in ("count", "price"))
        return values

    def prepare_value(self, value):
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return "\n".join(" ".join(str(v.get(c[0], "")) for c in self.columns) for v in value)
        return value


class PostedForm(NumberMixin, ContractRecordForm, forms.ModelForm):
    """A posted document's form: new documents save through the service; posted ones change only
    the fields in ``editable_after_posting``."""

    editable_after_posting: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in list(self.fields):
                if name not in self.editable_after_posting:
                    del self.fields[name]

    def limit_for_user(self, user):
        # Called by the view set: the service records who posted.
        self.user = user

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit)
        return self.post(self.cleaned_data)

    def post(self, data):
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------------
# Reference data


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "category",
            "specification",
            "unit",
            "gtin",
            "producer",
            "is_agricultural",
            "notes",
        ]


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "organisation", "contact_name", "contact_phone", "address", "supplies", "notes"]


class WarehouseForm(forms.ModelForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "kind", "station", "address", "notes"]


# ---------------------------------------------------------------------------------------------------
# Documents


class PurchaseOrderForm(PostedForm):
    editable_after_posting = ("supplier", "expected_on", "notes")
    lines = LinesField(
        [
            ("product", gettext_lazy("商品编号"), "product"),
            ("client", gettext_lazy("需求企业（信用代码或名称）"), "organisation"),
            ("quantity", gettext_lazy("数量"), "quantity"),
            ("unit_price", gettext_lazy("单价（可不填）"), "price"),
        ],
        label=gettext_lazy("采购明细"),
    )

    class Meta:
        model = PurchaseOrder
        fields = ["contract", "number", "supplier", "warehouse", "ordered_on", "expected_on", "notes"]
        widgets = {"ordered_on": DATE, "expected_on": DATE, "notes": TEXT}

    def post(self, data):
        return services.create_purchase_order(
            data["contract"],
            data["supplier"],
            data["warehouse"],
            data["ordered_on"],
            [
                (line["product"], line["client"], line["quantity"], line["unit_price"])
                for line in data["lines"]
            ],
            getattr(self, "user", None),
            expected_on=data.get("expected_on"),
            notes=data.get("notes", ""),
            number=data.get("number", ""),
        )


class ReceiptForm(PostedForm):
    editable_after_posting = ("received_by", "notes")
    receive_all = forms.BooleanField(label=gettext_lazy("未到货部分全部到货"), required=False)
    lines = LinesField(
        [("line", gettext_lazy("行号"), "position"), ("quantity", gettext_lazy("到货数量"), "quantity")],
        label=gettext_lazy("到货明细"),
        required=False,
    )

    class Meta:
        model = Receipt
        fields = ["contract", "number", "order", "received_on", "received_by", "notes"]
        widgets = {"received_on": DATE, "notes": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contract is the order's.
        self.fields.pop("contract", None)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        order = data.get("order")
        if order is not None:
            self.instance.contract_id = order.contract_id
        if not data.get("receive_all") and not data.get("lines") and not self.errors.get("lines"):
            self.add_error("lines", _("请填写到货明细，或勾选“未到货部分全部到货”"))
        return data

    def post(self, data):
        order = data["order"]
        quantities = (
            services.outstanding_lines(order)
            if data.get("receive_all")
            else {line["line"]: line["quantity"] for line in data["lines"]}
        )
        return services.record_receipt(
            order,
            data["received_on"],
            quantities,
            getattr(self, "user", None),
            received_by=data.get("received_by", ""),
            notes=data.get("notes", ""),
            number=data.get("number", ""),
        )


class DeliveryForm(PostedForm):
    editable_after_posting = ("route", "receiver_name", "notes")
    lines = LinesField(
        [("product", gettext_lazy("商品编号"), "product"), ("quantity", gettext_lazy("数量"), "quantity")],
        label=gettext_lazy("配送明细"),
    )

    class Meta:
        model = Delivery
        fields = [
            "contract",
            "number",
            "warehouse",
            "client",
            "to_station",
            "delivered_on",
            "route",
            "receiver_name",
            "notes",
        ]
        widgets = {"delivered_on": DATE, "notes": TEXT}

    def post(self, data):
        return services.record_delivery(
            data["contract"],
            data["warehouse"],
            data["delivered_on"],
            [(line["product"], line["quantity"]) for line in data["lines"]],
            getattr(self, "user", None),
            client=data.get("client"),
            to_station=data.get("to_station"),
            route=data.get("route", ""),
            receiver_name=data.get("receiver_name", ""),
            notes=data.get("notes", ""),
            number=data.get("number", ""),
        )


class StockCountForm(PostedForm):
    editable_after_posting = ("counted_by", "notes")
    lines = LinesField(
        [("product", gettext_lazy("商品编号"), "product"), ("quantity", gettext_lazy("实盘数量"), "count")],
        label=gettext_lazy("盘点明细"),
    )

    class Meta:
        model = StockCount
        fields = ["contract", "number", "warehouse", "counted_on", "counted_by", "notes"]
        widgets = {"counted_on": DATE, "notes": TEXT}

    def post(self, data):
        return services.record_stock_count(
            data["contract"],
            data["warehouse"],
            data["counted_on"],
            [(line["product"], line["quantity"]) for line in data["lines"]],
            getattr(self, "user", None),
            counted_by=data.get("counted_by", ""),
            notes=data.get("notes", ""),
            number=data.get("number", ""),
        )


class TransferForm(forms.ModelForm):
    """A transfer between two stock points (调拨): the "new" page of the movement ledger."""

    target = forms.ModelChoiceField(label=gettext_lazy("调入库存点"), queryset=Warehouse.objects.all())
    amount = forms.DecimalField(
        label=gettext_lazy("调拨数量"), max_digits=14, decimal_places=3, min_value=Decimal("0.001")
    )

    class Meta:
        model = StockMovement
        fields = ["product", "warehouse", "target", "amount", "day", "note"]
        labels = {"warehouse": gettext_lazy("调出库存点"), "day": gettext_lazy("调拨日期")}
        widgets = {"day": DATE}

    def limit_for_user(self, user):
        self.user = user

    def _post_clean(self):
        # The movement is built by the service; the form's own model checks would see an
        # incomplete one (no quantity, no kind).
        pass

    def save(self, commit=True):
        data = self.cleaned_data
        out, _into = services.transfer_stock(
            data["product"],
            data["warehouse"],
            data["target"],
            data["amount"],
            data["day"],
            getattr(self, "user", None),
            data.get("note", ""),
        )
        return out


# ---------------------------------------------------------------------------------------------------
# 2.1 二


class SystematicServiceForm(NumberMixin, ContractRecordForm, forms.ModelForm):
    class Meta:
        model = SystematicService
        fields = ["contract", "number", "organisation", "kind", "provided_on", "content", "result"]
        widgets = {"provided_on": DATE, "content": TEXT, "result": TEXT}


class SupplyChainForm(NumberMixin, ContractRecordForm, forms.ModelForm):
    class Meta:
        model = SupplyChain
        fields = [
            "contract",
            "number",
            "name",
            "product_line",
            "participants",
            "participant_notes",
            "integrated_on",
            "description",
        ]
        widgets = {"integrated_on": DATE, "description": TEXT}
