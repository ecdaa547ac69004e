"""Text a person sends: what can be stored, and the same trimming the forms apply.

Django's form fields strip surrounding white space and refuse NUL; the JSON API had neither rule,
so it stored names of blanks, NUL bytes and control characters the pages refuse, and a lone
surrogate ("\\ud800", valid JSON) reached the database and made a 500. One rule serves both: a
string may hold tab, line feed and carriage return, and no other control character, and no
surrogate code point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

# C0 controls but tab, LF and CR; DEL and the C1 controls; the surrogates (never valid alone).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, naming the first bad character; None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return _("Remove the control or invalid character %(char)s from the text.") % {
        "char": f"U+{ord(found.group()):04X}"
    }


def strings_in(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, string) of every string in a parsed JSON value, keys included, depth first."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), str(key)
            yield from strings_in(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings_in(value, (*path, index))


def stripped(data: Any) -> Any:
    """A parsed JSON value with every string stripped of surrounding white space, as forms do."""
    if isinstance(data, str):
        return data.strip()
    if isinstance(data, dict):
        return {key: stripped(value) for key, value in data.items()}
    if isinstance(data, list):
        return [stripped(value) for value in data]
    return data


def blank_errors(**values: str) -> dict[str, str]:
    """The fields among ``values`` left empty (or only white space), each with the message a form
    gives a required field: for the services that check their text arguments themselves."""
    return {name: _("This field is required.") for name, value in values.items() if not value.strip()}
