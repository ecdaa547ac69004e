"""manage.py restore: a backup of manage.py backup back into the database and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup folder written by manage.py backup into the configured database and "
        "MEDIA_ROOT, after checking every file against the manifest. Both must be empty (a new "
        "database) unless --replace. Stop the site and the worker first. Afterwards run "
        "manage.py migrate (if this code is newer), verify_audit and rebuild_rollups --check."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", type=Path, help="the backup folder, e.g. /var/backups/zhaoshang/zhaoshang-…Z"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that is not empty; files in MEDIA_ROOT are moved aside, not deleted",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = options["folder"]
        try:
            manifest = backups.read_manifest(folder)
            unknown = unknown_migrations(manifest)
            if unknown:
                raise CommandError(
                    "this backup was made by a newer version of the application (migrations "
                    f"{', '.join(unknown[:5])} are unknown here): install that version first"
                )
            restored = backups.restore_backup(folder, replace=options["replace"])
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        self.stdout.write(
            f"restored {restored.vendor} database and {restored.files} uploaded files from {folder} "
            f"(made {manifest['created_at']} by version {manifest['app_version']})"
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"{len(restored.pending_migrations)} migrations of this version are not applied yet: "
                "run manage.py migrate"
            )
        self.stdout.write("check it: manage.py verify_audit && manage.py rebuild_rollups --check")


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the backup's database had applied that this code does not have."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
