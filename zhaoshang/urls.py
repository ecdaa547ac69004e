from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from zhaoshang.api import api

urlpatterns = [
    path("", include("zhaoshang.core.urls")),
    path("accounts/", include("zhaoshang.accounts.urls")),
    path("units/", include("zhaoshang.units.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
