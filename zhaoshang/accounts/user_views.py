"""Pages for managing users, for those who may configure a subtree, limited to that subtree.

A user is visible when any of their memberships lies in the manager's subtrees; anyone else
answers 404. People without a configuring role get 403 on every page. The writes and their rules
are in accounts/services.py.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts import services
from zhaoshang.accounts.filters import UserFilterSet
from zhaoshang.accounts.forms import MembershipForm, PasswordForm, UserCreateForm, UserEditForm
from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.accounts.models import Membership, User
from zhaoshang.accounts.tables import USER_TABLE
from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import path_q, scope_roots
from zhaoshang.core.tables import ListSource
from zhaoshang.core.views import ObjectExportView, ObjectListView, ScopedMixin, apply_errors, refuse


def _detail(user: User) -> HttpResponse:
    return redirect(reverse("accounts:user_detail", args=[user.pk]))


def scoped_prefetch(manager: Any) -> Prefetch:
    """The memberships of each listed user that the manager may see, in one query for the page."""
    roots = scope_roots(manager, Action.CONFIGURE, on=ObjectType.USER)
    queryset = Membership.objects.filter(path_q("unit__path", roots)).select_related("unit")
    return Prefetch("memberships", queryset=queryset.order_by("unit__path"), to_attr="scoped_memberships")


class ManagerMixin(ScopedMixin):
    """Users within the subtrees the requester may configure; 403 for those who configure nothing."""

    model = User
    action = Action.CONFIGURE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not scope_roots(
            request.user, Action.CONFIGURE, on=ObjectType.USER
        ):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)


def _listed(queryset: QuerySet, manager: Any) -> QuerySet:
    return queryset.prefetch_related(scoped_prefetch(manager))


USER_LIST = ListSource(User, UserFilterSet, USER_TABLE, decorate=_listed)


class UserListView(ManagerMixin, ObjectListView):
    source = USER_LIST
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(can_create=True, can_import=False)
        return context


class UserExportView(ManagerMixin, ObjectExportView):
    action = Action.CONFIGURE
    source = USER_LIST
    export_title = gettext_lazy("Users")


class UserDetailView(ManagerMixin, TemplateView):
    template_name = "accounts/user_detail.html"
    request: AuthedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        target = self.get_object()
        manager = self.request.user
        total = target.memberships.count()
        can_change_roles = services.may_change_roles(manager, target)
        memberships = [
            # a user's last role is not offered for removal: the service refuses it
            (m, can_change_roles and total > 1 and services.may_grant(manager, m.unit, m.role))
            for m in services.scoped_memberships(manager, target).order_by("unit__path", "role")
        ]
        return super().get_context_data(
            target=target,
            memberships=memberships,
            elsewhere=total - len(memberships),
            can_change_roles=can_change_roles,
            can_manage=services.may_manage(manager, target),
            is_self=target.pk == manager.pk,
            history=audit.history(target),
            **kwargs,
        )


class UserFormView(ManagerMixin, View, abc.ABC):
    """A form page over one service call; subclasses name the form, the title and the call."""

    request: AuthedRequest

    form_class: ClassVar[type[forms.BaseForm]]
    title: ClassVar[str | Promise]
    template_name = "accounts/user_form.html"
    creates: ClassVar[bool] = False

    def make_form(self, data: Any, target: User | None) -> forms.BaseForm:
        # The subclasses' forms all take the manager as ``user``; BaseForm does not.
        return self.form_class(data, user=self.request.user)  # type: ignore[call-arg]

    @abc.abstractmethod
    def save(self, form: forms.BaseForm, target: User | None) -> User:
        """Make the service call the form stands for; return the user to show next."""

    def target(self) -> User | None:
        return None if self.creates else self.get_object()

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        target = self.target()
        return self.render(target, self.make_form(None, target))

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        target = self.target()
        form = self.make_form(request.POST, target)
        status = 400
        if form.is_valid():
            try:
                saved = self.save(form, target)
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(request, _("User %(name)s saved.") % {"name": saved})
                return _detail(saved)
        return self.render(target, form, status=status)

    def render(self, target: User | None, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        context = {"target": target, "form": form, "title": self.title}
        return render(self.request, self.template_name, context, status=status)


class UserCreateView(UserFormView):
    form_class = UserCreateForm
    title = gettext_lazy("New user")
    creates = True

    def save(self, form: forms.BaseForm, target: User | None) -> User:
        data = form.cleaned_data
        return services.create_user(
            by=self.request.user,
            username=data["username"],
            display_name=data["display_name"],
            phone=data["phone"],
            email=data["email"],
            password=data["password"],
            unit=data["unit"],
            role=data["role"],
        )


class UserEditView(UserFormView):
    form_class = UserEditForm
    title = gettext_lazy("Edit user")

    def make_form(self, data: Any, target: User | None) -> forms.BaseForm:
        return UserEditForm(data, instance=target)

    def save(self, form: forms.BaseForm, target: User | None) -> User:
        assert target is not None
        # The service re-reads the row under a lock, so the form's in-memory edits to ``target``
        # do not leak into the audit's "before".
        fields = {name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        return services.update_user(target, by=self.request.user, **fields)


class PasswordView(UserFormView):
    form_class = PasswordForm
    title = gettext_lazy("Set a new password")

    def make_form(self, data: Any, target: User | None) -> forms.BaseForm:
        return PasswordForm(data)

    def save(self, form: forms.BaseForm, target: User | None) -> User:
        assert target is not None
        user = services.set_password(target, by=self.request.user, password=form.cleaned_data["password"])
        if user.pk == self.request.user.pk:
            update_session_auth_hash(self.request, user)  # keep the manager's own session open
        return user


class MembershipAddView(UserFormView):
    form_class = MembershipForm
    title = gettext_lazy("Add a role")

    def save(self, form: forms.BaseForm, target: User | None) -> User:
        assert target is not None
        data = form.cleaned_data
        services.add_membership(target, by=self.request.user, unit=data["unit"], role=data["role"])
        return target


class UserActionView(ManagerMixin, View, abc.ABC):
    """A button on the user page: one POST, one service call, back to the page with a message."""

    request: AuthedRequest

    http_method_names = ["post"]

    @abc.abstractmethod
    def act(self, target: User) -> str:
        """Make the service call the button stands for; return the message to show."""

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        target = self.get_object()
        try:
            done = self.act(target)
        except OutOfScope as error:
            refuse(request, error)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        if not self.get_queryset().filter(pk=target.pk).exists():
            return redirect("accounts:user_list")  # the change took the user out of the manager's view
        return _detail(target)


class UserActiveView(UserActionView):
    active: bool = False  # set per URL

    def act(self, target: User) -> str:
        services.set_active(target, by=self.request.user, active=self.active)
        if self.active:
            return _("%(name)s may log in again.") % {"name": target}
        return _("%(name)s is deactivated and can no longer log in.") % {"name": target}


class MembershipRemoveView(UserActionView):
    def act(self, target: User) -> str:
        membership = get_object_or_404(
            services.scoped_memberships(self.request.user, target), pk=self.kwargs["membership_pk"]
        )
        services.remove_membership(membership, by=self.request.user)
        return _("Role %(role)s at %(unit)s removed.") % {
            "role": membership.get_role_display(),
            "unit": membership.unit.name,
        }
