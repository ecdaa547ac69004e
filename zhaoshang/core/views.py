"""Small generic views that every domain app builds its pages from.

Each view gets its rows from ``Model.objects.visible_to(user, action)``; an object outside the
user's scope is indistinguishable from one that does not exist (404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.core.chinese import text_q
from zhaoshang.core.paging import capped_count
from zhaoshang.core.permissions import Action
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.core.scoping import object_type_of, scope_roots
from zhaoshang.core.tables import ListSource, Table
from zhaoshang.core.xlsx import table_workbook, xlsx_response


class ScopedMixin(LoginRequiredMixin):
    """Rows limited to what the user may do: ``action`` names the permission needed."""

    model: ClassVar[type[Model]]
    action: ClassVar[str] = Action.VIEW
    request: HttpRequest
    kwargs: dict[str, Any]  # the URL's, as View sets them

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.request.user, self.action)  # type: ignore[attr-defined]  # a ScopedQuerySet manager

    def get_object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def may(self, action: str) -> bool:
        return bool(scope_roots(self.request.user, action, on=object_type_of(self.model)))


class FilteredListMixin(ScopedMixin):
    """The rows of a list (``source``: its filter set, table and decoration, core/tables.ListSource)
    over the scoped queryset, shared by the page, its export and the list's API operation."""

    source: ClassVar[ListSource]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "source" in cls.__dict__ and "model" not in cls.__dict__:
            cls.model = cls.source.model

    @property
    def table(self) -> Table:
        assert self.source.table is not None, "a list page sorts by its table"
        return self.source.table

    def filtered(self) -> tuple[Any, QuerySet, str]:
        assert self.source.filterset_class is not None, "a list page filters by its filter set"
        filterset = self.source.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        queryset, sort = self.table.order(queryset, self.request.GET.get("sort"))
        return filterset, queryset, sort

    def decorate(self, queryset: QuerySet) -> QuerySet:
        """select_related / prefetch_related so the page costs a fixed number of queries (the
        source's; a view may read its rows another way)."""
        return self.source.decorate(queryset, self.request.user)


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows (``capped`` says there are more): the pages
    beyond the cap are not offered, the filters narrow the list instead."""

    object_list: QuerySet

    def __init__(self, object_list: QuerySet, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        count, self.capped = capped_count(self.object_list, self.cap)
        return count


class ObjectListView(FilteredListMixin, TemplateView):
    """A filtered, sorted, paginated list page."""

    paginate_by: ClassVar[int] = settings.PAGE_SIZE
    count_cap: ClassVar[int | None] = None  # count at most this many rows (lists of national size)

    def page_rows(self, object_list: QuerySet) -> list[Any]:
        """The objects of one page (a slice of the decorated queryset); a view may read them its
        own way, as values for instance."""
        return list(object_list)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset, queryset, sort = self.filtered()
        paginator = CappedPaginator(self.decorate(queryset), self.paginate_by, self.count_cap)
        page = paginator.get_page(self.request.GET.get("page"))
        rows = page.object_list
        assert isinstance(rows, QuerySet)  # a slice of the decorated queryset
        page.object_list = self.page_rows(rows)
        query = self.request.GET.copy()
        query.pop("page", None)
        sortless = query.copy()
        sortless.pop("sort", None)
        context.update(
            filter=filterset,
            page_obj=page,
            columns=self.table.html_columns(),
            rows=[(obj, self.table.row(obj)) for obj in page.object_list],
            sort=sort,
            query=query.urlencode(),
            sortless_query=sortless.urlencode(),
            can_create=self.may(Action.CREATE),
            can_import=self.may(Action.IMPORT),
        )
        return context


class ObjectExportView(ReplicaReadsMixin, FilteredListMixin, View):
    """The rows of the list exactly as filtered, as .xlsx, with the table's columns (read from the
    read replica when one serves: core/replica.py)."""

    action = Action.EXPORT
    export_title: ClassVar[str | Promise] = "export"

    def rows(self, queryset: QuerySet) -> Iterable[Any]:
        """The objects to write, streamed in chunks (a view may load their relations its own way)."""
        return self.decorate(queryset).iterator(2000)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _filterset, queryset, _sort = self.filtered()
        title = str(self.export_title)
        content = table_workbook(title, self.table.export_columns(), self.rows(queryset))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(content, f"{title}-{stamp}.xlsx")


def list_page(source: ListSource, template_name: str) -> type[ObjectListView]:
    """The page of a list that needs nothing beyond its source and its template (a view with its
    own context or page size subclasses ObjectListView instead)."""
    attrs = {"source": source, "template_name": template_name}
    return type(f"{source.model.__name__}ListView", (ObjectListView,), attrs)


def export_page(source: ListSource, title: str | Promise) -> type[ObjectExportView]:
    """The .xlsx export of a list that writes its source's rows as they are, titled ``title``."""
    attrs = {"source": source, "export_title": title}
    return type(f"{source.model.__name__}ExportView", (ObjectExportView,), attrs)


def apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError onto a form, on the named fields where the form has them."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def report_outcome(
    request: HttpRequest, form: Any, perform: Callable[[dict[str, Any]], Any], done: Any
) -> None:
    """Run ``perform(form.cleaned_data)`` for a valid form and tell the outcome as messages: ``done``,
    or the service's refusal (a ValidationError), or the form's errors. A PermissionDenied is left
    to the caller, whose 403 page it is."""
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return
    try:
        perform(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))


def refuse(request: HttpRequest, error: PermissionDenied) -> None:
    messages.error(request, str(error) or _("You may not do that."))


class CreateFormView(ScopedMixin, View):
    """A page with one form whose valid input a service records (``create``). A user who may create
    nowhere is refused; the service's refusals show on the form, an out-of-scope one on
    ``scope_field``; on success the new record's page, with ``done`` as the message."""

    form_class: ClassVar[type]
    template_name: ClassVar[str]
    done: ClassVar[str | Promise]
    scope_field: ClassVar[str] = "unit"

    def initial(self, request: HttpRequest) -> dict[str, Any] | None:
        return None

    def create(self, by: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError("each create view calls its service here")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        form = self.form_class(user=request.user, initial=self.initial(request))
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        if not self.may(Action.CREATE):
            return render(request, "403.html", status=403)
        form = self.form_class(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                created = self.create(request.user, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error(self.scope_field, str(error))
            else:
                messages.success(request, str(self.done))
                return redirect(created)
        return render(request, self.template_name, {"form": form}, status=400)


class FormActionView(ScopedMixin, View):
    """A POST from one form of a detail page into one service (accept, reply, rectify …); the
    service decides who may. A user who cannot even ``needs`` the record is refused before the form
    is read; the outcome comes back as a message on the record's page."""

    form_class: ClassVar[type]
    prefix: ClassVar[str | None] = None
    done: ClassVar[str | Promise]
    needs: ClassVar[str] = Action.EDIT

    def form(self, request: HttpRequest, obj: Any) -> Any:
        return self.form_class(request.POST, request.FILES, prefix=self.prefix)

    def perform(self, obj: Any, by: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError("each action view calls its service here")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        if not self.may(self.needs):
            return render(request, "403.html", status=403)
        form = self.form(request, obj)
        try:
            report_outcome(request, form, lambda data: self.perform(obj, request.user, data), self.done)
        except PermissionDenied as error:
            return render(request, "403.html", {"reason": str(error)}, status=403)
        return redirect(obj)


class OptionsView(ScopedMixin, View):
    """The options of a searchable select, as JSON, for a select too long to hold every option
    (``core.widgets.SearchSelect`` with a ``url``; static/zhaoshang/selects.js asks as the user
    types): ``{"results": [{"id", "text"}]}`` of the rows the user may see whose ``search_fields``
    contain ``q`` in either script, at most ``LIMIT``, in ``ordering``."""

    LIMIT: ClassVar[int] = 50
    search_fields: ClassVar[tuple[str, ...]] = ("name",)
    ordering: ClassVar[tuple[str, ...]] = ("name",)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        rows = self.get_queryset()
        query = request.GET.get("q", "").strip()[:100]
        if query:
            rows = rows.filter(text_q(query, *self.search_fields))
        results = [{"id": row.pk, "text": str(row)} for row in rows.order_by(*self.ordering)[: self.LIMIT]]
        # Characters as they are (ensure_ascii off): the JSON reads as the page would.
        return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
