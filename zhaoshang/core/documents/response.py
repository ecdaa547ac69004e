"""The one download response: every generated file (.docx, .xlsx, .zip, .pdf) leaves through it."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def download_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """An attachment named twice: plainly in ASCII for old clients (the Chinese dropped, "export"
    when nothing is left) and RFC 5987-encoded in UTF-8, which every current browser prefers."""
    response = HttpResponse(content, content_type=content_type)
    stem, _dot, extension = filename.rpartition(".")
    if not stem:
        stem, extension = extension, ""
    ascii_stem = stem.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "").strip(" -_")
    ascii_name = f"{ascii_stem or 'export'}.{extension}" if extension else ascii_stem or "export"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return download_response(content, filename, DOCX_TYPE)
