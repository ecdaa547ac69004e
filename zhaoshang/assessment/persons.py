"""人人頭上有指標: the persons a group of persons ranks, and the counts credited to each of them,
read from the records (forms.md §4.1, 招商員月度績效比拼表), never typed in.

The **persons** of a group are the active users holding a role at an active unit of the scheme's
county whose kind the group names (at the county itself or any unit below it when it names none);
a person counts at the first such unit in the tree's order (``home``), which is what scopes who sees
their line: a bureau sees the persons of the units in its subtree.

What is credited to a person, in the period's months (before ``as_of``, as the lapses):

- **introduced** (``Source.INTRODUCED``): projects of the county signed in the period whose
  introducer (引薦, ``Project.introducer_type``) is a named person or the unit's own work and whose
  introducer's name is the person's name (``User.display_name``, else the user name). The
  introducer is kept as a name, not a link: a name two persons of the group share is credited to
  neither (it cannot say whose project it is), and a name no user holds is ranked nowhere.
- **stewarded** (``Source.STEWARDED``): projects the person stewards (項目保姆: a steward record
  linked to the person's account, ``Steward.user``, or, not linked to any, bearing the person's
  name as above) that reached signing, start or production (``MILESTONES``) in the period, each
  project once.
- **visits** (``Source.VISITS``): enterprise service visits (走訪) the person recorded in the period.

``counts`` reads every person's counts in one query per source, ``records`` lists the
records behind them (for the published ranking's drill-down: project ids, visit ids), and
``counts_from_records`` recomputes them person by person from the raw rows (the check).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from zhaoshang.accounts.models import Membership, User
from zhaoshang.assessment.choices import PERSONAL, Source
from zhaoshang.assessment.lapses import window
from zhaoshang.assessment.models import Group
from zhaoshang.core.tree import subtree_q
from zhaoshang.enterprises.models import Visit
from zhaoshang.projects.choices import Introducer, Stage
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.units.models import Unit

Counts = dict[int, dict[str, Decimal]]  # user id → source → count

# The stages a stewarded project counts for when it reaches one of them in the period.
MILESTONES = (Stage.SIGNED, Stage.STARTED, Stage.OPERATING)
# The introducers that name a person (not an investor, an agent or a resident office).
BY_A_PERSON = (Introducer.PERSON, Introducer.OWN)


@dataclass(frozen=True)
class Person:
    user: int
    name: str
    home: int  # the unit they count at


def name_of(user: User) -> str:
    return user.display_name or user.username


def members(group: Group) -> list[Person]:
    """The persons a group of persons ranks, in the order of their units, then of their names."""
    county = group.scheme.county
    found = Membership.objects.filter(
        subtree_q(county.path), unit__is_active=True, user__is_active=True
    ).select_related("user", "unit")
    if group.unit_kinds:
        found = found.filter(unit__kind__in=group.unit_kinds)
    homes: dict[int, tuple[Unit, User]] = {}
    for m in found.order_by("unit__path", "pk"):
        homes.setdefault(m.user_id, (m.unit, m.user))
    ordered = sorted(homes.values(), key=lambda pair: (pair[0].sort_order, pair[0].path, name_of(pair[1])))
    return [Person(user.pk, name_of(user), unit.pk) for unit, user in ordered]


def _introduced(county: Unit, first: dt.date, last: dt.date) -> QuerySet:
    return Project.objects.filter(
        subtree_q(county.path),
        introducer_type__in=BY_A_PERSON,
        signed_on__gte=first,
        signed_on__lte=last,
    ).exclude(introducer_name="")


def _stewarded(county: Unit, persons: list[Person], first: dt.date, last: dt.date) -> dict[int, list[int]]:
    """Person → the projects they steward that reached a milestone in the period, in the order of
    the first such move (one query: the moves with their projects' stewards)."""
    names = _names(persons)
    ids = {p.user for p in persons}
    moves = (
        StageChange.objects.filter(
            subtree_q(county.path, "project__unit__path"),
            to_stage__in=MILESTONES,
            changed_on__gte=first,
            changed_on__lte=last,
        )
        .filter(
            Q(project__stewards__user__in=ids)
            | Q(project__stewards__user__isnull=True, project__stewards__name__in=list(names))
        )
        .order_by("changed_on", "pk")
        .values_list("project_id", "project__stewards__user", "project__stewards__name")
    )
    out: dict[int, list[int]] = defaultdict(list)
    for project, user, name in moves:
        person = user if user in ids else names.get(name)
        if person is not None and project not in out[person]:
            out[person].append(project)
    return out


def _visits(county: Unit, persons: list[int], first: dt.date, last: dt.date) -> QuerySet:
    return Visit.objects.filter(
        subtree_q(county.path, "enterprise__unit__path"),
        recorded_by__in=persons,
        visited_on__gte=first,
        visited_on__lte=last,
    )


def _names(persons: list[Person]) -> dict[str, int]:
    """Name → person, for the names exactly one person of the group holds."""
    holders: dict[str, list[int]] = defaultdict(list)
    for p in persons:
        holders[p.name].append(p.user)
    return {name: users[0] for name, users in holders.items() if len(users) == 1}


def counts(
    county: Unit,
    persons: list[Person],
    year: int,
    months: list[int],
    as_of: dt.date,
    sources: tuple[str, ...] = PERSONAL,
) -> Counts:
    first, last = window(year, months, as_of)
    ids = [p.user for p in persons]
    out: Counts = {p.user: {} for p in persons}
    if Source.INTRODUCED in sources:
        names = _names(persons)
        rows = (
            _introduced(county, first, last)
            .filter(introducer_name__in=list(names))
            .values("introducer_name")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            out[names[row["introducer_name"]]][Source.INTRODUCED] = Decimal(row["n"])
    if Source.STEWARDED in sources:
        for person, projects in _stewarded(county, persons, first, last).items():
            out[person][Source.STEWARDED] = Decimal(len(projects))
    if Source.VISITS in sources:
        rows = _visits(county, ids, first, last).values("recorded_by").annotate(n=Count("pk")).order_by()
        for row in rows:
            out[row["recorded_by"]][Source.VISITS] = Decimal(row["n"])
    return out


def records(
    county: Unit, persons: list[Person], year: int, months: list[int], as_of: dt.date
) -> dict[tuple[str, int], list[int]]:
    """The records behind ``counts``: (source, user id) → project ids (introduced, stewarded) or
    visit ids, in the order of their dates."""
    first, last = window(year, months, as_of)
    ids = [p.user for p in persons]
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    names = _names(persons)
    introduced = _introduced(county, first, last).filter(introducer_name__in=list(names))
    for pk, name in introduced.order_by("signed_on", "pk").values_list("pk", "introducer_name"):
        out[(Source.INTRODUCED, names[name])].append(pk)
    for person, projects in _stewarded(county, persons, first, last).items():
        out[(Source.STEWARDED, person)] = projects
    visits = _visits(county, ids, first, last).order_by("visited_on", "pk")
    for pk, user in visits.values_list("pk", "recorded_by"):
        out[(Source.VISITS, user)].append(pk)
    return {key: found for key, found in out.items() if found}


def counts_from_records(
    county: Unit, persons: list[Person], year: int, months: list[int], as_of: dt.date
) -> Counts:
    """The same counts from the raw rows, person by person and record by record (tests)."""
    first, last = window(year, months, as_of)
    out: Counts = {p.user: {} for p in persons}
    names = [p.name for p in persons]
    inside = Q(unit__path__startswith=county.path)
    for person in persons:
        found = out[person.user]
        if names.count(person.name) == 1:
            for project in Project.objects.filter(inside, introducer_name=person.name):
                if (
                    project.introducer_type in BY_A_PERSON
                    and project.signed_on
                    and first <= project.signed_on <= last
                ):
                    found[Source.INTRODUCED] = found.get(Source.INTRODUCED, Decimal(0)) + 1
        stewarded = set()
        mine = Q(stewards__user=person.user)
        if names.count(person.name) == 1:
            mine |= Q(stewards__user__isnull=True, stewards__name=person.name)
        for project in Project.objects.filter(inside).filter(mine).distinct():
            for move in project.stage_changes.all():
                if move.to_stage in MILESTONES and first <= move.changed_on <= last:
                    stewarded.add(project.pk)
        if stewarded:
            found[Source.STEWARDED] = Decimal(len(stewarded))
        for visit in Visit.objects.filter(
            recorded_by=person.user, enterprise__unit__path__startswith=county.path
        ):
            if first <= visit.visited_on <= last:
                found[Source.VISITS] = found.get(Source.VISITS, Decimal(0)) + 1
    return out
