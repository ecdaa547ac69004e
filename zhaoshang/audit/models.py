"""The audit trail (審計日誌): an append-only, hash-chained record of every change to domain records."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhaoshang.core.actors import actor_display


class ReadOnlyQuerySet(models.QuerySet):
    """Entries cannot be changed or removed through the ORM."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit entries are append-only")


class ChainHead(models.Model):
    """The last entry of one chain. Chains are per county (or per root above counties), so a write in
    one county never waits for the audit lock of another."""

    chain = models.CharField(max_length=96, primary_key=True)
    length = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain")

    def __str__(self) -> str:
        return f"{self.chain} ({self.length})"


class Entry(models.Model):
    """審計條目: who changed which record, when, from where, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        STAGE = "stage", _("stage changed")
        VERIFY = "verify", _("verified")
        MERGE = "merge", _("merged")
        LOGIN = "login", _("logged in")
        PERMISSION = "permission", _("permissions changed")

    chain = models.CharField(max_length=96)
    seq = models.BigIntegerField(help_text="position in the chain, from 1")
    at = models.DateTimeField(_("time"))
    # PROTECT: the user's id is part of the hash, so a user with entries is deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user_name = models.CharField(_("user"), max_length=150)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ReadOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")

    # The steps services name in ``note`` by a code, stored as written (the hash covers it) and
    # shown in the reader's language.
    STEP_NOTES: ClassVar[dict[str, Any]] = {
        "submitted": pgettext_lazy("audit step", "submitted"),
        "returned": pgettext_lazy("audit step", "returned"),
        "accepted": pgettext_lazy("audit step", "accepted"),
        "rejected": pgettext_lazy("audit step", "rejected"),
        "closed": pgettext_lazy("audit step", "closed"),
        "reopened": pgettext_lazy("audit step", "reopened"),
        "rectified": pgettext_lazy("audit step", "rectified"),
        "verified": pgettext_lazy("audit step", "verified"),
    }

    @property
    def note_display(self) -> str:
        return str(self.STEP_NOTES.get(self.note, self.note))

    @property
    def user_display(self) -> str:
        """The user's name as it was, or "system" in the reader's language for jobs and commands."""
        return self.user_name if self.user_id is not None else actor_display(self.user_name)
