"""Evidence rules of a county's own indicators (issue 19): the documents a county indicator asks for are
needed by the funds its rule counts (a line of a base kind, of a project passing its filters, in that
county), by the funds lines of a progress report counted by it, and by the manual figures of a county's
own manual indicator; verifying without them is refused naming what is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger import evidence, rules
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.choices import Evidence
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.projects import services as projects

ON = dt.date(2024, 5, 1)
REFUSED = "These funds cannot be verified without: %(documents)s."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def industrial(cast, *, unit=None, section="C", name="工业项目", by=None):
    return cast.project(
        unit=unit,
        name=name,
        stage="signed",
        signed_on=dt.date(2024, 3, 1),
        contracted_amount=Decimal(100),
        industry_section=section,
        by=by or cast.admin,
    )


def record(project, *, slip=True, source="domestic"):
    return funds_service.record_funds(
        project,
        by=None,
        arrived_on=ON,
        source=source,
        amount=Decimal(10),
        evidence=SimpleUploadedFile("银行进账单.pdf", b"slip") if slip else None,
    )


def attach(project, kind):
    projects.add_attachment(project, by=None, kind=kind, file=SimpleUploadedFile(f"{kind}.pdf", b"x"))


def industrial_funds(cast, county=None, by=None, **more):
    """工业到位资金 of a county: domestic funds of industrial projects, verified with the contract and
    the capital verification report."""
    return rules.define(
        by=by or cast.admin,
        county=county or cast.county,
        name_zh="工业到位资金",
        name_en="Funds of industrial projects",
        measure="wan_cny",
        kinds=["funds_domestic"],
        industry_sections=["C"],
        evidence=["contract", "capital"],
        **more,
    )


def test_funds_counted_by_a_county_rule_need_its_documents(cast, media):
    industrial_funds(cast)
    project = industrial(cast)
    funds = record(project)
    with pytest.raises(ValidationError) as refused:
        funds_service.verify_funds(funds, by=cast.admin)
    labels = "、".join(str(Evidence(doc).label) for doc in ("capital", "contract"))
    assert refused.value.messages == [_(REFUSED) % {"documents": labels}]
    assert FundsArrival.objects.get(pk=funds.pk).status == "reported"
    attach(project, "contract")
    attach(project, "capital")
    assert funds_service.verify_funds(funds, by=cast.admin).status == "verified"


def test_funds_the_rule_does_not_count_need_nothing_of_it(cast, media):
    industrial_funds(cast)
    trade = industrial(cast, section="F", name="商贸项目")  # not industrial: not counted by the rule
    assert funds_service.verify_funds(record(trade), by=cast.admin).status == "verified"
    foreign = industrial(cast, name="外资工业")  # a foreign line is no funds_domestic
    line = funds_service.record_funds(
        foreign, by=None, arrived_on=ON, source="foreign", amount=Decimal(1), currency="USD"
    )
    assert funds_service.verify_funds(line, by=cast.admin).status == "verified"


def test_another_countys_rule_asks_nothing_here(cast, media):
    industrial_funds(cast, county=cast.other_county, by=cast.stranger)
    project = industrial(cast)  # of 示例县, whose own indicators ask nothing
    assert funds_service.verify_funds(record(project, slip=False), by=cast.admin).status == "verified"
    theirs = industrial(cast, unit=cast.other_town, name="邻县工业", by=cast.stranger)
    with pytest.raises(ValidationError):
        funds_service.verify_funds(record(theirs), by=cast.stranger)


def test_an_indicator_out_of_use_asks_nothing_and_the_rule_is_changed_on_its_page(cast, media):
    indicator = industrial_funds(cast)
    project = industrial(cast)
    rules.update(indicator, by=cast.admin, is_active=False)
    assert funds_service.verify_funds(record(project), by=cast.admin).status == "verified"
    rules.update(indicator, by=cast.admin, is_active=True, evidence=["bank_slip"])
    with pytest.raises(ValidationError) as refused:
        funds_service.verify_funds(record(project, slip=False), by=cast.admin)
    assert refused.value.messages == [_(REFUSED) % {"documents": Evidence.BANK_SLIP.label}]
    with pytest.raises(ValidationError):  # a manual figure's own file is not asked of funds
        rules.update(indicator, by=cast.admin, evidence=["voucher"])


def test_recording_funds_as_verified_needs_them_too(cast, media):
    industrial_funds(cast)
    project = industrial(cast)
    with pytest.raises(ValidationError):
        funds_service.record_funds(
            project, by=cast.admin, arrived_on=ON, source="domestic", amount=Decimal(5), verified=True
        )
    assert not FundsArrival.objects.exists()


def test_the_queue_names_what_a_county_rule_asks(client, cast, media):
    industrial_funds(cast)
    counted = record(industrial(cast))
    other = record(industrial(cast, section="F", name="商贸项目"))
    page = list(FundsArrival.objects.select_related("project", "project__unit"))
    assert evidence.missing_by_funds(page) == {counted.pk: ["capital", "contract"], other.pk: []}
    client.force_login(cast.admin)
    text = client.get(reverse("ledger:funds_queue")).content.decode()
    assert 'data-testid="lacking"' in text and str(Evidence.CAPITAL.label) in text


def test_a_progress_report_counted_by_a_county_rule_waits_for_its_documents(cast, media):
    from zhaoshang.core.tests.endpoints import DISPATCH_DAY
    from zhaoshang.dispatch import services as dispatch
    from zhaoshang.dispatch.models import Round

    industrial_funds(cast)
    project = cast.project(
        name="报告项目",
        stage="signed",
        signed_on=dt.date(2026, 1, 5),
        contracted_amount=Decimal(100),
        industry_section="C",
    )
    dispatch.open_rounds(DISPATCH_DAY)
    report = dispatch.create_report(Round.objects.get(county=cast.county), project, by=None)
    dispatch.add_funds_line(
        report,
        by=None,
        source="domestic",
        amount=Decimal(3),
        arrived_on=dt.date(2026, 3, 1),
        evidence=SimpleUploadedFile("进账单.pdf", b"slip"),
    )
    dispatch.submit_report(report, by=None, today=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError) as refused:
        dispatch.verify_report(report, by=cast.admin)
    assert str(Evidence.CAPITAL.label) in " ".join(refused.value.messages)
    report.refresh_from_db()
    assert report.status == "submitted"
    attach(project, "contract")
    attach(project, "capital")
    assert dispatch.verify_report(report, by=cast.admin).status == "verified"


def test_the_rule_page_sets_the_documents(client, cast):
    indicator = industrial_funds(cast)
    client.force_login(cast.admin)
    data = {
        "indicator": indicator.pk,
        "name_zh": indicator.name_zh,
        "name_en": indicator.name_en,
        "kinds": ["funds_domestic"],
        "industry_sections": ["C"],
        "evidence": ["licence"],
        "sort_order": 200,
        "is_active": "on",
    }
    response = client.post(reverse("ledger:county_rules", args=[cast.county.pk]), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.evidence == ["licence"]


def test_a_shared_indicator_of_origin_levels_asks_of_the_lines_of_those_levels(cast, media):
    """市外资金 (funds_outcity, also funds_outprovince; out of use by default) counts a line from another
    province: its rule applies to that line, not to one whose origin is unknown (counted in
    funds_domestic only)."""
    from zhaoshang.ledger.models import Indicator
    from zhaoshang.units.models import Unit

    Unit.objects.filter(pk=cast.county.pk).update(place_code="341525")  # 霍山县
    Indicator.objects.filter(code="funds_outside_city").update(evidence=["licence"], is_active=True)
    project = industrial(cast)
    far = funds_service.record_funds(
        project, by=None, arrived_on=ON, source="domestic", amount=Decimal(10), origin="330302"
    )
    with pytest.raises(ValidationError) as refused:
        funds_service.verify_funds(far, by=cast.admin)
    assert refused.value.messages == [_(REFUSED) % {"documents": Evidence.LICENCE.label}]
    unknown = record(project)  # no origin: no level
    assert funds_service.verify_funds(unknown, by=cast.admin).status == "verified"
