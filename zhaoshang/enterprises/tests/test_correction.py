"""The bureau corrects or withdraws a verified quarterly return (issue 23): the ledger follows by
appended differences (the jobs stock of the later quarters included), the totals equal a
recomputation, the audit keeps the figures before with the reason, and only the bureau of the
enterprise's county may do it, through the services, the page and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.audit.models import Entry
from zhaoshang.core.errors import ValidationError
from zhaoshang.enterprises import services
from zhaoshang.enterprises.figures import totals
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn
from zhaoshang.enterprises.tests.helpers import enterprise
from zhaoshang.ledger.models import Event, Total
from zhaoshang.ledger.services import rebuild_totals, return_mismatches, subtree_figures

YEAR = dt.date.today().year - 1
KINDS = ("ent_output", "ent_sales", "ent_tax", "ent_jobs")


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def report(e, quarter, jobs, output="100", *, verified=True, year=YEAR):
    record, _outcome = services.record_return(
        e,
        by=None,
        year=year,
        quarter=quarter,
        output=Decimal(output),
        sales=Decimal(output) / 2,
        tax=Decimal(output) / 10,
        jobs=jobs,
        verified=verified,
    )
    return record


def figures(cast, kind):
    """The county's ledger figure of ``kind`` up to the end of each quarter of YEAR."""
    return [
        subtree_figures(cast.county, YEAR, range(1, 3 * q + 1), [kind]).get(kind, (Decimal(0),))[0]
        for q in (1, 2, 3, 4)
    ]


def recomputed(cast):
    """The same four figures of each kind recomputed from the verified returns (``figures.totals``)."""
    county = Enterprise.objects.filter(unit__path__startswith=cast.county.path)
    by_quarter = [totals(county, YEAR, up_to_quarter=q, key_only=True) for q in (1, 2, 3, 4)]
    return {
        "ent_output": [t.output for t in by_quarter],
        "ent_tax": [t.tax for t in by_quarter],
        "ent_jobs": [Decimal(t.jobs) for t in by_quarter],
    }


def kept_totals():
    rows = Total.objects.filter(kind__in=KINDS).exclude(verified=0, reported=0)
    return sorted(rows.values_list("unit_id", "kind", "year", "month", "verified", "reported"))


def assert_ledger_agrees(cast):
    for kind, expected in recomputed(cast).items():
        assert figures(cast, kind) == expected, kind
    assert return_mismatches() == []
    rows = kept_totals()
    rebuild_totals()  # the totals recomputed from the events are the ones kept (rows added up to 0 aside)
    assert kept_totals() == rows
    call_command("rebuild_rollups", "--check", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("OK")


def corrected(record, by, reason="税务部门核定数据更正", **changes):
    figures = {name: getattr(record, name) for name in services.RETURN_FIGURES}
    return services.correct_return(record, by=by, reason=reason, **{**figures, **changes})


def test_a_correction_appends_differences_and_the_later_jobs_follow(cast):
    e = enterprise(cast, 1, key=True)
    q1, q2, q3 = report(e, 1, 50), report(e, 2, 60), report(e, 3, 80, output="200")
    assert figures(cast, "ent_jobs") == [50, 60, 80, 80]
    recorded = list(Event.objects.order_by("pk").values_list("pk", "amount"))
    corrected(q2, cast.admin, output=Decimal("150.5"), tax=Decimal(16), jobs=70)
    # events are never changed: the correction is appended
    assert (
        list(
            Event.objects.filter(pk__in=[pk for pk, _a in recorded])
            .order_by("pk")
            .values_list("pk", "amount")
        )
        == recorded
    )
    assert figures(cast, "ent_jobs") == [50, 70, 80, 80]  # Q3's change 20 becomes 10 by a further event
    assert figures(cast, "ent_output") == [100, Decimal("250.5"), Decimal("450.5"), Decimal("450.5")]
    assert figures(cast, "ent_tax") == [10, 26, 46, 46]
    q2.refresh_from_db()
    assert (q2.status, q2.revision_reason, q2.verified_by) == ("verified", "税务部门核定数据更正", cast.admin)
    assert_ledger_agrees(cast)
    # jobs corrected on the first quarter: the later quarters' headcounts stand
    corrected(q1, cast.admin, jobs=45)
    assert figures(cast, "ent_jobs") == [45, 70, 80, 80]
    assert_ledger_agrees(cast)
    assert q3.pk  # untouched, still counted


def test_a_withdrawal_takes_the_return_back_and_the_next_quarter_counts_from_the_one_before(cast):
    e = enterprise(cast, 1, key=True)
    report(e, 1, 50)
    q2 = report(e, 2, 60, output="300")
    report(e, 3, 80)
    services.withdraw_return(q2, by=cast.admin, reason="企业重复报送")
    q2.refresh_from_db()
    assert (q2.status, q2.revision_reason, q2.output) == ("withdrawn", "企业重复报送", Decimal(300))
    assert figures(cast, "ent_jobs") == [50, 50, 80, 80]
    assert figures(cast, "ent_output") == [100, 100, 200, 200]
    assert_ledger_agrees(cast)
    # no longer verified: neither corrected nor withdrawn again
    with pytest.raises(ValidationError):
        services.withdraw_return(q2, by=cast.admin, reason="再次撤回")
    with pytest.raises(ValidationError):
        corrected(q2, cast.admin, jobs=1)
    # the unit reports the quarter again; once verified it counts anew
    again = report(e, 2, 65, output="120", verified=False)
    assert (again.pk, again.status, again.revision_reason) == (q2.pk, "reported", "")
    assert figures(cast, "ent_output") == [100, 100, 200, 200]
    services.verify_return(again, by=cast.admin)
    assert figures(cast, "ent_jobs") == [50, 65, 80, 80]
    assert_ledger_agrees(cast)


def test_a_withdrawn_last_return_leaves_the_previous_headcount_and_a_non_key_one_counts_nothing(cast):
    e = enterprise(cast, 1, key=True)
    report(e, 1, 50)
    q4 = report(e, 4, 90)
    services.withdraw_return(q4, by=cast.admin, reason="误报")
    assert figures(cast, "ent_jobs") == [50, 50, 50, 50]
    other = enterprise(cast, 2, key=False)
    record = report(other, 1, 30)
    corrected(record, cast.admin, jobs=31)
    services.withdraw_return(record, by=cast.admin, reason="误报")
    assert not Event.objects.filter(source=f"return:{record.pk}").exists()
    assert_ledger_agrees(cast)


def test_the_reason_is_required_and_equal_figures_are_refused(cast):
    record = report(enterprise(cast, 1, key=True), 1, 50)
    with pytest.raises(ValidationError):
        corrected(record, cast.admin, reason="  ", jobs=51)
    with pytest.raises(ValidationError):
        services.withdraw_return(record, by=cast.admin, reason="")
    with pytest.raises(ValidationError):
        corrected(record, cast.admin)  # nothing changed
    pending = report(enterprise(cast, 2, key=True), 1, 10, verified=False)
    with pytest.raises(ValidationError):  # a reported return is verified or returned, not corrected
        corrected(pending, cast.admin, jobs=11)
    assert QuarterlyReturn.objects.get(pk=record.pk).jobs == 50


def test_only_the_bureau_of_the_enterprises_county_corrects_or_withdraws(cast):
    record = report(enterprise(cast, 1, key=True), 1, 50)
    for user in (cast.operator_a, cast.operator_b, cast.leader, cast.stranger):
        with pytest.raises(PermissionDenied):
            corrected(record, user, jobs=1)
        with pytest.raises(PermissionDenied):
            services.withdraw_return(record, by=user, reason="越权")
    record.refresh_from_db()
    assert (record.status, record.jobs) == ("verified", 50)
    assert figures(cast, "ent_jobs")[0] == 50


def test_the_audit_keeps_the_figures_before_and_the_reason(cast):
    record = report(enterprise(cast, 1, key=True), 1, 50, output="100")
    corrected(record, cast.admin, reason="统计局反馈产值有误", output=Decimal(120))
    services.withdraw_return(record, by=cast.admin, reason="企业已注销")
    entries = list(
        Entry.objects.filter(
            object_type="enterprises.quarterlyreturn", object_id=str(record.pk), action="update"
        ).order_by("at", "seq")
    )
    correction, withdrawal = entries[-2:]
    assert correction.note == "统计局反馈产值有误" and correction.user == cast.admin
    assert Decimal(correction.before["output"]) == 100 and Decimal(correction.after["output"]) == 120
    assert correction.after["revision_reason"] == "统计局反馈产值有误"
    assert withdrawal.note == "企业已注销"
    assert (withdrawal.before["status"], withdrawal.after["status"]) == ("verified", "withdrawn")


def test_the_page_corrects_and_withdraws_for_the_bureau_only(client, cast):
    made = enterprise(cast, 1, key=True)
    record = report(made, 1, 50)
    form = {
        f"r{record.pk}-{k}": v for k, v in {"output": "110", "sales": "50", "tax": "10", "jobs": "55"}.items()
    }
    form[f"r{record.pk}-reason"] = "核对台账后更正"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the page's English texts are read below
    client.force_login(cast.operator_a)
    page = client.get(reverse("enterprises:detail", args=[made.pk])).content.decode()
    assert "Correct or withdraw" not in page
    assert client.post(reverse("enterprises:return_correct", args=[record.pk]), form).status_code == 403
    assert (
        client.post(reverse("enterprises:return_withdraw", args=[record.pk]), {"reason": "x"}).status_code
        == 403
    )
    client.force_login(cast.stranger)
    assert client.post(reverse("enterprises:return_correct", args=[record.pk]), form).status_code == 404
    client.force_login(cast.admin)
    page = client.get(reverse("enterprises:detail", args=[made.pk])).content.decode()
    assert f'data-testid="revise-{record.pk}"' in page and f'name="r{record.pk}-jobs"' in page
    response = client.post(reverse("enterprises:return_correct", args=[record.pk]), form, follow=True)
    assert "Quarterly return corrected." in response.content.decode()
    record.refresh_from_db()
    assert (record.output, record.jobs, record.revision_reason) == (Decimal(110), 55, "核对台账后更正")
    assert "Corrected: 核对台账后更正" in response.content.decode()
    response = client.post(
        reverse("enterprises:return_withdraw", args=[record.pk]), {"reason": ""}, follow=True
    )
    assert QuarterlyReturn.objects.get(pk=record.pk).status == "verified"  # no reason, no withdrawal
    response = client.post(
        reverse("enterprises:return_withdraw", args=[record.pk]), {"reason": "重复填报"}, follow=True
    )
    assert "Withdrawn: 重复填报" in response.content.decode()
    assert QuarterlyReturn.objects.get(pk=record.pk).status == "withdrawn"
    assert figures(cast, "ent_jobs") == [0, 0, 0, 0]
    assert_ledger_agrees(cast)


def test_the_api_corrects_and_withdraws_for_the_bureau_only(client, cast):
    record = report(enterprise(cast, 1, key=True), 1, 50)
    body = {"output": "100", "sales": "50", "tax": "12.5", "jobs": 52, "reason": "税务数据更正"}
    url = f"/api/enterprises/returns/{record.pk}"
    client.force_login(cast.operator_a)
    assert client.post(f"{url}/correct", body, content_type="application/json").status_code == 403
    client.force_login(cast.stranger)
    assert client.post(f"{url}/withdraw", {"reason": "x"}, content_type="application/json").status_code == 404
    client.force_login(cast.admin)
    response = client.post(f"{url}/correct", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["tax"], data["jobs"], data["revision_reason"]) == (
        "verified",
        "12.5000",
        52,
        "税务数据更正",
    )
    assert client.post(f"{url}/correct", body, content_type="application/json").status_code in (400, 422)
    response = client.post(f"{url}/withdraw", {"reason": "撤回"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert_ledger_agrees(cast)
