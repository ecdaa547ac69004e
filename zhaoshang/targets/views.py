"""Pages of the yearly targets: the decomposition grid, one unit's targets, Excel in and out, and
the responsibility agreements.

Every page finds its unit among the units whose targets the user may see (404 otherwise, exactly
as for an id that does not exist); a page the user can see but not use answers 403.
"""

from __future__ import annotations

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
from zhaoshang.core.documents import docx_response, download_response
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.import_views import ImportForm, kept_file, run_kept, uploaded_file
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.core.xlsx import xlsx_response
from zhaoshang.ledger.completion import period_months
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import children_figures, subtree_figures
from zhaoshang.targets import docx, importing, services
from zhaoshang.targets.forms import CopyForm, GridForm, UnitTargetsForm, cell_name
from zhaoshang.targets.grid import Grid, build_grid, target_units
from zhaoshang.targets.models import Target
from zhaoshang.units.models import Unit


class UnitYearView(LoginRequiredMixin, View):
    """A page about one unit's targets of one year, at /targets/<unit id>/<year>/…"""

    request: AuthedRequest

    action = Action.VIEW

    def unit_and_year(self, action: str | None = None) -> tuple[Unit, int]:
        year = self.kwargs["year"]
        if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
            raise Http404
        units = target_units(self.request.user, Action.VIEW)
        unit = get_object_or_404(units, pk=self.kwargs["pk"])
        needed = action or self.action
        if needed != Action.VIEW and not user_can(self.request.user, needed, unit, on=ObjectType.TARGET):
            raise PermissionDenied
        return unit, year

    def grid_url(self, unit: Unit, year: int) -> str:
        return reverse("targets:grid", args=[unit.pk, year])


class TargetGridView(UnitYearView):
    """The decomposition grid: the unit's own targets, the sum of its children's, and theirs."""

    template_name = "targets/grid.html"

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        return self.show(unit, year)

    def show(self, unit: Unit, year: int, form: GridForm | None = None, status: int = 200) -> HttpResponse:
        grid = build_grid(self.request.user, unit, year)
        if form is None and grid.editable:
            form = GridForm(grid=grid)
        return render(self.request, self.template_name, grid_context(self.request, grid, form), status=status)

    def post(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        grid = build_grid(request.user, unit, year)
        if not grid.editable:
            raise PermissionDenied
        form = GridForm(request.POST, grid=grid)
        if not form.is_valid():
            return self.show(unit, year, form, status=400)
        if form.cleaned_data["stamp"] != grid.stamp():
            messages.error(request, stale_message())
            return self.show(unit, year, status=409)
        total = services.Changes()
        with transaction.atomic():
            for row_unit, values in form.values().items():
                try:
                    total += services.set_targets(request.user, row_unit, year, values)
                except ValidationError as error:
                    for code, problems in error.message_dict.items():
                        for problem in problems:
                            form.add_error(_cell_of(form, row_unit, code), problem)
            if form.errors:
                transaction.set_rollback(True)
        if form.errors:
            return self.show(unit, year, form, status=400)
        messages.success(request, saved_message(total))
        return redirect(self.grid_url(unit, year))


def _cell_of(form: GridForm, unit: Unit, code: str) -> str | None:
    name = f"t-{unit.pk}-{code}"
    return name if name in form.fields else None


def stale_message() -> str:
    return _(
        "Someone changed these targets after you opened the page. Your changes were not saved: the "
        "page now shows the current targets; enter your changes again."
    )


def saved_message(changes: services.Changes) -> str:
    return _("Targets saved: %(created)s set, %(updated)s changed, %(deleted)s removed.") % {
        "created": changes.created,
        "updated": changes.updated,
        "deleted": changes.deleted,
    }


def year_choices(unit: Unit, year: int) -> list[int]:
    """A few years around this one, and every year the unit already has targets for."""
    this_year = timezone.localdate().year
    years = set(range(this_year - 4, this_year + 2)) | {year}
    years |= set(Target.objects.filter(unit=unit).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def grid_context(request: AuthedRequest, grid: Grid, form: GridForm | None) -> dict[str, Any]:
    user, unit = request.user, grid.unit
    done = grid_actuals(grid)
    rows = []
    for row in grid.rows:
        cells = [
            (
                ind,
                row.value(ind),
                form[cell_name(row.unit, ind)] if form is not None and row.editable else None,
                ind.figure(done[row.unit.pk])[0],
                records_url(row.unit, ind, grid.year),
            )
            for ind in grid.indicators
        ]
        rows.append((row, cells))
    sums = [(ind, grid.children_sum(ind), grid.short_of(ind)) for ind in grid.indicators]
    return {
        "grid": grid,
        "unit": unit,
        "year": grid.year,
        "form": form,
        "own_row": rows[0],
        "child_rows": rows[1:],
        "sums": sums,
        "years": year_choices(unit, grid.year),
        "ancestors": target_units(user).ancestors_of(unit).exclude(pk=unit.pk),
        "can_configure": grid.own.editable,
        "can_import": grid.own.editable and user_can(user, Action.IMPORT, unit, on=ObjectType.TARGET),
        "can_export": user_can(user, Action.EXPORT, unit, on=ObjectType.TARGET),
        "copy_form": CopyForm(),
    }


def grid_actuals(grid: Grid) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """The verified figure of the year to date of each unit of the grid, by kind (three grouped
    queries at most, from the kept totals): what each cell's target is measured against."""
    today = timezone.localdate()
    months = period_months("ytd", today.month if grid.year == today.year else 12)
    kinds = [kind for ind in grid.indicators for kind in ind.kinds]
    if grid.year > today.year:
        return {row.unit.pk: {} for row in grid.rows}
    done = children_figures(grid.unit, [row.unit for row in grid.children], grid.year, months, kinds)
    done[grid.unit.pk] = subtree_figures(grid.unit, grid.year, months, kinds)
    return done


def records_url(unit: Unit, indicator: Indicator, year: int) -> str:
    """The records behind a unit's figure of the year to date (ledger/drilldown.py)."""
    return f"{reverse('ledger:drilldown')}?unit={unit.pk}&indicator={indicator.code}&year={year}&period=ytd"


class TargetIndexView(TargetGridView):
    """/targets/?unit=<id>&year=<year>: the grid of the chosen unit, or of the user's own."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        units = target_units(request.user)
        year = _int(request.GET.get("year"), default=timezone.localdate().year)
        if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
            raise Http404
        if request.GET.get("unit"):
            unit = get_object_or_404(units, pk=_int(request.GET["unit"], default=0))
        else:
            roots = scope_roots(request.user, Action.VIEW, on=ObjectType.TARGET)
            if not roots:
                raise PermissionDenied
            unit = Unit.objects.get(path=roots[0])
        return self.show(unit, year)


def _int(value: str | None, *, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise Http404 from exc


class UnitTargetsView(UnitYearView):
    """One unit's targets with their notes, which the agreement's 备注 column shows."""

    template_name = "targets/unit.html"

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        return self.show(unit, year)

    def show(
        self, unit: Unit, year: int, form: UnitTargetsForm | None = None, status: int = 200
    ) -> HttpResponse:
        grid = build_grid(self.request.user, unit, year)
        if form is None and grid.own.editable:
            form = UnitTargetsForm(grid=grid)
        sums = {ind.pk: grid.children_sum(ind) for ind in grid.indicators}
        rows = [
            (
                ind,
                grid.own.targets.get(ind.pk),
                sums[ind.pk],
                grid.short_of(ind),
                form and form[f"v-{ind.code}"],
                form and form[f"n-{ind.code}"],
            )
            for ind in grid.indicators
        ]
        context = {
            "unit": unit,
            "year": year,
            "form": form,
            "rows": rows,
            "has_children": bool(grid.children),
            "parent": target_units(self.request.user).filter(pk=unit.parent_id).first(),
            "stamp": grid.stamp(grid.rows[:1]),
            "can_export": user_can(self.request.user, Action.EXPORT, unit, on=ObjectType.TARGET),
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year(Action.CONFIGURE)
        grid = build_grid(request.user, unit, year)  # the same indicators as the page showed
        form = UnitTargetsForm(request.POST, grid=grid)
        if not form.is_valid():
            return self.show(unit, year, form, status=400)
        if request.POST.get("stamp") != grid.stamp(grid.rows[:1]):
            messages.error(request, stale_message())
            return self.show(unit, year, status=409)
        values, notes = form.values()
        try:
            changes = services.set_targets(request.user, unit, year, values, notes=notes)
        except ValidationError as error:
            for code, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(f"v-{code}" if f"v-{code}" in form.fields else None, problem)
            return self.show(unit, year, form, status=400)
        messages.success(request, saved_message(changes))
        return redirect(reverse("targets:unit", args=[unit.pk, year]))


class CopyFromLastYearView(UnitYearView):
    """Carry last year's targets of the unit and its direct children into this year."""

    action = Action.CONFIGURE

    def post(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        form = CopyForm(request.POST)
        overwrite = form.is_valid() and form.cleaned_data["overwrite"]
        changes = services.copy_from_last_year(request.user, unit, year, overwrite=overwrite)
        if changes.written:
            messages.success(
                request,
                _("Copied from %(last)s: %(created)s targets set, %(updated)s changed, %(kept)s kept.")
                % {
                    "last": year - 1,
                    "created": changes.created,
                    "updated": changes.updated,
                    "kept": changes.unchanged,
                },
            )
        elif changes.unchanged:
            messages.info(
                request, _("Every target of %(last)s is already set for this year.") % {"last": year - 1}
            )
        else:
            messages.warning(request, _("There are no targets of %(last)s to copy.") % {"last": year - 1})
        return redirect(self.grid_url(unit, year))


class GridExportView(ReplicaReadsMixin, UnitYearView):
    action = Action.EXPORT

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        content = importing.grid_workbook(build_grid(request.user, unit, year))
        return xlsx_response(content, f"{unit.code}-{unit.name}-{year}-{_('targets')}.xlsx")


class GridTemplateView(UnitYearView):
    action = Action.IMPORT

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        content = importing.template_workbook(build_grid(request.user, unit, year))
        return xlsx_response(content, f"{unit.code}-{year}-{_('target-import-template')}.xlsx")


class GridImportView(UnitYearView):
    action = Action.IMPORT
    template_name = "targets/import.html"

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        return self.show(unit, year, ImportForm())

    def post(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        form = ImportForm(request.POST, request.FILES)
        upload = form.is_valid() and uploaded_file(request, form)
        if not upload:
            return self.show(unit, year, form, status=400)
        keep_valid = form.cleaned_data["keep_valid"]
        grid = build_grid(request.user, unit, year)
        result = run_kept(
            request,
            upload,
            lambda data: importing.import_targets(request.user, grid, data, keep_valid=keep_valid),
        )
        return self.show(unit, year, ImportForm(initial={"keep_valid": keep_valid}), result)

    def show(
        self, unit: Unit, year: int, form: ImportForm, result: Any = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "unit": unit,
            "year": year,
            "form": form,
            "result": result,
            "kept_file": kept_file(self.request),
        }
        return render(self.request, self.template_name, context, status=status)


class AgreementView(ReplicaReadsMixin, UnitYearView):
    """The unit's responsibility agreement (目标责任书) as a Word document."""

    action = Action.EXPORT

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        agreement = docx.agreement_for(unit, year, Target.objects.visible_to(request.user, Action.EXPORT))
        if not agreement.targets:
            messages.warning(
                request, _("%(unit)s has no targets for %(year)s yet.") % {"unit": unit, "year": year}
            )
            return redirect(self.grid_url(unit, year))
        content = docx.agreement_document(agreement)
        return docx_response(content, f"{docx.file_stem(unit, year)}.docx")


class AgreementsZipView(ReplicaReadsMixin, UnitYearView):
    """The agreements of all the unit's direct children that have targets, in one .zip."""

    action = Action.EXPORT

    def get(self, request: AuthedRequest, pk: int, year: int) -> HttpResponse:
        unit, year = self.unit_and_year()
        targets = Target.objects.visible_to(request.user, Action.EXPORT)
        grid = build_grid(request.user, unit, year)
        agreements = [docx.agreement_for(row.unit, year, targets) for row in grid.children if row.targets]
        if not agreements:
            messages.warning(request, _("No subordinate unit has targets for %(year)s yet.") % {"year": year})
            return redirect(self.grid_url(unit, year))
        return download_response(
            docx.agreements_zip(agreements), f"{docx.file_stem(unit, year)}.zip", "application/zip"
        )
