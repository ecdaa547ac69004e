"""The assessment pages: the leader's ranking (published, or the bureau's draft), a unit's own
points, the scoring table as .xlsx, and publishing. Every record is read through ``visible_to``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.accounts.models import User
from zhaoshang.assessment import scoring, services
from zhaoshang.assessment.choices import COUNTED, Period, Source, Subjects
from zhaoshang.assessment.forms import CopyForm, ItemForm, PersonGroupForm, SelfEvaluationForm
from zhaoshang.assessment.models import Group, Item, Ranking, Scheme, Score
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import acts_for
from zhaoshang.core.tables import Column
from zhaoshang.core.xlsx import table_workbook, xlsx_response
from zhaoshang.dispatch.models import Entry
from zhaoshang.enterprises.models import Visit
from zhaoshang.inspections.models import RectificationItem
from zhaoshang.ledger.models import FundsArrival, Indicator
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit


@dataclass
class Row:
    """One unit's line of a ranking as a page shows it (in a ranking of persons: one person's, and
    ``unit`` is the unit they count at)."""

    unit: Unit
    total: Decimal
    rank: int
    grade: str
    points: list[dict[str, Any]]
    change: int | None = None  # places gained since the period before (+ up, − down)
    trend: list[Decimal | None] | None = None
    person: User | None = None

    @property
    def subject(self) -> int:
        return self.person.pk if self.person else self.unit.pk

    @property
    def name(self) -> str:
        return str(self.person) if self.person else self.unit.name

    def point(self, code: str) -> Any:
        return next((p["points"] for p in self.points if p["code"] == code), None)


def period_label(period: str, month: int) -> str:
    if period == Period.QUARTER:
        return _("Q%(n)s") % {"n": (month - 1) // 3 + 1}
    if period == Period.MONTH:
        return _("Month %(n)s") % {"n": month}
    return _("Year to month %(n)s") % {"n": month} if month < 12 else _("Whole year")


def newest(rankings: Any) -> list[Ranking]:
    """The newest version of each ranking (a correction replaces the one before)."""
    out: dict[tuple[int, int, str, int], Ranking] = {}
    for r in rankings.order_by("version"):
        out[(r.group_id, r.year, r.period, r.month)] = r
    return sorted(out.values(), key=lambda r: (r.year, r.month, r.group.sort_order), reverse=True)


def rows_of(ranking: Ranking, visible: list[Ranking], user: Any = None) -> list[Row]:
    """The lines of a published ranking, with their change and trend; of a ranking of persons only
    the lines of the persons of units ``user`` sees."""
    lines = ranking.scores.select_related("unit", "person")
    if ranking.group.subjects == Subjects.PERSONS:
        lines = lines.filter(pk__in=Score.objects.visible_to(user).values("pk"))
    rows = [Row(s.unit, s.total, s.rank, s.grade, s.points, person=s.person) for s in lines]
    same = [
        r
        for r in visible
        if r.group_id == ranking.group_id and r.period == ranking.period and r.year == ranking.year
    ]
    same.sort(key=lambda r: r.month)
    history = {
        r.month: {services.subject_of(s): s for s in r.scores.all()} for r in same if r.month <= ranking.month
    }
    before = scoring.last_period(ranking.period, ranking.year, ranking.month)
    for row in rows:
        row.trend = [
            history[m][row.subject].total if row.subject in history[m] else None for m in sorted(history)
        ]
        if before and before[1] in history and row.subject in history[before[1]]:
            row.change = history[before[1]][row.subject].rank - row.rank
    return rows


def draft_rows(group: Group, year: int, period: str, month: int) -> list[Row]:
    defn = scoring.definition(group)
    inputs = scoring.read_inputs(group, defn, year, period, month)
    found = scoring.score(defn, inputs)
    units = Unit.objects.in_bulk([inputs.homes.get(s.unit, s.unit) for s in found])
    people = User.objects.in_bulk([s.unit for s in found]) if inputs.homes else {}
    return [
        Row(
            units[inputs.homes.get(s.unit, s.unit)],
            s.total,
            s.rank,
            s.grade,
            [services.line_json(line) for line in s.lines],
            person=people.get(s.unit),
        )
        for s in found
    ]


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    """Sort by rank (default), name, total or an item's points; "-" in front for descending."""
    field = key.lstrip("-")
    reverse = key.startswith("-")
    if field == "name":
        return sorted(rows, key=lambda r: r.name, reverse=reverse)
    if field == "total":
        return sorted(rows, key=lambda r: r.total, reverse=reverse)
    if field and any(p["code"] == field for r in rows for p in r.points):
        return sorted(rows, key=lambda r: Decimal(r.point(field) or 0), reverse=reverse)
    return sorted(rows, key=lambda r: r.rank, reverse=reverse)


def int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class RankingView(LoginRequiredMixin, View):
    """考核排名: the newest published ranking of each group the user may see (?ranking= picks one),
    sortable (?sort=), with the change of place and the trend over the year's periods; the bureau
    may see the draft of a group for a period (?group=&period=&month=) and publish it."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        visible = newest(Ranking.objects.visible_to(request.user).select_related("group", "scheme"))
        draft_group = None
        rows: list[Row] = []
        ranking = None
        period, month = request.GET.get("period") or Period.QUARTER, int_param(request.GET.get("month"))
        if pk := int_param(request.GET.get("group")):
            draft_group = get_object_or_404(
                Group.objects.filter(scheme__in=Scheme.objects.visible_to(request.user, Action.CONFIGURE)),
                pk=pk,
            )
            if period not in Period.values or not month or not 1 <= month <= 12:
                raise Http404
            rows = draft_rows(draft_group, draft_group.scheme.year, period, month)
        elif visible:
            ranking = pick(visible, request.GET.get("ranking"))
            rows = rows_of(ranking, visible, request.user)
        group = draft_group or (ranking.group if ranking else None)
        items = list(group.items.all()) if group else []
        configurable = list(
            Group.objects.filter(scheme__in=Scheme.objects.visible_to(request.user, Action.CONFIGURE))
            .select_related("scheme")
            .order_by("-scheme__year", "-scheme__version", "sort_order")
        )
        context = {
            "rows": sort_rows(rows, request.GET.get("sort", "rank")),
            "ranking": ranking,
            "draft_group": draft_group,
            "period": period,
            "month": month,
            "group": group,
            "items": items,
            "visible": visible,
            "configurable": configurable,
            "months": range(1, 13),
            "periods": Period.choices,
            "label": period_label(ranking.period, ranking.month) if ranking else "",
            "may_start": Unit.objects.where(request.user, Action.CONFIGURE, on=ObjectType.TARGET)
            .filter(kind="county")
            .exists(),
            "tie_item": next((i for i in items if group and i.code == group.tie_item), None),
            "changes": [
                c
                for c in changes_named(ranking)
                if group is None or group.subjects == Subjects.UNITS or c["unit"] in {r.subject for r in rows}
            ],
        }
        return render(request, "assessment/ranking.html", context)


class PublishView(LoginRequiredMixin, View):
    """Publish (or correct, with a reason) a group's ranking for a period: the bureau only."""

    request: AuthedRequest

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        group = get_object_or_404(
            Group.objects.filter(scheme__in=Scheme.objects.visible_to(request.user)), pk=pk
        )
        if not services.may_configure(request.user, group.scheme.county):
            raise PermissionDenied
        period, month = request.POST.get("period", ""), int_param(request.POST.get("month"))
        back = redirect("assessment:ranking")
        if period not in Period.values or not month or not 1 <= month <= 12:
            messages.error(request, _("Choose the period to publish."))
            return back
        try:
            ranking = services.publish(
                group,
                by=request.user,
                year=group.scheme.year,
                period=period,
                month=month,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(request, _("The ranking is published."))
        return redirect(f"{back.url}?ranking={ranking.pk}")


class UnitScoreView(LoginRequiredMixin, View):
    """A unit's own points in every published ranking: each item's figure, target and formula, and
    where it lost points and why."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        scores = (
            Score.objects.visible_to(request.user)
            .filter(unit=unit, person__isnull=True)
            .select_related("ranking__group")
        )
        shown = explained(request.user, scores, Ranking.objects.filter(scores__unit=unit))
        codes = dict(Indicator.objects.values_list("pk", "code"))
        for score in shown:
            for point in score.points:
                point["drill"] = drilldown_url(unit, codes.get(point.get("indicator")), score.ranking)
                point["counted"] = point["source"] in COUNTED
        own = acts_for(request.user, Action.VIEW, unit, on=ObjectType.TARGET)
        form = (
            SelfEvaluationForm(items=claimable(unit), initial={"month": preview_month(today_year())})
            if own
            else None
        )
        return render(
            request,
            "assessment/unit.html",
            {"unit": unit, "scores": shown, "form": form},
        )


# The kind of record behind a counted source (the dispatch entries behind the rest).
RECORD_OF = {
    Source.OVERDUE: "item",
    Source.RETURNED: "funds",
    Source.INTRODUCED: "project",
    Source.STEWARDED: "project",
    Source.VISITS: "visit",
}


class PersonScoreView(LoginRequiredMixin, View):
    """人人頭上有指標: a person's points in every published ranking of persons the user may see (the
    person works at a unit of the user's subtree): each item's count, the person's target, the
    formula, and the records the count rests on (projects, visits)."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        seen = Unit.objects.visible_to(request.user)
        person = get_object_or_404(User.objects.filter(memberships__unit__in=seen).distinct(), pk=pk)
        scores = (
            Score.objects.visible_to(request.user)
            .filter(person=person)
            .select_related("ranking__group", "unit")
        )
        shown = explained(request.user, scores, Ranking.objects.filter(scores__person=person))
        return render(request, "assessment/person.html", {"person": person, "scores": shown})


def explained(user: Any, scores: Any, rankings: Any) -> list[Score]:
    """The scores of a unit's or a person's page: those of the newest version of each of their
    ``rankings``, newest period first, each labelled with its period and each point with what it
    lost, its figure and target, the kind of record it counts and those records (``behind``) as the
    user may see them."""
    newest_versions = {r.pk for r in newest(rankings.select_related("group"))}
    ordered = scores.order_by("-ranking__year", "-ranking__month")
    shown = [s for s in ordered if s.ranking_id in newest_versions]
    behind = lapse_records(user, shown)
    for score in shown:
        score.label = period_label(score.ranking.period, score.ranking.month)
        for point in score.points:
            point["lost"] = lost(point)
            point["figure"], point["target"] = (_number(point["given"][k]) for k in ("figure", "target"))
            point["kind"] = kind = RECORD_OF.get(point["source"], "entry")
            point["behind"] = [behind[(kind, pk)] for pk in point.get("records", []) if (kind, pk) in behind]
    return shown


def lapse_records(user: Any, scores: list[Score]) -> dict[tuple[str, int], Any]:
    """The records a published count rests on, as the user may see them: dispatch entries
    (reports missing or late), rectification items (overdue), funds (returned), and for a person
    projects (introduced, stewarded) and enterprise visits; one query for each kind."""
    wanted: dict[str, set[int]] = {kind: set() for kind in ("entry", "item", "funds", "project", "visit")}
    for score in scores:
        for point in score.points:
            kind = RECORD_OF.get(point["source"], "entry")
            wanted[kind].update(point.get("records", []))
    out: dict[tuple[str, int], Any] = {}
    others = (
        ("funds", FundsArrival.objects.visible_to(user).select_related("project")),
        ("project", Project.objects.visible_to(user)),
        ("visit", Visit.objects.visible_to(user).select_related("enterprise")),
    )
    for kind, rows in others:
        if wanted[kind]:
            out.update({(kind, pk): row for pk, row in rows.in_bulk(wanted[kind]).items()})
    if wanted["entry"]:
        entries = Entry.objects.visible_to(user).select_related("project", "round").in_bulk(wanted["entry"])
        out.update({("entry", pk): e for pk, e in entries.items()})
    if wanted["item"]:
        items = RectificationItem.objects.visible_to(user).in_bulk(wanted["item"])
        out.update({("item", pk): i for pk, i in items.items()})
    return out


def lost(point: dict[str, Any]) -> Decimal:
    """Points short of the item's full value (a deduction: the points taken)."""
    got = Decimal(point["points"])
    if got < 0:
        return -got
    return max(Decimal(point["max_points"]) - got, Decimal(0))


class ExportView(LoginRequiredMixin, View):
    """The scoring table of a published ranking as .xlsx: 內容 / 分值 / 評分辦法, then each unit."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        visible = newest(
            Ranking.objects.visible_to(request.user, Action.EXPORT).select_related("group", "scheme")
        )
        if not visible:  # an empty table, as every list exports one
            columns = [Column("rank", _("Rank"), str), Column("unit", _("Unit"), str)]
            empty = table_workbook(_("Ranking"), columns, [], preamble=[_("No published ranking yet.")])
            return xlsx_response(empty, "ranking.xlsx")
        ranking = pick(visible, request.GET.get("ranking"))
        rows = rows_of(ranking, visible, request.user)
        items = ranking.snapshot["definition"]["items"]
        of_persons = ranking.group.subjects == Subjects.PERSONS
        columns = [
            Column("rank", _("Rank"), lambda r: r.rank),
            *([Column("person", _("Person"), lambda r: r.name)] if of_persons else []),
            Column("unit", _("Unit"), lambda r: r.unit.name),
            *[
                Column(
                    i["code"],
                    f"{i['name']} ({i['max_points']})",
                    points_of(i["code"]),
                    number_format="0.00",
                )
                for i in items
            ],
            Column("total", _("Total"), lambda r: r.total, number_format="0.00"),
            Column("grade", _("Grade"), lambda r: r.grade),
        ]
        methods = [f"{i['name']}: {i['method']}" for i in items if i["method"]]
        label = period_label(ranking.period, ranking.month)
        title = f"{ranking.scheme.name} · {ranking.group.name} · {ranking.year} {label}"
        content = table_workbook(title[:31], columns, rows, preamble=[title, *methods])
        stamp = timezone.localdate().isoformat()
        return xlsx_response(content, f"{ranking.group.name}-{ranking.year}-{ranking.month:02d}-{stamp}.xlsx")


def _number(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def points_of(code: str) -> Callable[[Row], Decimal | None]:
    def read(row: Row) -> Decimal | None:
        value = row.point(code)
        return Decimal(value) if value is not None else None

    return read


def pick(visible: list[Ranking], pk: str | None) -> Ranking:
    """The ranking asked for (?ranking=), or the newest; 404 for one the user may not see."""
    if not pk:
        return visible[0]
    found = next((r for r in visible if str(r.pk) == pk), None)
    if found is None:
        raise Http404
    return found


def _scheme(user: Any, pk: int) -> Scheme:
    return get_object_or_404(Scheme.objects.visible_to(user).select_related("county"), pk=pk)


class SchemeView(LoginRequiredMixin, View):
    """考核辦法: the scheme's groups and items as the scoring table (內容 / 分值 / 評分辦法), an item
    form for the bureau while no ranking was published on it, and a preview of the current scores
    (the draft of each group for the latest quarter) so that a change is seen before it counts."""

    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        return self.show(_scheme(request.user, pk))

    def show(
        self,
        scheme: Scheme,
        form: ItemForm | None = None,
        status: int = 200,
        group_form: PersonGroupForm | None = None,
    ) -> HttpResponse:
        editable = services.may_configure(self.request.user, scheme.county) and not services.is_used(scheme)
        groups = Group.objects.filter(scheme=scheme).prefetch_related("items__indicator")
        if editable and form is None:
            item = None
            if pk := int_param(self.request.GET.get("item")):
                item = get_object_or_404(Item.objects.filter(group__scheme=scheme), pk=pk)
            form = ItemForm(instance=item, groups=groups)
        month = int_param(self.request.GET.get("month")) or preview_month(scheme.year)
        preview = [(g, draft_rows(g, scheme.year, Period.QUARTER, month)) for g in groups]
        context = {
            "scheme": scheme,
            "groups": groups,
            "form": form if editable else None,
            "used": services.is_used(scheme),
            "can_configure": services.may_configure(self.request.user, scheme.county),
            "preview": preview,
            "preview_label": period_label(Period.QUARTER, month),
            "copy_form": CopyForm(initial={"year": scheme.year + 1}),
            "group_form": (group_form or PersonGroupForm()) if editable else None,
        }
        return render(self.request, "assessment/scheme.html", context, status=status)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        scheme = _scheme(request.user, pk)
        if not services.may_configure(request.user, scheme.county):
            raise PermissionDenied
        if request.POST.get("action") == "person_group":
            return self.add_person_group(scheme)
        groups = Group.objects.filter(scheme=scheme)
        item = None
        if item_pk := int_param(request.POST.get("item")):
            item = get_object_or_404(Item.objects.filter(group__scheme=scheme), pk=item_pk)
        form = ItemForm(request.POST, instance=item, groups=groups)
        if not form.is_valid():
            return self.show(scheme, form, status=400)
        try:
            services.save_item(form.save(commit=False), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessment:scheme", scheme.pk)
        messages.success(request, _("The item is saved."))
        return redirect("assessment:scheme", scheme.pk)

    def add_person_group(self, scheme: Scheme) -> HttpResponse:
        """A group of persons added to the scheme (``services.add_person_group``)."""
        form = PersonGroupForm(self.request.POST)
        if not form.is_valid():
            return self.show(scheme, status=400, group_form=form)
        try:
            group = services.add_person_group(
                scheme,
                by=self.request.user,
                name=form.cleaned_data["name"],
                unit_kinds=form.cleaned_data["unit_kinds"],
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect("assessment:scheme", scheme.pk)
        messages.success(self.request, _("The group is added: add its items, then the personal targets."))
        return redirect("assessment:person_targets", group.pk)


class PersonTargetsView(LoginRequiredMixin, View):
    """個人任務: the targets of each person of a group of persons on each of its items, set by the
    bureau (``services.set_person_target``) while no ranking was published on the scheme. A group
    of units has none: its units' targets are the targets of the ledger."""

    request: AuthedRequest

    def group(self, pk: int) -> Group:
        group = get_object_or_404(
            Group.objects.filter(scheme__in=Scheme.objects.visible_to(self.request.user)).select_related(
                "scheme__county"
            ),
            pk=pk,
        )
        if not services.may_configure(self.request.user, group.scheme.county):
            raise PermissionDenied
        return group

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        return self.show(self.group(pk))

    def show(self, group: Group, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
        from zhaoshang.assessment import persons
        from zhaoshang.assessment.models import PersonTarget

        people = persons.members(group) if group.subjects == Subjects.PERSONS else []
        items = list(group.items.all())
        kept = {(t.item_id, t.person_id): t.value for t in PersonTarget.objects.filter(item__group=group)}
        posted = self.request.POST if errors else {}
        rows = [
            (
                person,
                [
                    (
                        field := f"t-{item.pk}-{person.user}",
                        posted.get(field, kept.get((item.pk, person.user), "")),
                        (errors or {}).get(field, ""),
                    )
                    for item in items
                ],
            )
            for person in people
        ]
        context = {
            "group": group,
            "items": items,
            "rows": rows,
            "of_persons": group.subjects == Subjects.PERSONS,
            "used": services.is_used(group.scheme),
        }
        return render(self.request, "assessment/person_targets.html", context, status=status)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        from django import forms
        from django.core.exceptions import ValidationError as FieldError

        from zhaoshang.assessment import persons
        from zhaoshang.assessment.models import PersonTarget

        group = self.group(pk)
        if group.subjects != Subjects.PERSONS:
            messages.error(request, _("Only the items of a group of persons take personal targets."))
            return redirect("assessment:person_targets", group.pk)
        people = [p.user for p in persons.members(group)]
        kept = {(t.item_id, t.person_id): t.value for t in PersonTarget.objects.filter(item__group=group)}
        number = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
        changed: dict[tuple[Item, int], Decimal | None] = {}
        errors: dict[str, str] = {}
        for item in group.items.all():
            for user in people:
                field = f"t-{item.pk}-{user}"
                try:
                    value = number.clean(request.POST.get(field, "").strip())
                except FieldError as error:
                    errors[field] = " ".join(error.messages)
                    continue
                if value != kept.get((item.pk, user)):  # only what changed is written (and audited)
                    changed[(item, user)] = value
        if errors:
            return self.show(group, errors, status=400)
        users = {u.pk: u for u in User.objects.filter(pk__in=people)}
        try:
            with transaction.atomic():
                for (item, user), value in changed.items():
                    services.set_person_target(item, users[user], value, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessment:person_targets", group.pk)
        messages.success(request, _("The personal targets are saved."))
        return redirect("assessment:person_targets", group.pk)


def preview_month(year: int) -> int:
    """The last month of the quarter running (this year) or the year's last quarter."""
    today = timezone.localdate()
    if today.year != year:
        return 12 if today.year > year else 3
    return (today.month - 1) // 3 * 3 + 3


class SchemeCopyView(LoginRequiredMixin, View):
    """Copy a scheme: to another year (copied from last year), or as a new version of its year."""

    request: AuthedRequest

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        scheme = _scheme(request.user, pk)
        if not services.may_configure(request.user, scheme.county):
            raise PermissionDenied
        form = CopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the year of the copy."))
            return redirect("assessment:scheme", scheme.pk)
        copy = services.copy_scheme(scheme, by=request.user, year=form.cleaned_data["year"])
        messages.success(request, _("The scheme is copied."))
        return redirect("assessment:scheme", copy.pk)


def today_year() -> int:
    return timezone.localdate().year


def claimable(unit: Unit) -> Any:
    """The manual items of this year's newest scheme of the unit's county that assess its kind."""
    scheme = services.current_scheme(unit.parent, today_year()) if unit.parent else None
    if scheme is None:
        return Item.objects.none()
    groups = [g.pk for g in Group.objects.filter(scheme=scheme) if unit.kind in g.unit_kinds]
    return Item.objects.filter(group__in=groups, source="manual").order_by("group__sort_order", "sort_order")


class SelfEvaluationView(LoginRequiredMixin, View):
    """自評: the unit's own people claim points on a manual item; the bureau's review counts."""

    request: AuthedRequest

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        if not acts_for(request.user, Action.VIEW, unit, on=ObjectType.TARGET):
            raise PermissionDenied
        form = SelfEvaluationForm(request.POST, request.FILES, items=claimable(unit))
        back = redirect("assessment:unit", unit.pk)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return back
        data = form.cleaned_data
        try:
            services.self_evaluate(
                data["item"],
                unit,
                by=request.user,
                period=data["period"],
                month=data["month"],
                value=data["value"],
                note=data["note"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        messages.success(request, _("The self-evaluation is saved."))
        return back


def changes_named(ranking: Ranking | None) -> list[dict[str, Any]]:
    """A correction's changes with each unit's (or person's) name instead of its id."""
    if ranking is None or not ranking.changes:
        return []
    ids = [c["unit"] for c in ranking.changes]
    if ranking.group.subjects == Subjects.PERSONS:
        names = {pk: str(user) for pk, user in User.objects.in_bulk(ids).items()}
    else:
        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [{**c, "name": names.get(c["unit"], "")} for c in ranking.changes]


LEDGER_PERIOD = {Period.MONTH: "month", Period.QUARTER: "quarter", Period.YEAR: "ytd"}


def drilldown_url(unit: Unit, code: str | None, ranking: Ranking) -> str:
    """The ledger's page of the records behind a point's figure (穿透查询); none for a point that
    takes no indicator (manual points)."""
    if not code:
        return ""
    base = reverse("ledger:drilldown")
    query = (
        f"unit={unit.pk}&indicator={code}&year={ranking.year}&period={LEDGER_PERIOD[Period(ranking.period)]}"
    )
    return f"{base}?{query}&month={ranking.month}"


class SchemeCreateView(LoginRequiredMixin, View):
    """Start a new scheme for a county the user configures (?county=, else the first), this year."""

    request: AuthedRequest

    def post(self, request: AuthedRequest) -> HttpResponse:
        counties = Unit.objects.where(request.user, Action.CONFIGURE, on=ObjectType.TARGET).filter(
            kind="county"
        )
        if not counties.exists():
            raise PermissionDenied
        county = (
            counties.filter(pk=int_param(request.POST.get("county")) or 0).first()
            or counties.order_by("path").first()
        )
        assert county is not None
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, _("Name the scheme."))
            return redirect("assessment:ranking")
        scheme = services.start_scheme(by=request.user, county=county, year=today_year(), name=name[:120])
        return redirect("assessment:scheme", scheme.pk)
