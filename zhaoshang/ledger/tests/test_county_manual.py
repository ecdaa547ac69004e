"""Manual indicators of a county's own (issue 19): a county's bureau defines them; they are read,
entered and verified within that county only (the shared ones everywhere), with their evidence rule,
and reach the totals, targets, completion and drill-down like any other kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.conftest import PASSWORD
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger import manual
from zhaoshang.ledger.choices import Evidence
from zhaoshang.ledger.completion import completion
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.manual_views import EntryForm
from zhaoshang.ledger.models import Indicator, ManualEntry
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.targets.services import set_targets

YEAR = 2025
TODAY = dt.date(2026, 1, 10)


def define(cast, county=None, by=None, slug="labour", evidence=("voucher",)):
    return manual.define(
        by=by or cast.admin,
        slug=slug,
        name_zh="劳务输出",
        name_en="labour export",
        measure="persons",
        evidence=evidence,
        county=county or cast.county,
    )


def enter(indicator, unit, by, amount=10, evidence=True):
    return manual.record_entry(
        indicator,
        unit,
        by=by,
        year=YEAR,
        month=5,
        amount=Decimal(amount),
        evidence=SimpleUploadedFile("花名册.pdf", b"roster") if evidence else None,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_each_county_keeps_its_own_and_only_its_bureau_defines_it(cast):
    ours = define(cast)
    theirs = define(cast, county=cast.other_county, by=cast.stranger)
    assert ours.county == cast.county and ours.kind == ours.code == f"m_{cast.county.pk}_labour"
    assert theirs.kind == f"m_{cast.other_county.pk}_labour" and ours.is_manual
    with pytest.raises(OutOfScope):  # another county's bureau
        define(cast, by=cast.stranger, slug="articles")
    with pytest.raises(OutOfScope):  # an operator of the county
        define(cast, by=cast.operator_a, slug="articles")
    with pytest.raises(ValidationError):  # the county's code is taken
        define(cast)
    with pytest.raises(ValidationError):  # defined by counties, not by a township
        define(cast, county=cast.town_a, slug="articles")
    with pytest.raises(ValidationError):  # too long once the county is in its kind
        define(cast, slug="a_code_far_too_long_x")
    assert set(Indicator.objects.for_unit(cast.town_a).filter(county__isnull=False)) == {ours}
    assert set(Indicator.objects.for_unit(cast.other_town).filter(county__isnull=False)) == {theirs}
    assert ours not in Indicator.objects.for_unit(cast.city)


def test_another_county_neither_sees_nor_enters_nor_verifies_it(cast, media):
    ours = define(cast)
    shared = manual.define(
        by=cast.admin, slug="articles", name_zh="信息报送", name_en="a", measure="articles"
    )
    assert set(EntryForm(user=cast.operator_a).fields["indicator"].queryset) == {ours, shared}
    assert set(EntryForm(user=cast.stranger).fields["indicator"].queryset) == {shared}
    assert set(manual.manual_indicators(cast.stranger)) == {shared}
    with pytest.raises(ValidationError):  # not counted for the other county's units
        enter(ours, cast.other_town, cast.stranger)
    with pytest.raises(OutOfScope):  # nor for ours, which are not the stranger's
        enter(ours, cast.town_a, cast.stranger)
    entry = enter(ours, cast.town_a, cast.operator_a)
    with pytest.raises(OutOfScope):
        manual.verify_entry(entry, by=cast.stranger)
    assert ManualEntry.objects.get(pk=entry.pk).status == "reported"
    assert enter(shared, cast.other_town, cast.stranger).status == "reported"  # the shared one, anywhere


def test_its_evidence_rule_is_applied_and_it_reaches_targets_and_the_ledger(cast, media):
    ours = define(cast)
    bare = enter(ours, cast.town_a, cast.operator_a, amount=6, evidence=False)
    with pytest.raises(ValidationError) as refused:
        manual.verify_entry(bare, by=cast.admin)
    assert refused.value.messages == [
        _("This figure cannot be verified without: %(documents)s.") % {"documents": Evidence.VOUCHER.label}
    ]
    entry = enter(ours, cast.town_a, cast.operator_a, amount=12)
    assert manual.verify_entry(entry, by=cast.admin).status == "verified"
    assert subtree_figures(cast.county, YEAR)[ours.kind] == (Decimal(12), Decimal(6))
    assert ours.kind not in subtree_figures(cast.other_county, YEAR)
    set_targets(None, cast.county, YEAR, {ours: Decimal(24)})
    row = next(r for r in completion(cast.county, YEAR, "ytd", 12, TODAY) if r.indicator == ours)
    assert (row.actual, row.target, row.completion) == (Decimal(12), Decimal(24), Decimal(50))
    assert all(r.indicator != ours for r in completion(cast.other_county, YEAR, "ytd", 12, TODAY))
    with pytest.raises(ValidationError):  # no target on it in another county
        set_targets(None, cast.other_county, YEAR, {ours: Decimal(5)})
    behind = records_behind(ours, cast.county, Period.of(YEAR), user=cast.admin)
    assert behind.verified == Decimal(12) and {line.record for line in behind.lines} == {"manual"}
    call_command("rebuild_rollups", "--check")


def test_the_define_and_entry_pages(client, cast):
    client.login(username="admin", password=PASSWORD)
    page = client.get(reverse("ledger:manual_define")).content.decode()
    assert f'<option value="{cast.county.pk}" selected>' in page
    data = {
        "slug": "articles",
        "name_zh": "信息报送",
        "name_en": "information articles",
        "measure": "articles",
        "county": cast.county.pk,
    }
    assert client.post(reverse("ledger:manual_define"), data).status_code == 302
    ours = Indicator.objects.get(code=f"m_{cast.county.pk}_articles")
    assert ours.county == cast.county
    refused = client.post(reverse("ledger:manual_define"), data | {"county": cast.other_county.pk})
    assert refused.status_code == 400  # not a county of theirs: not among the choices
    assert not Indicator.objects.filter(county=cast.other_county).exists()
    client.login(username="stranger", password=PASSWORD)
    entries = client.get(reverse("ledger:manual_entries")).content.decode()
    assert f'value="{ours.pk}"' not in entries
    posted = {"indicator": ours.pk, "unit": cast.other_town.pk, "year": YEAR, "month": 5, "amount": "3"}
    client.post(reverse("ledger:manual_entries"), posted)
    assert not ManualEntry.objects.exists()
