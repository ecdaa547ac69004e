"""Step 0: the text of an uploaded file. Plain text is passed on as bytes (the decoder detects its
encoding); HTML, Word and PDF files are read to text here (the PDF needs a text layer)."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from django.utils.translation import gettext_noop

from zhaoshang.ingest.reader.decode import MAX_BYTES, ReaderError

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


class _Text(HTMLParser):
    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "select", "button"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of a page, one block a line; navigation, headers and footers left out."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in re.split(r"\n\s*\n*", text) if line.strip())


def _html(data: bytes) -> bytes:
    from zhaoshang.ingest.reader.decode import decode

    m = re.search(rb"charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096])
    if m:
        try:
            return html_text(data.decode(m.group(1).decode(), errors="strict")).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return html_text(decode(data).text).encode("utf-8")


def _docx(data: bytes) -> bytes:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ReaderError(gettext_noop("The Word file could not be opened.")) from None
    return "\n".join(p.text for p in document.paragraphs).encode("utf-8")


def _pdf(data: bytes) -> bytes:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError):
        raise ReaderError(gettext_noop("The PDF file could not be opened.")) from None
    if not text.strip():
        raise ReaderError(gettext_noop("The PDF file has no text layer (a scan): it cannot be read."))
    return text.encode("utf-8")


def file_bytes(name: str, data: bytes) -> bytes:
    """The bytes of the text of a file named ``name``; ReaderError when it cannot be a report."""
    if len(data) > MAX_BYTES:
        raise ReaderError(gettext_noop("The file is too large (more than 20 MB) to be a report."))
    if not data.strip():
        raise ReaderError(gettext_noop("The file is empty."))
    lower = name.lower()
    if lower.endswith((".html", ".htm")):
        return _html(data)
    if lower.endswith(".docx"):
        return _docx(data)
    if lower.endswith(".pdf"):
        return _pdf(data)
    if lower.endswith(".txt") or "." not in lower.rsplit("/", 1)[-1]:
        return data
    raise ReaderError(gettext_noop("Only .txt, .html, .docx and .pdf files can be read."))
