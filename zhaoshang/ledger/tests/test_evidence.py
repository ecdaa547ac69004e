"""Evidence rules: an indicator lists the documents its funds need before they are verified; verifying
without them is refused with the list of what is missing, and the queue shows what is there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.choices import Evidence
from zhaoshang.ledger.indicators import update_indicator
from zhaoshang.ledger.models import FundsArrival, Indicator
from zhaoshang.projects import services as projects

ON = dt.date(2024, 5, 1)


@pytest.fixture
def rules(cast):
    """Domestic funds need the bank slip, the contract and the business licence."""
    indicator = Indicator.objects.get(code="funds_domestic")
    indicator.evidence = ["licence", "bank_slip", "contract"]
    indicator.save()
    return indicator


def record(project, *, slip=False, source="domestic"):
    evidence = SimpleUploadedFile("银行进账单.pdf", b"slip") if slip else None
    return funds_service.record_funds(
        project, by=None, arrived_on=ON, source=source, amount=Decimal(10), evidence=evidence
    )


def attach(project, kind):
    projects.add_attachment(project, by=None, kind=kind, file=SimpleUploadedFile(f"{kind}.pdf", b"x"))


def test_verifying_without_the_documents_is_refused_naming_each_missing_one(cast, rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast.project()
    funds = record(project)
    with pytest.raises(ValidationError) as refused:
        funds_service.verify_funds(funds, by=cast.admin)
    (message,) = refused.value.messages
    labels = [str(Evidence(doc).label) for doc in ("bank_slip", "contract", "licence")]
    assert message == _("These funds cannot be verified without: %(documents)s.") % {
        "documents": "、".join(labels)
    }
    assert FundsArrival.objects.get(pk=funds.pk).status == "reported"


def test_with_every_document_the_funds_are_verified(cast, rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast.project()
    attach(project, "contract")
    attach(project, "licence")
    funds = record(project, slip=True)
    assert funds_service.verify_funds(funds, by=cast.admin).status == "verified"


def test_one_document_missing_is_the_only_one_named(cast, rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast.project()
    attach(project, "contract")
    funds = record(project, slip=True)
    with pytest.raises(ValidationError) as refused:
        funds_service.verify_funds(funds, by=cast.admin)
    assert refused.value.messages == [
        _("These funds cannot be verified without: %(documents)s.") % {"documents": Evidence.LICENCE.label}
    ]


def test_recording_funds_as_verified_needs_the_documents_too(cast, rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast.project()
    with pytest.raises(ValidationError):
        funds_service.record_funds(
            project, by=cast.admin, arrived_on=ON, source="domestic", amount=Decimal(5), verified=True
        )
    assert not FundsArrival.objects.exists()


def test_funds_of_a_kind_without_rules_are_verified_as_before(cast, rules):
    project = cast.project()
    foreign = record(project, source="foreign")
    assert funds_service.verify_funds(foreign, by=cast.admin).status == "verified"


def test_the_bureau_sets_the_rules_on_the_indicator(cast, settings):
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role

    sysadmin = User.objects.create_user(username="sys", password="x")
    Membership.objects.create(user=sysadmin, unit=cast.province, role=Role.SYSTEM_ADMIN)
    indicator = Indicator.objects.get(code="funds_foreign")
    update_indicator(indicator, by=sysadmin, evidence=["tax", "capital"])
    assert Indicator.objects.get(pk=indicator.pk).evidence == ["capital", "tax"]
    with pytest.raises(ValidationError):
        update_indicator(indicator, by=sysadmin, evidence=["passport"])


def test_the_queue_shows_the_vouchers_and_what_is_missing(client, cast, rules, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast.project()
    attach(project, "contract")
    record(project, slip=True)
    client.force_login(cast.admin)
    text = client.get(reverse("ledger:funds_queue")).content.decode()
    assert 'data-testid="funds-evidence"' in text and 'data-testid="project-voucher"' in text
    assert 'data-testid="lacking"' in text and str(Evidence.LICENCE.label) in text


def test_a_progress_report_is_not_verified_while_its_funds_lack_the_documents(
    cast, rules, settings, tmp_path
):
    """The report's funds go through the same check: the whole verification is refused, nothing counts."""
    from zhaoshang.core.tests.endpoints import DISPATCH_DAY
    from zhaoshang.dispatch import services as dispatch
    from zhaoshang.dispatch.models import Round

    settings.MEDIA_ROOT = tmp_path
    project = cast.project(
        name="报告项目", stage="signed", signed_on=dt.date(2026, 1, 5), contracted_amount=Decimal(100)
    )
    dispatch.open_rounds(DISPATCH_DAY)
    report = dispatch.create_report(Round.objects.get(county=cast.county), project, by=None)
    dispatch.add_funds_line(
        report,
        by=None,
        source="domestic",
        amount=Decimal(3),
        arrived_on=dt.date(2026, 3, 1),
        evidence=SimpleUploadedFile("进账单.pdf", b"slip"),
    )
    dispatch.submit_report(report, by=None, today=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError) as refused:
        dispatch.verify_report(report, by=cast.admin)
    assert str(Evidence.CONTRACT.label) in " ".join(refused.value.messages)
    report.refresh_from_db()
    assert report.status == "submitted" and FundsArrival.objects.get(project=project).status == "reported"
    attach(project, "contract")
    attach(project, "licence")
    assert dispatch.verify_report(report, by=cast.admin).status == "verified"
