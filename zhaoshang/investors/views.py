"""Pages of investors (客商): thin views over the filter set, the table and the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.views import OptionsView, ScopedMixin, apply_errors, export_page, list_page
from zhaoshang.investors import services
from zhaoshang.investors.duplicates import likely_duplicates
from zhaoshang.investors.forms import ContactFormSet, InvestorForm, MergeForm, contacts_from, editable_units
from zhaoshang.investors.models import Investor
from zhaoshang.investors.tables import INVESTOR_LIST
from zhaoshang.investors.timeline import timeline
from zhaoshang.projects.models import Project

InvestorListView = list_page(INVESTOR_LIST, "investors/investor_list.html")
InvestorExportView = export_page(INVESTOR_LIST, gettext_lazy("Investors"))


class InvestorDetailView(ScopedMixin, TemplateView):
    request: AuthedRequest

    model = Investor
    template_name = "investors/investor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        investor = self.get_object()
        user = self.request.user
        editable = Investor.objects.visible_to(user, Action.EDIT).filter(pk=investor.pk).exists()
        return super().get_context_data(
            investor=investor,
            contacts=investor.contacts.select_related("unit"),
            projects=Project.objects.visible_to(user).filter(investors=investor).select_related("unit"),
            timeline=timeline(investor, user),
            can_edit=editable,
            # "New project" for this investor: the project form with the investor already chosen
            can_create_project=bool(scope_roots(user, Action.CREATE, on=ObjectType.PROJECT)),
            today=timezone.localdate(),
            **kwargs,
        )


class InvestorFormView(ScopedMixin, View):
    """Create (no pk) or edit (pk) an investor with its contacts. Before a new investor is saved,
    likely duplicates are shown, and saving needs a tick that they are not the same."""

    model = Investor
    action = Action.EDIT
    template_name = "investors/investor_form.html"

    def _forms(self, request: AuthedRequest, investor: Investor | None) -> tuple[Any, Any]:
        data = request.POST if request.method == "POST" else None
        form = InvestorForm(data, instance=investor, user=request.user)
        initial = (
            [
                {
                    "name": c.name,
                    "position": c.position,
                    "phone": c.phone,
                    "email": c.email,
                    "wechat": c.wechat,
                    "unit": c.unit,
                }
                for c in investor.contacts.all()
            ]
            if investor
            else []
        )
        units = editable_units(request.user, Action.EDIT if investor else Action.CREATE)
        contacts = ContactFormSet(data, prefix="contacts", initial=initial, form_kwargs={"units": units})
        return form, contacts

    def get(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        investor = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        return self._render(request, investor, *self._forms(request, investor))

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        investor = self.get_object() if pk else None
        if pk is None and not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        form, contacts = self._forms(request, investor)
        matches: list[Any] = []
        if form.is_valid() and contacts.is_valid():
            data, contact_list = form.investor_data(), contacts_from(contacts)
            if investor is None and not form.cleaned_data["save_anyway"]:
                matches = likely_duplicates(
                    Investor.objects.visible_to(request.user),
                    name=data["name"],
                    credit_code=(data.get("credit_code") or "").strip().upper(),
                    phones=[c.phone for c in contact_list],
                    emails=[c.email for c in contact_list],
                )
            if not matches:
                try:
                    if investor is None:
                        investor = services.create_investor(by=request.user, data=data, contacts=contact_list)
                    else:
                        investor = services.update_investor(
                            investor, by=request.user, data=data, contacts=contact_list
                        )
                except ValidationError as error:
                    apply_errors(form, error)
                except OutOfScope as error:
                    form.add_error("unit", str(error))
                else:
                    messages.success(request, _("Investor %(name)s saved.") % {"name": investor.name})
                    return redirect(investor)
        return self._render(request, investor, form, contacts, matches=matches, status=400)

    def _render(
        self,
        request: AuthedRequest,
        investor: Any,
        form: Any,
        contacts: Any,
        matches: Any = (),
        status: int = 200,
    ) -> HttpResponse:
        context = {"investor": investor, "form": form, "contact_formset": contacts, "matches": matches}
        return render(request, self.template_name, context, status=status)


class InvestorMergeView(ScopedMixin, View):
    """Merge another investor into this one (which is kept). Likely duplicates are suggested."""

    model = Investor
    action = Action.EDIT
    template_name = "investors/investor_merge.html"

    def _form(self, investor: Investor, data: Any = None) -> MergeForm:
        others = Investor.objects.visible_to(self.request.user, Action.EDIT).exclude(pk=investor.pk)
        return MergeForm(data, queryset=others)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        investor = self.get_object()
        return self._render(request, investor, self._form(investor))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        investor = self.get_object()
        form = self._form(investor, request.POST)
        if form.is_valid():
            try:
                services.merge_investors(
                    investor, form.cleaned_data["other"], by=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Investors merged."))
                return redirect(investor)
        return self._render(request, investor, form, status=400)

    def _render(
        self, request: AuthedRequest, investor: Investor, form: Any, status: int = 200
    ) -> HttpResponse:
        contacts = list(investor.contacts.all())
        matches = likely_duplicates(
            Investor.objects.visible_to(request.user, Action.EDIT),
            name=investor.name,
            credit_code=investor.credit_code,
            phones=[c.phone for c in contacts],
            emails=[c.email for c in contacts],
            exclude_pk=investor.pk,
        )
        context = {"investor": investor, "form": form, "matches": matches}
        return render(request, self.template_name, context, status=status)


class FollowUpsView(ScopedMixin, TemplateView):
    """待跟进: investors of the user's subtree whose next follow-up date has come."""

    model = Investor
    template_name = "investors/follow_ups.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        due = services.follow_ups_due(self.get_queryset().select_related("unit"), today)
        return super().get_context_data(investors=due[:500], today=today, **kwargs)


class DoubleClaimsView(ScopedMixin, TemplateView):
    """疑似重复认领: one investor, similar project names, different owning units."""

    model = Project
    template_name = "investors/double_claims.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        claims = services.double_claims(Project.objects.visible_to(self.request.user))
        return super().get_context_data(claims=claims, **kwargs)


class InvestorOptionsView(OptionsView):
    """The investors the user may see, for a searchable investor select."""

    model = Investor
