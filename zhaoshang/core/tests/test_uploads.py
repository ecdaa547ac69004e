"""One size limit for attached files, whichever app stores them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.coordination import services as coordination
from zhaoshang.core.errors import ValidationError
from zhaoshang.projects import services as projects


@pytest.fixture
def small_limit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_ATTACHMENT_BYTES = 1024
    return settings


def big(name: str = "扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * 1025)


def test_a_project_attachment_over_the_limit_is_refused_with_the_limit_named(cast, small_limit):
    project = cast.project()
    with pytest.raises(ValidationError) as error:
        projects.add_attachment(project, by=cast.admin, kind="contract", file=big())
    assert "0.000976562 MB" in str(error.value.message_dict["file"])  # the limit, as :g prints it
    assert not project.attachments.exists()
    projects.add_attachment(
        project, by=cast.admin, kind="contract", file=SimpleUploadedFile("ok.pdf", b"x" * 1024)
    )
    assert project.attachments.count() == 1


def test_a_request_file_over_the_same_limit_is_refused(cast, small_limit):
    with pytest.raises(ValidationError) as error:
        coordination.raise_request(
            kind="staff_problem", title="x", description="x", unit=cast.town_a, by=cast.operator_a, file=big()
        )
    assert "file" in error.value.message_dict


def test_funds_of_a_report_line_without_a_stored_file_are_recorded(cast, small_limit):
    # Generated and imported reports carry funds lines whose evidence field is empty; submitting them
    # records their funds, and the size check has nothing to measure (it raised ValueError: the
    # national bench's burst failed on it).
    import datetime as dt
    from decimal import Decimal

    from zhaoshang.core.uploads import check_attachment
    from zhaoshang.dispatch.models import FundsLine
    from zhaoshang.ledger.funds import record_funds

    check_attachment(FundsLine().evidence)
    funds = record_funds(
        cast.project(),
        by=cast.admin,
        arrived_on=dt.date(2024, 5, 1),
        source="domestic",
        amount=Decimal(1),
        evidence=FundsLine().evidence,
    )
    assert not funds.evidence
