"""Issue 19's counting rules on projects: counts by date (leads, talks, intents) stamped like signing,
a later phase counted as a capital increase is (its amount, not as a new project), 新建/续建 derived
from the dates, thresholds (亿元以上, 3000万元以上工业, 重点) per county, and who introduced a project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger import construction
from zhaoshang.ledger.counting import construction as nature_of
from zhaoshang.ledger.counting import construction_q
from zhaoshang.ledger.drilldown import Period, count_of_size, records_behind
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import mismatches, recorded, subtree_figures, sync, totals_from_ledger
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Construction
from zhaoshang.projects.models import Project, Thresholds
from zhaoshang.projects.thresholds import size_q
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period as SummaryPeriod
from zhaoshang.summaries.sentences import opening

YEAR = 2024


def count(cast, kind, months=range(1, 13), year=YEAR, unit=None):
    return subtree_figures(unit or cast.county, year, months, [kind]).get(kind, (Decimal(0), Decimal(0)))[0]


def started(cast, name, started_on, **dates):
    """A project started on ``started_on`` (signed the same day), at the stage its dates give."""
    stage = "completed" if "completed_on" in dates else "started"
    if "dropped_on" in dates:
        stage, dates = "dropped", dates | {"drop_reason": "撤资"}
    return cast.project(
        name=name,
        stage=stage,
        signed_on=started_on,
        started_on=started_on,
        contracted_amount=Decimal(100),
        by=cast.admin,
        **dates,
    )


# --- counts by date ------------------------------------------------------------------------------


def test_lead_talks_and_intent_count_once_in_the_month_of_their_date_and_follow_edits(cast):
    project = cast.project(first_contact_on=dt.date(YEAR, 1, 5), by=cast.admin)
    projects.change_stage(project, "negotiating", by=cast.admin, on=dt.date(YEAR, 2, 10))
    projects.change_stage(project, "intent", by=cast.admin, on=dt.date(YEAR, 3, 1))
    assert count(cast, "leads", [1]) == 1
    assert count(cast, "contacted", [2]) == 1
    assert count(cast, "intents", [3]) == 1
    assert sync(project) == 0  # idempotent: nothing more to append
    # an edit of the date moves the count (a correction event), never doubles it
    projects.update_project(project, by=cast.admin, data={"first_contact_on": dt.date(YEAR, 1, 20)})
    projects.update_project(
        Project.objects.get(pk=project.pk), by=cast.admin, data={"contacted_on": dt.date(YEAR, 2, 20)}
    )
    assert count(cast, "leads") == 1 and count(cast, "contacted") == 1
    assert mismatches(totals_from_ledger()) == []


def test_a_project_taken_up_again_is_in_talks_on_the_new_date(cast):
    project = cast.project(by=cast.admin)
    projects.change_stage(project, "negotiating", by=cast.admin, on=dt.date(YEAR, 1, 10))
    projects.change_stage(project, "dropped", by=cast.admin, on=dt.date(YEAR, 2, 1), drop_reason="搁置")
    projects.change_stage(project, "negotiating", by=cast.admin, on=dt.date(YEAR, 6, 1))
    assert count(cast, "contacted", [1]) == 0 and count(cast, "contacted", [6]) == 1


def test_counts_by_date_have_indicators_and_open_their_records(cast):
    project = cast.project(first_contact_on=dt.date(YEAR, 1, 5), by=cast.admin)
    projects.change_stage(project, "intent", by=cast.admin, on=dt.date(YEAR, 3, 1))
    for code, kind in (
        ("leads_received", "leads"),
        ("projects_contacted", "contacted"),
        ("intents_signed", "intents"),
    ):
        indicator = Indicator.objects.get(code=code)
        assert indicator.kind == kind and indicator.is_active
        behind = records_behind(indicator, cast.county, Period(YEAR, tuple(range(1, 13))))
        assert behind.verified == 1 and [line.project.pk for line in behind.lines] == [project.pk]


# --- phases --------------------------------------------------------------------------------------


def test_a_later_phase_counts_its_amount_but_not_as_a_new_project(cast):
    first = cast.project(
        name="一期",
        stage="signed",
        signed_on=dt.date(YEAR, 2, 1),
        contracted_amount=Decimal(1000),
        by=cast.admin,
    )
    second = cast.project(
        name="二期",
        stage="signed",
        first_contact_on=dt.date(YEAR, 4, 1),
        signed_on=dt.date(YEAR, 5, 1),
        contracted_amount=Decimal(600),
        by=cast.admin,
    )
    assert count(cast, "signed") == 2 and count(cast, "leads") == 1
    projects.update_project(second, by=cast.admin, data={"phase_of": first, "phase": 2})
    assert count(cast, "signed") == 1  # phase II is not a new signed project
    assert count(cast, "leads") == 0
    assert count(cast, "contracted_cny") == Decimal(1600)  # its amount counts
    assert {c.kind for _s, c in recorded(second) if recorded(second)[(_s, c)]} == {"contracted_cny"}
    projects.update_project(
        Project.objects.get(pk=second.pk), by=cast.admin, data={"phase_of": None, "phase": None}
    )
    assert count(cast, "signed") == 2
    assert mismatches(totals_from_ledger()) == []


def test_only_the_bureau_links_a_later_phase_and_never_in_a_circle(cast):
    first = cast.project(name="一期", by=cast.admin)
    second = cast.project(name="二期", by=cast.admin)
    with pytest.raises(ValidationError) as refused:
        projects.update_project(second, by=cast.operator_a, data={"phase_of": first})
    assert "phase_of" in refused.value.message_dict
    projects.update_project(second, by=cast.admin, data={"phase_of": first})
    with pytest.raises(ValidationError) as circle:
        projects.update_project(first, by=cast.admin, data={"phase_of": Project.objects.get(pk=second.pk)})
    assert "phase_of" in circle.value.message_dict


# --- 新建/续建 ------------------------------------------------------------------------------------


@pytest.fixture
def building(cast):
    """Projects of every nature in 2024 (today is later, so every date is in the past)."""
    return {
        "new": started(cast, "新建", dt.date(YEAR, 2, 1)),
        "on": started(cast, "续建", dt.date(YEAR - 1, 5, 1)),
        "done_this_year": started(
            cast, "今年竣工", dt.date(YEAR - 1, 3, 1), completed_on=dt.date(YEAR, 3, 1)
        ),
        "done_before": started(
            cast, "去年竣工", dt.date(YEAR - 2, 3, 1), completed_on=dt.date(YEAR - 1, 6, 1)
        ),
        "dropped_before": started(
            cast, "去年撤资", dt.date(YEAR - 1, 3, 1), dropped_on=dt.date(YEAR - 1, 12, 1)
        ),
        "next_year": started(cast, "明年开工", dt.date(YEAR + 1, 3, 1)),
    }


def test_new_and_continuing_derive_from_the_dates_and_the_query_agrees(cast, building):
    expected = {"new": "new", "on": "continuing", "done_this_year": "continuing"}
    for name, project in building.items():
        assert nature_of(project, YEAR) == expected.get(name), name
    for year in (YEAR - 1, YEAR, YEAR + 1):
        for nature in Construction.values:
            by_query = set(Project.objects.filter(construction_q(year, nature)).values_list("pk", flat=True))
            by_rule = {p.pk for p in Project.objects.all() if nature_of(p, year) == nature}
            assert by_query == by_rule, (year, nature)
    assert construction.continuing(cast.county, YEAR) == 2
    assert construction.split(cast.county, YEAR, count(cast, "started")).total == 3


def test_a_later_phase_or_a_project_not_counted_is_neither_new_nor_continuing(cast, building):
    projects.update_project(building["on"], by=cast.admin, data={"phase_of": building["new"]})
    projects.update_project(building["done_this_year"], by=cast.admin, data={"exclusion": "real_estate"})
    assert construction.continuing(cast.county, YEAR) == 0
    assert nature_of(Project.objects.get(pk=building["on"].pk), YEAR) is None


def test_the_dashboard_and_the_drilldown_show_the_split(client, cast, building):
    client.force_login(cast.admin)
    page = client.get("/", {"unit": cast.county.pk, "year": YEAR})
    split = page.context["construction"]
    assert (split.new, split.continuing, split.total) == (1, 2, 3)
    assert b'data-testid="construction"' in page.content
    records = client.get(
        reverse("ledger:drilldown"), {"unit": cast.county.pk, "indicator": "projects_started", "year": YEAR}
    )
    assert [p.pk for p, _share in records.context["continuing"]] == sorted(
        [building["on"].pk, building["done_this_year"].pk]
    )
    assert [line.project.pk for line in records.context["result"].lines] == [building["new"].pk]


def test_a_township_sees_only_its_own_continuing_projects(client, cast, building):
    elsewhere = started(cast, "乡里续建", dt.date(YEAR - 1, 7, 1), unit=cast.town_b)
    client.force_login(cast.operator_a)
    records = client.get(
        reverse("ledger:drilldown"), {"unit": cast.town_a.pk, "indicator": "projects_started", "year": YEAR}
    )
    assert elsewhere.pk not in [p.pk for p, _share in records.context["continuing"]]
    assert construction.continuing(cast.town_b, YEAR) == 1


def test_the_summary_states_the_split_of_started_projects(cast, building):
    facts = summary_facts(None, cast.county, SummaryPeriod(YEAR, 1, 12), dt.date(YEAR + 1, 1, 15))
    assert "已开工建设项目3个（新建1个、续建2个）" in opening(facts)


# --- thresholds and key projects -------------------------------------------------------------------


@pytest.fixture
def sized(cast):
    def signed(name, amount, section, **data):
        return cast.project(
            name=name,
            stage="signed",
            signed_on=dt.date(YEAR, 4, 1),
            contracted_amount=amount,
            total_investment=amount,
            industry_section=section,
            by=cast.admin,
            **data,
        )

    return {
        "big": signed("亿元工业", Decimal(12000), "C"),
        "mid_industry": signed("中型工业", Decimal(4000), "C"),
        "mid_trade": signed("中型商贸", Decimal(4000), "F"),
        "small_key": signed("小型重点", Decimal(2000), "F", is_key=True),
    }


def _names(q):
    return set(Project.objects.filter(q).values_list("name", flat=True))


def test_sizes_follow_the_defaults_and_the_countys_own_thresholds(cast, sized):
    assert _names(size_q("large")) == {"亿元工业"}
    assert _names(size_q("industrial")) == {"亿元工业", "中型工业"}
    assert _names(size_q("key")) == {"亿元工业", "小型重点"}
    Thresholds.objects.create(
        county=cast.county, large=Decimal(4000), industrial=Decimal(5000), key=Decimal(3000)
    )
    assert _names(size_q("large")) == {"亿元工业", "中型工业", "中型商贸"}
    assert _names(size_q("industrial")) == {"亿元工业"}
    assert _names(size_q("key")) == {"亿元工业", "中型工业", "中型商贸", "小型重点"}
    # the signed figure's part over the threshold, from the same events as the figure
    signed = Indicator.objects.get(kind="signed")
    year = Period(YEAR, tuple(range(1, 13)))
    assert count_of_size(signed, cast.county, year, "industrial") == 1
    assert records_behind(signed, cast.county, year).verified == 4


def test_the_list_filters_key_projects_sizes_and_introducers(client, cast, sized):
    projects.update_project(
        sized["mid_trade"], by=cast.admin, data={"introducer_type": "agent", "introducer_name": "王顾问"}
    )
    client.force_login(cast.admin)
    listed = client.get("/api/projects", {"key": "true"}).json()
    assert {p["name"] for p in listed["items"]} == {"亿元工业", "小型重点"}
    listed = client.get("/api/projects", {"size": "industrial"}).json()
    assert {p["name"] for p in listed["items"]} == {"亿元工业", "中型工业"}
    listed = client.get("/api/projects", {"introducer_type": "agent"}).json()
    assert [p["name"] for p in listed["items"]] == ["中型商贸"]
    page = client.get(reverse("projects:list"), {"key": "true"})
    assert page.status_code == 200


# --- introducer ----------------------------------------------------------------------------------


def test_an_introducing_investor_must_be_one_the_user_may_see(client, cast):
    from zhaoshang.investors.models import Investor

    own = Investor.objects.create(name="老客商", unit=cast.town_a)
    foreign = Investor.objects.create(name="邻县客商", unit=cast.other_county)
    client.force_login(cast.operator_a)
    body = {
        "name": "以商引商项目",
        "unit_id": cast.town_a.pk,
        "total_investment": "3000",
        "introducer_type": "investor",
        "introducer_investor_id": foreign.pk,
    }
    refused = client.post("/api/projects", body, content_type="application/json")
    assert refused.status_code == 422 and "introducer_investor_id" in refused.content.decode()
    created = client.post(
        "/api/projects", body | {"introducer_investor_id": own.pk}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    detail = client.get(f"/api/projects/{created.json()['id']}").json()
    assert (detail["introducer_type"], detail["introducer_investor_id"]) == ("investor", own.pk)


def test_an_introducing_investor_needs_the_investor_type(cast):
    from zhaoshang.investors.models import Investor

    own = Investor.objects.create(name="老客商", unit=cast.town_a)
    with pytest.raises(ValidationError) as refused:
        cast.project(introducer_type="person", introducer_investor=own, by=cast.operator_a)
    assert "introducer_investor" in refused.value.message_dict


def test_the_form_takes_the_earlier_phase_by_its_code_and_the_page_shows_it(client, cast):
    from zhaoshang.projects.tests.test_pages import form_data

    first = cast.project(name="一期工程", by=cast.admin)
    client.force_login(cast.admin)
    data = form_data(
        cast,
        phase_of=first.code,
        phase="2",
        introducer_type="person",
        introducer_name="张三",
        is_key="on",
    )
    response = client.post(reverse("projects:create"), data)
    second = Project.objects.get(name="年产5万吨饮料项目")
    assert response.status_code == 302, response.context["form"].errors
    assert (second.phase_of_id, second.phase, second.introducer_name, second.is_key) == (
        first.pk,
        2,
        "张三",
        True,
    )
    page = client.get(reverse("projects:edit", args=[second.pk]))
    assert page.context["form"]["phase_of"].value() == first.code
    detail = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="phase-of"' in detail and "张三" in detail and 'data-testid="key-project"' in detail
