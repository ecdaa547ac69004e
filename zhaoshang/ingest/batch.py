"""A batch of reports: a folder or a .zip, read one file at a time, each file an upload of its own
to review (a file that cannot be read is named in the job's outcome and leaves nothing behind)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from zhaoshang.ingest.reader.decode import MAX_BYTES
from zhaoshang.ingest.reader.documents import SUFFIXES

MAX_FILES = 500


def _name(info: zipfile.ZipInfo) -> str:
    """The member's name: zip files made on Chinese Windows store it in GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def members(path: Path) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes) of each report in the folder or .zip at ``path``; bytes None for a file too
    large to read. Other kinds of file are passed over."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        for file in files[:MAX_FILES]:
            yield file.name, (file.read_bytes() if file.stat().st_size <= MAX_BYTES else None)
        return
    with zipfile.ZipFile(path) as archive:
        infos = [
            i for i in archive.infolist() if not i.is_dir() and Path(_name(i)).suffix.lower() in SUFFIXES
        ]
        for info in infos[:MAX_FILES]:
            name = Path(_name(info)).name
            yield name, (archive.read(info) if info.file_size <= MAX_BYTES else None)


def count(path: Path) -> int:
    return sum(1 for _ in members(path))
