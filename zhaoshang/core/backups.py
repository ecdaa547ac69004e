"""Backups of the database and the uploaded files, and their restore (manage.py backup / restore).

One backup is one folder ``<BACKUP_DIR>/zhaoshang-<UTC time>/`` holding:

- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``: one snapshot of the whole database,
  taken inside a single transaction while the site keeps running) or ``database.sqlite3`` (SQLite,
  the online backup API: a consistent copy even while other processes write);
- ``media/``: a copy of ``MEDIA_ROOT``;
- ``manifest.json``: when, which database kind, the application's version, the migrations applied,
  and every file with its size and SHA-256, so a restore can tell a damaged backup before using it.

The database is copied first and the files after it, so every file the copied database refers to
is in the copy (uploads are only ever added while the site runs; a file added meanwhile is an extra
that no record names). The folder is written under a temporary name and renamed when complete, so a
half-written backup never looks like a backup. After success ``<BACKUP_DIR>/last-success.json``
records the time, which the health check reads (core/health.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
LAST_SUCCESS = "last-success.json"
FORMAT = 1
_DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the administrator."""


@dataclass(frozen=True)
class Restored:
    folder: Path
    vendor: str
    files: int
    pending_migrations: list[str]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path, root: Path) -> dict[str, Any]:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": _sha256(path)}


def _vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in _DUMP_NAMES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_environment(alias: str = "default") -> dict[str, str]:
    """libpq's variables for the configured database, so the password is never on a command line."""
    config = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    env["PGDATABASE"] = str(config["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - pg_dump or pg_restore, arguments ours
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    """The migrations applied to the database, by app, in the order they were applied."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return applied


def app_version() -> str:
    try:
        return metadata.version("zhaoshang")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup ----------------------------------------------------------------------------------------


def _dump_database(target: Path, vendor: str, alias: str = "default") -> None:
    if vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            _pg_environment(alias),
        )
        return
    source_name = str(connections[alias].settings_dict["NAME"])
    try:
        source = sqlite3.connect(f"file:{source_name}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the SQLite database {source_name} cannot be copied: {exc}") from exc


def _copy_media(media_root: Path, target: Path) -> list[Path]:
    """Copy every regular file under MEDIA_ROOT (links are not followed: nothing outside is copied)."""
    copied: list[Path] = []
    target.mkdir(mode=0o700)
    if not media_root.is_dir():
        return copied
    for folder, _dirs, files in os.walk(media_root):
        for name in sorted(files):
            source = Path(folder) / name
            if source.is_symlink() or not source.is_file():
                continue
            destination = target / source.relative_to(media_root)
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copy2(source, destination)
            copied.append(destination)
    return copied


def make_backup(backup_dir: Path | None = None, *, now: dt.datetime | None = None) -> Path:
    """Back up the default database and MEDIA_ROOT into a new folder under ``backup_dir``; return it."""
    backup_dir = Path(backup_dir or settings.BACKUP_DIR)
    now = now or dt.datetime.now(dt.UTC)
    vendor = _vendor()
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"zhaoshang-{now:%Y%m%dT%H%M%SZ}"
    final = backup_dir / name
    if final.exists():
        raise BackupError(f"{final} exists already: wait a second and start again")
    partial = backup_dir / f".{name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(mode=0o700)
    try:
        dump = partial / _DUMP_NAMES[vendor]
        _dump_database(dump, vendor)
        files = _copy_media(Path(settings.MEDIA_ROOT), partial / "media")
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, **_describe(dump, partial)},
            "app_version": app_version(),
            "migrations": applied_migrations(),
            "media": [_describe(path, partial / "media") for path in files],
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    record_success(backup_dir, final, now)
    return final


def record_success(backup_dir: Path, folder: Path, when: dt.datetime) -> None:
    """Note the last successful backup where the health check finds it (written atomically)."""
    note = backup_dir / LAST_SUCCESS
    temporary = backup_dir / f".{LAST_SUCCESS}.tmp"
    temporary.write_text(json.dumps({"at": when.isoformat(), "folder": folder.name}), encoding="utf-8")
    temporary.replace(note)


def last_success(backup_dir: Path | None = None) -> dt.datetime | None:
    """The time of the last successful backup, or None when there was none (or the note is unreadable)."""
    note = Path(backup_dir or settings.BACKUP_DIR) / LAST_SUCCESS
    try:
        when = dt.datetime.fromisoformat(json.loads(note.read_text(encoding="utf-8"))["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def prune(backup_dir: Path | None, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest complete backups; return what was removed."""
    backup_dir = Path(backup_dir or settings.BACKUP_DIR)
    folders = sorted(p for p in backup_dir.glob("zhaoshang-*") if (p / MANIFEST).is_file())
    removed = folders[: max(len(folders) - keep, 0)]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


# --- restore ---------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a backup, after checking every file it lists against its size and hash."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BackupError(f"{folder} is not a backup: {MANIFEST} cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise BackupError(f"{folder / MANIFEST} is damaged: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} was written in backup format {manifest.get('format')}, not {FORMAT}")
    entries = [(folder, manifest["database"])] + [(folder / "media", item) for item in manifest["media"]]
    for root, item in entries:
        path = root / item["path"]
        if not path.is_file() or path.stat().st_size != item["size"] or _sha256(path) != item["sha256"]:
            raise BackupError(f"{path} is missing or differs from the manifest: the backup is damaged")
    return manifest


def database_is_empty(alias: str = "default") -> bool:
    """True when the database holds no tables at all (a new, empty database)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _media_is_empty(media_root: Path) -> bool:
    return not media_root.exists() or not any(media_root.iterdir())


def _restore_database(dump: Path, vendor: str, replace: bool, alias: str = "default") -> None:
    connection = connections[alias]
    connection.close()
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            command += ["--clean", "--if-exists"]
        env = _pg_environment(alias)
        _run([*command, f"--dbname={env['PGDATABASE']}", str(dump)], env)
        return
    try:
        target = sqlite3.connect(str(connection.settings_dict["NAME"]))
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            source.backup(target)  # replaces the whole target database, its pages and schema
        finally:
            source.close()
            target.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the SQLite database cannot be written: {exc}") from exc


def _restore_media(source: Path, media_root: Path, replace: bool, now: dt.datetime) -> Path | None:
    """Copy the backup's files into MEDIA_ROOT; with ``replace``, the files there are first moved
    aside (never deleted) to a sibling folder, whose path is returned."""
    moved = None
    if replace and media_root.exists() and any(media_root.iterdir()):
        moved = media_root.with_name(f"{media_root.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
        media_root.rename(moved)
    media_root.mkdir(parents=True, exist_ok=True)
    os.chmod(media_root, settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS)
    for folder, dirs, files in os.walk(source):
        here = media_root / Path(folder).relative_to(source)
        for name in dirs:
            (here / name).mkdir(exist_ok=True)
            os.chmod(here / name, settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS)
        for name in files:
            shutil.copy2(Path(folder) / name, here / name)
            os.chmod(here / name, settings.FILE_UPLOAD_PERMISSIONS)
    return moved


def restore_backup(folder: Path, *, replace: bool = False) -> Restored:
    """Restore a backup folder into the configured database and MEDIA_ROOT.

    Both must be empty unless ``replace``: then the database's tables are replaced by the backup's,
    and the files in MEDIA_ROOT are moved aside first."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = _vendor()
    kind = manifest["database"]["vendor"]
    if kind != vendor:
        raise BackupError(f"this backup holds a {kind} database; the configured database is {vendor}")
    media_root = Path(settings.MEDIA_ROOT)
    if not replace:
        if not database_is_empty():
            raise BackupError(
                "the configured database is not empty: restore into a new, empty database, or give "
                "--replace to overwrite it"
            )
        if not _media_is_empty(media_root):
            raise BackupError(
                f"{media_root} holds files already: restore into an empty folder, or give --replace "
                "(the files there are moved aside, not deleted)"
            )
    now = dt.datetime.now(dt.UTC)
    _restore_database(folder / manifest["database"]["path"], vendor, replace)
    _restore_media(folder / "media", media_root, replace, now)
    return Restored(folder, vendor, len(manifest["media"]), pending_migrations())


def pending_migrations(alias: str = "default") -> list[str]:
    """The migrations of this code that the restored database lacks (``manage.py migrate`` adds them)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    targets = executor.loader.graph.leaf_nodes()
    return [f"{migration.app_label}.{migration.name}" for migration, _ in executor.migration_plan(targets)]
