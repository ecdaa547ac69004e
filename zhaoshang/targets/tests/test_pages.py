"""The target pages: the decomposition grid, saving it, copying last year's, one unit's notes, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.targets.models import Target
from zhaoshang.targets.tests.conftest import YEAR, values_of


@pytest.fixture
def client(client, settings):
    """Pages in English, so that messages compare with the English texts below."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def decomposed(cast, put):
    """The county got 10,000 of domestic funds; its children were given 9,000 between them, and
    more projects than the county's own target."""
    put(cast.county, funds_domestic="10000", projects_signed="10")
    put(cast.town_a, funds_domestic="6000", projects_signed="7")
    put(cast.town_b, funds_domestic="3000", projects_signed="5")
    put(cast.park, factory_area="12000.5")
    put(cast.other_county, funds_domestic="77777")
    put(cast.other_town, funds_domestic="55555")
    return cast


def grid_url(unit, year=YEAR, name="grid"):
    return reverse(f"targets:{name}", args=[unit.pk, year])


def sums(response) -> dict[str, tuple[Decimal | None, bool]]:
    return {ind.code: (total, short) for ind, total, short in response.context["sums"]}


def own_values(response) -> dict[str, Decimal]:
    _row, cells = response.context["own_row"]
    return {ind.code: value for ind, value, *_rest in cells if value is not None}


def grid_post(response, **changes: str) -> dict[str, str]:
    """The grid form as the page filled it in, with some cells changed."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


def test_the_grid_shows_the_childrens_sum_beside_the_parents_own_target(client, decomposed):
    client.force_login(decomposed.admin)
    response = client.get(grid_url(decomposed.county))
    assert response.status_code == 200
    assert own_values(response) == {"funds_domestic": Decimal(10000), "projects_signed": Decimal(10)}
    found = sums(response)
    assert found["funds_domestic"] == (Decimal(9000), True)  # short of the county's 10,000: marked
    assert found["projects_signed"] == (Decimal(12), False)  # over-allocated: fine
    assert found["factory_area"] == (Decimal("12000.5"), False)  # the county set none itself
    assert found["outbound_trips"] == (None, False)
    html = response.content.decode()
    assert 'data-testid="sum-funds_domestic" title=' in html and "table-danger" in html
    children = [row.unit.name for row, _cells in response.context["child_rows"]]
    assert children == ["城关镇", "河口乡", "县商务局", "示例经济开发区"]  # townships, department, park


def test_the_childrens_sum_never_becomes_the_parents_target(client, decomposed):
    client.force_login(decomposed.admin)
    response = client.get(grid_url(decomposed.county))
    client.post(grid_url(decomposed.county), grid_post(response))  # saved unchanged
    assert values_of(decomposed.county) == {"funds_domestic": Decimal(10000), "projects_signed": Decimal(10)}
    assert values_of(decomposed.county)["funds_domestic"] != sums(response)["funds_domestic"][0]


def test_the_bureau_decomposes_targets_in_the_grid(client, decomposed):
    client.force_login(decomposed.admin)
    a, dept = decomposed.town_a.pk, decomposed.department.pk
    form = grid_post(
        client.get(grid_url(decomposed.county)),
        **{
            f"t-{a}-funds_domestic": "6,500.25",
            f"t-{dept}-investors_received": "40",
            f"t-{a}-projects_signed": "",
        },
    )
    response = client.post(grid_url(decomposed.county), form)
    assert response.status_code == 302
    assert values_of(decomposed.town_a) == {"funds_domestic": Decimal("6500.25")}
    assert values_of(decomposed.department) == {"investors_received": Decimal(40)}
    assert values_of(decomposed.county)["funds_domestic"] == Decimal(10000)
    page = client.get(response["Location"])
    assert "Targets saved: 1 set, 1 changed, 1 removed." in page.content.decode()


def test_a_bad_cell_saves_nothing_and_is_shown_with_its_error(client, decomposed):
    client.force_login(decomposed.admin)
    a, b = decomposed.town_a.pk, decomposed.town_b.pk
    form = grid_post(
        client.get(grid_url(decomposed.county)),
        **{f"t-{a}-funds_domestic": "7000", f"t-{b}-funds_domestic": "-1"},
    )
    response = client.post(grid_url(decomposed.county), form)
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {f"t-{b}-funds_domestic"}
    assert values_of(decomposed.town_a)["funds_domestic"] == Decimal(6000)


def test_a_grid_changed_by_someone_else_meanwhile_is_not_overwritten(client, decomposed, ind):
    client.force_login(decomposed.admin)
    stale = grid_post(
        client.get(grid_url(decomposed.county)), **{f"t-{decomposed.town_a.pk}-funds_domestic": "1"}
    )
    from zhaoshang.targets import services

    services.set_targets(decomposed.admin, decomposed.town_b, YEAR, {ind["funds_domestic"]: Decimal(3500)})
    response = client.post(grid_url(decomposed.county), stale)
    assert response.status_code == 409
    assert values_of(decomposed.town_a)["funds_domestic"] == Decimal(6000)
    assert values_of(decomposed.town_b)["funds_domestic"] == Decimal(3500)


@pytest.mark.parametrize("who", ["leader", "operator_a"])
def test_an_operator_or_a_leader_sees_the_grid_but_cannot_set_targets(client, decomposed, who):
    user = getattr(decomposed, who)
    unit = decomposed.county if who == "leader" else decomposed.town_a
    client.force_login(user)
    response = client.get(grid_url(unit))
    assert response.status_code == 200 and response.context["form"] is None
    assert "<input" not in response.content.decode().split('data-testid="target-grid"')[1]
    before = list(Target.objects.order_by("pk").values_list("pk", "value"))
    posts = [
        (grid_url(unit), {f"t-{decomposed.town_a.pk}-funds_domestic": "1"}),
        (grid_url(unit, name="unit"), {"v-funds_domestic": "1"}),
        (grid_url(unit, name="copy"), {"overwrite": "on"}),
        (grid_url(unit, name="import"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(grid_url(unit, name="import_template")).status_code == 403
    assert list(Target.objects.order_by("pk").values_list("pk", "value")) == before


def test_a_township_operator_reaches_neither_the_county_nor_the_neighbour(client, decomposed):
    client.force_login(decomposed.operator_a)
    for unit in (decomposed.county, decomposed.town_b):
        assert client.get(grid_url(unit)).status_code == 404
        assert client.get(reverse("targets:index"), {"unit": unit.pk}).status_code == 404
    response = client.get(reverse("targets:index"), {"year": YEAR})
    assert response.context["unit"] == decomposed.town_a
    assert own_values(response) == {"funds_domestic": Decimal(6000), "projects_signed": Decimal(7)}


def test_the_stranger_sees_none_of_the_countys_targets(client, decomposed):
    client.force_login(decomposed.stranger)
    for unit in (decomposed.county, decomposed.town_a):
        for name in ("grid", "unit", "export", "agreement", "agreements", "import", "import_template"):
            assert client.get(grid_url(unit, name=name)).status_code == 404, name
        for name in ("grid", "unit", "copy"):
            assert client.post(grid_url(unit, name=name), {}).status_code == 404, name
        assert client.get(reverse("targets:index"), {"unit": unit.pk}).status_code == 404
    home = client.get(reverse("targets:index"), {"year": YEAR})
    assert home.context["unit"] == decomposed.other_county
    assert own_values(home) == {"funds_domestic": Decimal(77777)}
    text = home.content.decode()
    assert "城关镇" not in text and "示例县" not in text and 'value="10000"' not in text


def test_the_index_defaults_to_the_users_own_unit_and_this_year(client, decomposed, today):
    client.force_login(decomposed.admin)
    response = client.get(reverse("targets:index"))
    assert (response.context["unit"], response.context["year"]) == (decomposed.county, today.year)
    assert client.get(reverse("targets:index"), {"year": "abc"}).status_code == 404
    assert client.get(grid_url(decomposed.county, year=1200)).status_code == 404


def test_copy_from_last_year_fills_the_grid(client, cast, put):
    put(cast.town_a, YEAR - 1, funds_domestic="30000")
    put(cast.town_a, funds_domestic="45000")
    put(cast.town_b, YEAR - 1, projects_signed="4")
    client.force_login(cast.admin)
    response = client.post(grid_url(cast.county, name="copy"), {})
    assert response.status_code == 302 and response["Location"] == grid_url(cast.county)
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(45000)}
    assert values_of(cast.town_b) == {"projects_signed": Decimal(4)}
    client.post(grid_url(cast.county, name="copy"), {"overwrite": "on"})
    assert values_of(cast.town_a) == {"funds_domestic": Decimal(30000)}


def test_a_units_targets_carry_notes(client, decomposed):
    client.force_login(decomposed.admin)
    url = grid_url(decomposed.town_a, name="unit")
    page = client.get(url)
    data = {
        "stamp": page.context["stamp"],
        "v-funds_domestic": "6000",
        "n-funds_domestic": "其中工业项目不少于60%",
    }
    data["v-projects_signed"] = "7"
    assert client.post(url, data).status_code == 302
    target = Target.objects.get(unit=decomposed.town_a, indicator__code="funds_domestic")
    assert (target.value, target.note) == (Decimal(6000), "其中工业项目不少于60%")
    assert client.post(url, data | {"v-funds_domestic": "1"}).status_code == 409  # the old stamp
    assert Target.objects.get(pk=target.pk).value == Decimal(6000)


def test_the_grid_costs_a_fixed_number_of_queries(client, decomposed, put):
    client.force_login(decomposed.admin)
    client.get(grid_url(decomposed.county))
    with CaptureQueriesContext(connection) as few:
        client.get(grid_url(decomposed.county))
    from zhaoshang.units.services import create_unit

    for n in range(5):
        unit = create_unit(
            by=None, parent=decomposed.county, kind="department", name=f"部门{n}", code=f"D9{n}"
        )
        put(unit, funds_domestic="10", projects_signed="1")
    with CaptureQueriesContext(connection) as many:
        client.get(grid_url(decomposed.county))
    assert len(many) == len(few)


def test_a_bad_value_on_the_units_page_is_shown_and_nothing_is_saved(client, decomposed):
    client.force_login(decomposed.admin)
    url = grid_url(decomposed.county, name="unit")
    stamp = client.get(url).context["stamp"]
    response = client.post(url, {"stamp": stamp, "v-funds_domestic": "-3", "v-projects_signed": "11"})
    assert response.status_code == 400 and "v-funds_domestic" in response.context["form"].errors
    assert values_of(decomposed.county) == {"funds_domestic": Decimal(10000), "projects_signed": Decimal(10)}


def test_a_leader_reads_a_units_targets_and_notes_without_a_form(client, decomposed):
    client.force_login(decomposed.leader)
    response = client.get(grid_url(decomposed.town_a, name="unit"))
    assert response.status_code == 200 and response.context["form"] is None
    shown = {ind.code: target.value for ind, target, *_rest in response.context["rows"] if target}
    assert shown == {"funds_domestic": Decimal(6000), "projects_signed": Decimal(7)}
