"""The flow report → accept → reply → evaluate: every transition, every refused one, and who may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhaoshang.audit import services as audit
from zhaoshang.audit.display import model_of
from zhaoshang.audit.models import Entry
from zhaoshang.coordination import services
from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.deadlines import add_working_days
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.projects.choices import Stage


def kinds_of(request):
    return list(request.activities.values_list("kind", flat=True))


def test_a_raised_request_waits_for_the_bureau_and_is_audited(cast, raised):
    assert raised.status == RequestStatus.SUBMITTED
    assert raised.owner_unit is None and raised.light() is None
    assert raised.raised_by == cast.operator_a and raised.raised_by_name == str(cast.operator_a)
    assert kinds_of(raised) == ["raised"]
    assert Entry.objects.filter(object_type="coordination.request", object_id=str(raised.pk)).count() == 1


def test_other_apps_raise_requests_with_a_free_source(cast):
    project = cast.project()
    request = services.raise_request(
        kind="dispatch_problem",
        title="电力接入",
        description="需供电公司协调",
        unit=cast.town_a,
        by=None,
        project=project,
        source="dispatch-report:123",
    )
    assert request.source == "dispatch-report:123" and request.project == project
    assert request.raised_by is None and request.raised_by_name == "system"


def test_it_refuses_to_raise_a_request_for_another_township(cast):
    with pytest.raises(OutOfScope):
        services.raise_request(
            kind="inquiry", title="x", description="x", unit=cast.town_b, by=cast.operator_a
        )


def test_it_refuses_to_raise_a_request_for_a_stranger(cast):
    with pytest.raises(OutOfScope):
        services.raise_request(kind="inquiry", title="x", description="x", unit=cast.town_a, by=cast.stranger)


def test_it_refuses_a_project_the_user_cannot_see(cast):
    neighbour = cast.project(cast.town_b)
    with pytest.raises(ValidationError) as error:
        services.raise_request(
            kind="staff_problem",
            title="x",
            description="x",
            unit=cast.town_a,
            by=cast.operator_a,
            project=neighbour,
        )
    assert "project" in error.value.message_dict


def test_a_request_names_only_a_project_of_the_requesting_unit(cast):
    # The bureau sees both townships' projects, but a request of town A shown to town A's people
    # must not carry town B's project.
    neighbour = cast.project(cast.town_b)
    for by in (cast.admin, None):
        with pytest.raises(ValidationError) as error:
            services.raise_request(
                kind="staff_problem",
                title="x",
                description="x",
                unit=cast.town_a,
                by=by,
                project=neighbour,
            )
        assert "project" in error.value.message_dict
    own = cast.project(cast.town_a)
    request = services.raise_request(
        kind="staff_problem", title="x", description="x", unit=cast.town_a, by=cast.admin, project=own
    )
    assert request.project == own


def test_a_complaint_must_come_from_a_landed_enterprise(cast):
    lead = cast.project()
    with pytest.raises(ValidationError) as error:
        services.raise_request(
            kind="complaint", title="x", description="x", unit=cast.town_a, by=cast.operator_a, project=lead
        )
    assert "project" in error.value.message_dict
    today = timezone.localdate()
    landed = cast.project(
        name="落地企业", stage=Stage.STARTED, signed_on=today, started_on=today, contracted_amount=1000
    )
    complaint = services.raise_request(
        kind="complaint",
        title="水电",
        description="停水",
        unit=cast.town_a,
        by=cast.operator_a,
        project=landed,
    )
    assert complaint.project == landed


def test_the_bureau_accepts_and_assigns_with_the_default_deadline(cast, settings):
    settings.REQUEST_DEADLINE_WORKING_DAYS = {**settings.REQUEST_DEADLINE_WORKING_DAYS, "staff_problem": 5}
    on = dt.date(2025, 9, 26)  # a Friday before the National Day holiday (10-01 … 10-08)
    raised = services.raise_request(
        kind="staff_problem", title="x", description="x", unit=cast.town_a, by=cast.operator_a, raised_on=on
    )
    request = services.accept_request(raised, by=cast.admin, owner_unit=cast.department, on=on)
    assert request.status == RequestStatus.ACCEPTED and request.owner_unit == cast.department
    assert request.accepted_on == on
    # 9-28 (Sunday) and 10-11 (Saturday) are swapped working days; the holiday is skipped.
    assert request.deadline == add_working_days(on, 5) == dt.date(2025, 10, 10)
    assert kinds_of(request) == ["raised", "accepted"]


def test_steps_cannot_be_dated_in_the_future_or_before_the_step_before(cast, raised, today):
    with pytest.raises(ValidationError) as error:
        services.accept_request(
            raised, by=cast.admin, owner_unit=cast.department, on=today + dt.timedelta(days=1)
        )
    assert "on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.accept_request(
            raised, by=cast.admin, owner_unit=cast.department, on=today - dt.timedelta(days=1)
        )


def test_the_bureau_may_set_its_own_deadline(cast, raised, today):
    request = services.accept_request(raised, by=cast.admin, owner_unit=cast.department, deadline=today)
    assert request.deadline == today


def test_a_deadline_before_acceptance_is_refused(cast, raised, today):
    with pytest.raises(ValidationError) as error:
        services.accept_request(
            raised, by=cast.admin, owner_unit=cast.department, deadline=today - dt.timedelta(days=1)
        )
    assert "deadline" in error.value.message_dict


def test_only_the_bureau_accepts(cast, raised):
    for user in (cast.operator_a, cast.operator_b, cast.leader, cast.stranger):
        with pytest.raises(OutOfScope):
            services.accept_request(raised, by=user, owner_unit=cast.department)
    raised.refresh_from_db()
    assert raised.status == RequestStatus.SUBMITTED


def test_the_owner_unit_must_be_in_the_county(cast, raised):
    with pytest.raises(ValidationError) as error:
        services.accept_request(raised, by=cast.admin, owner_unit=cast.other_town)
    assert "owner_unit" in error.value.message_dict


def test_the_bureau_rejects_with_a_reason(cast, raised):
    with pytest.raises(ValidationError):
        services.reject_request(raised, by=cast.admin, reason="  ")
    with pytest.raises(OutOfScope):
        services.reject_request(raised, by=cast.operator_a, reason="重复")
    request = services.reject_request(raised, by=cast.admin, reason="重复事项")
    assert request.status == RequestStatus.REJECTED and request.reject_reason == "重复事项"
    with pytest.raises(ValidationError, match="cannot become"):
        services.accept_request(request, by=cast.admin, owner_unit=cast.department)


def test_an_accepted_request_cannot_be_accepted_or_rejected_again(cast, assigned):
    with pytest.raises(ValidationError, match="cannot become"):
        services.accept_request(assigned, by=cast.admin, owner_unit=cast.town_b)
    with pytest.raises(ValidationError, match="cannot become"):
        services.reject_request(assigned, by=cast.admin, reason="x")


def test_the_owner_unit_replies_progress_then_the_answer(cast, assigned, department_operator):
    request = services.reply(assigned, by=department_operator, text="正在协调", final=False)
    assert request.status == RequestStatus.ACCEPTED and request.answered_on is None
    request = services.reply(
        request, by=department_operator, text="已协调解决", file=SimpleUploadedFile("复函.pdf", b"%PDF")
    )
    assert request.status == RequestStatus.ANSWERED and request.answered_on == timezone.localdate()
    assert kinds_of(request) == ["raised", "accepted", "progress", "answered"]
    assert request.activities.get(kind="answered").file_name == "复函.pdf"


def test_only_the_owner_units_people_reply(cast, assigned):
    # The requester, a sibling township, and even the bureau above the department do not answer.
    for user in (cast.operator_a, cast.operator_b, cast.admin, cast.leader):
        with pytest.raises(OutOfScope):
            services.reply(assigned, by=user, text="x")


def test_a_submitted_request_cannot_be_replied_to(cast, raised, department_operator):
    with pytest.raises((ValidationError, OutOfScope)):
        services.reply(raised, by=department_operator, text="x")


def test_the_requester_closes_with_a_rating_once_answered(cast, assigned, department_operator):
    with pytest.raises(ValidationError, match="cannot become"):
        services.close_request(assigned, by=cast.operator_a, rating=5)  # not answered yet
    answered = services.reply(assigned, by=department_operator, text="已解决")
    with pytest.raises(ValidationError):
        services.close_request(answered, by=cast.operator_a, rating=6)
    request = services.close_request(answered, by=cast.operator_a, rating=4, comment="及时")
    assert request.status == RequestStatus.CLOSED and request.rating == 4 and request.rating_comment == "及时"
    with pytest.raises(ValidationError, match="cannot become"):
        services.close_request(request, by=cast.operator_a, rating=5)  # rated once only
    with pytest.raises(ValidationError):
        services.reply(request, by=department_operator, text="x")


def test_only_the_requesting_side_rates(cast, assigned, department_operator):
    answered = services.reply(assigned, by=department_operator, text="已解决")
    for user in (department_operator, cast.admin, cast.operator_b, cast.leader):
        with pytest.raises(OutOfScope):
            services.close_request(answered, by=user, rating=5)
    answered.refresh_from_db()
    assert answered.rating is None


def test_the_requester_reopens_an_unsatisfying_answer(cast, assigned, department_operator):
    answered = services.reply(assigned, by=department_operator, text="已解决")
    with pytest.raises(ValidationError):
        services.reopen_request(answered, by=cast.operator_a, reason="")
    with pytest.raises(OutOfScope):
        services.reopen_request(answered, by=department_operator, reason="x")
    request = services.reopen_request(answered, by=cast.operator_a, reason="问题仍未解决")
    assert request.status == RequestStatus.ACCEPTED and request.answered_on is None
    assert request.deadline == assigned.deadline
    with pytest.raises(ValidationError, match="cannot become"):
        services.reopen_request(request, by=cast.operator_a, reason="x")
    assert kinds_of(request)[-1] == "reopened"


def test_either_side_and_the_bureau_comment_but_no_one_else(cast, assigned, department_operator):
    for user in (cast.operator_a, department_operator, cast.admin):
        services.add_comment(assigned, by=user, text=f"{user} 留言")
    for user in (cast.operator_b, cast.stranger, cast.leader):
        with pytest.raises(OutOfScope):
            services.add_comment(assigned, by=user, text="x")
    assert assigned.activities.filter(kind="comment").count() == 3


def test_every_transition_writes_an_audit_entry(cast, assigned, department_operator):
    services.reply(assigned, by=department_operator, text="已解决")
    services.close_request(assigned, by=cast.operator_a, rating=5)
    notes = list(
        Entry.objects.filter(object_type="coordination.request", object_id=str(assigned.pk))
        .order_by("seq")
        .values_list("note", flat=True)
    )
    assert notes == ["", "accepted", "answered", "closed"]


def test_the_renamed_model_keeps_its_audit_name_history_and_chain(cast, assigned, department_operator):
    # CoordinationRequest was Request: its entries say "coordination.request" before and after the
    # rename, and the history tab still reads them as the model's fields.
    services.reply(assigned, by=department_operator, text="已解决")
    assert model_of("coordination.request") is CoordinationRequest
    history = audit.history(assigned)
    assert [entry.note for entry, _changes in history] == ["answered", "accepted", ""]
    answered = {change.field: change for change in history[0][1]}
    answered_on = str(CoordinationRequest._meta.get_field("answered_on").verbose_name)
    status = str(CoordinationRequest._meta.get_field("status").verbose_name)
    assert "answered_on" not in answered and answered_on in answered
    assert answered[status].after == str(RequestStatus.ANSWERED.label)
    assert list(audit.verify()) == []


def test_a_deadline_years_away_is_refused_when_accepting(raised, cast, today):
    # The probe accepted a request with a deadline of 9999-12-31; its light then hung every page.
    with pytest.raises(ValidationError) as refused:
        services.accept_request(
            raised, by=cast.admin, owner_unit=cast.department, deadline=dt.date(9999, 12, 31)
        )
    assert "at most 10 years ahead" in str(refused.value)
    raised.refresh_from_db()
    assert raised.deadline is None and raised.status == RequestStatus.SUBMITTED
