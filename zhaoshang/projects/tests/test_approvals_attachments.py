"""The approvals checklist and attachments on the detail page, scoped like their project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.projects.choices import ApprovalKind
from zhaoshang.projects.models import Approval, Attachment


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def approvals_post(**rows):
    data = {}
    for kind in ApprovalKind.values:
        done, on, ref = rows.get(kind, (False, "", ""))
        if done:
            data[f"{kind}-done"] = "on"
        data[f"{kind}-done_on"] = on
        data[f"{kind}-reference"] = ref
    return data


def test_an_operator_ticks_approvals(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    client.post(
        reverse("projects:approvals", args=[project.pk]),
        approvals_post(land=(True, "2024-03-02", "示国用(2024)12号")),
    )
    land = Approval.objects.get(project=project, kind="land")
    assert (land.done, land.done_on, land.reference) == (True, dt.date(2024, 3, 2), "示国用(2024)12号")
    assert not Approval.objects.get(project=project, kind="planning").done


def test_an_approval_ticked_without_a_date_is_refused(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    response = client.post(
        reverse("projects:approvals", args=[project.pk]), approvals_post(land=(True, "", "")), follow=True
    )
    assert not Approval.objects.filter(project=project, done=True).exists()
    assert list(response.context["messages"])


def test_attachments_upload_and_download_within_scope_only(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    client.post(
        reverse("projects:attach", args=[project.pk]),
        {"kind": "contract", "title": "投资合同", "file": upload},
    )
    attachment = Attachment.objects.get(project=project)
    url = reverse("projects:attachment", args=[project.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 contract"
    client.force_login(cast.operator_b)
    assert client.get(url).status_code == 404
    upload = SimpleUploadedFile("x.pdf", b"x")
    assert (
        client.post(
            reverse("projects:attach", args=[project.pk]), {"kind": "other", "file": upload}
        ).status_code
        == 404
    )
    assert Attachment.objects.count() == 1


def test_a_leader_cannot_change_approvals(client, cast):
    project = cast.project()
    client.force_login(cast.leader)
    response = client.post(
        reverse("projects:approvals", args=[project.pk]), approvals_post(land=(True, "2024-03-02", ""))
    )
    assert response.status_code == 404
    assert not Approval.objects.exists()


def test_uploaded_files_are_not_served_as_public_media_even_in_debug(client, cast, settings):
    import importlib

    from django.urls import clear_url_caches

    import zhaoshang.urls

    project = cast.project()
    client.force_login(cast.operator_a)
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 secret")
    client.post(reverse("projects:attach", args=[project.pk]), {"kind": "contract", "file": upload})
    name = Attachment.objects.get().file.name
    client.logout()
    settings.DEBUG = True
    settings.MEDIA_URL = "/media/"
    try:
        importlib.reload(zhaoshang.urls)  # the URL list as `make run` builds it
        clear_url_caches()
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(zhaoshang.urls)
        clear_url_caches()
