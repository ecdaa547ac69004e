"""A full disk during an upload or a write (issue 25): a clear message with 507, nothing kept."""

from __future__ import annotations

import errno

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Attachment, Project


def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_an_upload_on_a_full_disk_says_so_and_keeps_nothing(client, cast, monkeypatch):
    project = project_services.create_project(
        by=cast.operator_a, data={"name": "满盘项目", "unit": cast.town_a, "total_investment": 1}
    )
    client.force_login(cast.operator_a)
    monkeypatch.setattr(FileSystemStorage, "_save", _full)
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    response = client.post(
        reverse("projects:attach", args=[project.pk]), {"kind": "contract", "file": upload}
    )
    assert response.status_code == 507
    assert "磁盘已满" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_api_write_on_a_full_disk_answers_507_in_json(client, cast, monkeypatch):
    client.force_login(cast.operator_a)
    monkeypatch.setattr("zhaoshang.projects.services.create_project", _full)
    response = client.post(
        "/api/projects",
        {"name": "满盘项目", "unit_id": cast.town_a.pk, "total_investment": "1"},
        content_type="application/json",
    )
    assert response.status_code == 507 and "磁盘已满" in response.json()["detail"]
    assert not Project.objects.exists()
