"""The offer's life: drafted by a unit, reviewed by the bureau with departments' opinions, published,
withdrawn, taken up into the ledger; every change a version and an audit entry; scope enforced."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.audit.models import Entry
from zhaoshang.catalogue import cache, services
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Offer, OfferVersion
from zhaoshang.catalogue.tests.factories import make_offer, offer_data
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.notifications.models import Notification


def test_a_unit_drafts_its_own_offer_and_no_other(cast):
    offer = services.create_offer(by=cast.operator_a, data=offer_data(cast.town_a))
    assert offer.status == OfferStatus.DRAFT and offer.version == 1 and offer.county == cast.county
    assert OfferVersion.objects.filter(offer=offer, number=1).exists()
    assert Entry.objects.filter(
        object_type="catalogue.offer", object_id=str(offer.pk), action="create"
    ).exists()
    with pytest.raises(OutOfScope):
        services.create_offer(by=cast.operator_a, data=offer_data(cast.town_b))
    with pytest.raises(OutOfScope):
        services.create_offer(by=cast.leader, data=offer_data(cast.town_a))


def test_money_is_checked_and_kept_exact(cast):
    with pytest.raises(ValidationError) as error:
        services.create_offer(
            by=cast.operator_a, data=offer_data(cast.town_a, sought_amount=Decimal("12000.01"))
        )
    assert "sought_amount" in error.value.message_dict
    offer = services.create_offer(
        by=cast.operator_a,
        data=offer_data(cast.town_a, total_investment=Decimal("0.0001"), sought_amount=None),
    )
    offer.refresh_from_db()
    assert offer.total_investment == Decimal("0.0001")


def test_every_change_is_a_version_and_an_audit_entry(cast):
    offer = services.create_offer(by=cast.operator_a, data=offer_data(cast.town_a))
    services.update_offer(offer, by=cast.operator_a, data={"name": "生态茶园二期"})
    services.update_offer(offer, by=cast.operator_a, data={"name": "生态茶园二期"})  # no change, no version
    offer.refresh_from_db()
    assert offer.version == 2
    assert list(offer.versions.values_list("number", flat=True)) == [2, 1]
    assert offer.versions.get(number=1).data["name"] == "生态茶园综合开发项目"
    entry = Entry.objects.filter(object_id=str(offer.pk), action="update").get()
    assert entry.before["name"] == "生态茶园综合开发项目" and entry.after["name"] == "生态茶园二期"


def test_review_publish_withdraw(cast, department_operator, django_capture_on_commit_callbacks):
    offer = services.create_offer(by=cast.operator_a, data=offer_data(cast.town_a))
    with pytest.raises(ValidationError):  # a draft is reviewed first
        services.move(offer, OfferStatus.PUBLISHED, by=cast.admin)
    services.move(offer, OfferStatus.REVIEW, by=cast.operator_a)
    assert Notification.objects.filter(recipient=cast.admin, title__contains=offer.name).exists()
    with pytest.raises(ValidationError):  # in review the unit cannot change it any more
        services.update_offer(offer, by=cast.operator_a, data={"name": "改名"})
    with pytest.raises(OutOfScope):
        services.move(offer, OfferStatus.PUBLISHED, by=cast.operator_a)
    opinion = services.ask_opinion(offer, cast.department, by=cast.admin)
    assert Notification.objects.filter(recipient=department_operator, title__contains=offer.name).exists()
    with pytest.raises(ValidationError):  # an opinion is awaited
        services.move(offer, OfferStatus.PUBLISHED, by=cast.admin)
    services.record_opinion(opinion, by=cast.admin, agrees=True, text="同意")
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(offer, OfferStatus.PUBLISHED, by=cast.admin)
    assert cache.generation() == before + 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED and offer.published_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # the bureau translates
        services.update_offer(offer, by=cast.admin, data={"name_en": "Eco tea garden"})
    with pytest.raises(ValidationError):
        services.move(offer, OfferStatus.WITHDRAWN, by=cast.admin)  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        services.move(offer, OfferStatus.WITHDRAWN, by=cast.admin, note="用地调整")
    assert cache.generation() == before + 3  # the translation of a published offer, and the withdrawal
    with pytest.raises(ValidationError):
        services.move(offer, OfferStatus.PUBLISHED, by=cast.admin)  # withdrawn: drafted again first
    services.move(offer, OfferStatus.DRAFT, by=cast.operator_a)
    statuses = [e.after.get("status") for e in Entry.objects.filter(object_id=str(offer.pk)).order_by("seq")]
    # created, submitted, published, translated (a full snapshot), withdrawn, drafted again
    assert [s for s in statuses if s] == ["draft", "review", "published", "published", "withdrawn", "draft"]


def test_the_stranger_cannot_touch_the_countys_offers(cast):
    offer = make_offer(cast, status=OfferStatus.REVIEW)
    for call in (
        lambda: services.move(offer, OfferStatus.PUBLISHED, by=cast.stranger),
        lambda: services.update_offer(offer, by=cast.stranger, data={"name": "x"}),
        lambda: services.ask_opinion(offer, cast.department, by=cast.stranger),
    ):
        with pytest.raises(OutOfScope):
            call()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.REVIEW


def test_taken_up_it_becomes_a_project_of_the_ledger(cast):
    offer = make_offer(cast, status=OfferStatus.PUBLISHED)
    investor = cast.project(cast.town_a, name="另一项目").investors.get()
    with pytest.raises(OutOfScope):
        services.take_up(offer, by=cast.operator_a, investor=investor)
    project = services.take_up(offer, by=cast.admin, investor=investor)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN and offer.project == project and project.offer == offer
    assert project.stage == "negotiating" and project.unit == cast.town_a
    assert project.total_investment == offer.total_investment and list(project.investors.all()) == [investor]
    assert project.industry_section == "A" and project.sector == "primary"
    with pytest.raises(ValidationError):
        services.take_up(offer, by=cast.admin, investor=investor)


def test_files_are_checked(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_ATTACHMENT_BYTES = 10
    offer = make_offer(cast)
    with pytest.raises(ValidationError):
        services.add_file(
            offer, by=cast.operator_a, kind="photo", file=SimpleUploadedFile("a.jpg", b"x" * 11)
        )
    with pytest.raises(ValidationError):
        services.add_file(offer, by=cast.operator_a, kind="photo", file=SimpleUploadedFile("a.exe", b"x"))
    with pytest.raises(OutOfScope):
        services.add_file(offer, by=cast.operator_b, kind="file", file=SimpleUploadedFile("a.pdf", b"x"))
    services.add_file(offer, by=cast.operator_a, kind="photo", file=SimpleUploadedFile("茶园.jpg", b"x"))
    assert offer.files.count() == 1


def test_the_demo_catalogue(db):
    """The demo county's catalogue: about thirty offers at every step, some published with and some
    without English, one taken into the ledger, promoted at fairs, inquiries on the clock."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.catalogue.models import Inquiry
    from zhaoshang.demo.demo import load_demo

    load_demo(projects=40)
    offers = Offer.objects.all()
    assert 28 <= offers.count() <= 32
    statuses = set(offers.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published", "withdrawn", "taken"}
    published = Offer.objects.published()
    assert published.count() >= 12
    assert published.exclude(name_en="").exists() and published.filter(name_en="").exists()
    assert Offer.objects.get(status="taken").project is not None
    assert Activity.objects.filter(kind="fair", offers__isnull=False).exists()
    assert Inquiry.objects.count() == 3


def test_a_project_already_in_the_ledger_can_take_an_offer_up(cast):
    offer = make_offer(cast, status=OfferStatus.PUBLISHED)
    lead = cast.project(cast.town_a, name="已登记项目")
    foreign = cast.project(cast.other_town, name="邻县项目")
    with pytest.raises(OutOfScope):  # the bureau hands an offer over, not the township
        services.take_up(offer, by=cast.operator_a, project=lead)
    with pytest.raises(ValidationError):  # a project the bureau cannot see
        services.take_up(offer, by=cast.admin, project=foreign)
    assert services.take_up(offer, by=cast.admin, project=lead) == lead
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN and offer.project == lead
