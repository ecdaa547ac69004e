"""Origin levels (市内县际, 市外省内, 国内省外, 境外) of funds, the indicators that sum them, the
mapping of old free-text origins, and the CNY total of funds with its exchange rate (issue 19)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger import fx
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.completion import completion
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.models import ExchangeRate, FundsArrival, Indicator
from zhaoshang.ledger.services import mismatches, rebuild_totals, subtree_figures, totals_from_ledger
from zhaoshang.units import places
from zhaoshang.units.models import Unit

COUNTY = "330328"  # 文成县, 温州市, 浙江省: the place the test county stands for
DAY = dt.date(2024, 5, 1)
LEVELS = (Kind.FUNDS_INTERCOUNTY, Kind.FUNDS_OUTCITY, Kind.FUNDS_OUTPROVINCE)


@pytest.fixture
def county(cast):
    Unit.objects.filter(pk=cast.county.pk).update(place_code=COUNTY)
    import_module("zhaoshang.ledger.migrations.0008_origin_levels").create(apps, None)
    return cast


def record(cast, origin: str, source: str = "domestic", amount: str = "10", project=None):
    project = project or cast.project(cast.town_a, name=f"来自{origin or '未知'}")
    return funds_service.record_funds(
        project,
        by=cast.admin,
        arrived_on=DAY,
        source=source,
        origin=origin,
        amount=Decimal(amount),
        verified=True,
    )


def figures(cast) -> dict[str, Decimal]:
    kinds = [Kind.FUNDS_DOMESTIC, Kind.FUNDS_FOREIGN, *LEVELS]
    return {k: v for k, (v, _r) in subtree_figures(cast.county, 2024, kinds=kinds).items() if v}


# --- the rule, on codes ------------------------------------------------------------------------


def test_levels_are_told_by_the_code_prefixes():
    assert places.level("330328", COUNTY) == places.Level.LOCAL
    assert places.level("330302", COUNTY) == places.Level.INTERCOUNTY  # 鹿城区, same city
    assert places.level("330106", COUNTY) == places.Level.OUTCITY  # 杭州 西湖区
    assert places.level("330100", COUNTY) == places.Level.OUTCITY  # 杭州市
    assert places.level("320000", COUNTY) == places.Level.OUTPROVINCE  # 江苏省
    assert places.level("110105", COUNTY) == places.Level.OUTPROVINCE  # 北京 朝阳区
    for abroad in ("HK", "MO", "TW", "US"):
        assert places.level(abroad, COUNTY) == places.Level.ABROAD
    # too coarse: the county's own city or province may or may not be the county
    assert places.level("330300", COUNTY) is None
    assert places.level("330000", COUNTY) is None
    assert places.level("", COUNTY) is None
    assert places.level("330302", "990101") is None  # a county outside the tree


def test_the_place_tree_has_provinces_cities_and_counties_without_hong_kong_macau_taiwan():
    levels = [p.level for p in places.places().values()]
    assert levels.count(places.PROVINCE) == 31 and levels.count(places.CITY) > 300
    assert levels.count(places.COUNTY) > 2800
    assert places.name_of("330328") == "浙江省温州市文成县"
    assert not any(p.name.startswith(("香港", "澳门", "台湾")) for p in places.places().values())
    assert {"HK", "MO", "TW"} <= set(places.countries())


# --- the ledger ----------------------------------------------------------------------------------


def test_money_from_the_county_itself_is_local_and_not_counted(county):
    with pytest.raises(ValidationError):
        record(county, "330328")  # called domestic: refused, it is local
    record(county, "330328", source="local")
    assert figures(county) == {}


def test_money_from_another_county_of_the_city_is_intercounty(county):
    record(county, "330302")
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(10), Kind.FUNDS_INTERCOUNTY: Decimal(10)}


def test_money_from_another_city_of_the_province_is_outcity(county):
    record(county, "330106")
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(10), Kind.FUNDS_OUTCITY: Decimal(10)}


def test_money_from_another_province_is_outprovince(county):
    record(county, "110105")
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(10), Kind.FUNDS_OUTPROVINCE: Decimal(10)}


@pytest.mark.parametrize("origin", ["HK", "MO", "TW"])
def test_hong_kong_macau_and_taiwan_are_abroad_in_usd(county, origin):
    with pytest.raises(ValidationError):
        record(county, origin)  # not domestic money
    funds = record(county, origin, source="foreign")
    assert funds.currency == "USD"
    assert figures(county) == {Kind.FUNDS_FOREIGN: Decimal(10)}


def test_money_from_a_foreign_country_is_abroad(county):
    record(county, "US", source="foreign")
    assert figures(county) == {Kind.FUNDS_FOREIGN: Decimal(10)}
    with pytest.raises(ValidationError):
        record(county, "330302", source="foreign")  # a place in China is not foreign money


def test_a_line_without_origin_counts_as_domestic_of_unknown_level_and_is_listed_so(county, client):
    funds = record(county, "")
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(10)}
    client.force_login(county.admin)
    page = client.get(funds.project.get_absolute_url()).content.decode()
    assert 'data-testid="funds-origin-unknown"' in page


def test_an_unknown_origin_is_refused(county):
    with pytest.raises(ValidationError):
        record(county, "999999")


def test_the_rebuilt_totals_agree_with_the_kept_ones(county):
    for origin in ("330302", "330106", "110105", ""):
        record(county, origin)
    record(county, "HK", source="foreign")
    assert mismatches(totals_from_ledger()) == []
    rebuild_totals()
    assert mismatches(totals_from_ledger()) == []


def test_a_project_moving_to_a_county_elsewhere_recounts_its_levels(county):
    funds = record(county, "330302")  # intercounty for 文成县
    Unit.objects.filter(pk=county.county.pk).update(place_code="110105")  # now 北京 朝阳区
    from zhaoshang.ledger.services import sync

    sync(funds.project)
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(10), Kind.FUNDS_OUTPROVINCE: Decimal(10)}


# --- indicators that sum levels ---------------------------------------------------------------


def test_outside_the_city_sums_outcity_and_outprovince_in_completion_and_drilldown(county, today):
    record(county, "330302", amount="1")  # intercounty: not outside the city
    outcity = record(county, "330106", amount="20")
    outprovince = record(county, "110105", amount="300")
    record(county, "", amount="4000")  # level unknown: only in funds_domestic
    Indicator.objects.filter(code__in=["funds_outside_city", "funds_outside_province"]).update(is_active=True)
    rows = {r.indicator.code: r for r in completion(county.county, 2024, "ytd", 12, today)}
    assert rows["funds_outside_city"].actual == Decimal(320)
    assert rows["funds_outside_province"].actual == Decimal(300)
    assert rows["funds_domestic"].actual == Decimal(4321)  # every domestic line, as before
    outside_city = Indicator.objects.get(code="funds_outside_city")
    drill = records_behind(outside_city, county.county, Period.of(2024))
    assert drill.verified == Decimal(320)
    assert {line.source for line in drill.lines} == {f"funds:{outcity.pk}", f"funds:{outprovince.pk}"}


def test_an_indicator_figure_is_the_sum_of_its_kinds():
    indicator = Indicator(kind=Kind.FUNDS_OUTCITY, also=[Kind.FUNDS_OUTPROVINCE])
    by_kind = {
        Kind.FUNDS_OUTCITY: (Decimal(2), Decimal(1)),
        Kind.FUNDS_OUTPROVINCE: (Decimal(5), Decimal(0)),
        Kind.FUNDS_INTERCOUNTY: (Decimal(100), Decimal(100)),
    }
    assert indicator.kinds == [Kind.FUNDS_OUTCITY, Kind.FUNDS_OUTPROVINCE]
    assert indicator.figure(by_kind) == (Decimal(7), Decimal(1))


# --- old free-text origins --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "city", "country", "code"),
    [
        ("浙江", "温州", "中国", "330300"),
        ("浙江省", "温州市", "中国", "330300"),
        ("浙江温州", "", "", "330300"),
        ("浙江", "温州鹿城", "中国", "330302"),
        ("北京", "朝阳", "中国", "110105"),
        ("上海市", "", "中国", "310000"),
        ("", "", "香港", "HK"),
        ("香港", "", "", "HK"),
        ("", "", "美国", "US"),
        ("", "", "匈牙利", ""),  # not in the list: left empty
        ("火星", "", "中国", ""),
    ],
)
def test_free_text_origins_are_read_into_codes(province, city, country, code):
    assert places.parse(province, city, country) == code


def test_the_migration_maps_old_rows_and_leaves_the_unreadable_empty(cast):
    town = cast.town_a
    readable = Investor.objects.create(
        name="温州客商", unit=town, origin_province="浙江省", origin_city="温州市"
    )
    unreadable = Investor.objects.create(name="远方客商", unit=town, origin_country="匈牙利")
    Investor.objects.update(origin_code="")  # as the rows were before the migration
    import_module("zhaoshang.investors.migrations.0006_origin_code").map_origins(apps, None)
    assert Investor.objects.get(pk=readable.pk).origin_code == "330300"
    assert Investor.objects.get(pk=unreadable.pk).origin_code == ""


def test_an_investor_form_origin_is_stored_as_code_and_words(cast, client):
    from zhaoshang.investors.forms import InvestorForm

    form = InvestorForm(
        data={"name": "鹿城客商", "kind": "enterprise", "unit": cast.town_a.pk, "origin_code": "330302"},
        user=cast.admin,
    )
    assert form.is_valid(), form.errors
    data = form.investor_data()
    assert (data["origin_country"], data["origin_province"], data["origin_city"]) == (
        "中国",
        "浙江省",
        "温州市鹿城区",
    )
    investor = Investor.objects.create(**data)
    assert investor.origin_code == "330302" and investor.origin == "浙江省温州市鹿城区"


def test_a_funds_form_starts_from_the_investors_origin(county, client):
    project = county.project(county.town_a, name="默认来源")
    project.investors.update(origin_province="浙江省", origin_city="温州市鹿城区", origin_country="中国")
    for investor in project.investors.all():
        investor.save()
    client.force_login(county.admin)
    response = client.get(project.get_absolute_url())
    assert response.context["funds_form"]["origin"].initial == "330302"


# --- exchange rates and the CNY total ----------------------------------------------------------


def test_a_cny_total_converts_foreign_funds_at_the_years_rate_or_says_there_is_none(county):
    record(county, "330302", amount="100")
    record(county, "HK", source="foreign", amount="10")
    months = range(1, 13)
    missing = fx.funds_in_cny(county.county, 2024, months)
    assert missing.rate is None and missing.total is None and missing.foreign == Decimal(10)
    fx.set_rate(by=county.admin, year=2024, cny_per_usd=Decimal("7.1884"))
    total = fx.funds_in_cny(county.county, 2024, months)
    assert total.rate == Decimal("7.1884") and total.total == Decimal("171.8840")
    assert fx.cny_total(2023, Decimal(5), Decimal(0)).total == Decimal(5)  # nothing to convert


def test_the_dashboard_names_the_rate_or_its_absence(county, client, today):
    project = county.project(county.town_a, name="外资")
    funds_service.record_funds(
        project,
        by=county.admin,
        arrived_on=today,
        source="foreign",
        origin="US",
        amount=Decimal(2),
        verified=True,
    )
    client.force_login(county.admin)
    url = f"{reverse('core:home')}?unit={county.county.pk}&year={today.year}&period=ytd"
    page = client.get(url).content.decode()
    assert 'data-testid="funds-cny-no-rate"' in page and 'data-testid="funds-cny-total"' not in page
    ExchangeRate.objects.create(year=today.year, cny_per_usd=Decimal("7.0000"))
    page = client.get(url).content.decode()
    rate = page.split('data-testid="funds-cny-rate"', 1)[1].split("</small>", 1)[0]
    assert 'data-testid="funds-cny-total"' in page and "7" in rate and "7.0000" not in rate
    assert 'data-testid="funds-cny-rate"' in page


def test_a_bureau_administrator_keeps_the_rates(cast, client):
    client.force_login(cast.admin)
    response = client.post(reverse("ledger:rates"), {"year": 2024, "cny_per_usd": "7.1217"})
    assert response.status_code == 302
    assert ExchangeRate.objects.get(year=2024).cny_per_usd == Decimal("7.1217")
    client.post(reverse("ledger:rates"), {"year": 2024, "cny_per_usd": "7.2000"})  # changed, not doubled
    assert ExchangeRate.objects.get(year=2024).cny_per_usd == Decimal("7.2000")
    assert client.post(reverse("ledger:rates"), {"year": 2024, "cny_per_usd": "0"}).status_code == 400


@pytest.mark.parametrize("who", ["operator_a", "leader"])
def test_operators_and_leaders_read_the_rates_but_may_not_keep_them(cast, client, who):
    ExchangeRate.objects.create(year=2023, cny_per_usd=Decimal("7.0467"))
    client.force_login(getattr(cast, who))
    page = client.get(reverse("ledger:rates"))
    assert page.status_code == 200 and 'data-testid="rate-2023"' in page.content.decode()
    assert 'data-testid="rate-form"' not in page.content.decode()
    assert client.post(reverse("ledger:rates"), {"year": 2024, "cny_per_usd": "7.1"}).status_code == 403
    assert not ExchangeRate.objects.filter(year=2024).exists()
    with pytest.raises(OutOfScope):
        fx.set_rate(by=getattr(cast, who), year=2024, cny_per_usd=Decimal("7.1"))


def test_another_countys_user_may_not_record_funds_with_an_origin_here(county):
    project = county.project(county.town_a, name="邻县不可")
    with pytest.raises(OutOfScope):
        funds_service.record_funds(
            project, by=county.stranger, arrived_on=DAY, source="domestic", origin="330302", amount=Decimal(1)
        )
    assert not FundsArrival.objects.filter(project=project).exists()


# --- backfilling old funds ---------------------------------------------------------------------


def test_backfill_gives_old_funds_their_investors_origin_where_it_agrees_and_recounts(county):
    from django.core.management import call_command

    from zhaoshang.audit.models import Entry

    def investor(name: str, code: str) -> Investor:
        made = Investor.objects.create(name=name, unit=county.town_a)
        Investor.objects.filter(pk=made.pk).update(origin_code=code)  # as the origin picker sets it
        return made

    hangzhou = county.project(county.town_a, name="杭州客商项目")
    foreign = county.project(county.town_a, name="美国客商项目")
    nobody = county.project(county.town_a, name="无来源项目")
    Investor.objects.update(origin_code="")  # the cast's investors: no origin
    hangzhou.investors.add(investor("杭州客商", "330106"))
    foreign.investors.add(investor("美国客商", "US"))  # its money recorded as domestic: left alone
    old = [record(county, "", project=p) for p in (hangzhou, foreign, nobody)]  # recorded before origins
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(30)}

    out = io.StringIO()
    call_command("backfill_origins", stdout=out)  # a dry run writes nothing
    assert "would fill 1 lines; left 1 (no investor origin) and 1 (origin disagrees" in out.getvalue()
    assert not FundsArrival.objects.exclude(origin="").exists()

    call_command("backfill_origins", "--apply", "--unit", county.town_a.code, stdout=io.StringIO())
    assert [FundsArrival.objects.get(pk=f.pk).origin for f in old] == ["330106", "", ""]
    assert figures(county) == {Kind.FUNDS_DOMESTIC: Decimal(30), Kind.FUNDS_OUTCITY: Decimal(10)}
    entry = Entry.objects.get(note="backfill_origins")
    assert (entry.before["origin"], entry.after["origin"]) == ("", "330106")
    assert mismatches(totals_from_ledger()) == []
    out = io.StringIO()
    call_command("backfill_origins", "--apply", stdout=out)  # a second run finds nothing more to fill
    assert "filled 0 lines" in out.getvalue()
    assert figures(county)[Kind.FUNDS_OUTCITY] == Decimal(10)
