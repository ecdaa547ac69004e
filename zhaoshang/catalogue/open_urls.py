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
    path("", open_views.IndexView.as_view(), name="index"),
    path("sitemap.xml", open_views.SitemapView.as_view(), name="sitemap"),
    path("photos/<int:pk>/", open_views.PhotoView.as_view(), name="photo"),
    path("<lang:lang>/", open_views.ListView.as_view(), name="list"),
    path("<lang:lang>/offers/<int:pk>/", open_views.OfferView.as_view(), name="offer"),
    path("<lang:lang>/offers/<int:pk>/inquiry/", open_views.OfferInquiryView.as_view(), name="offer_inquiry"),
    path("<lang:lang>/county/<int:pk>/", open_views.CountyView.as_view(), name="county"),
    path(
        "<lang:lang>/county/<int:pk>/inquiry/", open_views.CountyInquiryView.as_view(), name="county_inquiry"
    ),
    path("<lang:lang>/inquiry/done/", open_views.InquiryDoneView.as_view(), name="inquiry_done"),
]
