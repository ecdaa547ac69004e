"""Every write of the project catalogue: draft and change an offer (each change a new version),
move it through review (submit, the departments' opinions, send back, publish, withdraw), attach
photos and files, hand it to the ledger when an investor takes it up, and receive the public site's
inquiries. Each runs in one transaction, checks the user's scope (``user_can`` on offers), records
the audit trail, and tells the public site's cache when what it shows has changed."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.catalogue import cache
from zhaoshang.catalogue.choices import (
    BUREAU_EDITABLE,
    TRANSITIONS,
    UNIT_EDITABLE,
    FileKind,
    OfferStatus,
    Prep,
)
from zhaoshang.catalogue.models import (
    DESCRIPTION_FIELDS,
    CountyProfile,
    Inquiry,
    Offer,
    OfferFile,
    OfferVersion,
    Opinion,
)
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.core.uploads import check_attachment
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.investors.models import Investor
    from zhaoshang.projects.models import Project

OFFER_FIELDS = (
    "name",
    "name_en",
    "industry",
    "chain",
    "chain_en",
    "unit",
    "park",
    "place",
    "place_en",
    *DESCRIPTION_FIELDS,
    "contact_phone",
    "phone_public",
    "contact_email",
    "year",
    "notes",
)
NOT_AUDITED = ("created_at", "updated_at", "created_by", "version")
PHOTO_TYPES = {".jpg", ".jpeg", ".png"}


def may(by: User | None, action: str, unit: Unit) -> bool:
    return by is None or user_can(by, action, unit, on=ObjectType.OFFER)


def check_unit(by: User | None, unit: Unit, action: str) -> None:
    if not may(by, action, unit):
        raise OutOfScope(_("You may not do this for the offers of %(unit)s.") % {"unit": unit})


def offer_snapshot(offer: Offer) -> dict[str, Any]:
    return audit.snapshot(offer, exclude=NOT_AUDITED)


def _apply(offer: Offer, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in OFFER_FIELDS:
            raise ValueError(f"{name} is not an offer field that can be set")
        setattr(offer, name, value)
    offer.prep = [p for p in Prep.values if p in set(offer.prep or [])]
    offer.county = Unit.objects.county_of(offer.unit) if offer.unit_id else None


def _check(offer: Offer) -> None:
    errors: dict[str, list[str]] = {}
    try:
        offer.full_clean(exclude=["fairs", "project", "county"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    sought, total = offer.sought_amount, offer.total_investment
    if sought is not None and total is not None and sought > total:
        errors.setdefault("sought_amount", []).append(
            _("The investment sought cannot exceed the total investment.")
        )
    if offer.park is not None and offer.park.kind != UnitKind.PARK:
        errors.setdefault("park", []).append(_("Choose a park."))
    if offer.phone_public and not offer.contact_phone:
        errors.setdefault("contact_phone", []).append(_("Give the phone number to show."))
    if errors:
        raise ValidationError(errors)


def _keep_version(offer: Offer, by: User | None) -> None:
    OfferVersion.objects.create(
        offer=offer,
        number=offer.version,
        data=offer_snapshot(offer),
        made_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def create_offer(*, by: User | None, data: dict[str, Any]) -> Offer:
    """Draft an offer for a unit the user may create offers for (version 1)."""
    offer = Offer(created_by=by if getattr(by, "is_authenticated", False) else None)
    _apply(offer, data)
    check_unit(by, offer.unit, Action.CREATE)
    _check(offer)
    offer.save()
    _keep_version(offer, by)
    audit.record(audit.Entry.Action.CREATE, offer, by=by, unit=offer.unit, after=offer_snapshot(offer))
    return offer


def may_edit(by: User | None, offer: Offer) -> bool:
    """The unit changes its own draft (or withdrawn offer); the bureau may also correct or translate
    one in review or published. A taken offer is history."""
    if offer.status in UNIT_EDITABLE and may(by, Action.EDIT, offer.unit):
        return True
    return offer.status in BUREAU_EDITABLE and may(by, Action.VERIFY, offer.unit)


@transaction.atomic
def update_offer(offer: Offer, *, by: User | None, data: dict[str, Any]) -> Offer:
    """Change an offer: a new version when anything changed; a published offer's page follows."""
    offer = for_update(Offer.objects).get(pk=offer.pk)
    check_unit(by, offer.unit, Action.EDIT)
    if not may_edit(by, offer):
        raise ValidationError(_("An offer in this status cannot be changed."))
    before = offer_snapshot(offer)
    _apply(offer, data)
    if not may_edit(by, offer):  # moved to a unit outside the user's scope
        raise OutOfScope(_("You may not do this for the offers of %(unit)s.") % {"unit": offer.unit})
    _check(offer)
    after = offer_snapshot(offer)
    if after == before:
        return offer
    offer.version += 1
    offer.save()
    _keep_version(offer, by)
    audit.record(audit.Entry.Action.UPDATE, offer, by=by, unit=offer.unit, before=before, after=after)
    if offer.status == OfferStatus.PUBLISHED:
        cache.changed()
    return offer


def _save_move(
    offer: Offer,
    fields: list[str],
    *,
    by: User | None,
    before: dict[str, Any],
    after: dict[str, Any],
    note: str,
    public: bool,
) -> None:
    """Save an offer's change of status (``fields`` written), audited as an update from ``before``
    to ``after``; the public site's cache is dropped when it showed the offer or shows it now."""
    offer.save(update_fields=[*fields, "updated_at"])
    audit.record(
        audit.Entry.Action.UPDATE, offer, by=by, unit=offer.unit, before=before, after=after, note=note
    )
    if public:
        cache.changed()


@transaction.atomic
def move(offer: Offer, to: str, *, by: User | None, note: str = "") -> Offer:
    """Move an offer to status ``to`` as TRANSITIONS allows, with the action it names. Publishing
    needs every opinion asked to be answered; sending back and withdrawing need a reason."""
    offer = for_update(Offer.objects).get(pk=offer.pk)
    needed = TRANSITIONS.get((offer.status, to))
    if needed is None:
        raise ValidationError(
            _("An offer that is %(status)s cannot become %(to)s.")
            % {"status": offer.get_status_display(), "to": OfferStatus(to).label}
        )
    check_unit(by, offer.unit, needed)
    if to == OfferStatus.PUBLISHED and offer.opinions.filter(answered_at__isnull=True).exists():
        raise ValidationError(_("Wait for every department's opinion before publishing."))
    if (offer.status, to) in {
        (OfferStatus.REVIEW, OfferStatus.DRAFT),
        (OfferStatus.PUBLISHED, OfferStatus.WITHDRAWN),
    } and not note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    before = {"status": offer.status}
    was_public = offer.status == OfferStatus.PUBLISHED
    offer.status = to
    if to == OfferStatus.PUBLISHED:
        offer.published_at = timezone.now()
    public, after = was_public or to == OfferStatus.PUBLISHED, {"status": to}
    _save_move(offer, ["status", "published_at"], by=by, before=before, after=after, note=note, public=public)
    if to == OfferStatus.REVIEW:
        _tell_bureau(offer)
    return offer


def _tell_bureau(offer: Offer) -> None:
    """The bureau administrators of the offer's county hear of an offer to review."""
    from zhaoshang.accounts.models import Membership
    from zhaoshang.core.permissions import Role
    from zhaoshang.notifications.services import notify

    if offer.county is None:
        return
    admins = [
        m.user
        for m in Membership.objects.filter(
            unit=offer.county, role=Role.BUREAU_ADMIN, user__is_active=True
        ).select_related("user")
    ]
    notify(
        admins,
        title=_("Offer to review: %(name)s") % {"name": offer.name},
        body=str(offer.unit),
        link=offer.get_absolute_url(),
        key=f"offer-review-{offer.pk}-{offer.version}",
    )


@transaction.atomic
def ask_opinion(offer: Offer, department: Unit, *, by: User | None) -> Opinion:
    """Ask a department of the county (發改委 …) for its opinion on an offer in review; its
    operators are told."""
    from zhaoshang.accounts.services import operators_of
    from zhaoshang.notifications.services import notify

    offer = for_update(Offer.objects).get(pk=offer.pk)
    check_unit(by, offer.unit, Action.VERIFY)
    if offer.status != OfferStatus.REVIEW:
        raise ValidationError(_("Opinions are asked while the offer is in review."))
    if (
        department.kind != UnitKind.DEPARTMENT
        or offer.county is None
        or not department.path.startswith(offer.county.path)
    ):
        raise ValidationError({"department": _("Choose a department of the county.")})
    if offer.opinions.filter(department=department, answered_at__isnull=True).exists():
        raise ValidationError({"department": _("This department's opinion is already awaited.")})
    opinion = Opinion.objects.create(
        offer=offer, department=department, asked_by=by if getattr(by, "is_authenticated", False) else None
    )
    audit.record(audit.Entry.Action.CREATE, opinion, by=by, unit=offer.unit, after=audit.snapshot(opinion))
    notify(
        operators_of([department.pk]).get(department.pk, []),
        title=_("Your opinion is asked on the offer %(name)s") % {"name": offer.name},
        body=str(offer.unit),
        key=f"offer-opinion-{opinion.pk}",
        unit=department,
    )
    return opinion


@transaction.atomic
def record_opinion(opinion: Opinion, *, by: User | None, agrees: bool, text: str) -> Opinion:
    """Record the department's answer (the bureau enters what it received)."""
    opinion = for_update(Opinion.objects).select_related("offer__unit").get(pk=opinion.pk)
    check_unit(by, opinion.offer.unit, Action.VERIFY)
    if opinion.answered_at is not None:
        raise ValidationError(_("This opinion is already recorded."))
    if not text.strip():
        raise ValidationError({"text": _("Write the department's opinion.")})
    before = audit.snapshot(opinion)
    opinion.agrees, opinion.text, opinion.answered_at = agrees, text.strip(), timezone.now()
    opinion.save()
    audit.record(
        audit.Entry.Action.UPDATE,
        opinion,
        by=by,
        unit=opinion.offer.unit,
        before=before,
        after=audit.snapshot(opinion),
    )
    return opinion


@transaction.atomic
def add_file(offer: Offer, *, by: User | None, kind: str, file: Any, caption: str = "") -> OfferFile:
    """Attach a photo (.jpg/.png, shown publicly once the offer is published) or a document."""
    offer = for_update(Offer.objects).get(pk=offer.pk)
    if not may_edit(by, offer):
        raise OutOfScope(_("You may not change this offer."))
    if kind not in FileKind.values:
        raise ValidationError({"kind": _("Unknown kind of file.")})
    check_attachment(file)
    name = (getattr(file, "name", "") or "").lower()
    if kind == FileKind.PHOTO and not any(name.endswith(ext) for ext in PHOTO_TYPES):
        raise ValidationError({"file": _("A photo must be a .jpg or .png file.")})
    attached = OfferFile.objects.create(
        offer=offer,
        kind=kind,
        file=file,
        caption=caption[:200],
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(audit.Entry.Action.CREATE, attached, by=by, unit=offer.unit, after=audit.snapshot(attached))
    if offer.status == OfferStatus.PUBLISHED:
        cache.changed()
    return attached


@transaction.atomic
def take_up(
    offer: Offer,
    *,
    by: User | None,
    investor: Investor | None = None,
    name: str = "",
    note: str = "",
    project: Project | None = None,
) -> Project:
    """An investor takes up a published offer: it becomes a project of the ledger (in talks, at the
    offer's unit, through projects' own service), linked to the offer, which is marked taken. When
    the investor's project is in the ledger already (recorded as a lead before the offer was
    linked), ``project`` names it instead and no second project is made."""
    from zhaoshang.investors.models import Investor as InvestorModel
    from zhaoshang.projects import services as projects
    from zhaoshang.projects.choices import SECTION_SECTOR, Stage

    offer = for_update(Offer.objects).get(pk=offer.pk)
    check_unit(by, offer.unit, Action.VERIFY)
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(_("Only a published offer can be taken up."))
    if project is not None:
        return _link(offer, project, by=by, note=note)
    if investor is None or (
        by is not None and not InvestorModel.objects.visible_to(by).filter(pk=investor.pk).exists()
    ):
        raise ValidationError({"investor": _("Unknown investor.")})
    project = projects.create_project(
        by=by,
        data={
            "name": (name or offer.name)[:200],
            "description": offer.content,
            "industry_section": offer.industry,
            "sector": SECTION_SECTOR[offer.industry],
            "unit": offer.unit,
            "park": offer.park,
            "location": offer.place,
            "currency": offer.currency,
            "total_investment": offer.total_investment,
            "land_mu": offer.land_mu,
            "construction_area": offer.floor_area,
            "expected_output": offer.expected_sales,
            "expected_profit_tax": offer.expected_profit_tax,
            "jobs": offer.jobs,
        },
        stage=Stage.NEGOTIATING,
        investors=[investor],
        note=note or _("Taken up from the offer %(name)s.") % {"name": offer.name},
    )
    return _link(offer, project, by=by, note=note)


def _link(offer: Offer, project: Project, *, by: User | None, note: str) -> Project:
    from zhaoshang.projects.models import Project as ProjectModel

    if by is not None and not ProjectModel.objects.visible_to(by, Action.EDIT).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("Unknown project.")})
    if Offer.objects.filter(project=project).exclude(pk=offer.pk).exists():
        raise ValidationError({"project": _("This project is linked to another offer already.")})
    offer.project = project
    offer.status = OfferStatus.TAKEN
    before, after = {"status": OfferStatus.PUBLISHED}, {"status": OfferStatus.TAKEN, "project": project.pk}
    _save_move(offer, ["project", "status"], by=by, before=before, after=after, note=note, public=True)
    return project


@transaction.atomic
def set_fairs(offer: Offer, fairs: Iterable[Any], *, by: User | None) -> None:
    """The trade fairs (activities of the fair kind the user may see) where the offer was promoted."""
    from zhaoshang.activities.choices import ActivityKind
    from zhaoshang.activities.models import Activity

    check_unit(by, offer.unit, Action.EDIT)
    ids = {f.pk for f in fairs}
    visible = Activity.objects.visible_to(by) if by is not None else Activity.objects.all()
    if visible.filter(pk__in=ids, kind=ActivityKind.FAIR).count() != len(ids):
        raise ValidationError({"fairs": _("Choose trade fairs.")})
    before = sorted(offer.fairs.values_list("pk", flat=True))
    offer.fairs.set(ids)
    if sorted(ids) != before:
        audit.record(
            audit.Entry.Action.UPDATE,
            offer,
            by=by,
            unit=offer.unit,
            before={"fairs": before},
            after={"fairs": sorted(ids)},
        )


@transaction.atomic
def save_profile(county: Unit, *, by: User | None, data: dict[str, Any]) -> CountyProfile:
    """The county's public profile, written by its bureau."""
    check_unit(by, county, Action.VERIFY)
    if county.kind != UnitKind.COUNTY:
        raise ValidationError(_("Only a county has a profile."))
    profile, _created = CountyProfile.objects.get_or_create(county=county)
    before = audit.snapshot(profile)
    for name in ("intro", "intro_en", "advantages", "advantages_en", "policies", "policies_en", "published"):
        if name in data:
            setattr(profile, name, data[name])
    profile.save()
    audit.record(
        audit.Entry.Action.UPDATE, profile, by=by, unit=county, before=before, after=audit.snapshot(profile)
    )
    cache.changed()
    return profile


# --- inquiries from the public site ---------------------------------------------------------------


def new_reference() -> str:
    """A visitor's reference number: ZX, the date, and six random characters (not guessable)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"ZX{timezone.localdate():%Y%m%d}{''.join(secrets.choice(alphabet) for _ in range(6))}"


@transaction.atomic
def receive_inquiry(
    *, offer_id: int | None, county: Unit | None, name: str, organisation: str, contact: str, message: str
) -> Inquiry:
    """A visitor's inquiry: an inquiry activity of the offer's unit (or of the county's bureau for
    one about the site) on the response clock, a notice to that unit's operators, and the
    reference number the visitor is given. All or nothing."""
    from zhaoshang.accounts.services import operators_of
    from zhaoshang.activities.choices import ActivityKind, Channel
    from zhaoshang.activities.services import create_activity
    from zhaoshang.notifications.services import notify

    offer = None
    if offer_id is not None:
        published = Offer.objects.published().filter(pk=offer_id).values_list("pk", flat=True)
        offer = Offer.objects.filter(pk__in=list(published)).select_related("unit").first()
        if offer is None:
            raise ValidationError(_("This project is no longer on offer."))
    unit = offer.unit if offer is not None else county
    if unit is None:
        raise ValidationError(_("No unit receives inquiries here."))
    about = offer.name if offer is not None else _("the investment environment")
    now = timezone.now()
    activity = create_activity(
        by=None,
        data={
            "kind": ActivityKind.INQUIRY,
            "unit": unit,
            "title": (_("Online inquiry: %(about)s") % {"about": about})[:200],
            "starts_on": timezone.localdate(now),
            "channel": Channel.WEBSITE,
            "received_at": now,
            "content": "\n".join(
                part
                for part in (
                    f"{name}" + (f"（{organisation}）" if organisation else ""),
                    contact,
                    message,
                )
                if part
            ),
        },
    )
    inquiry = Inquiry.objects.create(
        reference=new_reference(),
        offer=offer,
        activity=activity,
        name=name,
        organisation=organisation,
        contact=contact,
        message=message,
    )
    notify(
        operators_of([unit.pk]).get(unit.pk, []),
        title=_("New online inquiry %(reference)s: %(about)s")
        % {"reference": inquiry.reference, "about": about},
        body=message[:300],
        link=activity.get_absolute_url(),
        key=f"inquiry-{inquiry.reference}",
        unit=unit,
    )
    return inquiry


@transaction.atomic
def set_fair_offers(activity: Any, offers: Iterable[Offer], *, by: User | None) -> None:
    """The offers promoted at a trade fair (an activity of the fair kind the user may edit); offers
    the user cannot see stay as they are."""
    from zhaoshang.activities.choices import ActivityKind
    from zhaoshang.activities.services import check_unit as check_activity_unit

    if activity.kind != ActivityKind.FAIR:
        raise ValidationError(_("Only a trade fair lists the offers promoted."))
    check_activity_unit(by, activity.unit, Action.EDIT)
    chosen = {o.pk for o in offers}
    visible = Offer.objects.visible_to(by) if by is not None else Offer.objects.all()
    if visible.filter(pk__in=chosen).count() != len(chosen):
        raise ValidationError({"offers": _("Unknown offer.")})
    hidden = set(activity.offers.exclude(pk__in=visible.values("pk")).values_list("pk", flat=True))
    before = sorted(activity.offers.values_list("pk", flat=True))
    activity.offers.set(chosen | hidden)
    after = sorted(chosen | hidden)
    if after != before:
        audit.record(
            audit.Entry.Action.UPDATE,
            activity,
            by=by,
            unit=activity.unit,
            before={"offers": before},
            after={"offers": after},
        )
