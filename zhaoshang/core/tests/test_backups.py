"""manage.py backup and restore: the demo county, backed up from the test database while it is open,
restored by a fresh process into a new, empty database of the same kind (SQLite: a new file;
PostgreSQL: a new database), comes back with every record, a valid audit chain, totals that agree with
the ledger and every uploaded file; a damaged backup, a non-empty database and a database of the
other kind are refused."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from zhaoshang.conftest import ensure_predefined_indicators
from zhaoshang.core import backups
from zhaoshang.core.tests import scratch
from zhaoshang.core.tests.scratch import manage
from zhaoshang.demo.demo import MIN_PROJECTS, load_demo

# Every model's primary keys, printed as JSON by a process on the restored database.
FINGERPRINT = """
import json, django
django.setup()
from zhaoshang.core.tests.test_backups import fingerprint
print(json.dumps(fingerprint()))
"""


def fingerprint() -> dict[str, list[Any]]:
    """The primary keys of every row of every installed model whose table exists, by model (an
    older schema lacks the tables of apps added since)."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: sorted(str(pk) for pk in model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    }


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the kind under test, dropped afterwards."""
    with scratch.empty_database(tmp_path) as url:
        yield url


@pytest.fixture
def demo(transactional_db: None, settings: Any, tmp_path: Path) -> Path:
    """The demo county, committed (pg_dump and SQLite's backup read other connections), with its
    uploaded files under a media folder of this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_predefined_indicators()  # an earlier transactional test flushed them
    load_demo(projects=MIN_PROJECTS)
    return Path(settings.MEDIA_ROOT)


def test_restore_into_an_empty_database_brings_everything_back(
    demo: Path, tmp_path: Path, empty_database: str
):
    uploads = tree_hashes(demo)
    assert uploads, "the demo has uploaded files to back up"
    before = fingerprint()
    assert sum(map(len, before.values())) > 500

    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out)
    assert "uploaded files" in out.getvalue()
    (folder,) = (tmp_path / "backups").glob("zhaoshang-*")
    manifest = backups.read_manifest(folder)
    assert manifest["database"]["vendor"] == connection.vendor
    assert len(manifest["media"]) == len(uploads)
    assert manifest["migrations"]["accounts"][0] == "0001_initial"
    assert backups.last_success(tmp_path / "backups") == backups.dt.datetime.fromisoformat(
        manifest["created_at"]
    )

    restored_media = tmp_path / "restored-media"
    done = manage("manage.py", "restore", str(folder), database=empty_database, media=restored_media)
    assert done.returncode == 0, done.stderr
    assert "uploaded files" in done.stdout

    audit = manage("manage.py", "verify_audit", database=empty_database, media=restored_media)
    assert audit.returncode == 0, audit.stderr
    assert "every hash verified" in audit.stdout
    rollups = manage("manage.py", "rebuild_rollups", "--check", database=empty_database, media=restored_media)
    assert rollups.returncode == 0, rollups.stdout + rollups.stderr
    after = manage("-c", FINGERPRINT, database=empty_database, media=restored_media)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout.strip().splitlines()[-1]) == before
    assert tree_hashes(restored_media) == uploads
    modes = {path.stat().st_mode & 0o777 for path in restored_media.rglob("*") if path.is_file()}
    assert modes == {0o640}, "restored uploads are not world-readable"

    # A second restore into the now full database is refused, and changes nothing.
    again = manage("manage.py", "restore", str(folder), database=empty_database, media=restored_media)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(
    demo: Path, tmp_path: Path, empty_database: str
):
    folder = backups.make_backup(tmp_path / "backups")
    damaged = next((folder / "media").rglob("*.pdf"))
    damaged.write_bytes(damaged.read_bytes() + b"!")
    done = manage("manage.py", "restore", str(folder), database=empty_database, media=tmp_path / "m")
    assert done.returncode != 0
    assert "differs from the manifest" in done.stderr
    assert not (tmp_path / "m").exists()


def test_a_backup_of_the_other_kind_of_database_is_refused(transactional_db: None, tmp_path: Path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = backups.make_backup(tmp_path / "backups")
    manifest = json.loads((folder / backups.MANIFEST).read_text())
    manifest["database"]["vendor"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    (folder / backups.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backups.BackupError, match="the configured database is"):
        backups.restore_backup(folder)


def test_replace_moves_the_present_files_aside(transactional_db: None, tmp_path: Path, settings):
    """--replace over a database in use: the files already in MEDIA_ROOT are kept beside it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "projects").mkdir(parents=True)
    (tmp_path / "media" / "projects" / "合同.pdf").write_bytes(b"contract")
    folder = backups.make_backup(tmp_path / "backups")
    (tmp_path / "media" / "projects" / "later.pdf").write_bytes(b"added after the backup")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore_backup(folder)
    if connection.vendor == "sqlite":
        restored = backups.restore_backup(folder, replace=True)
        assert restored.files == 1
        assert restored.pending_migrations == []
        assert sorted(p.name for p in (tmp_path / "media").rglob("*.pdf")) == ["合同.pdf"]
        (aside,) = tmp_path.glob("media.before-restore-*")
        assert (aside / "projects" / "later.pdf").read_bytes() == b"added after the backup"


def test_prune_keeps_the_newest(tmp_path: Path):
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / f"zhaoshang-{stamp}").mkdir()
        (tmp_path / f"zhaoshang-{stamp}" / backups.MANIFEST).write_text("{}")
    removed = backups.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["zhaoshang-20260101T000000Z"]
    assert sorted(p.name for p in tmp_path.glob("zhaoshang-*")) == [
        "zhaoshang-20260102T000000Z",
        "zhaoshang-20260103T000000Z",
    ]


def test_no_backup_yet_and_an_unreadable_note(tmp_path: Path):
    assert backups.last_success(tmp_path) is None
    (tmp_path / backups.LAST_SUCCESS).write_text("not json")
    assert backups.last_success(tmp_path) is None


def test_a_missing_backup_folder_is_named(tmp_path: Path):
    with pytest.raises(backups.BackupError, match="is not a backup"):
        backups.read_manifest(tmp_path / "nothing")
