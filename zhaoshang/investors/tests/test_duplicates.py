"""Likely duplicates: names equal or similar after normalisation, same phone or e-mail."""

from __future__ import annotations

import pytest

from zhaoshang.investors import services
from zhaoshang.investors.duplicates import likely_duplicates, phone_key
from zhaoshang.investors.models import Investor
from zhaoshang.investors.names import name_key, similar, split_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("溫州XX集團有限公司", "温州XX集团"),  # traditional vs simplified, company suffixes
        ("ＡＢＣ科技有限公司", "ABC科技有限公司"),  # full-width vs half-width
        ("浙江温州正泰电器股份有限公司", "正泰电器"),  # place prefix and suffix
        ("阿里巴巴（中国）有限公司", "阿里巴巴(中国)有限公司"),
        ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
        ("浙江省温州市鹿城鞋业有限责任公司", "温州鹿城鞋业有限公司"),
        ("Foxconn Co., Ltd.", "FOXCONN"),
    ],
)
def test_it_gives_two_names_of_one_investor_the_same_key(a, b):
    assert name_key(a) == name_key(b)


def test_it_keeps_firms_of_different_places_apart():
    assert split_name("温州鞋业")[0] != split_name("泉州鞋业")[0]


def test_a_suffix_alone_is_not_stripped_to_nothing():
    assert name_key("集团公司") != ""
    assert name_key("张三") == "张三"


def test_similar_names_are_close_but_unrelated_ones_are_not():
    assert similar(name_key("温州华峰新材料集团"), name_key("华峰新材料科技集团有限公司"))
    assert not similar(name_key("正泰电器"), name_key("德力西电气"))


def test_phone_numbers_compare_by_their_digits():
    assert phone_key("+86 138-0000-1234") == phone_key("13800001234") == phone_key("１３８００００１２３４")


@pytest.fixture
def on_file(cast):
    investor = services.create_investor(
        by=cast.operator_a,
        data={"name": "溫州XX集團有限公司", "unit": cast.town_a},
        contacts=[services.ContactData(name="王经理", phone="0577-8888 1234", email="Wang@xx.example")],
    )
    return investor


def matches(user, **kwargs):
    return {m.investor.pk: m for m in likely_duplicates(Investor.objects.visible_to(user), **kwargs)}


def test_it_finds_the_traditional_name_from_the_simplified_one(cast, on_file):
    found = matches(cast.operator_a, name="温州XX集团")
    assert on_file.pk in found and not found[on_file.pk].exact


def test_it_finds_a_full_width_name(cast):
    investor = services.create_investor(
        by=cast.admin, data={"name": "ＡＢＣ新能源有限公司", "unit": cast.county}
    )
    assert investor.pk in matches(cast.admin, name="ABC新能源")


def test_it_finds_an_investor_by_a_contact_phone_or_e_mail(cast, on_file):
    assert on_file.pk in matches(cast.operator_a, name="完全不同的名字", phones=["057788881234"])
    assert on_file.pk in matches(cast.operator_a, name="完全不同的名字", emails=["wang@XX.example"])
    assert not matches(cast.operator_a, name="完全不同的名字", phones=["13900000000"])


def test_a_credit_code_is_an_exact_match(cast):
    investor = services.create_investor(
        by=cast.admin,
        data={"name": "阿里巴巴（中国）有限公司", "credit_code": "91330100799655058B", "unit": cast.county},
    )
    found = matches(cast.admin, name="另一个名字", credit_code="91330100799655058B")
    assert found[investor.pk].exact


def test_it_never_shows_a_duplicate_the_user_may_not_see(cast, on_file):
    assert not matches(cast.operator_b, name="温州XX集团")
    assert not matches(cast.stranger, name="温州XX集团", phones=["057788881234"])
