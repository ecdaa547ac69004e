"""The public site's addresses: /open/<language>/…, one clean address per page and language."""

from django.urls import path, register_converter

from zhaoshang.catalogue import open_views


class LangConverter:
    regex = "zh-hans|zh-hant|en"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LangConverter, "lang")

app_name = "open"

urlpatterns = [
    path("", open_views.index, name="index"),
    path("sitemap.xml", open_views.sitemap, name="sitemap"),
    path("robots.txt", open_views.robots, name="robots"),
    path("photos/<int:pk>/", open_views.photo, name="photo"),
    path("<lang:lang>/", open_views.offer_list, name="list"),
    path("<lang:lang>/offers/<int:pk>/", open_views.offer_detail, name="offer"),
    path("<lang:lang>/offers/<int:pk>/inquiry/", open_views.offer_inquiry, name="offer_inquiry"),
    path("<lang:lang>/county/<int:pk>/", open_views.county, name="county"),
    path("<lang:lang>/county/<int:pk>/inquiry/", open_views.county_inquiry, name="county_inquiry"),
    path("<lang:lang>/inquiry/done/", open_views.inquiry_done, name="inquiry_done"),
]
