"""Dispatch (調度): the calendar, opening rounds, progress reports and their review.

Every write is a function in one transaction that checks scope with ``user_can`` and records an audit
entry. Funds stated in a report go through ``ledger.funds`` (recorded on submission, verified or
returned with the report); investment and factory area reach the ledger as ``ReportFacts``
(``filed_reports`` below, which the ledger asks whenever it syncs a project), and the ledger decides
what they count for (``ledger.counting``). Every decision on a report ends in ``ledger.sync``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.coordination.choices import RequestKind
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.coordination.services import raise_request
from zhaoshang.coordination.sources import Source
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.core.tree import subtree_q
from zhaoshang.core.uploads import check_attachment
from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch.choices import EDITABLE, FILED, REPORTABLE_STAGES, ReportStatus
from zhaoshang.dispatch.models import Calendar, Entry, FundsLine, Report, ReportFile, Round
from zhaoshang.dispatch.reminders import OVERDUE_WINDOW_DAYS
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import FundsSource, FundsStatus
from zhaoshang.ledger.counting import ReportFacts
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


def _require(by: User | None, action: str, unit: Unit, message: str) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.DISPATCH):
        raise OutOfScope(message)


# --- the calendar -------------------------------------------------------------------------------


def calendar_for(county: Unit) -> Calendar:
    """The county's calendar, or the defaults (unsaved) when the bureau has not set one."""
    return Calendar.objects.filter(county=county).first() or Calendar(county=county)


@transaction.atomic
def save_calendar(county: Unit, *, by: User | None, **fields: Any) -> Calendar:
    """Set a county's calendar (bureau admin of the county). Applies to rounds not yet opened."""
    if county.kind != UnitKind.COUNTY:
        raise ValidationError(_("A dispatch calendar belongs to a county."))
    _require(
        by,
        Action.CONFIGURE,
        county,
        _("You may not change the dispatch calendar of %(unit)s.") % {"unit": county},
    )
    current = for_update(Calendar.objects).filter(county=county).first()
    before = audit.snapshot(current) if current else None
    calendar = current or Calendar(county=county)
    for name, value in fields.items():
        setattr(calendar, name, value)
    errors: dict[str, list[str]] = {}
    days = calendar.days
    if (
        not isinstance(days, list)
        or not days
        or any(not isinstance(d, int) or not 1 <= d <= 31 for d in days)
    ):
        errors["days"] = [_("Give one or more days of the month, each from 1 to 31.")]
    else:
        calendar.days = sorted(set(days))
    if not isinstance(calendar.stages, list) or any(s not in REPORTABLE_STAGES for s in calendar.stages):
        errors["stages"] = [_("Choose stages among those before operation.")]
    if errors:
        raise ValidationError(errors)
    calendar.full_clean(exclude=["county", "days", "stages"])
    try:
        with transaction.atomic():  # a savepoint: the first calendar of a county may be saved twice at once
            calendar.save()
    except IntegrityError as clash:
        raise ValidationError(
            _("The dispatch calendar of %(unit)s was saved meanwhile by someone else; try again.")
            % {"unit": county}
        ) from clash
    action = audit.Entry.Action.UPDATE if current else audit.Entry.Action.CREATE
    audit.record(action, calendar, by=by, unit=county, before=before, after=audit.snapshot(calendar))
    return calendar


# --- opening rounds -----------------------------------------------------------------------------


class Staged(Protocol):
    """What ``owes_report`` reads of a project: a Project, or the rows of the generator (scale)."""

    @property
    def pk(self) -> Any: ...
    @property
    def stage(self) -> str: ...
    @property
    def operating_on(self) -> dt.date | None: ...


def owes_report(
    project: Staged, calendar: Calendar, earlier: dict[int, list[str]], period_start: dt.date
) -> bool:
    """Whether a project owes a report in a round: it is at a reporting stage, or it began operating
    and has not yet reported as operating (exactly one round: the first one after it began, or the
    one after the round in which it was still listed at an earlier stage).

    ``earlier`` maps project ids to the stages they were listed with in the county's earlier rounds."""
    if project.stage in calendar.stages:
        return True
    if project.stage != Stage.OPERATING or not calendar.report_operating:
        return False
    listed = earlier.get(project.pk, [])
    if Stage.OPERATING in listed:
        return False
    began_in_period = project.operating_on is not None and project.operating_on >= period_start
    return began_in_period or bool(listed)


def earlier_stages(county: Unit, due: dt.date, project: Project | None = None) -> dict[int, list[str]]:
    """The stages the operating projects of the county (or ``project`` alone) were listed with in its
    rounds before ``due``: what ``owes_report`` needs to know of the past."""
    earlier: dict[int, list[str]] = {}
    rows = Entry.objects.filter(round__county=county, round__due_on__lt=due, project__stage=Stage.OPERATING)
    if project is not None:
        rows = rows.filter(project=project)
    for project_id, stage in rows.values_list("project_id", "stage"):
        earlier.setdefault(project_id, []).append(stage)
    return earlier


@dataclass
class Opened:
    rounds: int = 0
    entries: int = 0


def open_rounds(today: dt.date) -> Opened:
    """Open, for every county, each round whose opening day has come and whose dispatch day has not
    passed, listing the projects that owe a report. Safe to run any number of times: a round exists
    once per county and day (a unique constraint), and opening again never changes an opened round's
    list (a project that reaches a reporting stage later joins it from its page: ``join_round``)."""
    opened = Opened()
    for county in Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("path"):
        calendar = calendar_for(county)
        for due, opens in dates.open_rounds(today, calendar.days, calendar.open_days_before):
            if Round.objects.filter(county=county, due_on=due).exists():
                continue
            try:
                created = _open_round(county, calendar, due, opens)
            except IntegrityError:  # opened meanwhile by a concurrent run
                continue
            opened.rounds += 1
            opened.entries += created
    return opened


@transaction.atomic
def _open_round(county: Unit, calendar: Calendar, due: dt.date, opens: dt.date) -> int:
    period_start = dates.previous_dispatch_day(due, calendar.days) + dt.timedelta(days=1)
    round_ = Round.objects.create(
        county=county,
        due_on=due,
        opens_on=opens,
        period_start=period_start,
        stalled_after=calendar.stalled_after,
    )
    candidates = Project.objects.filter(
        subtree_q(county.path), stage__in=[*calendar.stages, Stage.OPERATING]
    ).only("pk", "stage", "unit_id", "operating_on")
    earlier = earlier_stages(county, due)
    entries = [
        Entry(round=round_, project=p, unit_id=p.unit_id, stage=p.stage)
        for p in candidates.iterator(2000)
        if owes_report(p, calendar, earlier, period_start)
    ]
    Entry.objects.bulk_create(entries, batch_size=2000)
    audit.record(
        audit.Entry.Action.CREATE,
        round_,
        by=None,
        unit=county,
        after={**audit.snapshot(round_, exclude=("opened_at",)), "projects": len(entries)},
    )
    return len(entries)


# --- progress reports ---------------------------------------------------------------------------

REPORT_FIELDS = ("investment", "factory_area", "progress_percent", "progress_text", "problems")


def _snapshot(report: Report) -> dict[str, Any]:
    return audit.snapshot(report, exclude=("submitted_at", "decided_at"))


def _save(report: Report, by: User | None, action: str, before: dict[str, Any], note: str = "") -> None:
    """Save a changed report and record the change in the audit chain of its project's unit."""
    report.save()
    audit.record(
        action, report, by=by, unit=report.project.unit, before=before, after=_snapshot(report), note=note
    )


def _lock(report: Report) -> Report:
    """Lock the project first (as every funds and project write does), then the report: those two
    rows only, and without their keys (decision 39). The round, the project's unit and the others read
    with it stay unlocked: a lock on the unit row blocked the foreign-key checks of other writes of
    the county, which hold the county's audit chain head, and PostgreSQL aborted one as a deadlock."""
    for_update(Project.objects).get(pk=report.project_id)
    return for_update(Report.objects).select_related("round", "project", "project__unit").get(pk=report.pk)


def _may_report(by: User | None, project: Project) -> None:
    _require(
        by,
        Action.EDIT,
        project.unit,
        _("You may not report on the projects of %(unit)s.") % {"unit": project.unit},
    )


@transaction.atomic
def create_report(round_: Round, project: Project, *, by: User | None) -> Report:
    """Start the report of a project listed in a round (a draft). One report per project and round."""
    _may_report(by, project)
    if not Entry.objects.filter(round=round_, project=project).exists():
        raise ValidationError(_("This project does not owe a report in this round."))
    if Report.objects.filter(round=round_, project=project).exists():
        raise ValidationError(_("A report for this project in this round exists already."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                round=round_,
                project=project,
                due_on=round_.due_on,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError as clash:  # created meanwhile by someone else
        raise ValidationError(_("A report for this project in this round exists already.")) from clash
    audit.record(audit.Entry.Action.CREATE, report, by=by, unit=project.unit, after=_snapshot(report))
    return report


# --- the reports a project owes (its page) -------------------------------------------------------


def is_open(round_: Round, today: dt.date) -> bool:
    """A round is open from its opening day to its dispatch day (both included)."""
    return round_.opens_on <= today <= round_.due_on


def may_join(project: Project, round_: Round, today: dt.date, calendar: Calendar | None = None) -> bool:
    """Whether a project not listed in a round may join it: the round is open, the project lies in
    the round's county, and it owes a report by the rule that opens rounds (``owes_report``, with the
    county's ``calendar``: it reached a reporting stage, or began operating, after the list was made)."""
    if not is_open(round_, today) or not project.unit.path.startswith(round_.county.path):
        return False
    calendar = calendar or calendar_for(round_.county)
    if project.stage not in calendar.stages and project.stage != Stage.OPERATING:
        return False  # the common case (a lead, a dropped project) asks nothing of the past
    earlier = earlier_stages(round_.county, round_.due_on, project)
    return owes_report(project, calendar, earlier, round_.period_start)


@dataclass(frozen=True)
class Owed:
    """A round on the project page: the project is listed in it (``entry``) or may join it
    (``entry`` None), with its report if one was started."""

    round: Round
    entry: Entry | None
    report: Report | None

    @property
    def filed(self) -> bool:
        return self.report is not None and self.report.status in FILED


def reports_owed(project: Project, today: dt.date) -> list[Owed]:
    """The rounds of the project's county that concern it now, oldest dispatch day first: those it is
    listed in whose dispatch day is not further back than the to-report list goes (filed or not),
    and the open rounds it is not listed in but may join. A bounded number of queries: the county,
    its rounds, the project's entries and reports, the calendar, and for an operating project its
    earlier listings per open round."""
    county = Unit.objects.county_of(project.unit)
    if county is None:
        return []
    since = today - dt.timedelta(days=OVERDUE_WINDOW_DAYS)
    rounds = list(
        Round.objects.filter(county=county, due_on__gte=since).select_related("county").order_by("due_on")
    )
    entries = {e.round_id: e for e in Entry.objects.filter(project=project, round__in=rounds)}
    reports = {r.round_id: r for r in Report.objects.filter(project=project, round__in=rounds)}
    calendar = calendar_for(county)
    owed = []
    for round_ in rounds:
        entry = entries.get(round_.pk)
        if entry is not None or may_join(project, round_, today, calendar):
            owed.append(Owed(round_, entry, reports.get(round_.pk)))
    return owed


@transaction.atomic
def join_round(round_: Round, project: Project, *, by: Any, today: dt.date | None = None) -> Entry:
    """List a project in an open round it was not listed in when the round opened (it reached a
    reporting stage since): the entry is marked late-joined, and the report filed for it is not
    counted late. A project already listed keeps its entry."""
    today = today or timezone.localdate()
    project = for_update(Project.objects).select_related("unit").get(pk=project.pk)
    _may_report(by, project)
    existing = Entry.objects.filter(round=round_, project=project).first()
    if existing is not None:
        return existing
    day = f"{round_.due_on:%Y-%m-%d}"
    if not is_open(round_, today):
        raise ValidationError(
            _(
                "The round of %(day)s is not open: a project joins a round only from its opening day "
                "to its dispatch day."
            )
            % {"day": day}
        )
    if not may_join(project, round_, today):
        raise ValidationError(
            _(
                "%(project)s owes no report in the round of %(day)s: only a project of the county at "
                "a stage that reports (%(stages)s) joins it."
            )
            % {
                "project": project.name,
                "day": day,
                "stages": "、".join(str(Stage(s).label) for s in calendar_for(round_.county).stages),
            }
        )
    entry = Entry.objects.create(
        round=round_, project=project, unit_id=project.unit_id, stage=project.stage, late_joined=True
    )
    audit.record(
        audit.Entry.Action.CREATE, entry, by=by, unit=project.unit, after=audit.snapshot(entry), note="joined"
    )
    return entry


@transaction.atomic
def start_report(round_: Round, project: Project, *, by: Any, today: dt.date | None = None) -> Report:
    """The report of a project in a round, from the project page: the one started already, or a new
    draft; a project not listed in the round joins it first (``join_round``)."""
    _may_report(by, project)
    existing = Report.objects.filter(round=round_, project=project).first()
    if existing is not None:
        return existing
    if not Entry.objects.filter(round=round_, project=project).exists():
        join_round(round_, project, by=by, today=today)
    return create_report(round_, project, by=by)


def _editable(report: Report) -> None:
    if report.status not in EDITABLE:
        raise ValidationError(
            _("This report was submitted already; it can be corrected only after the bureau returns it.")
        )


@transaction.atomic
def update_report(report: Report, *, by: User | None, data: dict[str, Any]) -> Report:
    """Change the figures and words of a draft or returned report."""
    report = _lock(report)
    _may_report(by, report.project)
    _editable(report)
    before = _snapshot(report)
    blank = {"investment": Decimal(0), "factory_area": None, "progress_percent": 0}
    for name in REPORT_FIELDS:
        if name in data:
            value = data[name]
            setattr(report, name, blank.get(name, "") if value is None else value)
    report.full_clean(exclude=["round", "project"])
    _save(report, by, audit.Entry.Action.UPDATE, before)
    return report


@transaction.atomic
def add_funds_line(
    report: Report, *, by: User | None, source: str, amount: Decimal, arrived_on: dt.date, evidence: Any
) -> FundsLine:
    """State money that arrived this period, with its evidence file (required)."""
    report = _lock(report)
    _may_report(by, report.project)
    _editable(report)
    errors: dict[str, list[str]] = {}
    if source not in FundsSource.values:
        errors["source"] = [_("Unknown source of funds.")]
    if not evidence:
        errors["evidence"] = [_("Attach the evidence of the funds (a bank slip or statement).")]
    else:
        try:
            check_attachment(evidence, "evidence")
        except ValidationError as error:
            errors["evidence"] = error.messages
    if arrived_on > timezone.localdate():
        errors["arrived_on"] = [_("The date funds arrived cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    line = FundsLine(report=report, source=source, amount=amount, arrived_on=arrived_on, evidence=evidence)
    line.full_clean(exclude=["report", "evidence", "funds"])
    line.save()
    audit.record(audit.Entry.Action.CREATE, line, by=by, unit=report.project.unit, after=audit.snapshot(line))
    return line


@transaction.atomic
def remove_funds_line(line: FundsLine, *, by: User) -> None:
    report = _lock(line.report)
    _may_report(by, report.project)
    _editable(report)
    audit.record(
        audit.Entry.Action.DELETE, line, by=by, unit=report.project.unit, before=audit.snapshot(line)
    )
    line.delete()


@transaction.atomic
def add_file(report: Report, *, by: User, file: Any) -> ReportFile:
    """Attach a photo or file to a report (also after submission: photos do not change figures)."""
    report = _lock(report)
    _may_report(by, report.project)
    check_attachment(file)
    item = ReportFile.objects.create(report=report, file=file)
    audit.record(audit.Entry.Action.CREATE, item, by=by, unit=report.project.unit, after=audit.snapshot(item))
    return item


def moved(
    investment: Decimal, factory_area: Any, has_funds: bool, percent: int, previous_percent: int | None
) -> bool:
    """Something moved this period: money, investment, factory area, or physical progress beyond
    the project's previous filed report (``previous_percent``). Bulk loaders pass the values they
    are about to write."""
    if investment or factory_area or has_funds:
        return True
    return percent > (previous_percent or 0)


def _moved(report: Report) -> bool:
    previous = (
        Report.objects.filter(
            project=report.project_id, status__in=FILED, round__due_on__lt=report.round.due_on
        )
        .order_by("-round__due_on")
        .values_list("progress_percent", flat=True)
        .first()
    )
    has_funds = report.funds_lines.exists()
    return moved(report.investment, report.factory_area, has_funds, report.progress_percent, previous)


def _refuse_empty(report: Report) -> None:
    """A report says something: a figure, funds, or words on the progress or its problems. Pressing
    submit on an empty form (a draft whose typing was lost) filed 0 万元 / 0 % as if it were true."""
    said = (
        report.investment
        or report.factory_area
        or report.progress_percent
        or report.progress_text.strip()
        or report.problems.strip()
        or report.funds_lines.exists()
    )
    if not said:
        raise ValidationError(
            _(
                "The report is empty: enter the investment, funds or progress of the period, or say in "
                "words that nothing moved, before submitting it."
            )
        )


@transaction.atomic
def submit_report(report: Report, *, by: User | None, today: dt.date | None = None) -> Report:
    """Submit a draft (or a returned report, corrected). Its funds are recorded as reported funds
    arrived; after the dispatch day the report is marked late, unless its project joined the round
    late (``join_round``). A second submission is refused."""
    with ledger.synced_once():  # the funds lines and the report: one sync of the project
        today = today or timezone.localdate()
        report = _lock(report)
        _may_report(by, report.project)
        _editable(report)
        _refuse_empty(report)
        before = _snapshot(report)
        for line in report.funds_lines.select_related("funds"):
            if line.funds is None or line.funds.status == FundsStatus.RETURNED or line.funds.is_deleted:
                line.funds = funds_service.record_funds(
                    report.project,
                    by=by,
                    arrived_on=line.arrived_on,
                    source=line.source,
                    amount=line.amount,
                    evidence=line.evidence,
                    note=_("progress report of %(day)s") % {"day": f"{report.round.due_on:%Y-%m-%d}"},
                )
                line.save(update_fields=["funds"])
        user = by if getattr(by, "is_authenticated", False) else None
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = user
        report.submitted_at = timezone.now()
        report.submitted_on = today
        report.is_late = today > report.round.due_on and not _joined_late(report)
        report.has_progress = _moved(report)
        report.return_reason = ""
        _save(report, by, audit.Entry.Action.UPDATE, before, note="submitted")
        raise_problems(report, by=by)
        ledger.sync(report.project)
    return report


def _joined_late(report: Report) -> bool:
    """The project joined the round after it opened: its report is not counted late (it was not on
    the list the unit was given)."""
    return Entry.objects.filter(round=report.round_id, project=report.project_id, late_joined=True).exists()


def problem_source(report: Report) -> str:
    """How the requests raised by a report name it (``CoordinationRequest.source``)."""
    return f"dispatch-report:{report.pk}"


def describe_report(pk: int) -> Source | None:
    """A report that raised requests, as their pages name and link it."""
    report = Report.objects.select_related("round").filter(pk=pk).first()
    if report is None:
        return None
    label = _("Progress report for the dispatch day %(day)s") % {"day": f"{report.round.due_on:%Y-%m-%d}"}
    return Source(label, report.get_absolute_url())


def raise_problems(report: Report, *, by: User | None) -> list[Any]:
    """Each problem of a submitted report becomes a tracked request for coordination (需协调事项) of
    the project's owning unit. A report corrected and submitted again raises only the problems it
    did not raise before, so a problem is tracked once however often the report is returned."""
    source = problem_source(report)
    raised = set(CoordinationRequest.objects.filter(source=source).values_list("description", flat=True))
    requests = []
    for line in report.problem_lines:
        if line in raised:
            continue
        raised.add(line)
        requests.append(
            raise_request(
                kind=RequestKind.DISPATCH_PROBLEM,
                title=line[:60],
                description=line,
                unit=report.project.unit,
                by=by,
                project=report.project,
                source=source,
                raised_on=report.submitted_on,
            )
        )
    return requests


def _decide(report: Report, by: User | None) -> Report:
    report = _lock(report)
    _require(
        by,
        Action.VERIFY,
        report.project.unit,
        _("You may not review the reports of %(unit)s.") % {"unit": report.project.unit},
    )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be verified or returned."))
    if report.submitted_by_id is not None and report.submitted_by_id == getattr(by, "pk", None):
        # separation of duties: whoever submitted a report may not be the one who decides on it
        raise ValidationError(
            _("You submitted this report yourself; another person must verify or return it.")
        )
    return report


def _conclude(
    report: Report,
    by: User | None,
    status: str,
    action: str,
    decide_funds: Callable[[Any], Any],
    note: str = "",
    **fields: Any,
) -> Report:
    """Verify or return a submitted report: the funds it recorded that still wait go the same way
    (``decide_funds``, through ``ledger.funds``), the report takes its new state, and the ledger is
    told (``sync``), in the caller's transaction."""
    with ledger.synced_once():  # the funds and the report: one sync of the project
        report = _decide(report, by)
        before = _snapshot(report)
        for line in report.funds_lines.select_related("funds"):
            if (
                line.funds is not None
                and line.funds.status == FundsStatus.REPORTED
                and not line.funds.is_deleted
            ):
                decide_funds(line.funds)
        report.status = status
        for name, value in fields.items():
            setattr(report, name, value)
        report.decided_by = by if getattr(by, "is_authenticated", False) else None
        report.decided_at = timezone.now()
        _save(report, by, action, before, note=note)
        ledger.sync(report.project)
    return report


@transaction.atomic
def verify_report(report: Report, *, by: User | None) -> Report:
    """The bureau confirms a report: its funds, investment and factory area count from now on."""
    return _conclude(
        report,
        by,
        ReportStatus.VERIFIED,
        audit.Entry.Action.VERIFY,
        lambda funds: funds_service.verify_funds(funds, by=by, from_report=True),
    )


@transaction.atomic
def return_report(report: Report, *, by: User | None, reason: str) -> Report:
    """The bureau sends a report back with a reason; nothing of it counts until it is submitted again.
    The submitter is notified."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("Give the reason for returning the report.")})
    report = _conclude(
        report,
        by,
        ReportStatus.RETURNED,
        audit.Entry.Action.UPDATE,
        lambda funds: funds_service.return_funds(funds, by=by, reason=reason[:200], from_report=True),
        note="returned",
        return_reason=reason[:300],
    )
    from zhaoshang.notifications.services import notify

    notify(
        [u for u in (report.submitted_by, report.created_by) if u is not None],
        title=_("Progress report returned: %(project)s") % {"project": report.project.name},
        body=_("Reason: %(reason)s") % {"reason": reason},
        link=report.get_absolute_url(),
        key=f"dispatch:returned:{report.pk}:{report.decided_at:%Y%m%d%H%M%S%f}",
    )
    return report


# --- what reports tell the ledger ---------------------------------------------------------------


def report_facts(
    report_pk: int, status: str, due_on: dt.date, investment: Decimal, factory_area: Any
) -> ReportFacts | None:
    """What the ledger is told of one progress report: its figures and whether the bureau verified
    it, once it is filed (submitted or verified); a draft or returned report is not told at all.
    What those figures count for is the ledger's rule (``ledger.counting.report_figures``). Bulk
    loaders pass the values they are about to write."""
    if status not in FILED:
        return None
    return ReportFacts(report_pk, due_on, investment, factory_area, status == ReportStatus.VERIFIED)


def filed_reports(project: Any) -> list[ReportFacts]:
    """``report_facts`` of every filed report of a project: the reader the ledger asks whenever it
    syncs a project (registered in ``dispatch.apps.Config.ready``)."""
    reports = Report.objects.filter(project=project, status__in=FILED).values_list(
        "pk", "status", "round__due_on", "investment", "factory_area"
    )
    return [facts for row in reports if (facts := report_facts(*row)) is not None]
