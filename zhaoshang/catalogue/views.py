"""The catalogue's private pages: thin views over the filter set, the table and the services, every
record read through ``visible_to`` (core/views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.activities.models import Activity
from zhaoshang.audit import services as audit
from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import TRANSITIONS, FileKind, OfferStatus, Prep
from zhaoshang.catalogue.forms import (
    AskOpinionForm,
    BrochureForm,
    FairOffersForm,
    FileForm,
    MoveForm,
    OfferForm,
    OpinionForm,
    ProfileForm,
    TakeForm,
)
from zhaoshang.catalogue.models import CountyProfile, Offer
from zhaoshang.catalogue.tables import OFFER_LIST
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import (
    CreateFormView,
    FormActionView,
    ScopedMixin,
    apply_errors,
    export_page,
    list_page,
)
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

OfferListView = list_page(OFFER_LIST, "catalogue/offer_list.html")
OfferExportView = export_page(OFFER_LIST, gettext_lazy("Key investment projects"))  # 《重點招商項目表》


class OfferCreateView(CreateFormView):
    model = Offer
    form_class = OfferForm
    template_name = "catalogue/offer_form.html"
    done = gettext_lazy("Offer saved as a draft.")

    def initial(self, request: Any) -> dict[str, Any]:
        return {"year": timezone.localdate().year}

    def create(self, by: Any, data: dict[str, Any]) -> Any:
        return services.create_offer(
            by=by, data={k: v for k, v in data.items() if k in services.OFFER_FIELDS}
        )


class OfferDetailView(ScopedMixin, TemplateView):
    model = Offer
    template_name = "catalogue/offer_detail.html"
    request: AuthedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        offer = self.get_object()
        user = self.request.user
        verify = services.may(user, Action.VERIFY, offer.unit)
        edit = services.may(user, Action.EDIT, offer.unit)
        moves = [
            (to, OfferStatus(to).label)
            for (frm, to), needed in TRANSITIONS.items()
            if frm == offer.status and to != OfferStatus.TAKEN and services.may(user, needed, offer.unit)
        ]
        reviewing = offer.status == OfferStatus.REVIEW and verify
        prep = dict(Prep.choices)
        return super().get_context_data(
            offer=offer,
            prep=[prep[p] for p in offer.prep if p in prep],
            opinions=offer.opinions.select_related("department"),
            photos=[f for f in offer.files.all() if f.kind == FileKind.PHOTO],
            documents=[f for f in offer.files.all() if f.kind == FileKind.FILE],
            versions=offer.versions.all()[:20],
            fairs=offer.fairs.visible_to(user),
            inquiries=offer.inquiries.select_related("activity").order_by("-received_at")[:20],
            history=audit.history(offer),
            can_edit=services.may_edit(user, offer),
            can_attach=services.may_edit(user, offer) and edit,
            moves=moves,
            ask_form=AskOpinionForm(offer=offer) if reviewing else None,
            opinion_form=reviewing,
            take_form=TakeForm(user=user) if offer.status == OfferStatus.PUBLISHED and verify else None,
            file_form=FileForm(),
            public_url=offer.public_url() if offer.status == OfferStatus.PUBLISHED else "",
            **kwargs,
        )


class OfferEditView(ScopedMixin, View):
    model = Offer
    template_name = "catalogue/offer_form.html"

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        offer = self.get_object()
        if not services.may_edit(request.user, offer):
            return render(request, "403.html", status=403)
        return render(
            request,
            self.template_name,
            {"form": OfferForm(instance=offer, user=request.user), "offer": offer},
        )

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        offer = self.get_object()
        if not services.may_edit(request.user, offer):
            return render(request, "403.html", status=403)
        form = OfferForm(request.POST, instance=offer, user=request.user)
        if form.is_valid():
            try:
                services.update_offer(offer, by=request.user, data=form.offer_data())
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("Offer saved."))
                return redirect("catalogue:detail", pk=offer.pk)
        offer.refresh_from_db()
        return render(request, self.template_name, {"form": form, "offer": offer}, status=400)


class MoveView(FormActionView):
    """Submit, send back, publish, withdraw, draft again (the status to move to is in the form)."""

    model = Offer
    form_class = MoveForm
    needs = Action.EDIT  # the service checks the action the move needs (verify for the bureau's)
    done = gettext_lazy("Status changed.")

    def perform(self, obj: Offer, by: Any, data: dict[str, Any]) -> Any:
        if data["to"] not in OfferStatus.values or data["to"] == OfferStatus.TAKEN:
            raise ValidationError(_("Unknown status."))
        return services.move(obj, data["to"], by=by, note=data["note"])


class AskOpinionView(FormActionView):
    model = Offer
    form_class = AskOpinionForm
    needs = Action.VERIFY
    done = gettext_lazy("Opinion asked.")

    def form(self, request: Any, obj: Offer) -> Any:
        return AskOpinionForm(request.POST, offer=obj)

    def perform(self, obj: Offer, by: Any, data: dict[str, Any]) -> Any:
        return services.ask_opinion(obj, data["department"], by=by)


class RecordOpinionView(FormActionView):
    model = Offer
    form_class = OpinionForm
    needs = Action.VERIFY
    done = gettext_lazy("Opinion recorded.")

    def perform(self, obj: Offer, by: Any, data: dict[str, Any]) -> Any:
        opinion = obj.opinions.filter(pk=data["opinion"]).first()
        if opinion is None:
            raise ValidationError(_("Unknown opinion."))
        return services.record_opinion(opinion, by=by, agrees=data["agrees"], text=data["text"])


class FileAddView(FormActionView):
    model = Offer
    form_class = FileForm
    done = gettext_lazy("File attached.")

    def perform(self, obj: Offer, by: Any, data: dict[str, Any]) -> Any:
        return services.add_file(obj, by=by, kind=data["kind"], file=data["file"], caption=data["caption"])


class FileDownloadView(ScopedMixin, View):
    """An offer's files are served only through this view, scoped like their offer (a published
    offer's photos also through the public site's own view)."""

    model = Offer

    def get(self, request: AuthedRequest, pk: int, file_pk: int) -> HttpResponseBase:
        offer = self.get_object()
        attached = get_object_or_404(offer.files, pk=file_pk)
        return FileResponse(
            attached.file.open("rb"), as_attachment=True, filename=attached.file.name.rsplit("/", 1)[-1]
        )


class TakeView(FormActionView):
    model = Offer
    form_class = TakeForm
    needs = Action.VERIFY
    done = gettext_lazy("The offer is taken up: a project of the ledger now.")

    def form(self, request: Any, obj: Offer) -> Any:
        return TakeForm(request.POST, user=request.user)

    def perform(self, obj: Offer, by: Any, data: dict[str, Any]) -> Any:
        return services.take_up(obj, by=by, investor=data["investor"], name=data["name"], note=data["note"])


class ProfileView(ScopedMixin, View):
    """The county's public profile (縣情介紹), written by its bureau."""

    model = Unit
    request: AuthedRequest
    template_name = "catalogue/profile_form.html"

    def _county(self) -> Unit:
        county = get_object_or_404(Unit.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        if county.kind != UnitKind.COUNTY or not services.may(self.request.user, Action.VERIFY, county):
            raise OutOfScope(_("Only the county's bureau writes its profile."))
        return county

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self._county()
        profile = CountyProfile.objects.filter(county=county).first()
        initial = {name: getattr(profile, name) for name in ProfileForm.base_fields if profile is not None}
        return render(request, self.template_name, {"county": county, "form": ProfileForm(initial=initial)})

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self._county()
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.save_profile(county, by=request.user, data=form.cleaned_data)
            messages.success(request, _("Profile saved."))
            return redirect("catalogue:profile", pk=county.pk)
        return render(request, self.template_name, {"county": county, "form": form}, status=400)


class BrochureView(ScopedMixin, View):
    """項目冊: the published offers the user may see, chosen and ordered for a trade fair, as .docx
    at once or as PDF through the job queue."""

    model = Offer
    template_name = "catalogue/brochure.html"

    def offers(self) -> Any:
        return (
            self.get_queryset()
            .filter(status=OfferStatus.PUBLISHED)
            .select_related("unit", "park")
            .order_by("industry", "-total_investment", "pk")
        )

    def get(self, request: AuthedRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": BrochureForm(offers=self.offers())})

    def post(self, request: AuthedRequest) -> HttpResponse:
        from zhaoshang.catalogue.brochure import brochure_docx
        from zhaoshang.core import documents
        from zhaoshang.core.scoping import scope_roots
        from zhaoshang.jobs.services import enqueue

        form = BrochureForm(request.POST, offers=self.offers())
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        chosen = list(form.cleaned_data["offers"].prefetch_related("files"))
        title = form.cleaned_data["title"]
        counties = {o.county for o in chosen if o.county is not None}
        issuer = _("Investment Promotion Bureau of %(county)s") % {
            "county": "、".join(sorted(c.name for c in counties))
        }
        if form.cleaned_data["format"] == "docx":
            content = brochure_docx(chosen, title=title, issuer=issuer)
            return documents.docx_response(content, f"{title}.docx")
        roots = scope_roots(request.user, Action.VIEW, on="job")
        unit = Unit.objects.filter(path__in=roots).order_by("depth").first()
        job = enqueue(
            "catalogue.brochure_pdf",
            unit=unit,
            by=request.user,
            params={"offers": [o.pk for o in chosen], "title": title, "issuer": issuer},
        )
        messages.success(request, _("The PDF is being made; it will be ready here."))
        return redirect("jobs:detail", pk=job.pk)


class FairView(ScopedMixin, View):
    """A trade fair's offers and figures from the records (fairs.py); its unit sets the offers."""

    model = Activity
    template_name = "catalogue/fair.html"

    def _fair(self) -> Any:
        fair = self.get_object()
        if fair.kind != "fair":
            raise Http404
        return fair

    def _render(self, request: AuthedRequest, fair: Any, form: Any, status: int = 200) -> HttpResponse:
        from zhaoshang.catalogue.fairs import figures

        editable = type(fair).objects.visible_to(request.user, Action.EDIT).filter(pk=fair.pk).exists()
        context = {
            "fair": fair,
            "figures": figures(fair),
            "offers": fair.offers.visible_to(request.user).select_related("unit"),
            "form": form if editable else None,
        }
        return render(request, self.template_name, context, status=status)

    def _choices(self, request: AuthedRequest) -> Any:
        return Offer.objects.visible_to(request.user).filter(
            status__in=[OfferStatus.PUBLISHED, OfferStatus.TAKEN]
        )

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        fair = self._fair()
        initial = {"offers": list(fair.offers.values_list("pk", flat=True))}
        return self._render(request, fair, FairOffersForm(initial=initial, offers=self._choices(request)))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        fair = self._fair()
        form = FairOffersForm(request.POST, offers=self._choices(request))
        if form.is_valid():
            try:
                services.set_fair_offers(fair, form.cleaned_data["offers"], by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Offers promoted saved."))
                return redirect("catalogue:fair", pk=fair.pk)
        return self._render(request, fair, form, status=400)
