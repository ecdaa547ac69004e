"""PDF from a generated .docx, on the server, with LibreOffice.

LibreOffice finds fonts through fontconfig; ``fonts.conf`` beside this module maps the font names of
an official document (仿宋_GB2312, 方正小标宋简体 …) to free fonts, so the PDF shows the intended kind
of type instead of whatever fontconfig picks for an unknown name. Each conversion runs in a profile
directory of its own: two conversions at once, or one beside a user's LibreOffice, would otherwise
share (and lock) one profile.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")
TIMEOUT_SECONDS = 120  # a long agreement converts in about 5 s on one busy core


class ConversionError(RuntimeError):
    """The document could not be converted: LibreOffice is missing, failed or took too long. The
    message is for the operator and the log (like the other internal errors, in English); a page
    that offers a PDF says so to its user in its own translated words."""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a .docx document."""
    program = soffice()
    if program is None:
        raise ConversionError(
            "LibreOffice is not installed, so no PDF can be made: install the Debian packages "
            "libreoffice-writer-nogui, fonts-noto-cjk and fonts-arphic-ukai (scripts/install_office.sh)."
        )
    with tempfile.TemporaryDirectory(prefix="zhaoshang-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
        # A session of its own, so that a timeout ends soffice.bin too and not only its launcher.
        process = subprocess.Popen(  # noqa: S603 - a fixed program and our own temporary files
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(
                f"LibreOffice took more than {timeout} seconds to convert the document."
            ) from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            detail = err.decode(errors="replace").strip() or f"exit status {process.returncode}"
            raise ConversionError(f"LibreOffice could not convert the document: {detail}")
        return target.read_bytes()
