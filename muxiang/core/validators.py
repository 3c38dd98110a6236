"""Validators for the identifiers Chinese offices write on every form.

- Resident ID numbers (居民身份证号码) follow GB 11643: 17 digits and an ISO 7064 MOD 11-2 check
  character (0–9 or X), with the birth date in positions 7–14.
- Unified social credit codes (统一社会信用代码) follow GB 32100: 18 characters from a 31-letter
  alphabet without I, O, S, V, Z, the last one a MOD 31 check character.
- Mobile numbers are 11 digits starting with 1 and a second digit 3–9.
"""

import datetime
import operator
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id_number(value: str) -> str:
    return str(value or "").strip().upper().replace(" ", "")


def id_number_check_char(first17: str) -> str:
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


_today: list = [None, None]


def _local_today() -> datetime.date:
    """Today in the configured zone (Asia/Shanghai). Looking up the zone is the slow part of
    ``localdate()``; the local date cannot change within one UTC hour for whole-hour zones, so it is
    looked up once per hour: an import checks 100,000 ID numbers."""
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    if _today[0] != hour:
        _today[:] = [hour, timezone.localdate(now)]
    return _today[1]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid resident ID number, or None if it is."""
    value = normalise_id_number(value)
    if len(value) != 18:
        return _("身份证号应为 18 位，实际为 %(n)d 位") % {"n": len(value)}
    if not _ID_RE.match(value):
        return _("身份证号只能由 17 位数字加一位数字或 X 组成")
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期 %(d)s 不存在") % {"d": value[6:14]}
    # Today in the configured zone (Asia/Shanghai), not the server's: a child born this morning in
    # China is not "in the future" on a server that still lives in yesterday's UTC date.
    if birth > _local_today() or birth.year < 1900:
        return _("身份证号中的出生日期 %(d)s 不合理") % {"d": value[6:14]}
    if id_number_check_char(value[:17]) != value[17]:
        return _("身份证号校验位错误（GB 11643），请核对号码")
    return None


# What an import checks 100,000 times, made cheap: one ASCII pattern, the birth date compared as
# digits and each distinct birth date built once, the check digit from one integer conversion.
_ID_ASCII = re.compile(r"[1-9][0-9]{16}[0-9X]")
_BIRTH_DATES: dict[str, datetime.date | None] = {}


def birth_date_from_digits(digits: str) -> datetime.date | None:
    """The date that eight digits YYYYMMDD name, or None; each distinct one is built once."""
    try:
        return _BIRTH_DATES[digits]
    except KeyError:
        pass
    try:
        birth = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        birth = None
    if len(_BIRTH_DATES) < 100_000:  # about 270 years of dates
        _BIRTH_DATES[digits] = birth
    return birth


def id_number_accepter():
    """A quick test for many normalised ID numbers, with today's date looked up once: True only for
    numbers that ``id_number_problem`` accepts; False means "ask ``id_number_problem``", which has
    the message (and accepts the rare numbers this test leaves to it, such as full-width digits).

    The weights of GB 11643 are 2**(17 - i) mod 11, and 13 ≡ 2 (mod 11): the weighted sum of the
    first 17 digits is ≡ 2 × (those digits read in base 13) (mod 11)."""
    today = _local_today().strftime("%Y%m%d")
    fullmatch = _ID_ASCII.fullmatch
    births = _BIRTH_DATES
    check = _ID_CHECK

    def accepts(value: str) -> bool:
        if fullmatch(value) is None:
            return False
        digits = value[6:14]
        if digits > today or digits < "19000101":
            return False
        if births.get(digits) is None and birth_date_from_digits(digits) is None:
            return False
        return check[2 * int(value[:17], 13) % 11] == value[17]

    return accepts


def mobile_accepter():
    """A quick test for many stripped mobile numbers: True only for those ``mobile_problem`` accepts."""
    return _MOBILE_RE.match


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_id_number")


def mask_id_number(value: str | None) -> str:
    """1508**********1234: enough to tell two people apart, not enough to use the number."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def birth_date_from_id(value: str) -> datetime.date | None:
    value = normalise_id_number(value)
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def gender_from_id(value: str) -> str:
    """The 17th digit is odd for men and even for women."""
    value = normalise_id_number(value)
    return "male" if int(value[16]) % 2 else "female"


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    value = str(value or "").strip().upper()
    if len(value) != 18:
        return _("统一社会信用代码应为 18 位，实际为 %(n)d 位") % {"n": len(value)}
    if not _USCC_RE.match(value):
        return _("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）")
    if credit_code_check_char(value[:17]) != value[17]:
        return _("统一社会信用代码校验位错误（GB 32100），请核对代码")
    return None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


def mobile_problem(value: str) -> str | None:
    value = str(value or "").strip()
    if not _MOBILE_RE.match(value):
        return _("手机号应为 1 开头的 11 位数字：%(v)s") % {"v": value}
    return None


def validate_mobile(value: str) -> None:
    problem = mobile_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_mobile")


def validate_division_code(value: str) -> None:
    """Administrative division codes (行政区划代码) are 6 (county), 9 (town) or 12 (village) digits."""
    value = str(value or "").strip()
    if not re.fullmatch(r"\d{6}|\d{9}|\d{12}", value):
        raise ValidationError(
            _("行政区划代码应为 6、9 或 12 位数字：%(v)s") % {"v": value}, code="invalid_code"
        )


def make_id_number(region6: str, birth: datetime.date, sequence: int) -> str:
    """A well-formed ID number (for sample data and tests): region, birth date, sequence, check."""
    first17 = f"{region6}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_number_check_char(first17)


def make_credit_code(body17: str) -> str:
    """A well-formed unified social credit code from its first 17 characters."""
    return body17 + credit_code_check_char(body17)
