"""The project ledger (項目台賬): projects, their credit shares, stewards, approvals and stage history."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import geo
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.fields import AMOUNT, land_mu_field, optional_link, quantity_field, user_link
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import in_subquery, in_values
from zhaoshang.core.scoping import ScopedQuerySet, path_q
from zhaoshang.projects.choices import (
    ACTIVE_STAGES,
    ApprovalKind,
    Currency,
    Exclusion,
    IndustrySection,
    Introducer,
    Sector,
    Stage,
)
from zhaoshang.units.models import Unit

_READ_ACTIONS = {Action.VIEW, Action.EXPORT}


class ProjectQuerySet(ScopedQuerySet):
    permission_type = ObjectType.PROJECT
    scope_path_field = "unit__path"

    def scope_q(self, roots: list[str], action: str) -> Q:
        """A project belongs to the unit where it is recorded; units credited with a share of it
        may read it too, but only the owning unit's subtree may change it.

        The first test names the subtree's units by id (``in_subquery``): on PostgreSQL their ids
        are found once and the projects read through the (unit, stage, ...) index, which holds the
        columns a page is sorted by and counted with, so that a province's list is read from the
        index alone. The projects credited to the subtree but recorded outside it are looked up
        here, from one partial index of the shares of other units (``project_unit``): credits stay
        within a county, so above a township there are few or none, and with none the query has
        no second test (an OR would make PostgreSQL read every project of the subtree from the
        table). With some, they are one array of ids, each one probe of the primary key.
        """
        if self.covers_every_row(roots):
            return Q()  # a national list or count would otherwise name every unit and credited project
        units = Unit.objects.using(self.db).filter(path_q("path", roots)).order_by().values("pk")
        own = in_subquery("unit_id", units)
        if action not in _READ_ACTIONS:
            return own
        credited = list(
            CreditShare.objects.using(self.db)
            .filter(in_subquery("unit_id", units))
            .exclude(unit=F("project_unit"))  # implied by the next test; it names the partial index
            .exclude(project_unit__in=units)  # PostgreSQL: one hashed set of the units
            .order_by()
            .values_list("project_id", flat=True)  # a project credited twice is named twice: harmless
        )
        return own | in_values("pk", credited, self.db) if credited else own


class Project(models.Model):
    """項目: one investment by one or more investors (客商) in the jurisdiction."""

    code = models.CharField(_("project code"), max_length=32, unique=True)
    # The code before codes took one format (projects/codes.py): still found by search and import.
    former_code = models.CharField(
        _("former project code"), max_length=32, blank=True, default="", db_default="", db_index=True
    )
    name = models.CharField(_("project name"), max_length=200)
    description = models.TextField(_("construction content"), blank=True)
    investors = models.ManyToManyField(
        "investors.Investor", verbose_name=_("investors"), related_name="projects", blank=True
    )
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, blank=True)
    industry_section = models.CharField(
        _("industry (GB/T 4754)"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("location unit"),
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("The township, department or park where the project is recorded."),
        db_index=False,  # the indexes below lead with the unit
    )
    park = optional_link("units.Unit", _("park"), related_name="park_projects")
    location = models.CharField(_("construction site"), max_length=200, blank=True)

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    total_investment = models.DecimalField(_("total investment"), **AMOUNT)
    contracted_amount = models.DecimalField(_("contracted amount"), null=True, blank=True, **AMOUNT)
    land_mu = land_mu_field()
    construction_area = quantity_field(_("construction area (m²)"), max_digits=14)
    expected_output = models.DecimalField(_("expected annual output"), null=True, blank=True, **AMOUNT)
    expected_profit_tax = models.DecimalField(_("expected profit and tax"), null=True, blank=True, **AMOUNT)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)

    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    # What the stage history amounts to, kept by every path that records a stage change
    # (projects/stages.py): the furthest pipeline stage ever reached, as a rank, and the last move.
    reached_stage = models.PositiveSmallIntegerField(_("furthest stage reached"), default=0, editable=False)
    stage_changed_on = models.DateField(_("last stage change"), null=True, blank=True, editable=False)
    first_contact_on = models.DateField(
        _("first contact"), null=True, blank=True, validators=[plausible_date]
    )
    # 接洽: talks began (the move into negotiating stamps it); counted by the ledger like signing.
    contacted_on = models.DateField(_("talks began on"), null=True, blank=True, validators=[plausible_date])
    intent_on = models.DateField(_("intent signed on"), null=True, blank=True, validators=[plausible_date])
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=[plausible_date])
    planned_start_on = models.DateField(
        _("planned start"), null=True, blank=True, validators=[plausible_date]
    )
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[plausible_date])
    completed_on = models.DateField(_("completed on"), null=True, blank=True, validators=[plausible_date])
    operating_on = models.DateField(_("operating since"), null=True, blank=True, validators=[plausible_date])
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True, validators=[plausible_date])
    drop_reason = models.CharField(_("reason for dropping"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    # 不予認定 and 增資 (forms.md section 4.2): the ledger applies them (ledger/counting.py). A database
    # default, so that bulk writers that name their columns need not know them.
    exclusion = models.CharField(
        _("not counted because"),
        max_length=20,
        choices=Exclusion.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("A project not counted still shows, marked, with its figures apart."),
    )
    exclusion_note = models.CharField(
        _("note on not counting"), max_length=200, blank=True, default="", db_default=""
    )
    capital_increase = models.BooleanField(
        _("capital increase"),
        default=False,
        db_default=False,
        help_text=_(
            "An investor adding capital: the contracted amount (the increase) counts, not a new project."
        ),
    )
    # 分期: phase N of an earlier project of the same investment (一期/二期). A later phase counts its
    # amounts, never as a new project (ledger/counting.py: ``new_project``), as a capital increase.
    phase_of = optional_link(
        "self",
        _("later phase of"),
        related_name="later_phases",
        help_text=_("The code of the earlier phase: its amounts count, it is not a new project."),
    )
    phase = models.PositiveSmallIntegerField(
        _("phase"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    # 引荐: who brought the project, and by whom (an investor on record, or a name).
    introducer_type = models.CharField(
        _("introduced through"),
        max_length=10,
        choices=Introducer.choices,
        blank=True,
        default="",
        db_default="",
    )
    introducer_investor = optional_link(
        "investors.Investor",
        _("introducing investor"),
        related_name="introduced_projects",
        on_delete=models.SET_NULL,
    )
    introducer_name = models.CharField(
        _("introduced by"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("The agent, office or person who introduced the project."),
    )
    # 重点项目: marked by hand; a project of at least the county's key threshold is key anyway
    # (``projects.thresholds``).
    is_key = models.BooleanField(_("key project (marked)"), default=False, db_default=False)

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="raised by every change; a save based on an older version is refused",
    )
    created_by = user_link()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The construction site on the map (GCJ-02, both or neither: core/geo.py).
    longitude = geo.longitude_field()
    latitude = geo.latitude_field()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-id"]
        indexes = [
            # A subtree's projects by unit and stage, with the columns the list is counted and sorted
            # by (its default order, the amounts, the signing date): a page of a province's 10,000
            # started projects is found from the index alone, and only its 50 rows are read.
            models.Index(
                fields=["unit", "stage", "id", "total_investment", "contracted_amount", "signed_on"],
                name="project_unit_stage",
            ),
            # A project's name is its identity within its unit (the import finds projects by it).
            models.Index(fields=["unit", "name"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["signed_on"]),
            models.Index(fields=["total_investment"]),
            # The stalled list: active projects by their last stage change, oldest first.
            models.Index(
                fields=["stage_changed_on", "id"],
                name="project_active_changed_on",
                condition=Q(stage__in=[s.value for s in ACTIVE_STAGES]),
            ),
        ]
        constraints = [geo.both_or_neither("project")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def amount_label(self) -> str:
        return str(Currency(self.currency).label)


class Thresholds(models.Model):
    """統計口徑的金額門檻 of a county: the amounts (萬元, total investment) above which a signed project
    counts as 億元以上, as a 3000萬元以上 industrial project, and as a key project. A county without a
    row uses the defaults (``projects.thresholds.for_county``)."""

    county = models.OneToOneField(
        "units.Unit", verbose_name=_("county"), on_delete=models.CASCADE, related_name="project_thresholds"
    )
    large = models.DecimalField(_("large project from (10,000 CNY)"), default=Decimal(10000), **AMOUNT)
    industrial = models.DecimalField(
        _("large industrial project from (10,000 CNY)"), default=Decimal(3000), **AMOUNT
    )
    key = models.DecimalField(_("key project from (10,000 CNY)"), default=Decimal(10000), **AMOUNT)

    class Meta:
        verbose_name = _("project thresholds")
        verbose_name_plural = _("project thresholds")

    def __str__(self) -> str:
        return f"{self.county}: {self.large} / {self.industrial} / {self.key}"


class CreditShare(models.Model):
    """引進單位: a unit credited with the project, with its share in percent (shares sum to 100)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="credits")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("credited unit"), on_delete=models.PROTECT, related_name="credits"
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    # The project's own unit, copied where credits are written (the services' ``_save_relations``,
    # the bulk import, the generator; ``update_project`` writes the credits again when the project
    # moves). The scope of a subtree looks up only the shares of projects recorded outside it
    # (``ProjectQuerySet.scope_q``): the others it finds by their unit anyway.
    project_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )

    class Meta:
        verbose_name = _("credit share")
        verbose_name_plural = _("credit shares")
        ordering = ["pk"]  # as recorded; the export's loader reads them in the same order
        constraints = [models.UniqueConstraint(fields=["project", "unit"], name="credit_unique_unit")]
        indexes = [
            # The shares of units other than the project's own, about one in ten, for the scope of a
            # subtree (ProjectQuerySet.scope_q), read from the index alone.
            models.Index(
                fields=["unit", "project_unit", "project"],
                name="credit_other_units",
                condition=~Q(unit=F("project_unit")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.share}%"


class Steward(models.Model):
    """項目保姆 / 責任人: the official who follows the project from signing to production."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stewards")
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = user_link(related_name="stewardships")

    class Meta:
        verbose_name = _("steward")
        verbose_name_plural = _("stewards")
        ordering = ["pk"]  # as recorded; the export's loader reads them in the same order
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Approval(models.Model):
    """前期手續: one item of the approvals checklist (立項, 用地, 規劃, 環評, 施工許可, 工商登記)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("approval"), max_length=20, choices=ApprovalKind.choices)
    done = models.BooleanField(_("obtained"), default=False)
    done_on = models.DateField(_("obtained on"), null=True, blank=True, validators=[plausible_date])
    reference = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="approval_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class StageChange(models.Model):
    """階段變更: one move of a project through the stage machine, with date, user and note."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    changed_by = user_link()
    changed_by_name = models.CharField(_("by"), max_length=150)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["id"]  # the order in which the moves were made

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class Attachment(models.Model):
    """附件: a contract, approval or other file kept with the project."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        APPROVAL = "approval", _("Approval document")
        # The evidence a verification of funds may need (ledger.choices.Evidence, same values).
        CAPITAL = "capital", _("Capital verification report")
        LICENCE = "licence", _("Business licence")
        TAX = "tax", _("Local tax registration")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path)
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = user_link()
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title or self.file.name or ""


class ProjectCodeSequence(models.Model):
    """The last number given in a year's project codes (XM2026-0108): see projects/codes.py."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("project code sequence")
        verbose_name_plural = _("project code sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
