# The dispatch fixtures: a report returned by the bureau is the notice the delivery tests follow.
from zhaoshang.dispatch.tests.conftest import media, opened  # noqa: F401
