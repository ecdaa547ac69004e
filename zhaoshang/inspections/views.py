"""Pages of inspections: thin views over the filter sets, the tables and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination.services import county_of
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import acts_for, user_can
from zhaoshang.core.views import FormActionView, ObjectExportView, ObjectListView, ScopedMixin, apply_errors
from zhaoshang.inspections import services
from zhaoshang.inspections.choices import ItemStatus
from zhaoshang.inspections.filters import InspectionFilterSet, ItemFilterSet
from zhaoshang.inspections.forms import InspectionForm, ItemForm, RectifyForm, ReturnForm, VerifyForm
from zhaoshang.inspections.models import Inspection, RectificationItem, with_visible_items
from zhaoshang.inspections.tables import INSPECTION_TABLE, ITEM_TABLE

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


class InspectionListView(ObjectListView):
    model = Inspection
    filterset_class = InspectionFilterSet
    table = INSPECTION_TABLE
    template_name = "inspections/inspection_list.html"
    request: AuthedRequest

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return with_visible_items(queryset.select_related("unit", "project"), self.request.user)


class InspectionExportView(ObjectExportView):
    model = Inspection
    filterset_class = InspectionFilterSet
    table = INSPECTION_TABLE
    export_title = gettext_lazy("Inspections")
    request: AuthedRequest

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return with_visible_items(queryset.select_related("unit", "project"), self.request.user)


class ItemListView(ObjectListView):
    """Rectification items; ``?overdue=true`` lists the red ones, oldest deadline first."""

    model = RectificationItem
    filterset_class = ItemFilterSet
    table = ITEM_TABLE
    template_name = "inspections/item_list.html"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("owner_unit", "inspection__unit")


class ItemExportView(ObjectExportView):
    model = RectificationItem
    filterset_class = ItemFilterSet
    table = ITEM_TABLE
    export_title = gettext_lazy("Rectification items")

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("owner_unit", "inspection__unit")


class InspectionCreateView(ScopedMixin, View):
    model = Inspection
    template_name = "inspections/inspection_form.html"

    def get(self, request: AuthedRequest) -> HttpResponse:
        if not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        return render(request, self.template_name, {"form": InspectionForm(user=request.user)})

    def post(self, request: AuthedRequest) -> HttpResponse:
        if not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        form = InspectionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                inspection = services.create_inspection(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("Inspection recorded. Add its rectification items."))
                return redirect(inspection)
        return render(request, self.template_name, {"form": form}, status=400)


class InspectionDetailView(ScopedMixin, TemplateView):
    model = Inspection
    template_name = "inspections/inspection_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        inspection = self.get_object()
        user = self.request.user
        verifier = user_can(user, Action.VERIFY, inspection.unit, on=ObjectType.INSPECTION)
        items = []
        visible = RectificationItem.objects.visible_to(user).filter(inspection=inspection)
        for item in visible.select_related("owner_unit").order_by("pk"):
            reports = item.status == ItemStatus.OPEN and acts_for(
                user, Action.EDIT, item.owner_unit, on=ObjectType.INSPECTION
            )
            checks = verifier and item.status == ItemStatus.RECTIFIED
            items.append((item, item.light(), RectifyForm(prefix=f"i{item.pk}") if reports else None, checks))
        adds = user_can(user, Action.CREATE, inspection.unit, on=ObjectType.INSPECTION)
        return super().get_context_data(
            inspection=inspection,
            items=items,
            item_form=ItemForm(county=county_of(inspection.unit)) if adds else None,
            return_form=ReturnForm(),
            **kwargs,
        )


class _Action(FormActionView):
    """A POST from a form of the inspection page into one service; the service decides who may."""


class ItemAddView(_Action):
    model = Inspection
    done = gettext_lazy("Rectification item added.")
    needs = Action.CREATE

    def form(self, request: HttpRequest, obj: Any) -> Any:
        return ItemForm(request.POST, county=county_of(obj.unit))

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.add_item(obj, by=by, **data)


class RectifyView(_Action):
    model = RectificationItem
    done = gettext_lazy("Rectification reported.")

    def form(self, request: HttpRequest, obj: Any) -> Any:
        return RectifyForm(request.POST, request.FILES, prefix=f"i{obj.pk}")

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.report_rectification(obj, by=by, **data)


class VerifyView(_Action):
    model = RectificationItem
    form_class = VerifyForm
    done = gettext_lazy("Rectification verified.")
    needs = Action.VERIFY

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.verify_rectification(obj, by=by)


class ReturnView(_Action):
    model = RectificationItem
    form_class = ReturnForm
    done = gettext_lazy("Rectification returned to the owner unit.")
    needs = Action.VERIFY

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.return_rectification(obj, by=by, reason=data["reason"])


class EvidenceView(ScopedMixin, View):
    """The evidence file of an item, served only to those who may see the item."""

    model = RectificationItem

    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        item = self.get_object()
        if not item.evidence_file:
            raise Http404
        return FileResponse(item.evidence_file.open("rb"), as_attachment=True, filename=item.file_name)
