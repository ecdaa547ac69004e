from django.urls import include, path

from zhaoshang.api import api
from zhaoshang.core.health import HealthView

urlpatterns = [
    path("", include("zhaoshang.overview.urls")),
    path("accounts/", include("zhaoshang.accounts.urls")),
    path("units/", include("zhaoshang.units.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("ledger/", include("zhaoshang.ledger.urls")),
    path("targets/", include("zhaoshang.targets.urls")),
    path("requests/", include("zhaoshang.coordination.urls")),
    path("inspections/", include("zhaoshang.inspections.urls")),
    path("dispatch/", include("zhaoshang.dispatch.urls")),
    path("notifications/", include("zhaoshang.notifications.urls")),
    path("jobs/", include("zhaoshang.jobs.urls")),
    path("investors/", include("zhaoshang.investors.urls")),
    path("activities/", include("zhaoshang.activities.urls")),
    path("ingest/", include("zhaoshang.ingest.urls")),
    path("catalogue/", include("zhaoshang.catalogue.urls")),
    # The public investment-opportunities site, without log-in (catalogue/open_views.py).
    path("open/", include("zhaoshang.catalogue.open_urls")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("parks/", include("zhaoshang.parks.urls")),
    path("summaries/", include("zhaoshang.summaries.urls")),
    path("assessment/", include("zhaoshang.assessment.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # For monitoring, without log-in (core/health.py, docs/operations.md).
    path("healthz", HealthView.as_view(), name="healthz"),
]
# Uploaded files are never served as public media: each is downloaded through a view that checks
# the user's scope (projects:attachment).
