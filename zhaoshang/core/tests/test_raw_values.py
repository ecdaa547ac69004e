"""No page a person reads shows what only the code should see: a raw choice value ("signed",
"staff_problem"), a Python list or dict, or an amount with the database's four decimals.

Every page of the registry (core/tests/test_endpoint_permissions.py) is opened by a bureau
administrator and a township operator over a record of every kind (the positive-access test's
records), and the words a person sees (text nodes outside scripts, styles and preformatted blocks,
and the labels of form options) are scanned."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import models
from django.urls import reverse

import zhaoshang
from zhaoshang.core.tests.endpoints import kwargs_for
from zhaoshang.core.tests.test_endpoint_access import PATTERNS, methods_of
from zhaoshang.core.tests.test_endpoint_access import home as home  # the records of every kind
from zhaoshang.core.tests.test_endpoint_permissions import PAGES


def choice_values() -> set[str]:
    """The stored values of every enumeration of the project that look like code (lowercase words,
    with underscores or not, three letters or more): a person never reads one of them."""
    found: set[str] = set()
    for info in pkgutil.walk_packages(zhaoshang.__path__, "zhaoshang."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("browser_fixtures"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, models.Choices)
                and value.__module__ == module.__name__
            ):
                found |= {
                    v for v in value.values if isinstance(v, str) and re.fullmatch(r"[a-z][a-z_0-9]{2,}", v)
                }
    return found


class Words(HTMLParser):
    """The text a person reads on a page."""

    SKIP = {"script", "style", "pre", "code", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "input" and given.get("type") not in ("hidden", "checkbox", "radio") and given.get("value"):
            self.parts.append(str(given["value"]).strip())  # what a form shows to edit is read too
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.parts.append(data.strip())


def words_of(html: str) -> list[str]:
    parser = Words()
    parser.feed(html)
    return parser.parts


SEPARATORS = re.compile(r"\s*(?:→|->|:|：|,|，|;|；|\|)\s*")
PYTHON = re.compile(r"\[\s*\[|\[\s*'|\['|\[\]|\{'|\(\s*'[^']*',")
FOUR_DECIMALS = re.compile(r"(?<![\d.])\d[\d,]*\.\d{4}(?!\d)")


def problems(html: str, codes: set[str], people: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with the words of ``html``. A code is a text, or a part of one between
    separators ("项目阶段: intent → signed"), that is a stored choice value; a word inside a
    sentence is English, not a code. Text that is someone's user name is theirs to choose."""
    found = []
    for text in words_of(html):
        if PYTHON.search(text):
            found.append(f"python: {text[:80]}")
        if FOUR_DECIMALS.search(text):
            found.append(f"four decimals: {text[:80]}")
        for part in SEPARATORS.split(text):
            if part in codes and part not in people:
                found.append(f"code {part!r}: {text[:80]}")
    return found


GET_PAGES = [name for name in PAGES if "get" in methods_of(name) and PAGES[name].kind != "public"]


@pytest.fixture(scope="module")
def codes() -> set[str]:
    return choice_values()


@pytest.mark.parametrize("name", GET_PAGES)
def test_no_page_shows_codes_lists_or_four_decimals(client: Any, home: dict[str, Any], codes: Any, name: str):
    from zhaoshang.accounts.models import User

    scope = PAGES[name]
    people = frozenset(User.objects.values_list("username", flat=True))
    wrong = {}
    for role in ("admin", "operator"):
        ids = {**home["ids"], "notification": home["notifications"][role]}
        kwargs = kwargs_for(name, PATTERNS[name], scope.target, ids) if scope.target else {}
        client.force_login(home["users"][role])
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found = problems(response.content.decode(), codes, people)
        if found:
            wrong[role] = found[:5]
    assert not wrong, wrong


def test_the_scan_finds_what_it_looks_for(codes: Any):
    html = (
        "<table><td>签约</td><td>signed</td><td>['王建华']</td><td>1100.0000</td>"
        "<script>var stage = 'signed';</script><pre>Traceback staff_problem</pre></table>"
    )
    found = problems(html, codes)
    assert [f.split(":")[0] for f in found] == ["code 'signed'", "python", "four decimals"]
    assert problems('<input type="number" name="amount" value="350.0000">', codes) == [
        "four decimals: 350.0000"
    ]
    assert problems('<input type="hidden" name="amount" value="350.0000">', codes) == []
    assert problems("<p>项目阶段: intent → signed</p>", codes) == [
        "code 'intent': 项目阶段: intent → signed",
        "code 'signed': 项目阶段: intent → signed",
    ]
    assert problems("<p>1,100.00 万元 · 1.5 % · town_a · XM2026-0108</p><p>signed in person</p>", codes) == []
    assert problems("<td>leader</td>", codes, frozenset({"leader"})) == []
