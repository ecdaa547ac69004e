"""Manual indicators (issue 19): figures from no project, entered per unit and month with evidence,
reported and then verified or returned by the bureau like funds, reaching the ledger's totals, the
targets' completion and the drill-down like any other kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.conftest import PASSWORD
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger import manual
from zhaoshang.ledger.choices import validate_kind
from zhaoshang.ledger.completion import completion
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.models import Event, Indicator, ManualEntry
from zhaoshang.ledger.services import manual_mismatches, subtree_figures
from zhaoshang.targets.services import set_targets

YEAR = 2025
TODAY = dt.date(2026, 1, 10)


def roster() -> SimpleUploadedFile:
    return SimpleUploadedFile("花名册.pdf", b"roster")


@pytest.fixture
def labour(cast) -> Indicator:
    return manual.define(
        by=cast.admin,
        slug="labour",
        name_zh="劳务输出",
        name_en="labour export",
        measure="persons",
        evidence=["voucher"],
    )


def enter(cast, labour, unit=None, month=5, amount=10, by=None, evidence=True) -> ManualEntry:
    return manual.record_entry(
        labour,
        unit or cast.town_a,
        by=by or cast.operator_a,
        year=YEAR,
        month=month,
        amount=Decimal(amount),
        evidence=roster() if evidence else None,
    )


def figure(unit, kind) -> tuple[Decimal, Decimal]:
    return subtree_figures(unit, YEAR).get(kind, (Decimal(0), Decimal(0)))


def test_a_manual_kind_is_accepted_and_a_made_up_one_refused():
    validate_kind("m_labour")
    validate_kind("signed")
    for bad in ("labour", "m_", "m_Labour", "m_a-b", "m_" + "x" * 19, "x_signed"):
        with pytest.raises(DjangoValidationError):
            validate_kind(bad)


def test_the_bureau_defines_and_an_operator_may_not(cast, labour):
    assert (labour.code, labour.kind, labour.evidence) == ("m_labour", "m_labour", ["voucher"])
    assert labour.kind_label() and labour.is_manual
    with pytest.raises(OutOfScope):
        manual.define(
            by=cast.operator_a, slug="articles", name_zh="信息报送", name_en="articles", measure="articles"
        )
    with pytest.raises(ValidationError):  # a manual indicator asks only for its entries' own file
        manual.define(
            by=cast.admin, slug="x", name_zh="x", name_en="x", measure="persons", evidence=["contract"]
        )
    with pytest.raises(ValidationError):  # the kind is taken
        manual.define(by=cast.admin, slug="labour", name_zh="x", name_en="x", measure="persons")


def test_a_reported_figure_is_shown_beside_and_counts_once_verified(cast, labour):
    entry = enter(cast, labour, amount=15)
    assert figure(cast.county, "m_labour") == (Decimal(0), Decimal(15))
    manual.verify_entry(entry, by=cast.admin)
    assert figure(cast.county, "m_labour") == (Decimal(15), Decimal(0))
    assert figure(cast.town_a, "m_labour") == (Decimal(15), Decimal(0))
    assert figure(cast.town_b, "m_labour") == (Decimal(0), Decimal(0))
    assert manual_mismatches() == []
    call_command("rebuild_rollups", "--check")


def test_a_returned_or_deleted_figure_counts_for_nothing(cast, labour):
    returned = enter(cast, labour, amount=7)
    with pytest.raises(ValidationError):  # the reason is required
        manual.return_entry(returned, by=cast.admin, reason=" ")
    manual.return_entry(returned, by=cast.admin, reason="重复填报")
    with pytest.raises(ValidationError):  # decided once
        manual.verify_entry(returned, by=cast.admin)
    deleted = manual.verify_entry(enter(cast, labour, amount=9), by=cast.admin)
    with pytest.raises(OutOfScope):  # a verified figure is withdrawn only by who may verify
        manual.delete_entry(deleted, by=cast.operator_a)
    manual.delete_entry(deleted, by=cast.admin)
    assert figure(cast.county, "m_labour") == (Decimal(0), Decimal(0))
    # The history stays: +7 and -7 reported; +9 and -9 reported, +9 verified, -9 verified.
    assert Event.objects.filter(kind="m_labour").count() == 6
    call_command("rebuild_rollups", "--check")


def test_verifying_without_the_required_evidence_is_refused_naming_it(cast, labour):
    entry = enter(cast, labour, evidence=False)
    with pytest.raises(ValidationError) as refused:
        manual.verify_entry(entry, by=cast.admin)
    assert "佐证材料" in str(refused.value)  # the missing document named
    with pytest.raises(ValidationError):  # nor verified in one step
        manual.record_entry(
            labour, cast.town_a, by=cast.admin, year=YEAR, month=6, amount=Decimal(1), verified=True
        )
    assert ManualEntry.objects.get(pk=entry.pk).status == "reported"
    # Without an evidence rule, the same figure is verified.
    manual_rule_off = Indicator.objects.get(pk=labour.pk)
    manual_rule_off.evidence = []
    manual_rule_off.save()
    assert manual.verify_entry(entry, by=cast.admin).status == "verified"


def test_only_the_bureau_verifies_and_no_unit_enters_for_another(cast, labour):
    entry = enter(cast, labour)
    with pytest.raises(OutOfScope):
        manual.verify_entry(entry, by=cast.operator_a)
    with pytest.raises(OutOfScope):
        manual.verify_entry(entry, by=cast.stranger)
    with pytest.raises(OutOfScope):
        enter(cast, labour, unit=cast.town_b, by=cast.operator_a)
    with pytest.raises(OutOfScope):
        enter(cast, labour, unit=cast.town_a, by=cast.leader)
    with pytest.raises(ValidationError):  # a month not begun
        manual.record_entry(
            labour, cast.town_a, by=cast.operator_a, year=2999, month=1, amount=Decimal(1), evidence=roster()
        )
    signed = Indicator.objects.get(code="projects_signed")
    with pytest.raises(ValidationError):  # only manual indicators take entered figures
        manual.record_entry(signed, cast.town_a, by=cast.operator_a, year=YEAR, month=1, amount=Decimal(1))


def test_targets_completion_and_the_drilldown_total_equal_the_figure(cast, labour):
    for unit, month, amount in ((cast.town_a, 5, 15), (cast.town_a, 10, 12), (cast.town_b, 6, 3)):
        manual.verify_entry(
            enter(cast, labour, unit=unit, month=month, amount=amount, by=cast.admin), by=cast.admin
        )
    set_targets(None, cast.county, YEAR, {labour: Decimal(30)})
    row = next(r for r in completion(cast.county, YEAR, "ytd", 12, TODAY) if r.indicator == labour)
    assert (row.actual, row.target, row.completion) == (Decimal(30), Decimal(30), Decimal(100))
    behind = records_behind(labour, cast.county, Period.of(YEAR), user=cast.admin)
    assert behind.verified == row.actual == sum(line.verified for line in behind.lines)
    assert behind.count == 3 and {line.record for line in behind.lines} == {"manual"}
    town = records_behind(labour, cast.town_a, Period.of(YEAR, "quarter", 5), user=cast.admin)
    assert town.verified == Decimal(15) and town.count == 1


def test_pages_enter_list_and_verify_within_the_subtree(client, cast, labour):
    client.login(username="town_a", password=PASSWORD)
    response = client.post(
        reverse("ledger:manual_entries"),
        {
            "indicator": labour.pk,
            "unit": cast.town_a.pk,
            "year": YEAR,
            "month": 5,
            "amount": "15",
            "evidence": roster(),
        },
    )
    assert response.status_code == 302
    entry = ManualEntry.objects.get()
    assert entry.reported_by == cast.operator_a and entry.evidence
    assert client.post(reverse("ledger:manual_verify", args=[entry.pk])).status_code == 403
    page = client.get(reverse("ledger:manual_entries")).content.decode()
    assert f'data-entry="{entry.pk}"' in page
    assert client.get(reverse("ledger:manual_evidence", args=[entry.pk])).status_code == 200
    client.login(username="stranger", password=PASSWORD)  # the next county's bureau
    assert f'data-entry="{entry.pk}"' not in client.get(reverse("ledger:manual_entries")).content.decode()
    assert client.post(reverse("ledger:manual_verify", args=[entry.pk])).status_code == 404
    assert client.get(reverse("ledger:manual_evidence", args=[entry.pk])).status_code == 404
    client.login(username="admin", password=PASSWORD)
    client.post(reverse("ledger:manual_verify", args=[entry.pk]))
    assert ManualEntry.objects.get().status == "verified"


def test_the_define_page_is_the_bureaus(client, cast):
    client.login(username="town_a", password=PASSWORD)
    assert client.get(reverse("ledger:manual_define")).status_code == 403
    client.login(username="admin", password=PASSWORD)
    data = {
        "slug": "articles",
        "name_zh": "信息报送",
        "name_en": "information articles",
        "measure": "articles",
    }
    assert client.post(reverse("ledger:manual_define"), data).status_code == 302
    assert Indicator.objects.get(code="m_articles").kind == "m_articles"


def test_the_indicator_edit_page_keeps_a_manual_kind(cast, labour):
    from zhaoshang.ledger.indicator_views import IndicatorForm

    data = {
        "code": "m_labour",
        "name_zh": "劳务输出人数",
        "name_en": "labour export",
        "measure": "persons",
        "kind": "signed",  # a disabled field: what is posted is ignored
        "sort_order": 5,
        "is_active": "on",
        "evidence": ["voucher"],
    }
    form = IndicatorForm(data, instance=labour)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["kind"] == "m_labour"
    assert IndicatorForm(instance=None).fields["kind"].choices[0][0] == "funds_domestic"
