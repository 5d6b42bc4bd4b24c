"""Reading the store: events and incidents by filters, an incident with its evidence, related coverage."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, text
from sqlalchemy.engine import Connection

from flashpoint.store.incidents import bbox, haversine_km
from flashpoint.store.schema import article, event, incident

#: Incidents this close in space and time to another are "related" to it.
RELATED_KM, RELATED_DAYS = 50.0, 7
MAX_LIMIT = 5000


@dataclass
class Filters:
    """What an analyst narrows a listing by; every field is optional."""

    country: str | None = None        # ISO 3166-1 alpha-2
    admin1: str | None = None
    since: str | None = None          # YYYY-MM-DD, inclusive
    until: str | None = None
    type: str | None = None           # an ACLED event type or sub-event type, or a PLOVER type
    actor: str | None = None          # part of an actor's name, any case
    text: str | None = None           # words in the articles
    near: tuple[float, float, float] | None = None  # (lat, lon, km)
    limit: int = 100
    offset: int = 0


#: Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
ID_CHUNK = 500


def chunks(items: list, size: int = ID_CHUNK):
    """`items` in slices of `size`, for queries that filter on a long list of ids."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def fts_query(words: str) -> str:
    """A user's words as an FTS5 query of quoted terms (so quotes or operators cannot break it)."""
    terms = re.findall(r"\w+", words, re.UNICODE)
    return " ".join(f'"{t}"' for t in terms)


def articles_matching(conn: Connection, words: str):
    """A subquery of the ids of the articles that contain `words` (all of them)."""
    if conn.dialect.name == "sqlite":
        query = fts_query(words)
        if not query:
            return select(article.c.id).where(text("0"))
        return select(text("article_id")).select_from(text("article_fts")).where(
            text("article_fts MATCH :q").bindparams(q=query))
    return select(article.c.id).where(text(
        "to_tsvector('english', coalesce(article.title, '') || ' ' || article.body) @@ plainto_tsquery('english', :q)"
    ).bindparams(q=words))


def literal_like(text: str) -> str:
    """A LIKE pattern that matches `text` itself: "%" and "_" typed by a user are no wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(conn: Connection, table, f: Filters) -> list:
    c = table.c
    where = []
    if f.country:
        where.append(c.country == f.country.upper())
    if f.admin1:
        where.append(c.admin1.ilike(literal_like(f.admin1), escape="\\"))
    if f.since:
        where.append(or_(c.date_end >= f.since, and_(c.date_end.is_(None), c.date_start >= f.since)))
    if f.until:
        where.append(c.date_start <= f.until)
    if f.type:
        t = literal_like(f.type.lower())
        options = [c.event_type.ilike(t, escape="\\"), c.sub_event_type.ilike(t, escape="\\")]
        if table is event:
            options.append(c.plover_event.ilike(t, escape="\\"))
        where.append(or_(*options))
    if f.actor:
        like = f"%{literal_like(f.actor.lower())}%"
        where.append(or_(c.actor1.ilike(like, escape="\\"), c.actor2.ilike(like, escape="\\")))
    if f.near:
        lat0, lat1, lon0, lon1 = bbox(*f.near)
        where.append(and_(c.lat.between(lat0, lat1), c.lon.between(lon0, lon1)))
    if f.text:
        matching = articles_matching(conn, f.text)
        if table is event:
            where.append(c.article_id.in_(matching))
        else:
            where.append(c.id.in_(select(event.c.incident_id).where(event.c.article_id.in_(matching))))
    return where


def within_radius(rows: list[dict], near) -> list[dict]:
    if not near:
        return rows
    lat, lon, km = near
    return [r for r in rows if r["lat"] is not None and haversine_km(lat, lon, r["lat"], r["lon"]) <= km]


def find_events(conn: Connection, f: Filters) -> list[dict]:
    """Events, newest first, each as its full `flashpoint extract` record plus its incident id."""
    query = (select(event.c.record, event.c.incident_id, event.c.lat, event.c.lon)
             .where(*conditions(conn, event, f))
             .order_by(event.c.date_start.desc(), event.c.seq.desc())
             .limit(min(f.limit, MAX_LIMIT)).offset(f.offset))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    out = []
    for r in within_radius(rows, f.near):
        record = json.loads(r["record"])
        record["incident_id"] = r["incident_id"]
        out.append(record)
    return out


def incident_dict(row) -> dict:
    d = dict(row)
    d["sources"] = json.loads(d["sources"] or "[]")
    d["contested"] = bool(d["contested"])
    return d


def find_incidents(conn: Connection, f: Filters) -> list[dict]:
    """Incidents, newest first."""
    query = (select(incident).where(*conditions(conn, incident, f), incident.c.n_events > 0)
             .order_by(incident.c.date_start.desc(), incident.c.id)
             .limit(min(f.limit, MAX_LIMIT)).offset(f.offset))
    return within_radius([incident_dict(r) for r in conn.execute(query).mappings()], f.near)


def article_sources(conn: Connection, article_ids: set[str]) -> list[dict]:
    """The articles behind an incident and the later copies of each, oldest first."""
    if not article_ids:
        return []
    rows = conn.execute(select(article.c.id, article.c.doc, article.c.url, article.c.title, article.c.published,
                               article.c.publisher, article.c.agency, article.c.copy_of)
                        .where(or_(article.c.id.in_(article_ids), article.c.copy_of.in_(article_ids)))
                        .order_by(article.c.published, article.c.id)).mappings()
    return [dict(r) for r in rows]


def incident_detail(conn: Connection, incident_id: str) -> dict | None:
    """An incident with every claim (event) behind it, its sources, and related incidents."""
    row = conn.execute(select(incident).where(incident.c.id == incident_id)).mappings().first()
    if row is None:
        return None
    detail = incident_dict(row)
    claims = []
    for r in conn.execute(select(event.c.record, event.c.article_id, article.c.publisher, article.c.title)
                          .join(article, article.c.id == event.c.article_id)
                          .where(event.c.incident_id == incident_id).order_by(event.c.seq)).mappings():
        record = json.loads(r["record"])
        record["publisher"] = r["publisher"]
        record["article_title"] = r["title"]
        claims.append(record)
    detail["claims"] = claims
    detail["articles"] = article_sources(conn, {c["article_id"] for c in claims})
    detail["related"] = related_incidents(conn, detail)
    return detail


def related_incidents(conn: Connection, inc: dict, limit: int = 10) -> list[dict]:
    """Other incidents nearby in space and time, or reported in the same articles."""
    if inc["lat"] is None or inc["date_start"] is None:
        return []
    from datetime import date, timedelta

    start = (date.fromisoformat(inc["date_start"]) - timedelta(days=RELATED_DAYS)).isoformat()
    end = (date.fromisoformat(inc["date_end"] or inc["date_start"]) + timedelta(days=RELATED_DAYS)).isoformat()
    f = Filters(since=start, until=end, near=(inc["lat"], inc["lon"], RELATED_KM), limit=limit + 1)
    return [r for r in find_incidents(conn, f) if r["id"] != inc["id"]][:limit]


def article_detail(conn: Connection, article_id: str) -> dict | None:
    """An article's text with the spans of its events' evidence, to highlight."""
    row = conn.execute(select(article).where(article.c.id == article_id)).mappings().first()
    if row is None:
        return None
    a = dict(row)
    source_id = a["copy_of"] or a["id"]
    spans = []
    for r in conn.execute(select(event.c.id, event.c.incident_id, event.c.sub_event_type, event.c.plover_event,
                                 event.c.record).where(event.c.article_id == source_id).order_by(event.c.seq)):
        for ev in json.loads(r.record)["evidence"]:
            spans.append({"start": ev["start"], "end": ev["end"], "event_id": r.id, "incident_id": r.incident_id,
                          "label": r.sub_event_type or r.plover_event})
    if a["copy_of"]:
        original = conn.execute(select(article.c.body).where(article.c.id == source_id)).scalar_one()
        spans = spans if original == a["body"] else []  # offsets index the original's text
    a["evidence"] = sorted(spans, key=lambda s: s["start"])
    return a


def timeline(conn: Connection, f: Filters) -> list[dict]:
    """Incidents and fatalities per day and event type, for the chart. An incident with no day (its
    article had no date) has no place on a time axis: it is listed with the others, not charted."""
    rows = find_incidents(conn, Filters(**{**f.__dict__, "limit": MAX_LIMIT, "offset": 0}))
    days: dict[tuple[str, str], dict] = {}
    for r in rows:
        if not r["date_start"]:
            continue
        key = (r["date_start"], r["event_type"])
        d = days.setdefault(key, {"date": r["date_start"], "event_type": r["event_type"], "incidents": 0, "fatalities": 0})
        d["incidents"] += 1
        d["fatalities"] += r["fatalities_best"] or 0
    return sorted(days.values(), key=lambda d: (d["date"], d["event_type"]))
