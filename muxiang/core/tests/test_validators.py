"""The identifiers every form and ledger checks: resident ID numbers, credit codes, mobiles."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from muxiang.core.validators import (
    birth_date_from_id,
    credit_code_problem,
    gender_from_id,
    id_number_problem,
    make_credit_code,
    make_id_number,
    mask_id_number,
    mobile_problem,
    validate_credit_code,
    validate_division_code,
    validate_id_number,
    validate_mobile,
)

# The worked example printed in GB 11643 and a real, public credit code (GB 32100's own example).
STANDARD_ID = "11010519491231002X"
STANDARD_CREDIT_CODE = "91350100M000100Y43"


# --- resident ID numbers (GB 11643) -----------------------------------------------------------------


def test_the_standards_own_example_id_number_is_valid():
    assert id_number_problem(STANDARD_ID) is None
    validate_id_number(STANDARD_ID)


def test_generated_id_numbers_are_valid():
    for sequence in range(0, 1000, 37):
        assert id_number_problem(make_id_number("150824", datetime.date(1990, 1, 1), sequence)) is None


def test_a_lowercase_x_check_character_is_accepted():
    assert id_number_problem(STANDARD_ID.lower()) is None


def test_surrounding_and_inner_spaces_are_ignored():
    assert id_number_problem(f"  {STANDARD_ID[:6]} {STANDARD_ID[6:]} ") is None


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002X1", "110105194912310"])
def test_an_id_number_of_the_wrong_length_is_refused_with_its_length(value):
    problem = id_number_problem(value)
    assert problem is not None
    assert "18 位" in problem
    assert f"实际为 {len(value)} 位" in problem


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002A",  # a letter other than X as check character
        "1101051949123100XX",  # X before the last place
        "A10105194912310021",  # a letter at the start
        "010105194912310021",  # region codes do not start with 0
    ],
)
def test_an_id_number_with_letters_or_a_leading_zero_is_refused(value):
    assert "只能由 17 位数字加一位数字或 X 组成" in id_number_problem(value)


def test_an_impossible_birth_date_is_refused_naming_the_date():
    value = "150824" + "19900230" + "123"
    value += "0"  # check character is irrelevant: the date is checked first
    problem = id_number_problem(value)
    assert "19900230" in problem
    assert "不存在" in problem


def test_a_future_birth_date_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    problem = id_number_problem(make_id_number("150824", tomorrow, 1))
    assert problem is not None
    assert tomorrow.strftime("%Y%m%d") in problem
    assert "不合理" in problem


def test_a_birth_year_before_1900_is_refused():
    assert "不合理" in id_number_problem(make_id_number("150824", datetime.date(1899, 12, 31), 1))


def test_a_wrong_check_digit_is_refused():
    good = make_id_number("150824", datetime.date(1990, 1, 1), 123)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert "校验位错误" in id_number_problem(wrong)


def test_validate_id_number_raises_a_validation_error_with_the_problem():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("123")
    assert caught.value.code == "invalid_id_number"
    assert "18 位" in caught.value.messages[0]


def test_birth_date_and_gender_come_from_the_id_number():
    man = make_id_number("150824", datetime.date(1988, 5, 12), 21)  # 17th digit 1: odd
    woman = make_id_number("150824", datetime.date(1988, 5, 12), 22)
    assert birth_date_from_id(man) == datetime.date(1988, 5, 12)
    assert gender_from_id(man) == "male"
    assert gender_from_id(woman) == "female"


def test_the_mask_keeps_four_characters_at_each_end():
    assert mask_id_number("150824199001011234") == "1508**********1234"
    assert mask_id_number(STANDARD_ID) == "1101**********002X"


def test_the_mask_hides_short_values_entirely_and_leaves_empty_ones_empty():
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""


# --- unified social credit codes (GB 32100) ---------------------------------------------------------


def test_the_standards_example_credit_code_is_valid():
    assert credit_code_problem(STANDARD_CREDIT_CODE) is None
    validate_credit_code(STANDARD_CREDIT_CODE)


def test_a_lowercase_credit_code_is_accepted():
    assert credit_code_problem(STANDARD_CREDIT_CODE.lower()) is None


def test_a_credit_code_with_a_wrong_check_character_is_refused():
    wrong = STANDARD_CREDIT_CODE[:17] + "X"
    assert "校验位错误" in credit_code_problem(wrong)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_a_credit_code_with_a_forbidden_letter_is_refused(letter):
    body = "91350100M000100" + letter + "4"
    # Even with the "right" check character, the letter itself is not allowed.
    problem = credit_code_problem(body + "3")
    assert "不允许的字符" in problem
    assert "I、O、S、V、Z" in problem


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_a_credit_code_of_the_wrong_length_is_refused(value):
    assert f"实际为 {len(value)} 位" in credit_code_problem(value)


def test_a_credit_code_with_letters_where_the_division_code_belongs_is_refused():
    assert "不允许的字符" in credit_code_problem(make_credit_code("9135A100M000100Y4"))


def test_validate_credit_code_raises_a_validation_error_with_the_problem():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100Y40")
    assert caught.value.code == "invalid_credit_code"


# --- mobiles and division codes -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["13800000000", "19912345678", " 15047800011 "])
def test_mainland_mobile_numbers_are_accepted(value):
    assert mobile_problem(value) is None


@pytest.mark.parametrize(
    "value", ["", "1380000000", "138000000000", "12800000000", "23800000000", "1380000000a", "+8613800000000"]
)
def test_malformed_mobile_numbers_are_refused_quoting_the_value(value):
    problem = mobile_problem(value)
    assert "1 开头的 11 位数字" in problem
    assert value.strip() in problem


def test_validate_mobile_raises_a_validation_error():
    with pytest.raises(ValidationError):
        validate_mobile("0471-1234567")


@pytest.mark.parametrize("value", ["150824", "150824100", "150824100201"])
def test_division_codes_of_six_nine_or_twelve_digits_are_accepted(value):
    validate_division_code(value)


@pytest.mark.parametrize("value", ["15082", "1508241", "15082410020", "15082410a"])
def test_division_codes_of_other_lengths_are_refused(value):
    with pytest.raises(ValidationError):
        validate_division_code(value)


def test_a_birth_date_of_today_in_china_is_accepted_while_utc_is_still_yesterday(monkeypatch):
    # given 20:00 UTC, which is 04:00 the next morning in Asia/Shanghai
    utc_today = datetime.datetime.now(datetime.UTC).date()
    instant = datetime.datetime.combine(utc_today, datetime.time(20, 0), tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
    born_this_morning_in_china = utc_today + datetime.timedelta(days=1)
    # then
    assert id_number_problem(make_id_number("150824", born_this_morning_in_china, 1)) is None
