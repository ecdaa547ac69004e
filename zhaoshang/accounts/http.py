"""The request type of pages and operations behind a log-in, for the type checker.

Django gives every view an ``HttpRequest`` whose ``user`` is a ``User`` or an ``AnonymousUser``.
Behind ``LoginRequiredMixin``, ``login_required`` or the API's session check the user is always a
``User``; a view says so by annotating its request ``AuthedRequest`` (a class-based view:
``request: AuthedRequest`` in its body). Nothing changes at run time: Django still builds its own
request objects, this class only names what they hold (docs/decisions.md, type checking).
"""

from __future__ import annotations

from django.http import HttpRequest

from zhaoshang.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
