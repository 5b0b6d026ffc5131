"""ID numbers and phone numbers: validation and masking."""

import pytest

from tiaojie.core.idnumber import (
    check_digit,
    id_number_problem,
    is_valid_id_number,
    is_valid_mobile,
    mask_address,
    mask_id_number,
    mask_phone,
)

# The GB 11643-1999 standard's own worked example.
STANDARD_EXAMPLE = "11010519491231002X"


def test_the_standards_worked_example_is_valid() -> None:
    assert check_digit(STANDARD_EXAMPLE[:17]) == "X"
    assert is_valid_id_number(STANDARD_EXAMPLE)


def test_a_lower_case_x_is_accepted() -> None:
    assert is_valid_id_number(STANDARD_EXAMPLE.lower())


@pytest.mark.parametrize("wrong", "0123456789")
def test_every_wrong_check_digit_is_rejected(wrong: str) -> None:
    candidate = STANDARD_EXAMPLE[:17] + wrong
    assert id_number_problem(candidate) == "check_digit"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("11010519491231002", "format"),
        ("1101051949123100211", "format"),
        ("11010519491331002X", "birth_date"),
        ("11010519490230002X", "birth_date"),
        ("A1010519491231002X", "format"),
    ],
)
def test_malformed_numbers_say_why(value: str, problem: str) -> None:
    assert id_number_problem(value) == problem


def test_mobile_numbers() -> None:
    assert is_valid_mobile("13812341234")
    assert not is_valid_mobile("12812341234")
    assert not is_valid_mobile("1381234123")


def test_masks_keep_only_what_staff_need() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number(STANDARD_EXAMPLE) == "**************002X"
    assert mask_id_number("") == ""
    assert mask_address("陕西省渭南市临渭区下邽镇东庆村3组12号") == "陕西省渭南市****"
    assert mask_address("东庆村") == "****"
