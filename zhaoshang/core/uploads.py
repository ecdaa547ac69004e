"""The size limit of attached files (evidence, photos, contracts): one rule for every app.

Spreadsheets for import have their own, smaller limit (``MAX_UPLOAD_BYTES``, checked with the
other defences in ``core/spreadsheets.py``) because they are parsed; attachments are only stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.core.errors import ValidationError


def check_attachment(file: Any, field: str = "file") -> None:
    """Refuse a file larger than ``MAX_ATTACHMENT_BYTES`` with a message naming the limit. An empty
    file field (no file: funds of generated or imported reports) has no size to check."""
    if file and file.size > settings.MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                field: _("A file may be at most %(mb)s MB.")
                % {"mb": f"{settings.MAX_ATTACHMENT_BYTES / 2**20:g}"}
            }
        )
