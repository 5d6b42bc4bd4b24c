"""`--near Saraqeb:25km`: a place name (or LAT,LON) and a radius, as (lat, lon, km)."""

from __future__ import annotations

import re

#: Radius when none is given ("--near Saraqeb").
DEFAULT_RADIUS_KM = 25.0
#: No query radius beyond this: a continent is not "near".
MAX_RADIUS_KM = 2000.0

_RADIUS = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>km|mi|m)?$", re.I)
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_radius(text: str) -> float:
    match = _RADIUS.match(text.strip())
    if not match:
        raise ValueError(f"the radius {text!r} is not a distance such as 25km, 10mi or 500m")
    n, unit = float(match["n"]), (match["unit"] or "km").lower()
    km = n * {"km": 1.0, "mi": 1.609344, "m": 0.001}[unit]
    if not 0 < km <= MAX_RADIUS_KM:
        raise ValueError(f"the radius must be more than 0 and at most {MAX_RADIUS_KM:g} km")
    return km


def resolve_near(value: str, gazetteer=None) -> tuple[float, float, float]:
    """Raises ValueError with a message a user can act on."""
    where, _, radius = value.rpartition(":") if ":" in value else (value, "", "")
    km = parse_radius(radius) if radius else DEFAULT_RADIUS_KM
    latlon = _LATLON.match(where)
    if latlon:
        lat, lon = float(latlon[1]), float(latlon[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("latitude must be within ±90 and longitude within ±180")
        return lat, lon, km
    if not where.strip():
        raise ValueError("give a place name or LAT,LON before the radius")
    if gazetteer is None:
        from flashpoint.resolve.gazetteer import Gazetteer

        gazetteer = Gazetteer.open()
    candidates = gazetteer.candidates(where.strip())
    if not candidates:
        raise ValueError(f"no place called {where.strip()!r} in the gazetteer (try LAT,LON:RADIUS)")
    place = candidates[0]
    return place.lat, place.lon, km
