"""A county's own indicators stay within it where a unit's indicators are listed: the yearly
summary's and the bulletin's figures (every county's summary named the others', and a county with
more than 99 indicators could not be numbered) and the assessment item form. The shared indicators
and the county's own are offered; another county's are not."""

from __future__ import annotations

from zhaoshang.assessment.forms import ItemForm
from zhaoshang.assessment.models import Group, Scheme
from zhaoshang.ledger import rules
from zhaoshang.summaries.facts import figures_of
from zhaoshang.summaries.periods import Period


def define(by, county, name):
    return rules.define(by=by, county=county, name_zh=name, name_en=name, measure="count", kinds=["signed"])


def test_only_the_shared_and_the_countys_own_indicators_are_listed(cast):
    ours = define(cast.admin, cast.county, "本县亿元以上项目")
    theirs = define(cast.stranger, cast.other_county, "邻县亿元以上项目")

    for unit in (cast.county, cast.town_a):
        codes = {f.code for f in figures_of(cast.admin, unit, Period(2026))}
        assert ours.code in codes and theirs.code not in codes
        assert "funds_domestic" in codes or len(codes) > 1  # the shared set is there too
    assert theirs.code in {f.code for f in figures_of(cast.stranger, cast.other_county, Period(2026))}

    scheme = Scheme.objects.create(county=cast.county, year=2026, name="考核", version=1)
    Group.objects.create(scheme=scheme, name="乡镇", unit_kinds=["township"])
    offered = set(ItemForm(groups=Group.objects.filter(scheme=scheme)).fields["indicator"].queryset)
    assert ours in offered and theirs not in offered
