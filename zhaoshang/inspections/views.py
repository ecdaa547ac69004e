"""Pages of inspections: thin views over the filter sets, the tables and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.coordination.services import county_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import acts_for, user_can
from zhaoshang.core.views import CreateFormView, FormActionView, ScopedMixin, export_page, list_page
from zhaoshang.inspections import services
from zhaoshang.inspections.choices import ItemStatus
from zhaoshang.inspections.forms import InspectionForm, ItemForm, RectifyForm, ReturnForm, VerifyForm
from zhaoshang.inspections.models import Inspection, RectificationItem
from zhaoshang.inspections.tables import INSPECTION_LIST, ITEM_LIST

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


InspectionListView = list_page(INSPECTION_LIST, "inspections/inspection_list.html")
InspectionExportView = export_page(INSPECTION_LIST, gettext_lazy("Inspections"))
# Rectification items; ``?overdue=true`` lists the red ones, oldest deadline first.
ItemListView = list_page(ITEM_LIST, "inspections/item_list.html")
ItemExportView = export_page(ITEM_LIST, gettext_lazy("Rectification items"))


class InspectionCreateView(CreateFormView):
    model = Inspection
    template_name = "inspections/inspection_form.html"
    form_class = InspectionForm
    done = gettext_lazy("Inspection recorded. Add its rectification items.")

    def create(self, by: Any, data: dict[str, Any]) -> Inspection:
        return services.create_inspection(by=by, **data)


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
