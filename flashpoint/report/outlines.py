"""Country outlines for maps drawn without tiles: the dashboard's and the briefing's.

The coarse borders come from the `countryinfo` package (its per-country data files carry
a GeoJSON outline); they are gathered once into one FeatureCollection, with each
feature's ISO 3166-1 alpha-2 code so the map can name and highlight countries.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def country_outlines() -> bytes:
    """Every country outline the package ships, as GeoJSON bytes (built once per process)."""
    features = []
    for path in sorted(resources.files("countryinfo").joinpath("data").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # one unreadable file must not take the map away
        code = (data.get("ISO") or {}).get("alpha2")
        for feature in (data.get("geoJSON") or {}).get("features", []):
            if feature.get("geometry"):
                features.append({"type": "Feature", "properties": {"name": data.get("name"), "iso2": code},
                                 "geometry": feature["geometry"]})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


@lru_cache(maxsize=1)
def outline_rings() -> tuple[tuple[str | None, tuple[tuple[float, float], ...]], ...]:
    """Every outline as (ISO code, ring of (lon, lat)) pairs, for drawing without a map library."""
    rings = []
    for feature in json.loads(country_outlines())["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon[:1]:  # the outer ring; holes are too small to matter at this scale
                rings.append((feature["properties"]["iso2"], tuple((float(x), float(y)) for x, y in ring)))
    return tuple(rings)


def rings_in(lon0: float, lat0: float, lon1: float, lat1: float):
    """The outlines whose bounding box meets the given one."""
    for code, ring in outline_rings():
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if max(xs) >= lon0 and min(xs) <= lon1 and max(ys) >= lat0 and min(ys) <= lat1:
            yield code, ring
