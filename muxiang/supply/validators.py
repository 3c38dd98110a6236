"""GS1 identification keys: the GTIN (商品条码) a product carries and the trace system links to."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of ``digits`` (every digit but the last of a GTIN): weights 3 and 1
    alternate from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def validate_gtin(value: str) -> None:
    """A GTIN-8, -12, -13 or -14 with a correct check digit (a mistyped barcode number is refused)."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValidationError(_("商品条码（GTIN）应为 8、12、13 或 14 位数字"), code="gtin_format")
    if gs1_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(_("商品条码（GTIN）校验位不正确"), code="gtin_check_digit")
