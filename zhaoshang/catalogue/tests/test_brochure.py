"""The brochure (項目冊): cover, contents and a page per offer with its photo, as .docx at once and
as PDF through the job queue; the PDF page is rendered to PNG to see the Chinese text is there."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhaoshang.catalogue import services
from zhaoshang.catalogue.tests.factories import make_offer
from zhaoshang.core.documents import pdf
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.testing import run_queued


def poppler(program: str, *args: str, input: bytes | None = None) -> str:
    """The output of one of poppler's programs (found on the PATH, as the other document tests do)."""
    found = shutil.which(program)
    assert found is not None, program
    return subprocess.run([found, *args], input=input, capture_output=True, check=True).stdout.decode()  # noqa: S603


def png_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def offers(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tea = make_offer(cast, status="published", name="富硒茶叶精深加工项目")
    services.add_file(tea, by=None, kind="photo", file=SimpleUploadedFile("茶园.png", png_photo()))
    logistics = make_offer(cast, status="published", name="冷链物流园项目", industry="G")
    make_offer(cast, name="草稿不入册项目")
    return [tea, logistics]


def test_the_docx_has_a_cover_contents_and_a_page_per_offer_with_its_photo(client, cast, offers):
    client.force_login(cast.leader)
    page = client.get(reverse("catalogue:brochure")).content.decode()
    assert "富硒茶叶精深加工项目" in page and "草稿不入册项目" not in page
    response = client.post(
        reverse("catalogue:brochure"),
        {"offers": [o.pk for o in offers], "title": "2026年重点招商项目册", "format": "docx"},
    )
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        xml = docx.read("word/document.xml").decode()
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert "2026年重点招商项目册" in xml and "1. 富硒茶叶精深加工项目" in xml and "2. 冷链物流园项目" in xml
    assert xml.count('w:type="page"') >= 3  # after the cover, the contents and the first offer
    assert len(media) == 1  # the photo


def test_a_draft_cannot_be_put_in_the_brochure(client, cast, offers):
    draft = make_offer(cast, name="另一草稿")
    client.force_login(cast.admin)
    response = client.post(
        reverse("catalogue:brochure"), {"offers": [draft.pk], "title": "册", "format": "docx"}
    )
    assert response.status_code == 400


@pytest.mark.skipif(
    pdf.soffice() is None or shutil.which("pdftoppm") is None, reason="LibreOffice or poppler missing"
)
def test_the_pdf_is_made_by_a_job_and_its_pages_show_chinese(client, cast, offers):
    client.force_login(cast.admin)
    response = client.post(
        reverse("catalogue:brochure"),
        {"offers": [o.pk for o in offers], "title": "重点招商项目册", "format": "pdf"},
    )
    job = Job.objects.get(kind="catalogue.brochure_pdf")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    run_queued()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    content = job.output.read()
    assert content.startswith(b"%PDF")
    text = poppler("pdftotext", "-", "-", input=content)
    assert "富硒茶叶精深加工项目" in "".join(text.split())
    fonts = poppler("pdffonts", "-", input=content)
    assert any(name in fonts for name in ("CJK", "UKai", "Ming", "Song", "Hei")), fonts  # a Chinese font
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "b.pdf"
        source.write_bytes(content)
        # The contents (page 2: Chinese text only) and the first offer's page (3: photo and table).
        poppler("pdftoppm", "-f", "2", "-l", "3", "-r", "50", "-png", str(source), str(Path(tmp) / "p"))
        pages = [Image.open(png).convert("L") for png in sorted(Path(tmp).glob("p*.png"))]
    assert len(pages) == 2
    for image in pages:
        dark = sum(image.histogram()[:128])
        assert dark > image.width * image.height * 0.002, "the page is blank"
