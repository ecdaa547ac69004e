"""Writes the Traditional Chinese catalogue (zh_Hant) from the Simplified one, by OpenCC s2tw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from zhaoshang.core.chinese import to_traditional


class Command(BaseCommand):
    help = (
        "Write locale/zh_Hant/LC_MESSAGES/django.po from the Simplified catalogue, each translation "
        "converted to Traditional script with mainland wording (OpenCC s2tw). Run by `make messages` "
        "after makemessages; compilemessages then builds the .mo."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        import polib

        locale = Path(settings.BASE_DIR) / "locale"
        source = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"), wrapwidth=79)
        target = locale / "zh_Hant" / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        source.metadata["Language"] = "zh_Hant"
        source.metadata["Language-Team"] = "Chinese (Traditional)"
        converted = 0
        for entry in source:
            if entry.msgstr:
                entry.msgstr = to_traditional(entry.msgstr)
                converted += 1
            for index, text in entry.msgstr_plural.items():
                entry.msgstr_plural[index] = to_traditional(text)
                converted += 1
        source.header = source.header.replace(
            "Simplified Chinese (简体中文)", "Traditional Chinese (繁體中文)"
        )
        source.save(str(target))
        self.stdout.write(f"{target}: {converted} translations converted from {len(source)} entries")
