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
