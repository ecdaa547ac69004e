"""The start page by role (issue 18): which sections a user sees, chosen by the roles the user holds,
and what the leader's and the bureau's sections show.

- an operator or a steward sees first what is due (overview/due.py), as before;
- a bureau administrator sees the queues of the bureau: reports to review, funds to verify,
  requests to accept and self-evaluations of manual assessment items to review, with counts and links;
- a leader sees the ranking of the units below (the newest published assessment ranking when the
  county has one, otherwise the completion of the main indicator, sorted) and what lies behind
  序时进度 (the share of the year gone, and the indicators behind it).

A user with several roles sees the sections of each, once. Every figure reads through
``visible_to(user, …)``, so nothing from outside the user's subtree reaches the page."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.permissions import Action, Role
from zhaoshang.core.scoping import grants_of

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.ledger.completion import Row
    from zhaoshang.ledger.models import Indicator
    from zhaoshang.units.models import Unit

DUE, QUEUES, LEADER = "due", "queues", "leader"

# The sections each role brings to the start page.
ROLE_SECTIONS: dict[str, tuple[str, ...]] = {
    Role.OPERATOR: (DUE,),
    Role.STEWARD: (DUE,),
    Role.BUREAU_ADMIN: (QUEUES,),
    Role.SYSTEM_ADMIN: (QUEUES,),
    Role.LEADER: (LEADER,),
}


def sections(user: User) -> list[str]:
    """The sections of every role the user holds, each once, in the page's order."""
    held = {section for grant in grants_of(user) for section in ROLE_SECTIONS.get(grant.role, ())}
    return [s for s in (DUE, QUEUES, LEADER) if s in held]


@dataclass(frozen=True)
class Queue:
    """One of the bureau's queues: how many records wait, and the page that lists them."""

    code: str
    label: Any
    count: int
    url: str


def queues(user: User) -> list[Queue]:
    """The bureau's work waiting in the user's subtree: one count query per queue."""
    from zhaoshang.assessment.models import ManualEntry
    from zhaoshang.coordination.choices import RequestStatus
    from zhaoshang.coordination.models import CoordinationRequest
    from zhaoshang.dispatch.overview import review_queue
    from zhaoshang.ledger.choices import FundsStatus
    from zhaoshang.ledger.funds import apart_from_reports
    from zhaoshang.ledger.models import FundsArrival

    funds = apart_from_reports(
        FundsArrival.objects.visible_to(user, Action.VERIFY).filter(
            is_deleted=False, status=FundsStatus.REPORTED
        )
    )
    requests = CoordinationRequest.objects.visible_to(user, Action.VERIFY).filter(
        status=RequestStatus.SUBMITTED
    )
    manual = ManualEntry.objects.visible_to(user, Action.CONFIGURE).filter(
        claimed__isnull=False, value__isnull=True
    )
    return [
        Queue(
            "reports",
            _("Progress reports to review"),
            review_queue(user).order_by().count(),
            reverse("dispatch:queue"),
        ),
        Queue("funds", _("Funds to verify"), funds.count(), reverse("ledger:funds_queue")),
        Queue(
            "requests",
            _("Requests for coordination to accept"),
            requests.count(),
            f"{reverse('coordination:list')}?status={RequestStatus.SUBMITTED}",
        ),
        Queue(
            "manual",
            _("Self-evaluations of manual items to review"),
            manual.count(),
            reverse("assessment:ranking"),
        ),
    ]


@dataclass(frozen=True)
class Place:
    """One unit's place in the leader's ranking."""

    rank: int
    unit: Unit
    value: Decimal | None  # the total points, or the completion in percent
    grade: str = ""


@dataclass(frozen=True)
class Ranking:
    """The ranking of the units below the shown unit: a published assessment ranking (``published``)
    or, without one, the completion of the main indicator (``indicator``), best first."""

    places: list[Place]
    published: Any = None
    indicator: Indicator | None = None


def ranking(user: User, unit: Unit, year: int, bars: list[Any], indicator: Indicator | None) -> Ranking:
    """The newest published ranking of the year that ranks the unit's direct children (the user sees
    only the scores of units in the user's subtree); otherwise the children by completion of the
    main indicator (``bars`` from the dashboard), those without a target last."""
    from zhaoshang.assessment.models import Score

    children = [bar.unit.pk for bar, _url in bars]
    newest = (
        Score.objects.visible_to(user)
        .filter(ranking__year=year, unit_id__in=children)
        .select_related("ranking", "ranking__group")
        .order_by("-ranking__published_at", "-ranking__version", "-pk")
        .first()
    )
    if newest is not None:
        scores = (
            Score.objects.visible_to(user)
            .filter(ranking=newest.ranking, unit_id__in=children)
            .select_related("unit")
            .order_by("rank", "unit__path")
        )
        return Ranking([Place(s.rank, s.unit, s.total, s.grade) for s in scores], published=newest.ranking)
    ordered = sorted(
        (bar for bar, _url in bars),
        key=lambda bar: (bar.completion is None, -(bar.completion or 0), bar.unit.path),
    )
    return Ranking(
        [Place(i, bar.unit, bar.completion) for i, bar in enumerate(ordered, 1)], indicator=indicator
    )


@dataclass(frozen=True)
class TimeProgress:
    """What lies behind 序时进度: the days of the year gone by the end of the period shown, the share
    they make, and the indicators whose completion is below it."""

    percent: Decimal
    days_gone: int
    days_in_year: int
    upto: dt.date
    behind: list[Row]


def time_progress(year: int, month: int, today: dt.date, rows: list[Row], percent: Decimal) -> TimeProgress:
    """The explanation of the reference 序时进度 (year to date to the end of ``month``, or today)."""
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    upto = max(min(end, today), dt.date(year, 1, 1))
    days = 366 if calendar.isleap(year) else 365
    behind = sorted((r for r in rows if r.behind), key=lambda r: r.gap if r.gap is not None else Decimal(0))
    return TimeProgress(percent, (upto - dt.date(year, 1, 1)).days + 1, days, upto, behind)
