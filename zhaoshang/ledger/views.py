"""Pages of funds arrived: recording them on a project, and the bureau's verification queue."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.chinese import text_q
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action
from zhaoshang.core.views import CappedPaginator, ScopedMixin
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import evidence as evidence_rules
from zhaoshang.ledger import funds as service
from zhaoshang.ledger.choices import Evidence, FundsStatus
from zhaoshang.ledger.forms import FundsForm, FundsQueueFilter, ReturnForm
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.projects.choices import Currency
from zhaoshang.projects.models import Attachment, Project

VOUCHER_KINDS = [e for e in Evidence.values if e not in (Evidence.BANK_SLIP, Evidence.VOUCHER)]  # a project's

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


def _report(request: AuthedRequest, errors: Any) -> None:
    for field_errors in errors.values():
        for error in field_errors:
            messages.error(request, error)


class FundsRecordView(ScopedMixin, View):
    """POST from the project page: record funds that arrived (and, for the bureau, verify them)."""

    model = Project
    action = Action.EDIT

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        project = self.get_object()
        may_verify = Project.objects.visible_to(request.user, Action.VERIFY).filter(pk=pk).exists()
        form = FundsForm(request.POST, request.FILES, may_verify=may_verify)
        if not form.is_valid():
            _report(request, form.errors)
            return redirect(project)
        data = form.cleaned_data
        try:
            service.record_funds(
                project,
                by=request.user,
                arrived_on=data["arrived_on"],
                source=data["source"],
                amount=data["amount"],
                evidence=data["evidence"],
                note=data["note"],
                verified=data.get("verified", False),
                origin=data.get("origin", ""),
            )
        except (ValidationError, OutOfScope) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Funds recorded."))
        return redirect(project)


class ReviewedView(ScopedMixin, View):
    """A page of one record a unit reported (``models.Reviewed``: funds arrived, a manual figure),
    scoped like the record; a deleted record is gone."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(is_deleted=False)


class EvidenceView(ReviewedView):
    """The evidence of a reported record, served only here."""

    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        evidence = self.get_object().evidence
        if not evidence:
            raise Http404
        return FileResponse(
            evidence.open("rb"), as_attachment=True, filename=evidence.name.rsplit("/", 1)[-1]
        )


class FundsEvidenceView(EvidenceView):
    """The voucher of funds arrived (bank slip, capital verification)."""

    model = FundsArrival


class ReviewActionView(ReviewedView):
    """POST verify / return / delete on one reported record, within the user's scope: ``decisions``
    holds the service functions of the ``OPERATIONS`` in their order (a return takes the reason
    posted); then back to the page posted from, or to the subclass's ``fallback(record)``."""

    OPERATIONS = ("verify", "return", "delete")
    operation = ""
    decisions: tuple[Callable[..., Any], ...]
    # where to go back to when the form posted no safe "next": each view defines it
    fallback: Callable[[Any], str]

    def refusal(self, request: AuthedRequest, record: Any) -> HttpResponse | None:
        """A response refusing the operation before it is tried, or None."""
        return None

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        record = self.get_object()
        refused = self.refusal(request, record)
        if refused is not None:
            return refused
        reason = {"reason": request.POST.get("reason", "")} if self.operation == "return" else {}
        try:
            decide = self.decisions[self.OPERATIONS.index(self.operation)]
            decide(record, by=request.user, **reason)
        except (ValidationError, OutOfScope) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Done."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = self.fallback(record)
        return redirect(back)


class FundsActionView(ReviewActionView):
    """Verify, return or delete a record of funds; back to its project."""

    model = FundsArrival
    decisions = (service.verify_funds, service.return_funds, service.delete_funds)

    def fallback(self, record: Any) -> str:
        return str(record.project.get_absolute_url())


class FundsQueueView(ScopedMixin, TemplateView):
    """The bureau's queue: reported funds of its subtree waiting for verification."""

    model = FundsArrival
    action = Action.VERIFY
    template_name = "ledger/funds_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        queryset = service.apart_from_reports(self.get_queryset().filter(is_deleted=False)).select_related(
            "project", "project__unit"
        )
        form = FundsQueueFilter(self.request.GET or {"status": FundsStatus.REPORTED})
        status = form.data.get("status", FundsStatus.REPORTED)
        if status in FundsStatus.values:
            queryset = queryset.filter(status=status)
        if words := form.data.get("q", "").strip()[:100]:
            investors = Investor.objects.filter(text_q(words, "name"), projects=OuterRef("project"))
            queryset = queryset.filter(
                text_q(words, "project__name", "project__unit__name") | Exists(investors)
            )
        # Newest first by default, as the bureau checks what just came in; both orders read the
        # (status, arrived_on, id) index, backwards or forwards.
        oldest = form.data.get("order") == FundsQueueFilter.OLDEST
        order = ("arrived_on", "pk") if oldest else ("-arrived_on", "-pk")
        # The project's files a verification may need (the evidence rules), beside the record's own slip.
        vouchers = Prefetch(
            "project__attachments",
            queryset=Attachment.objects.filter(kind__in=VOUCHER_KINDS).order_by("kind", "pk"),
            to_attr="vouchers",
        )
        paginator = CappedPaginator(queryset.order_by(*order).prefetch_related(vouchers), 50, LIST_COUNT_CAP)
        page = paginator.get_page(self.request.GET.get("page"))
        lacking = evidence_rules.missing_by_funds(list(page.object_list))
        for funds in page.object_list:
            funds.lacking = [Evidence(doc).label for doc in lacking.get(funds.pk, [])]
        return super().get_context_data(filter_form=form, page_obj=page, return_form=ReturnForm(), **kwargs)


def funds_context(user: User, project: Project) -> dict[str, Any]:
    """What the project page shows of funds arrived, and the form if the user may record them."""
    editable = Project.objects.visible_to(user, Action.EDIT).filter(pk=project.pk).exists()
    may_verify = Project.objects.visible_to(user, Action.VERIFY).filter(pk=project.pk).exists()
    return {
        "funds": project.funds.filter(is_deleted=False)
        .annotate(in_report=ExpressionWrapper(Q(report_line__isnull=False), output_field=BooleanField()))
        .order_by("-arrived_on", "-pk"),
        "funds_form": FundsForm(may_verify=may_verify, origin=service.default_origin(project))
        if editable
        else None,
        "may_verify": may_verify,
        "return_form": ReturnForm(),
    }


def _selected(request: AuthedRequest) -> list[int]:
    """The ids of the lines ticked in the queue (``funds``), numbers only, at most ``MAX_BULK``."""
    return [int(v) for v in request.POST.getlist("funds") if v.isdigit()][: service.MAX_BULK]


class FundsBulkVerifyView(ScopedMixin, View):
    """Verify the lines ticked in the queue in one action (issue 18). The first POST shows the
    confirmation: the count and the sum of the lines (by currency), each with its voucher and what
    it lacks; the confirmed POST verifies each through the single verification's service
    (``funds.verify_many``) and shows which lines were verified and which were refused, and why."""

    request: AuthedRequest

    model = FundsArrival
    action = Action.VERIFY

    def post(self, request: AuthedRequest) -> HttpResponse:
        if not self.may(Action.VERIFY):
            raise PermissionDenied
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("ledger:funds_queue")
        ids = _selected(request)
        if not ids:
            messages.error(request, _("Tick the lines to verify first."))
            return redirect(back)
        if request.POST.get("confirmed") != "1":
            return self._confirm(request, ids, back)
        verified, refused = service.verify_many(ids, by=request.user)
        return render(
            request, "ledger/funds_bulk_result.html", {"verified": verified, "refused": refused, "back": back}
        )

    def _confirm(self, request: AuthedRequest, ids: list[int], back: str) -> HttpResponse:
        vouchers = Prefetch(
            "project__attachments",
            queryset=Attachment.objects.filter(kind__in=VOUCHER_KINDS).order_by("kind", "pk"),
            to_attr="vouchers",
        )
        lines = list(
            self.get_queryset()
            .filter(pk__in=ids, is_deleted=False, status=FundsStatus.REPORTED)
            .select_related("project", "project__unit")
            .prefetch_related(vouchers)
            .order_by("-arrived_on", "-pk")
        )
        lacking = evidence_rules.missing_by_funds(lines)
        totals: dict[str, Decimal] = {}
        for funds in lines:
            funds.lacking = [Evidence(doc).label for doc in lacking.get(funds.pk, [])]
            totals[funds.currency] = totals.get(funds.currency, Decimal(0)) + funds.amount
        return render(
            request,
            "ledger/funds_bulk_confirm.html",
            {
                "lines": lines,
                "totals": [(Currency(code).label, total) for code, total in sorted(totals.items())],
                "skipped": len(ids) - len(lines),
                "back": back,
            },
        )
