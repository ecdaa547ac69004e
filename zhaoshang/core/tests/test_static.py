"""Static files: production's manifest storage can collect everything that is vendored."""

from __future__ import annotations

from django.core.management import call_command


def test_collectstatic_with_the_production_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap.min.css" in manifest and "vendor/htmx.min.js" in manifest


def test_a_chinese_file_name_keeps_a_readable_ascii_fallback():
    from zhaoshang.core.xlsx import xlsx_response

    disposition = xlsx_response(b"", "项目台账-20261123.xlsx")["Content-Disposition"]
    assert 'filename="20261123.xlsx"' in disposition and "filename*=UTF-8''" in disposition
    assert 'filename="export.xlsx"' in xlsx_response(b"", "项目导入模板.xlsx")["Content-Disposition"]


def test_every_message_of_the_interface_has_a_chinese_translation():
    """No msgid of the catalogue is left untranslated or fuzzy (fuzzy entries are not used)."""
    from pathlib import Path

    from django.conf import settings

    catalogue = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    entries = [e for e in text.split("\n\n")[1:] if "msgid " in e]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')]  # a filled msgstr never ends so
    assert not empty, empty[:3]
