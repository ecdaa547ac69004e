"""ingest_report on bad input: a clear message, in the user's language, and no output."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.mark.parametrize(
    ("content", "english"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02\x03PK" * 1000, "not text"),
        ("Ceci n'est pas un rapport, aucun caractère chinois.\n".encode("latin-1") * 20, "no Chinese text"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path: Path, content: bytes, english: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match=english):
        call_command("ingest_report", str(path), "--json", stdout=out)
    assert out.getvalue() == ""


def test_a_50_mb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes("全年引进项目9个。".encode() * (50 * 1024 * 1024 // 24))
    with translation.override("en"), pytest.raises(CommandError, match="too large"):
        call_command("ingest_report", str(path))


def test_a_missing_file(tmp_path: Path) -> None:
    with translation.override("en"), pytest.raises(CommandError, match="No such file"):
        call_command("ingest_report", str(tmp_path / "nothing.txt"))
