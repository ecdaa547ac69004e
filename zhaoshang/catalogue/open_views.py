"""The public site (招商項目推介), without log-in: every offer it shows comes from
``Offer.objects.published()`` (public.py), its second choke point beside ``visible_to``. Pages are
served from the page cache (cache.py) and may be kept by browsers and proxies for a minute."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View

from zhaoshang.catalogue import inquiry, public, services
from zhaoshang.catalogue.cache import cached_page
from zhaoshang.catalogue.choices import FileKind, InvestmentSize
from zhaoshang.catalogue.models import CountyProfile, OfferFile
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.http import client_address
from zhaoshang.projects.choices import IndustrySection
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

PER_PAGE = 20
LANG_NAMES = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}


def _page(
    request: HttpRequest, lang: str, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render in the page's own language (the URL's, not the visitor's cookie), with the links to
    the same page in the other languages."""
    name = request.resolver_match.url_name if request.resolver_match else ""
    kwargs = dict(request.resolver_match.kwargs) if request.resolver_match else {}
    alternates = []
    for code, label in LANG_NAMES.items():
        url = reverse(f"open:{name}", kwargs={**kwargs, "lang": code})
        alternates.append({"code": code, "label": label, "url": url, "current": code == lang})
    with translation.override(lang):
        response = render(
            request,
            template,
            {
                "lang": lang,
                "alternates": alternates,
                "absolute": request.build_absolute_uri("/")[:-1],
                **context,
            },
            status=status,
        )
    response["Content-Language"] = lang
    return response


class IndexView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("open:list", lang="zh-hans")


@method_decorator(cached_page, name="get")
class ListView(View):
    def get(self, request: HttpRequest, lang: str) -> HttpResponse:
        return offer_list(request, lang)


def offer_list(request: HttpRequest, lang: str) -> HttpResponse:
    rows = public.search(public.published(), request.GET)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    ids = [row["pk"] for row in page.object_list]
    photos = public.photos_of(ids)
    offers = [public.build(row, lang, photos.get(row["pk"])) for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    with translation.override(lang):
        context = {
            "offers": offers,
            "page_obj": page,
            "query": query.urlencode(),
            "q": request.GET.get("q", "")[:50],
            "industries": [(v, str(label)) for v, label in IndustrySection.choices],
            "sizes": [(v, str(label)) for v, label in InvestmentSize.choices],
            "places": public.places(lang),
            "chosen": {k: request.GET.get(k, "") for k in ("industry", "place", "size")},
            "counties": list(
                CountyProfile.objects.filter(published=True).values_list("county_id", "county__name")
            ),
        }
    return _page(request, lang, "open/list.html", context)


def _published(pk: int, lang: str) -> public.PublicOffer:
    row = public.published().filter(pk=pk).first()
    if row is None:
        raise Http404
    return public.build(row, lang, public.photos_of([pk]).get(pk))


@method_decorator(cached_page, name="get")
class OfferView(View):
    def get(self, request: HttpRequest, lang: str, pk: int) -> HttpResponse:
        return offer_detail(request, lang, pk)


def offer_detail(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    offer = _published(pk, lang)
    return _page(request, lang, "open/detail.html", {"offer": offer})


@method_decorator(cached_page, name="get")
class CountyView(View):
    def get(self, request: HttpRequest, lang: str, pk: int) -> HttpResponse:
        return county(request, lang, pk)


def county(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    profile = get_object_or_404(
        CountyProfile.objects.filter(published=True).select_related("county"), county_id=pk
    )
    text = {
        name: public.localize(getattr(profile, name), getattr(profile, f"{name}_en"), lang)
        for name in ("intro", "advantages", "policies")
    }
    parks = [
        public.chinese(name, lang)
        for name in Unit.objects.filter(
            kind=UnitKind.PARK, is_active=True, path__startswith=profile.county.path
        ).values_list("name", flat=True)
    ]
    count = public.published().filter(county_id=pk).count()
    return _page(
        request,
        lang,
        "open/county.html",
        {
            "county_name": public.chinese(profile.county.name, lang),
            "county_id": pk,
            "text": text,
            "parks": parks,
            "count": count,
        },
    )


class PhotoView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return photo(request, pk)


def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A published offer's photo; nothing else of the catalogue's files is served without log-in."""
    found = get_object_or_404(
        OfferFile.objects.filter(kind=FileKind.PHOTO, offer_id__in=public.published().values("pk")), pk=pk
    )
    response = FileResponse(found.file.open("rb"))
    patch_cache_control(response, public=True, max_age=3600)
    return response


@method_decorator(cached_page, name="get")
class SitemapView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return sitemap(request)


def sitemap(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/")[:-1]
    urls: list[tuple[str, str]] = []
    for lang in public.LANGS:
        urls.append((base + reverse("open:list", kwargs={"lang": lang}), ""))
    for row in public.published().values("pk", "published_at"):
        stamp = row["published_at"].date().isoformat() if row["published_at"] else ""
        for lang in public.LANGS:
            urls.append((base + reverse("open:offer", kwargs={"lang": lang, "pk": row["pk"]}), stamp))
    for county_id in CountyProfile.objects.filter(published=True).values_list("county_id", flat=True):
        for lang in public.LANGS:
            urls.append((base + reverse("open:county", kwargs={"lang": lang, "pk": county_id}), ""))
    return render(request, "open/sitemap.xml", {"urls": urls}, content_type="application/xml")


def _inquiry(
    request: HttpRequest, lang: str, *, offer: public.PublicOffer | None, county_id: int | None
) -> HttpResponse:
    """The inquiry form of an offer or of a county (not cached: it carries the form's token)."""
    context: dict[str, Any] = {"offer": offer, "county_id": county_id}
    with translation.override(lang):
        if request.method == "POST":
            form = inquiry.InquiryForm(request.POST)
            address = client_address(request)
            if inquiry.over_limit(address):
                form.is_valid()
                form.add_error(
                    None,
                    translation.gettext("Too many inquiries from your address: please try again in an hour."),
                )
                return _page(request, lang, "open/inquiry.html", {**context, "form": form}, status=429)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    received = services.receive_inquiry(
                        offer_id=offer.pk if offer else None,
                        county=Unit.objects.filter(pk=county_id, kind=UnitKind.COUNTY).first()
                        if county_id
                        else None,
                        name=data["name"],
                        organisation=data["organisation"],
                        contact=data["contact"],
                        message=data["message"],
                    )
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
                else:
                    inquiry.count(address)
                    done = reverse("open:inquiry_done", kwargs={"lang": lang}) + f"?ref={received.reference}"
                    return HttpResponseRedirect(done)
            return _page(request, lang, "open/inquiry.html", {**context, "form": form}, status=400)
        form = inquiry.InquiryForm()
    return _page(request, lang, "open/inquiry.html", {**context, "form": form})


class OfferInquiryView(View):
    def get(self, request: HttpRequest, lang: str, pk: int) -> HttpResponse:
        return _inquiry(request, lang, offer=_published(pk, lang), county_id=None)

    post = get


class CountyInquiryView(View):
    def get(self, request: HttpRequest, lang: str, pk: int) -> HttpResponse:
        get_object_or_404(CountyProfile.objects.filter(published=True), county_id=pk)
        return _inquiry(request, lang, offer=None, county_id=pk)

    post = get


class InquiryDoneView(View):
    def get(self, request: HttpRequest, lang: str) -> HttpResponse:
        return inquiry_done(request, lang)


def inquiry_done(request: HttpRequest, lang: str) -> HttpResponse:
    reference = "".join(c for c in request.GET.get("ref", "")[:20] if c.isalnum())
    days = settings.INQUIRY_RESPONSE_DAYS
    response = _page(request, lang, "open/inquiry_done.html", {"reference": reference, "days": days})
    patch_cache_control(response, private=True, no_store=True)
    return response
