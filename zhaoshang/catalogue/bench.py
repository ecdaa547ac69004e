"""`make bench`'s line for the public site: anonymous list and detail pages under load on
``gunicorn -w 2`` with a catalogue of 500 published offers, cached and uncached (``?nocache=1``):
requests per second, p95 and errors of each, and the ratio."""

from __future__ import annotations

import os
from decimal import Decimal

from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Offer
from zhaoshang.scale.load import hammer, serve
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

OFFERS = 500


def ensure_offers(count: int = OFFERS) -> list[int]:
    """At least ``count`` published offers (made from the demo's templates in the first county's
    townships when there are fewer); returns the ids of some of them."""
    from zhaoshang.catalogue.demo import OFFERS as TEMPLATES

    have = Offer.objects.filter(status=OfferStatus.PUBLISHED).count()
    if have < count:
        county = Unit.objects.filter(kind=UnitKind.COUNTY).order_by("path").first()
        assert county is not None, "the benchmark needs a county"
        towns = list(Unit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP).order_by("path")) or [county]
        for i in range(have, count):
            name, name_en, industry, chain, content, land, total, cooperation, advantages, market, jobs, _ = (
                TEMPLATES[i % len(TEMPLATES)]
            )
            offer = services.create_offer(
                by=None,
                data={
                    "name": f"{name}（{i + 1}）",
                    "name_en": name_en,
                    "industry": industry,
                    "chain": chain,
                    "unit": towns[i % len(towns)],
                    "content": content,
                    "land_mu": Decimal(land),
                    "total_investment": Decimal(total),
                    "cooperation": cooperation,
                    "advantages": advantages,
                    "market": market,
                    "jobs": jobs,
                    "contact_name": "王科长",
                    "year": 2026,
                },
            )
            services.move(offer, OfferStatus.REVIEW, by=None)
            services.move(offer, OfferStatus.PUBLISHED, by=None)
    return list(
        Offer.objects.filter(status=OfferStatus.PUBLISHED).order_by("pk").values_list("pk", flat=True)[:50]
    )


def run(seconds: float, threads: int = 8) -> list[str]:
    ids = ensure_offers()
    port = int(os.environ.get("BENCH_PORT", "8766"))
    lines = []
    with serve(port, "/open/", ALLOWED_HOSTS="127.0.0.1,localhost"):
        pages = {
            "list": ["/open/zh-hans/", "/open/zh-hans/?page=2", "/open/en/", "/open/zh-hans/?industry=C"],
            "detail": [f"/open/zh-hans/offers/{pk}/" for pk in ids],
        }
        every = [p for paths in pages.values() for p in paths]
        # Warm both workers (imports, connections, the page cache) before anything is measured.
        hammer(port, every + [f"{p}{'&' if '?' in p else '?'}nocache=1" for p in every], 3, threads)
        for what, paths in pages.items():
            cached = hammer(port, paths, seconds, threads)
            uncached = hammer(
                port, [f"{p}{'&' if '?' in p else '?'}nocache=1" for p in paths], seconds, threads
            )
            ratio = cached["rps"] / uncached["rps"] if uncached["rps"] else 0
            lines.append(
                f"public {what} page, anonymous (gunicorn -w 2, {threads} clients, {OFFERS} offers): "
                f"cached {cached['rps']:.0f} req/s p95 {cached['p95']:.1f} ms, "
                f"uncached {uncached['rps']:.0f} req/s p95 {uncached['p95']:.1f} ms, "
                f"ratio {ratio:.1f}x, errors {cached['errors'] + uncached['errors']}"
            )
    return lines
