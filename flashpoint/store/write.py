"""Writing a batch of articles and their events: one transaction a batch, idempotent.

An article already stored (same id, or the same body from the same outlet) is skipped,
so re-running an ingest, or resuming one that was killed, adds nothing twice. A later
copy of a syndicated story is stored as an article with `copy_of` set and no events: it
adds a source to the incidents of the first copy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from flashpoint.ingest.dedup import MIN_CONTAINMENT, MIN_SAMPLED_SHINGLES
from flashpoint.model import Article, Event
from flashpoint.resolve.parties import claim_party
from flashpoint.store.incidents import find_incident, refresh_incident
from flashpoint.store.schema import article, event, incident, next_generation, shingle


@dataclass
class Item:
    """One article on its way into the store, with its events (None for a copy)."""

    article: Article
    shingles: set[int]
    copy_of: str | None = None
    events: list[Event] = field(default_factory=list)


@dataclass
class WriteCounts:
    articles: int = 0
    copies: int = 0
    events: int = 0
    incidents_new: int = 0
    incidents_merged: int = 0
    skipped: int = 0


def body_hash(body: str) -> str:
    return hashlib.sha1(" ".join(body.split()).encode("utf-8", "replace")).hexdigest()


def already_stored(conn: Connection, art: Article) -> bool:
    """The same page again: its id is stored, or the same body from the same outlet."""
    if conn.execute(select(article.c.id).where(article.c.id == art.id)).first():
        return True
    same_body = select(article.c.id).where(article.c.body_hash == body_hash(art.body))
    same_body = same_body.where(article.c.publisher == art.publisher) if art.publisher else \
        same_body.where(article.c.publisher.is_(None), article.c.doc == art.doc)
    return conn.execute(same_body).first() is not None


def stored_first_copy(conn: Connection, shingles: set[int]) -> str | None:
    """The stored original of which this story is a later copy, if any (the reader's thresholds)."""
    if len(shingles) < MIN_SAMPLED_SHINGLES:
        return None
    owner = conn.execute(
        select(shingle.c.article_id, func.count().label("n")).where(shingle.c.hash.in_(sorted(shingles)))
        .group_by(shingle.c.article_id).order_by(text("n DESC"), shingle.c.article_id).limit(1)).first()
    if owner and owner[1] >= MIN_CONTAINMENT * len(shingles):
        return owner[0]
    return None


def article_row(art: Article, copy_of: str | None) -> dict:
    return dict(id=art.id, doc=art.doc, url=art.url, title=art.title, published=art.published,
                pub_day=(art.published or "")[:10] or None, publisher=art.publisher, byline=art.byline,
                agency=art.agency, dateline=art.dateline, language=art.language, kind=art.kind, body=art.body,
                body_hash=body_hash(art.body), copy_of=copy_of, ingested_at=datetime.now(timezone.utc).isoformat())


def event_row(ev: Event, seq: int, outlet: str | None = None) -> dict:
    loc, when = ev.location or {}, ev.date or {}
    record = ev.to_dict()
    return dict(id=ev.event_id, article_id=ev.article_id, seq=seq, event_type=ev.event_type,
                sub_event_type=ev.sub_event_type, plover_event=ev.plover.get("event"), plover_mode=ev.plover.get("mode"),
                cameo=ev.cameo, actor1=(ev.actor1 or {}).get("name"), actor2=(ev.actor2 or {}).get("name"),
                reported_by=ev.reported_by, reporter_party=claim_party(record, outlet),
                contested=bool(ev.contested), fatalities=ev.fatalities, injured=ev.injured, country=loc.get("country"),
                admin1=loc.get("admin1"), place=loc.get("name"), geonameid=loc.get("geonameid"), lat=loc.get("lat"),
                lon=loc.get("lon"), geo_precision=loc.get("precision"), date_start=when.get("start"),
                date_end=when.get("end") or when.get("start"), date_precision=when.get("precision"),
                confidence=ev.confidence, record=json.dumps(record, ensure_ascii=False))


def write_batch(conn: Connection, items: list[Item], counts: WriteCounts) -> None:
    """Store a batch inside the caller's transaction."""
    next_generation(conn)
    seq = conn.execute(select(func.coalesce(func.max(event.c.seq), 0))).scalar_one()
    for item in items:
        art = item.article
        if already_stored(conn, art):
            counts.skipped += 1
            continue
        copy_of = item.copy_of
        if copy_of and not conn.execute(select(article.c.id).where(article.c.id == copy_of)).first():
            copy_of = None  # its first copy was not stored (it failed): this one is the original
        if not copy_of and item.shingles:
            # Another process may have stored the first copy since this batch was read.
            copy_of = stored_first_copy(conn, item.shingles)
        conn.execute(insert(article).values(**article_row(art, copy_of)))
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO article_fts (article_id, title, body) VALUES (:i, :t, :b)"),
                         {"i": art.id, "t": art.title or "", "b": art.body})
        if copy_of:
            counts.copies += 1
            for (iid,) in conn.execute(select(event.c.incident_id).distinct()
                                       .where(event.c.article_id == copy_of, event.c.incident_id.is_not(None))):
                refresh_incident(conn, iid)
            continue
        counts.articles += 1
        if item.shingles:
            conn.execute(insert(shingle), [{"hash": h, "article_id": art.id} for h in sorted(item.shingles)])
        for ev in item.events:
            seq += 1
            row = event_row(ev, seq, art.publisher)
            if conn.execute(select(event.c.id).where(event.c.id == row["id"])).first():
                continue
            incident_id = find_incident(conn, row, {art.id})
            if incident_id:
                counts.incidents_merged += 1
            elif row["event_type"] is not None:
                incident_id = "i" + row["id"][:15]
                counts.incidents_new += 1
                conn.execute(insert(incident).values(id=incident_id, event_type=row["event_type"], contested=False,
                                                     n_events=0, n_articles=0, n_sources=0))
            row["incident_id"] = incident_id
            conn.execute(insert(event).values(**row))
            counts.events += 1
            if incident_id:
                refresh_incident(conn, incident_id)
