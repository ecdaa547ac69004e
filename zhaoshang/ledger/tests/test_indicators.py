"""Indicators are shared by the deployment: everyone reads them, a system administrator changes them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.audit.models import Entry
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Role
from zhaoshang.ledger import indicators as service
from zhaoshang.ledger.models import Indicator


@pytest.fixture
def sysadmin(cast):
    user = User.objects.create_user(username="sys", password="x", display_name="系统管理员")
    Membership.objects.create(user=user, unit=cast.province, role=Role.SYSTEM_ADMIN)
    return user


NEW = {
    "code": "key_projects",
    "name_zh": "亿元以上项目",
    "name_en": "Projects over 100 million yuan",
    "measure": "count",
    "kind": "signed",
    "sort_order": 200,
}


def test_everyone_signed_in_reads_the_indicator_list(client, cast):
    client.force_login(cast.operator_a)
    # the eleven of DESIGN.md section 4, 市外资金 and 省外资金 (off by default), the three counts by
    # date and the four of key landed enterprises' returns
    response = client.get(reverse("ledger:indicators"))
    assert response.status_code == 200 and len(response.context["indicators"]) == 20
    assert not response.context["may_configure"]


def test_a_bureau_admin_may_not_change_the_shared_indicators(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("ledger:indicator_create")).status_code == 403
    assert client.post(reverse("ledger:indicator_create"), {**NEW, "is_active": "on"}).status_code == 403
    funds = Indicator.objects.get(code="funds_domestic")
    assert (
        client.post(reverse("ledger:indicator_edit", args=[funds.pk]), {"name_zh": "改"}).status_code == 403
    )
    assert not Indicator.objects.filter(code="key_projects").exists()
    with pytest.raises(OutOfScope):
        service.update_indicator(funds, by=cast.admin, name_zh="改")


def test_a_system_administrator_adds_an_indicator_and_it_is_audited(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(reverse("ledger:indicator_create"), {**NEW, "is_active": "on"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="key_projects")
    assert (indicator.kind, indicator.measure) == ("signed", "count")
    assert Entry.objects.filter(object_type="ledger.indicator", action="create").exists()


def test_what_an_indicator_counts_is_fixed_once_it_exists(client, sysadmin):
    funds = Indicator.objects.get(code="funds_domestic")
    with pytest.raises(ValidationError):
        service.update_indicator(funds, by=sysadmin, kind="signed")
    client.force_login(sysadmin)
    client.post(
        reverse("ledger:indicator_edit", args=[funds.pk]),
        {
            "code": "x",
            "name_zh": "市外到位资金",
            "name_en": "Funds",
            "measure": "count",
            "kind": "signed",
            "sort_order": 5,
        },
    )
    funds.refresh_from_db()
    assert (funds.code, funds.kind, funds.measure, funds.name_zh) == (
        "funds_domestic",
        "funds_domestic",
        "wan_cny",
        "市外到位资金",
    )
    assert not funds.is_active  # the checkbox was left unticked: the indicator is retired


def test_a_retired_indicator_leaves_the_completion_figures(cast, sysadmin, today):
    from zhaoshang.ledger.completion import completion

    funds = Indicator.objects.get(code="funds_domestic")
    service.update_indicator(funds, by=sysadmin, is_active=False)
    rows = completion(cast.county, today.year, "ytd", today.month, today)
    assert funds not in [r.indicator for r in rows]
