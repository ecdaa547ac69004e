"""The public site: its own access rule (published offers, public fields) tested over every public
URL; languages with visible fallback; search and filters; search-engine tags; the page cache and
its invalidation; the same CSP as the private pages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.tests.factories import INTERNAL_NOTE, OPINION_TEXT, SECRET_PHONE, make_offer
from zhaoshang.core.tests.endpoints import kwargs_for
from zhaoshang.core.tests.test_endpoint_permissions import PAGES, url_patterns

PUBLIC_NAMES = [name for name in PAGES if name.startswith("open:")]
UNPUBLISHED = {
    OfferStatus.DRAFT: "草稿项目甲",
    OfferStatus.REVIEW: "审核中项目乙",
    OfferStatus.WITHDRAWN: "已撤回项目丙",
}


@pytest.fixture
def site(cast: Any, settings: Any, tmp_path: Any, department_operator: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    shown = make_offer(
        cast,
        status=OfferStatus.PUBLISHED,
        name="富硒茶叶精深加工项目",
        name_en="Selenium-rich tea processing",
        industry="C",
        total_investment=Decimal("30000"),
    )
    photo = services.add_file(shown, by=None, kind="photo", file=SimpleUploadedFile("厂房.jpg", b"jpgdata"))
    document = services.add_file(
        shown, by=None, kind="file", file=SimpleUploadedFile("可研.pdf", b"pdfsecret")
    )
    other = make_offer(
        cast,
        cast.park,
        status=OfferStatus.PUBLISHED,
        name="物流园仓储项目",
        industry="G",
        total_investment=Decimal("80000"),
        phone_public=True,
        chain="仓储物流",
        content="新建冷链仓库3万平方米。",
        contact_phone="0571-88886666",
    )
    hidden = {status: make_offer(cast, status=status, name=name) for status, name in UNPUBLISHED.items()}
    services.save_profile(cast.county, by=None, data={"intro": "示例县地处长江中游。", "published": True})
    return {"shown": shown, "other": other, "hidden": hidden, "photo": photo, "document": document}


def public_urls(cast: Any, site: dict[str, Any]) -> list[str]:
    ids = {"offer": site["shown"].pk, "offer_file": site["photo"].pk, "county": cast.county.pk, "site": 0}
    patterns = dict(url_patterns())
    urls = []
    for name in PUBLIC_NAMES:
        scope = PAGES[name]
        kwargs = kwargs_for(name, patterns[name], scope.target, ids) if scope.target else {}
        for lang in ("zh-hans", "zh-hant", "en"):
            if "lang" in kwargs:
                kwargs["lang"] = lang
            urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


LINK = re.compile(r'(?:href|src|content)="(/[^"]*)"')


def test_every_public_url_shows_only_published_offers_and_public_fields(client, cast, site):
    seen = set()
    todo = public_urls(cast, site)
    todo += [reverse("open:list", kwargs={"lang": "zh-hans"}) + "?q=项目", "/open/en/?industry=C&size=large"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "/accounts/login/" not in response.redirect_chain[-1][0] if response.redirect_chain else True
        text = (
            b"".join(response.streaming_content).decode("latin-1")
            if response.streaming
            else response.content.decode()
        )
        for name in UNPUBLISHED.values():
            assert name not in text, (url, name)
        for secret in (INTERNAL_NOTE, OPINION_TEXT, SECRET_PHONE, "pdfsecret", "可研"):
            assert secret not in text, (url, secret)
        # Every local link of a public page is public too: nothing leads to a private page.
        for link in LINK.findall(text):
            path = link.split("?")[0]
            assert path.startswith(("/open/", "/static/")), (url, link)
            if path.startswith("/open/") and "/inquiry/done/" not in path:
                todo.append(link.replace("&amp;", "&"))
    assert len(seen) > 20


def test_unpublished_offers_their_photos_and_documents_are_404(client, cast, site):
    for offer in site["hidden"].values():
        assert (
            client.get(reverse("open:offer", kwargs={"lang": "zh-hans", "pk": offer.pk})).status_code == 404
        )
        assert (
            client.get(reverse("open:offer_inquiry", kwargs={"lang": "en", "pk": offer.pk})).status_code
            == 404
        )
    assert client.get(reverse("open:photo", kwargs={"pk": site["document"].pk})).status_code == 404
    services.move(site["shown"], OfferStatus.WITHDRAWN, by=None, note="调整")
    assert client.get(reverse("open:photo", kwargs={"pk": site["photo"].pk})).status_code == 404


def test_private_pages_stay_behind_the_log_in(client, site):
    for url in (
        "/catalogue/",
        f"/catalogue/{site['shown'].pk}/",
        f"/catalogue/{site['shown'].pk}/files/{site['document'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_only_a_phone_marked_public_is_shown(client, site):
    other = client.get(
        reverse("open:offer", kwargs={"lang": "zh-hans", "pk": site["other"].pk})
    ).content.decode()
    assert "0571-88886666" in other
    shown = client.get(
        reverse("open:offer", kwargs={"lang": "zh-hans", "pk": site["shown"].pk})
    ).content.decode()
    assert SECRET_PHONE not in shown and "王科长" in shown


def test_three_languages_and_a_visible_fallback(client, site):
    pk = site["shown"].pk
    english = client.get(reverse("open:offer", kwargs={"lang": "en", "pk": pk})).content.decode()
    assert "Selenium-rich tea processing" in english and 'lang="en"' in english
    assert 'data-testid="untranslated"' in english  # the content has no English yet: Chinese, marked
    assert "新建标准化生态茶园" in english and 'data-testid="fallback-note"' in english
    traditional = client.get(reverse("open:offer", kwargs={"lang": "zh-hant", "pk": pk})).content.decode()
    assert "富硒茶葉精深加工項目" in traditional and "新建標準化生態茶園" in traditional
    simplified = client.get(reverse("open:offer", kwargs={"lang": "zh-hans", "pk": pk})).content.decode()
    assert "富硒茶叶精深加工项目" in simplified and 'data-testid="untranslated"' not in simplified


def test_search_and_filters(client, cast, site):
    def names(query: str) -> set[str]:
        text = client.get(reverse("open:list", kwargs={"lang": "zh-hans"}) + query).content.decode()
        return {n for n in ("富硒茶叶精深加工项目", "物流园仓储项目") if n in text}

    assert names("") == {"富硒茶叶精深加工项目", "物流园仓储项目"}
    assert names("?q=茶葉") == {"富硒茶叶精深加工项目"}  # Traditional finds Simplified
    assert names("?q=selenium") == {"富硒茶叶精深加工项目"}
    assert names("?industry=G") == {"物流园仓储项目"}
    assert names(f"?place={cast.park.pk}") == {"物流园仓储项目"}
    assert names("?size=medium") == {"富硒茶叶精深加工项目"}
    assert names("?size=large") == {"物流园仓储项目"}
    assert names("?q=草稿项目甲") == set()


def test_titles_open_graph_and_sitemap(client, site):
    pk = site["shown"].pk
    page = client.get(reverse("open:offer", kwargs={"lang": "zh-hans", "pk": pk})).content.decode()
    assert "<title>富硒茶叶精深加工项目" in page
    assert '<meta property="og:title" content="富硒茶叶精深加工项目">' in page
    assert 'property="og:image" content="http://testserver/open/photos/' in page
    assert '<meta name="description" content="新建标准化生态茶园' in page
    assert 'hreflang="en" href="http://testserver/open/en/offers/' in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    sitemap = client.get(reverse("open:sitemap")).content.decode()
    assert f"/open/zh-hans/offers/{pk}/" in sitemap and f"/open/en/offers/{site['other'].pk}/" in sitemap
    for offer in site["hidden"].values():
        assert f"/offers/{offer.pk}/" not in sitemap


def test_public_pages_are_cached_and_follow_publish_and_withdraw(
    client, site, django_capture_on_commit_callbacks
):
    url = reverse("open:list", kwargs={"lang": "zh-hans"})
    first = client.get(url)
    assert (
        first["X-Page-Cache"] == "miss"
        and "public" in first["Cache-Control"]
        and "no-cache" in first["Cache-Control"]
    )
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert (
        client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )  # a proxy's question, answered short
    assert (
        "X-Page-Cache" not in client.get(url + "?nocache=1")
        or client.get(url + "?nocache=1")["X-Page-Cache"] != "hit"
    )
    draft = site["hidden"][OfferStatus.REVIEW]
    with django_capture_on_commit_callbacks(execute=True):
        services.move(draft, OfferStatus.PUBLISHED, by=None)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200  # the old copy is stale
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and "审核中项目乙" in again.content.decode()
    detail = reverse("open:offer", kwargs={"lang": "zh-hans", "pk": draft.pk})
    assert client.get(detail).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.move(draft, OfferStatus.WITHDRAWN, by=None, note="撤回")
    assert "审核中项目乙" not in client.get(url).content.decode()
    assert client.get(detail).status_code == 404


def test_the_public_pages_keep_the_strict_csp_and_set_no_session(client, site):
    private = client.get("/accounts/login/")["Content-Security-Policy"]
    response = client.get(reverse("open:offer", kwargs={"lang": "zh-hans", "pk": site["shown"].pk}))
    assert response["Content-Security-Policy"] == private
    assert "'unsafe-inline'" not in private and "script-src 'self'" in private
    assert "<script" not in response.content.decode() and " style=" not in response.content.decode()
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
