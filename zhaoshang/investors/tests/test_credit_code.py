"""The unified social credit code (GB 32100-2015): real codes pass, broken check characters fail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.investors.creditcode import check_character, is_valid, normalise, validate_credit_code

# Codes of real, registered enterprises, as published on their licences.
REAL = [
    "914403001922038216",  # 华为技术有限公司
    "91330100799655058B",  # 阿里巴巴(中国)有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91350100M000100Y43",  # the example printed in GB 32100-2015
    "911100007109353457",
]


@pytest.mark.parametrize("code", REAL)
def test_it_accepts_real_codes(code):
    assert is_valid(code)
    validate_credit_code(code)


@pytest.mark.parametrize("code", REAL)
def test_it_refuses_each_real_code_with_another_check_character(code):
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if wrong != code[17]:
            assert not is_valid(code[:17] + wrong)
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code[:17] + ("0" if code[17] != "0" else "1"))
    assert error.value.code == "check"


def test_it_refuses_a_swap_of_two_characters():
    code = "91330100799655058B"
    swapped = code[:8] + code[9] + code[8] + code[10:]  # 79 -> 97
    assert swapped != code and not is_valid(swapped)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91330100799655058", "length"),
        ("91330100799655058BB", "length"),
        ("9133010079965505IB", "alphabet"),  # I is not in the alphabet
        ("91330100799655O58B", "alphabet"),  # nor O
        ("91AB0100799655058B", "alphabet"),  # the division code is six digits
    ],
)
def test_it_says_what_is_wrong_with_a_malformed_code(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_the_check_character_is_computed_from_the_first_seventeen():
    assert check_character("91330100799655058") == "B"
    assert check_character("91440300708461136") == "T"


def test_typed_codes_are_normalised_before_checking():
    assert normalise(" ９１３３０１００７９９６５５０５８ｂ ") == "91330100799655058B"
    assert normalise("9133-0100-7996-5505-8b") == "91330100799655058B"
