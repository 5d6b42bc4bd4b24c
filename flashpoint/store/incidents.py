"""Incidents: the events that different articles report of one thing that happened.

An event joins an incident of the same ACLED event type (the family) when the dates
overlap and the places are within MERGE_RADIUS_KM of each other (or, for events placed
only to a province, in the same province). An incident never takes two events of one
article: the extractor has already merged what one article says twice. The incident's
summary is recomputed from its events whenever one joins or a syndicated copy adds a
source, so what it says is always a function of what is stored.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from urllib.parse import urlparse

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from flashpoint.store.schema import article, event, incident

#: Two reports of one incident can place it this far apart (a town and a village beside it).
MERGE_RADIUS_KM = 25.0
#: Precision from finest to coarsest; events coarser than admin1 are never merged by place.
PRECISION_RANK = {"point": 0, "town": 1, "admin2": 2, "admin1": 3, "country": 4}
KM_PER_DEGREE = 111.2


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.05, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def source_name(publisher: str | None, url: str | None, doc: str) -> str:
    """An outlet's name: its publisher, else its web host, else the file name."""
    if publisher:
        return publisher
    if url:
        host = urlparse(url).hostname or ""
        return host.removeprefix("www.") or url
    return doc.rsplit("/", 1)[-1]


def find_incident(conn: Connection, ev: dict, same_story: set[str]) -> str | None:
    """The incident this stored-to-be event belongs to, or None for a new one."""
    if ev["event_type"] is None or ev["date_start"] is None or ev["lat"] is None:
        return None
    rank = PRECISION_RANK.get(ev["geo_precision"] or "country", 4)
    if rank >= 4:
        return None
    where = [incident.c.event_type == ev["event_type"], incident.c.country == ev["country"],
             incident.c.date_start <= (ev["date_end"] or ev["date_start"]), incident.c.date_end >= ev["date_start"]]
    lat0, lat1, lon0, lon1 = bbox(ev["lat"], ev["lon"], MERGE_RADIUS_KM)
    near = and_(incident.c.lat.between(lat0, lat1), incident.c.lon.between(lon0, lon1))
    if rank == 3 or not ev["admin1"]:
        where.append(near if rank < 3 else incident.c.admin1 == ev["admin1"])
    else:
        where.append(or_(near, and_(incident.c.admin1 == ev["admin1"], incident.c.geo_precision == "admin1")))
    best = None
    for row in conn.execute(select(incident).where(*where)).mappings():
        members = {r[0] for r in conn.execute(select(event.c.article_id).where(event.c.incident_id == row["id"]))}
        if members & same_story:
            continue
        distance = 0.0 if rank == 3 or row["geo_precision"] == "admin1" else \
            haversine_km(ev["lat"], ev["lon"], row["lat"], row["lon"])
        if distance > MERGE_RADIUS_KM:
            continue
        key = (row["sub_event_type"] != ev["sub_event_type"], distance, row["date_start"])
        if best is None or key < best[0]:
            best = (key, row["id"])
    return best[1] if best else None


def most_common(values) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def conservative_fatalities(rows: list[dict]) -> tuple[int | None, int | None, int | None]:
    """(best, low, high): best is the lowest figure from a source that is not a party to the
    fighting (as ACLED takes the most conservative report), else the lowest of all."""
    figures = [r["fatalities"] for r in rows if r["fatalities"] is not None]
    if not figures:
        return None, None, None
    parties = {r["actor1"] for r in rows} | {r["actor2"] for r in rows}
    independent = [r["fatalities"] for r in rows if r["fatalities"] is not None and r["reporter_party"] not in parties]
    best = min(independent) if independent else min(figures)
    return best, min(figures), max(figures)


def refresh_incident(conn: Connection, incident_id: str) -> None:
    """Recompute an incident's summary from its events, their articles and the copies of those."""
    rows = [dict(r) for r in conn.execute(
        select(event, article.c.publisher, article.c.url, article.c.doc)
        .join(article, article.c.id == event.c.article_id)
        .where(event.c.incident_id == incident_id).order_by(event.c.seq)).mappings()]
    if not rows:
        conn.execute(incident.delete().where(incident.c.id == incident_id))
        return
    originals = {r["article_id"] for r in rows}
    copies = conn.execute(select(article.c.id, article.c.publisher, article.c.url, article.c.doc)
                          .where(article.c.copy_of.in_(originals))).mappings().all()
    sources = sorted({source_name(r["publisher"], r["url"], r["doc"]) for r in rows}
                     | {source_name(c["publisher"], c["url"], c["doc"]) for c in copies})
    place = min(rows, key=lambda r: PRECISION_RANK.get(r["geo_precision"] or "country", 4))
    best, low, high = conservative_fatalities(rows)
    sub_type = most_common(r["sub_event_type"] for r in rows)
    actor1, actor2 = most_common(r["actor1"] for r in rows), most_common(r["actor2"] for r in rows)
    values = dict(
        event_type=rows[0]["event_type"], sub_event_type=sub_type, country=place["country"], admin1=place["admin1"],
        place=place["place"], geonameid=place["geonameid"], lat=place["lat"], lon=place["lon"],
        geo_precision=place["geo_precision"], date_start=min(r["date_start"] for r in rows),
        date_end=max(r["date_end"] or r["date_start"] for r in rows), actor1=actor1, actor2=actor2,
        fatalities_best=best, fatalities_low=low, fatalities_high=high, contested=any(r["contested"] for r in rows),
        n_events=len(rows), n_articles=len(originals) + len(copies), n_sources=len(sources),
        sources=json.dumps(sources, ensure_ascii=False),
        summary=summary_line(sub_type, place["place"], actor1, actor2, best, low, high))
    updated = conn.execute(incident.update().where(incident.c.id == incident_id).values(**values))
    if updated.rowcount == 0:
        conn.execute(incident.insert().values(id=incident_id, **values))


def summary_line(sub_type, place, actor1, actor2, best, low, high) -> str:
    parts = [f"{sub_type or 'Event'}"]
    if place:
        parts.append(f"in {place}")
    sides = " vs ".join(a for a in (actor1, actor2) if a)
    if sides:
        parts.append(f"({sides})")
    if best is not None:
        parts.append(f"{best} killed" + (f" (reports {low}-{high})" if high != low else ""))
    return " ".join(parts)
