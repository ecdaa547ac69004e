"""The PDF of the summary, made on the server: a page rendered to PNG is neither blank nor tofu, its
text reads back, and the chart is drawn with a CJK font."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from zhaoshang.core.documents import to_pdf
from zhaoshang.core.documents.pdf import soffice
from zhaoshang.summaries import chart, document
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009
from zhaoshang.summaries.tests.test_summary import TODAY

PDFTOPPM, PDFTOTEXT, PDFFONTS = (shutil.which(p) or p for p in ("pdftoppm", "pdftotext", "pdffonts"))
needs_office = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftoppm") is None, reason="scripts/install_office.sh not run"
)


def page_png(pdf: bytes, tmp_path, page: int = 1) -> bytes:
    source = tmp_path / "summary.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - poppler on our own temporary files
        [
            PDFTOPPM,
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return next(tmp_path.glob("page*.png")).read_bytes()


def ink(png: bytes) -> float:
    """The share of the page's pixels that are not white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(1 for value in image.tobytes() if value < 200)
    return dark / (image.width * image.height)


def fonts_of(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    found = subprocess.run([PDFFONTS, str(source)], capture_output=True, text=True, check=True)  # noqa: S603
    return found.stdout


@needs_office
def test_the_summary_pdf_shows_its_text_in_the_mapped_fonts(cast, tmp_path):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    drawn = chart.chart_for(unit, facts.figures, 12)
    pdf = to_pdf(document.summary_document(facts, {}, chart=drawn))
    assert pdf.startswith(b"%PDF")
    png = page_png(pdf, tmp_path)
    assert 0.005 < ink(png) < 0.5  # not blank, not a black page
    read = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
    text = read.stdout.decode()
    assert "全镇共引进项目9个" in text.replace("\n", "").replace(" ", "")
    fonts = fonts_of(pdf, tmp_path)
    # 仿宋 is FandolFang, not a Song face and not a fallback (tofu would show as a .notdef face).
    assert "FandolFang" in fonts and "NotoSansCJK" in fonts
    assert "DejaVu" not in fonts and "LastResort" not in fonts


def test_the_chart_draws_chinese_with_a_cjk_font(cast):
    # make test installs the fonts first (scripts/install_office.sh): a missing one is a failure
    assert chart.cjk_font_path() is not None, "no CJK font found by fontconfig"
    assert "NotoSansCJK" in chart.cjk_font_path().replace(" ", "")
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font": tofu
        png = chart.chart_for(unit, facts.figures, 12)
    assert png is not None and png.startswith(b"\x89PNG") and ink(png) > 0.01


@needs_office
def test_the_pdf_download_is_scoped(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_b)
    assert client.get(reverse("summaries:summary_pdf", args=[unit.pk, YEAR, 1, 12])).status_code == 404
    client.force_login(cast.operator_a)
    response = client.get(reverse("summaries:bulletin_pdf", args=[unit.pk, YEAR, 12]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
