"""Verifying the ticked lines of the funds queue in one action (issue 18): a confirmation first with
the count and the sum (and each line's voucher), then each line through the single verification's
service: the evidence rules apply per line, refused lines are listed with the reason and the others
verified; a line of another unit is refused like a missing one.

Assertions read ids, statuses, figures and data-testids; reasons are compared with the service's
message through gettext."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.models import FundsArrival, Indicator

URL = reverse("ledger:funds_bulk_verify")
ON = dt.date(2024, 5, 1)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def reported(cast: Any, unit: Any, name: str, amount: str, slip: bool = True) -> FundsArrival:
    project = cast.project(unit, name=name)
    evidence = SimpleUploadedFile("银行进账单.pdf", b"slip") if slip else None
    return funds_service.record_funds(
        project, by=None, arrived_on=ON, source="domestic", amount=Decimal(amount), evidence=evidence
    )


def status(*lines: FundsArrival) -> list[str]:
    return [FundsArrival.objects.get(pk=f.pk).status for f in lines]


def test_the_confirmation_shows_the_count_the_sum_and_each_voucher_and_verifies_nothing(client, cast, media):
    a = reported(cast, cast.town_a, "甲项目", "120.5")
    b = reported(cast, cast.town_b, "乙项目", "79.5")
    client.force_login(cast.admin)
    response = client.post(URL, {"funds": [a.pk, b.pk]})
    assert response.status_code == 200
    assert {f.pk for f in response.context["lines"]} == {a.pk, b.pk}
    assert [total for _label, total in response.context["totals"]] == [Decimal("200.0")]
    page = response.content.decode()
    assert 'data-testid="bulk-total">200' in page
    for line in (a, b):
        assert reverse("ledger:funds_evidence", args=[line.pk]) in page
        assert f'name="funds" value="{line.pk}"' in page
    assert status(a, b) == ["reported", "reported"]


def test_all_good_lines_are_verified(client, cast, media):
    a = reported(cast, cast.town_a, "甲项目", "10")
    b = reported(cast, cast.town_b, "乙项目", "20")
    client.force_login(cast.admin)
    response = client.post(URL, {"funds": [a.pk, b.pk], "confirmed": "1"})
    assert response.status_code == 200
    assert {f.pk for f in response.context["verified"]} == {a.pk, b.pk} and response.context["refused"] == []
    assert status(a, b) == ["verified", "verified"]


def test_a_line_refused_by_the_evidence_rules_is_listed_with_the_reason_and_the_others_kept(
    client, cast, media
):
    indicator = Indicator.objects.get(code="funds_domestic")
    indicator.evidence = ["bank_slip"]
    indicator.save()
    good = reported(cast, cast.town_a, "有回单项目", "10")
    bad = reported(cast, cast.town_a, "无回单项目", "20", slip=False)
    later = reported(cast, cast.town_b, "另一有回单项目", "30")
    client.force_login(cast.admin)
    response = client.post(URL, {"funds": [good.pk, bad.pk, later.pk], "confirmed": "1"})
    assert [f.pk for f in response.context["verified"]] == [good.pk, later.pk]
    ((pk, funds, reason),) = response.context["refused"]
    assert pk == bad.pk and funds.pk == bad.pk
    with pytest.raises(Exception) as single:
        funds_service.verify_funds(FundsArrival.objects.get(pk=bad.pk), by=cast.admin)
    assert reason == " ".join(single.value.messages)  # the single verification's own reason
    assert status(good, bad, later) == ["verified", "reported", "verified"]
    page = response.content.decode()
    assert f'data-testid="verified-{good.pk}"' in page and f'data-testid="refused-{bad.pk}"' in page


def test_another_units_line_is_refused_and_nothing_of_it_shows(client, cast, media):
    mine = reported(cast, cast.town_a, "本县项目", "10")
    foreign = reported(cast, cast.other_town, "邻县机密项目", "99")
    client.force_login(cast.admin)
    confirm = client.post(URL, {"funds": [mine.pk, foreign.pk]})
    assert [f.pk for f in confirm.context["lines"]] == [mine.pk] and confirm.context["skipped"] == 1
    assert "邻县机密项目" not in confirm.content.decode()
    response = client.post(URL, {"funds": [mine.pk, foreign.pk], "confirmed": "1"})
    assert [f.pk for f in response.context["verified"]] == [mine.pk]
    ((pk, funds, _reason),) = response.context["refused"]
    assert (pk, funds) == (foreign.pk, None)
    assert "邻县机密项目" not in response.content.decode()
    assert status(mine, foreign) == ["verified", "reported"]


def test_only_those_who_verify_may_post(client, cast, media):
    line = reported(cast, cast.town_a, "甲项目", "10")
    for user in (cast.operator_a, cast.leader):
        client.force_login(user)
        assert client.post(URL, {"funds": [line.pk], "confirmed": "1"}).status_code == 403
    assert status(line) == ["reported"]


def test_the_queue_ticks_lines_into_the_bulk_form(client, cast, media):
    line = reported(cast, cast.town_a, "甲项目", "10")
    client.force_login(cast.admin)
    page = client.get(reverse("ledger:funds_queue")).content.decode()
    assert f'name="funds" value="{line.pk}" form="bulk-verify"' in page and 'id="bulk-verify"' in page
