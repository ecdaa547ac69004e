"""The same formats in every language (zhaoshang/formats/shared.py)."""

from zhaoshang.formats.shared import *  # noqa: F403
