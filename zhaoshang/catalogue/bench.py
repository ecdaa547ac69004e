"""`make bench`'s line for the public site: anonymous list and detail pages under load on
``gunicorn -w 2`` with a catalogue of 500 published offers, cached and uncached (``?nocache=1``):
requests per second, p95 and errors of each, and the ratio."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Offer
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


def hammer(port: int, paths: list[str], seconds: float, threads: int) -> dict[str, Any]:
    times: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        ok = errors = 0
        i = offset
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                    mine.append((time.perf_counter() - start) * 1000)
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors
            times.extend(mine)

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    ordered = sorted(times) or [0.0]
    return {
        "rps": counts["ok"] / elapsed,
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "errors": counts["errors"],
    }


def run(seconds: float, threads: int = 8) -> list[str]:
    ids = ensure_offers()
    port = int(os.environ.get("BENCH_PORT", "8766"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own program and arguments
        [str(gunicorn), "zhaoshang.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=settings.PROJECT_DIR,
    )
    lines = []
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/open/")
                break
            except OSError:
                time.sleep(0.2)
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
    finally:
        server.terminate()
        server.wait(10)
    return lines
