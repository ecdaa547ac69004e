"""Safeguards of dispatch found in review: upload size, separation of duties, a report's funds decided
only with the report, a concurrent first calendar, and messages in the active language. The table's
figures are tested in test_table.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from zhaoshang.core.errors import ValidationError
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Calendar, Report
from zhaoshang.dispatch.tests.conftest import evidence
from zhaoshang.dispatch.tests.test_reports import filled
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.choices import FundsStatus
from zhaoshang.ledger.models import FundsArrival

D = dt.date


# --- item 3: uploads larger than the limit --------------------------------------------------------


def test_an_evidence_file_or_photo_larger_than_the_attachment_limit_is_refused(cast, opened, settings):
    settings.MAX_ATTACHMENT_BYTES = 8  # the evidence of the fixtures is 13 bytes
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.add_funds_line(
            report,
            by=cast.operator_a,
            source="domestic",
            amount=Decimal(5),
            arrived_on=D(2026, 3, 5),
            evidence=evidence(),
        )
    assert "at most" in refused.value.message_dict["evidence"][0]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as photo:
        services.add_file(report, by=cast.operator_a, file=evidence("现场照片.jpg"))
    assert "文件不能超过" in photo.value.message_dict["file"][0]
    assert not report.funds_lines.exists() and not report.files.exists()
    settings.MAX_ATTACHMENT_BYTES = 1024
    services.add_file(report, by=cast.operator_a, file=evidence("现场照片.jpg"))
    assert report.files.count() == 1


# --- item 5: separation of duties -----------------------------------------------------------------


def test_the_bureau_may_not_verify_or_return_a_report_it_submitted_itself(cast, opened):
    report = filled(cast, opened, by=cast.admin)
    services.submit_report(report, by=cast.admin, today=D(2026, 3, 11))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.verify_report(report, by=cast.admin)
    assert "submitted this report yourself" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.return_report(report, by=cast.admin, reason="再核实")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert FundsArrival.objects.get(project=opened["a"]).status == FundsStatus.REPORTED


# --- item 6: a report's funds are decided only with the report ------------------------------------


def test_a_reports_funds_are_not_in_the_funds_queue_and_cannot_be_decided_there(client, cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    funds = FundsArrival.objects.get(project=opened["a"])
    own = funds_service.record_funds(
        opened["a"], by=cast.operator_a, arrived_on=D(2026, 3, 1), source="domestic", amount=Decimal(7)
    )
    client.force_login(cast.admin)
    queue = client.get(reverse("ledger:funds_queue")).content.decode()
    assert reverse("ledger:funds_verify", kwargs={"pk": own.pk}) in queue
    assert reverse("ledger:funds_verify", kwargs={"pk": funds.pk}) not in queue
    project_page = client.get(opened["a"].get_absolute_url()).content.decode()
    assert reverse("ledger:funds_verify", kwargs={"pk": funds.pk}) not in project_page
    for name, data in (("funds_verify", {}), ("funds_return", {"reason": "凭证不清"}), ("funds_delete", {})):
        client.post(reverse(f"ledger:{name}", kwargs={"pk": funds.pk}), data)
    funds.refresh_from_db()
    assert (funds.status, funds.is_deleted) == (FundsStatus.REPORTED, False)
    for decide in (
        lambda: funds_service.verify_funds(funds, by=cast.admin),
        lambda: funds_service.return_funds(funds, by=cast.admin, reason="凭证不清"),
        lambda: funds_service.delete_funds(funds, by=cast.admin),
    ):
        with pytest.raises(ValidationError):
            decide()
    services.verify_report(report, by=cast.admin)
    funds.refresh_from_db()
    assert funds.status == FundsStatus.VERIFIED
    with pytest.raises(ValidationError):  # verified with the report, it cannot be withdrawn apart from it
        funds_service.delete_funds(funds, by=cast.admin)


def test_returning_a_report_still_returns_its_funds(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    services.return_report(report, by=cast.admin, reason="凭证不清晰")
    funds = FundsArrival.objects.get(project=opened["a"])
    assert (funds.status, funds.return_reason) == (FundsStatus.RETURNED, "凭证不清晰")
    services.submit_report(Report.objects.get(pk=report.pk), by=cast.operator_a, today=D(2026, 3, 12))
    assert FundsArrival.objects.filter(project=opened["a"], status=FundsStatus.REPORTED).count() == 1


# --- item 12: the first calendar of a county saved twice at once ----------------------------------


def test_a_first_calendar_saved_meanwhile_by_someone_else_is_a_validation_error(cast, monkeypatch):
    services.save_calendar(cast.county, by=cast.admin, days=[10])
    # The second writer read "no calendar yet" before the first one committed.
    monkeypatch.setattr(Calendar.objects, "select_for_update", lambda **_lock: Calendar.objects.none())
    with pytest.raises(ValidationError):
        services.save_calendar(cast.county, by=cast.admin, days=[20])
    assert Calendar.objects.get(county=cast.county).days == [10]


# --- item 14: the API's message is translated -------------------------------------------------------


def test_the_apis_refusal_of_a_project_not_owing_a_report_is_translated(client, cast, opened):
    client.force_login(cast.operator_a)
    body = {"round_id": opened["round"].pk, "project_id": opened["lead"].pk}
    response = client.post(
        "/api/dispatch/reports", data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    with translation.override("zh-hans"):
        expected = translation.gettext("This project does not owe a report in this round.")
    assert expected != "This project does not owe a report in this round."
    assert [e["msg"] for e in response.json()["detail"]] == [expected]
