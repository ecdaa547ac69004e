"""The generic import page answers every method a browser or a proxy may send: an OPTIONS request
is answered with the allowed methods (the importer's options once hid Django's OPTIONS handler)."""

from __future__ import annotations

import pytest
from django.urls import reverse

IMPORT_PAGES = [("units:import", {}), ("projects:import", {}), ("investors:import", {})]


@pytest.mark.parametrize(("name", "kwargs"), IMPORT_PAGES)
def test_an_options_request_to_an_import_page_lists_its_methods(client, cast, name, kwargs):
    client.force_login(cast.admin)
    response = client.options(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert {"GET", "POST"} <= {m.strip() for m in response["Allow"].split(",")}
