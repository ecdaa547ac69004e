"""Pages of landed enterprises and their quarterly returns: thin views over the filter sets, the
tables, the figures and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.import_views import ImportView, template_download
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import user_can
from zhaoshang.core.views import (
    CreateFormView,
    FormActionView,
    ObjectListView,
    ScopedMixin,
    apply_errors,
    export_page,
    list_page,
)
from zhaoshang.enterprises import services
from zhaoshang.enterprises.choices import ReturnStatus
from zhaoshang.enterprises.figures import totals
from zhaoshang.enterprises.forms import (
    EnterpriseEditForm,
    EnterpriseForm,
    ReturnBackForm,
    ReturnCorrectForm,
    ReturnForm,
    ReturnWithdrawForm,
    VerifyForm,
    VisitForm,
)
from zhaoshang.enterprises.importing import import_returns, return_template
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn
from zhaoshang.enterprises.tables import ENTERPRISE_LIST, RETURN_LIST, VISIT_LIST

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(text) if text.isdigit() and 2000 <= int(text) <= this else this


class EnterpriseListView(ObjectListView):
    """The enterprises the user may see, with the year's figures of the filtered ones (verified
    returns; reported ones beside them)."""

    source = ENTERPRISE_LIST
    template_name = "enterprises/enterprise_list.html"
    request: AuthedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        _filterset, queryset, _sort = self.filtered()
        year = _year(self.request)
        context.update(
            year=year,
            figures=totals(queryset, year, key_only=True),
            reported=totals(queryset, year, key_only=True, status=ReturnStatus.REPORTED),
            to_register=services.operating_unregistered(self.request.user)[:20],
        )
        return context


EnterpriseExportView = export_page(ENTERPRISE_LIST, gettext_lazy("Landed enterprises"))
ReturnListView = list_page(RETURN_LIST, "enterprises/return_list.html")
ReturnExportView = export_page(RETURN_LIST, gettext_lazy("Quarterly returns"))


class EnterpriseCreateView(CreateFormView):
    model = Enterprise
    template_name = "enterprises/enterprise_form.html"
    form_class = EnterpriseForm
    done = gettext_lazy("Enterprise registered.")

    def initial(self, request: HttpRequest) -> dict[str, Any] | None:
        project = request.GET.get("project", "")
        return {"project": int(project)} if project.isdigit() else None

    def create(self, by: Any, data: dict[str, Any]) -> Enterprise:
        stewards = data.pop("stewards", [])
        project = data.pop("project", None)
        given = {k: v for k, v in data.items() if v not in (None, "")}
        if project is not None:
            return services.register_from_project(project, by=by, stewards=stewards, **given)
        return services.register_enterprise(by=by, data=data, stewards=stewards)


class EnterpriseDetailView(ScopedMixin, TemplateView):
    model = Enterprise
    request: AuthedRequest
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        enterprise = self.get_object()
        user = self.request.user
        edits = user_can(user, Action.EDIT, enterprise.unit, on=ObjectType.PROJECT)
        verifies = user_can(user, Action.VERIFY, enterprise.unit, on=ObjectType.PROJECT)
        returns = list(enterprise.returns.order_by("-year", "-quarter"))
        for record in returns:  # the bureau's correction form of each verified return, filled in
            if verifies and record.status == ReturnStatus.VERIFIED:
                initial = {name: getattr(record, name) for name in services.RETURN_FIGURES}
                record.correct_form = ReturnCorrectForm(initial=initial, prefix=f"r{record.pk}")
        year, quarter = services.current_quarter()
        return super().get_context_data(
            enterprise=enterprise,
            stewards=list(enterprise.stewards.order_by("display_name")),
            returns=returns,
            return_form=ReturnForm(initial={"year": year, "quarter": quarter}) if edits else None,
            verifies=verifies,
            visits=enterprise.visits.select_related("request").order_by("-visited_on", "-pk"),
            visit_form=VisitForm(initial={"visitors": user.display_name or user.username}) if edits else None,
            back_form=ReturnBackForm(),
            withdraw_form=ReturnWithdrawForm(),
            **kwargs,
        )


class EnterpriseEditView(ScopedMixin, View):
    """Change an enterprise's fields and its steward officials (those who may edit its unit's
    records; anyone else does not find it)."""

    model = Enterprise
    action = Action.EDIT
    request: AuthedRequest

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        enterprise = self.get_object()
        initial = {name: getattr(enterprise, name) for name in services.ENTERPRISE_FIELDS}
        initial["stewards"] = list(enterprise.stewards.all())
        form = EnterpriseEditForm(user=request.user, initial=initial)
        return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        enterprise = self.get_object()
        form = EnterpriseEditForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            stewards = data.pop("stewards", [])
            try:
                services.update_enterprise(enterprise, by=request.user, data=data, stewards=stewards)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, str(_("Enterprise saved.")))
                return redirect(enterprise)
        context = {"form": form, "enterprise": enterprise}
        return render(request, "enterprises/enterprise_form.html", context, status=400)


class _Action(FormActionView):
    """A POST from a form of the enterprise page into one service; the service decides who may."""


class ReturnAddView(_Action):
    model = Enterprise
    form_class = ReturnForm
    done = gettext_lazy("Quarterly return recorded.")

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.record_return(obj, by=by, **data)


class VisitAddView(_Action):
    model = Enterprise
    form_class = VisitForm
    done = gettext_lazy("Visit recorded.")

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.record_visit(obj, by=by, **data)


VisitListView = list_page(VISIT_LIST, "enterprises/visit_list.html")
VisitExportView = export_page(VISIT_LIST, gettext_lazy("Service visits"))


class ReturnVerifyView(_Action):
    model = QuarterlyReturn
    form_class = VerifyForm
    done = gettext_lazy("Quarterly return verified.")
    needs = Action.VERIFY

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.verify_return(obj, by=by)


class ReturnBackView(_Action):
    model = QuarterlyReturn
    form_class = ReturnBackForm
    done = gettext_lazy("Quarterly return sent back to the unit.")
    needs = Action.VERIFY

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.return_return(obj, by=by, reason=data["reason"])


class ReturnCorrectView(_Action):
    """The bureau corrects a verified return's figures with a reason (the form of that return,
    prefixed with its id)."""

    model = QuarterlyReturn
    form_class = ReturnCorrectForm
    done = gettext_lazy("Quarterly return corrected.")
    needs = Action.VERIFY

    def form(self, request: HttpRequest, obj: Any) -> Any:
        return ReturnCorrectForm(request.POST, prefix=f"r{obj.pk}")

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.correct_return(obj, by=by, **data)


class ReturnWithdrawView(_Action):
    model = QuarterlyReturn
    form_class = ReturnWithdrawForm
    done = gettext_lazy("Quarterly return withdrawn.")
    needs = Action.VERIFY

    def perform(self, obj: Any, by: User, data: dict[str, Any]) -> Any:
        return services.withdraw_return(obj, by=by, reason=data["reason"])


class ReturnImportView(ImportView):
    action = Action.IMPORT
    object_type = ObjectType.PROJECT
    template_name = "enterprises/return_import.html"
    importer = import_returns


ReturnImportTemplateView = template_download(
    ReturnImportView, return_template, gettext_lazy("quarterly-return-import-template")
)
