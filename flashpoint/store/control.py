"""The control timeline: for each place, who claims to hold it since when, according to whom.

Built from the incidents of the three territorial sub-event types. Each entry lists the
claim's sources, each with the party it comes from when its source is a party to the
fighting (resolve/parties.py); who disputes it (the sources whose counter-claims the
extractor linked to it, and denials in the same articles about the same place and the
same days: a denial of last night's capture says nothing of one three weeks before); and
whether it is confirmed: only a source that is neither a party nor citing one confirms a
change of hands ("independent"); otherwise it is the claimant's word only ("claimant only").
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from flashpoint.resolve.parties import claim_party
from flashpoint.store.incidents import source_name
from flashpoint.store.queries import chunks
from flashpoint.store.schema import article, event, incident

CONTROL_TYPES = ("Government regains territory", "Non-state actor overtakes territory",
                 "Non-violent transfer of territory")


def place_key(row) -> str:
    return str(row["geonameid"]) if row["geonameid"] else f"{row['place']}|{row['country']}"


def rows_where_in(conn: Connection, query, column, values) -> list:
    """`query` restricted to `column IN values`, run in chunks; all rows, as mappings."""
    rows: list = []
    for ids in chunks(sorted(set(values))):
        rows.extend(conn.execute(query.where(column.in_(ids))).mappings().all())
    return rows


def control_timelines(conn: Connection, country: str | None = None, place: str | None = None,
                      geonameids: set[int] | None = None) -> list[dict]:
    """Every place with control claims, each with its entries oldest first; only the place named
    `place` as stored (or its geonameid), or only the places of `geonameids`, when given."""
    query = select(incident).where(incident.c.sub_event_type.in_(CONTROL_TYPES), incident.c.n_events > 0)
    if country:
        query = query.where(incident.c.country == country.upper())
    if geonameids is not None:
        query = query.where(incident.c.geonameid.in_(sorted(geonameids)))
    incidents = [row for row in conn.execute(query.order_by(incident.c.date_start, incident.c.id)).mappings()
                 if not place or place.lower() in {(row["place"] or "").lower(), str(row["geonameid"])}]
    evidence = ControlEvidence.load(conn, [row["id"] for row in incidents])
    places: dict[str, dict] = {}
    for row in incidents:
        p = places.setdefault(place_key(row), {"place": row["place"], "country": row["country"],
                                               "admin1": row["admin1"], "geonameid": row["geonameid"],
                                               "lat": row["lat"], "lon": row["lon"], "entries": []})
        p["entries"].append(control_entry(row, evidence))
    for p in places.values():
        last = p["entries"][-1]
        p["held_by"] = last["holder"]
        p["since"] = last["since"]
        previous = [p["entries"][0]["taken_from"]] + [e["holder"] for e in p["entries"][:-1]]
        p["changes"] = sum(1 for before, e in zip(previous, p["entries"]) if before and before != e["holder"])
    return sorted(places.values(), key=lambda p: (p["country"] or "", p["place"] or ""))


def place_control(conn: Connection, name: str, country: str | None = None, gazetteer=None) -> tuple[list[dict], str | None]:
    """The control timelines of the place a user names, and how it was matched (None when by its
    stored name). A name as stored or a geonameid is taken as it is; any other name is looked up in
    the gazetteer, alternate names and transliterations included ("Saraqeb" is GeoNames' Saraqib),
    and the stored places with those geonameids are the answer."""
    found = control_timelines(conn, country, name)
    if found or not name.strip():
        return found, None
    if gazetteer is None:
        from flashpoint.resolve.gazetteer import Gazetteer

        gazetteer = Gazetteer.open()
    places = [p for p in (*gazetteer.candidates(name), *gazetteer.loose_candidates(name)) if p.geonameid]
    found = control_timelines(conn, country, geonameids={p.geonameid for p in places}) if places else []
    if not found:
        return [], None
    chosen = ", ".join(f"{p['place']} ({', '.join(x for x in (p['admin1'], p['country']) if x)}; geonameid "
                       f"{p['geonameid']})" for p in found)
    return found, f"{name!r} is stored as {chosen}, a name the gazetteer knows for it"


class ControlEvidence:
    """What the entries of many control incidents rest on, read in a few queries: their events with
    the reporting article, the events their counter-claims name, the denials in the same articles,
    and the later copies of those articles."""

    def __init__(self):
        self.events: dict[str, list[dict]] = {}      # incident id -> its events (record parsed), by seq
        self.counters: dict[str, dict] = {}          # event id -> reported_by, reporter_party
        self.rejections: dict[str, list[dict]] = {}  # article id -> its REJECT events
        self.copies: dict[str, list[dict]] = {}      # article id -> its later copies

    @classmethod
    def load(cls, conn: Connection, incident_ids: list[str]) -> "ControlEvidence":
        found = cls()
        claims = select(event.c.incident_id, event.c.seq, event.c.record, event.c.reporter_party,
                        article.c.publisher, article.c.url, article.c.doc).join(article, article.c.id == event.c.article_id)
        for r in sorted(rows_where_in(conn, claims, event.c.incident_id, incident_ids), key=lambda r: r["seq"]):
            found.events.setdefault(r["incident_id"], []).append({**r, "record": json.loads(r["record"])})
        records = [e["record"] for evs in found.events.values() for e in evs]
        counters = select(event.c.id, event.c.reported_by, event.c.reporter_party)
        for r in rows_where_in(conn, counters, event.c.id, [c for rec in records for c in rec["counter_claims"]]):
            found.counters[r["id"]] = r
        article_ids = {rec["article_id"] for rec in records}
        rejections = select(event.c.article_id, event.c.place, event.c.reporter_party, event.c.reported_by,
                            event.c.actor1, event.c.date_start, event.c.date_end).where(event.c.plover_event == "REJECT")
        for r in rows_where_in(conn, rejections, event.c.article_id, article_ids):
            found.rejections.setdefault(r["article_id"], []).append(r)
        copies = select(article.c.copy_of, article.c.publisher, article.c.url, article.c.doc)
        for r in rows_where_in(conn, copies, article.c.copy_of, article_ids):
            found.copies.setdefault(r["copy_of"], []).append(r)
        return found


#: Days a denial's date may be off the claim's and still be about it ("on Thursday" vs a report at midnight).
DENIAL_DAYS = 1


def control_entry(inc, evidence: ControlEvidence) -> dict:
    claims, disputed, sources = [], set(), set()
    events = evidence.events.get(inc["id"], [])
    for r in events:
        record = r["record"]
        outlet = source_name(r["publisher"], r["url"], r["doc"])
        sources.add(outlet)
        claims.append({"according_to": record["reported_by"] or outlet, "outlet": outlet,
                       "party": claim_party(record, r["publisher"]),
                       "sub_event_type": record["sub_event_type"], "event_id": record["event_id"],
                       "sentence": record["evidence"][0]["sentence"] if record["evidence"] else None})
        for counter_id in record["counter_claims"]:
            counter = evidence.counters.get(counter_id)
            if counter is not None:
                disputed.add(counter["reporter_party"] or counter["reported_by"] or outlet)
        disputed |= denials_in_article(evidence.rejections.get(record["article_id"], []), inc)
    disputed.discard(inc["actor1"])
    for original in {r["record"]["article_id"] for r in events}:
        for copy in evidence.copies.get(original, []):
            sources.add(source_name(copy["publisher"], copy["url"], copy["doc"]))
    independent = any(c["party"] is None for c in claims)
    return {"incident_id": inc["id"], "since": inc["date_start"], "holder": inc["actor1"],
            "taken_from": inc["actor2"], "sub_event_type": inc["sub_event_type"], "claims": claims,
            "disputed_by": sorted(d for d in disputed if d), "confirmed_independently": independent,
            "confirmation": "independent" if independent else "claimant only", "sources": sorted(sources)}


def denials_in_article(rejections: list[dict], inc) -> set[str]:
    """Parties in the same article who reject a claim about the same place and the same days. A
    denial with no day is left to the links the extractor made (counter-claims)."""
    return {r["reporter_party"] or r["actor1"] or r["reported_by"] for r in rejections
            if inc["place"] is not None and r["place"] == inc["place"] and (r["reporter_party"] or r["actor1"]) != inc["actor1"]
            and same_days(r, inc)}


def same_days(a, b, slack: int = DENIAL_DAYS) -> bool:
    """Whether two date ranges (ISO days) overlap, each widened by `slack` days; False when one has none."""
    from datetime import date, timedelta

    if not a["date_start"] or not b["date_start"]:
        return False
    a0, b0 = date.fromisoformat(a["date_start"]), date.fromisoformat(b["date_start"])
    a1 = date.fromisoformat(a["date_end"] or a["date_start"])
    b1 = date.fromisoformat(b["date_end"] or b["date_start"])
    return a0 - timedelta(days=slack) <= b1 and b0 - timedelta(days=slack) <= a1


def claim_label(c: dict) -> str:
    """"National Liberation Front, a party (The Algemeiner)": who claims a change of hands, whether
    that source is a party to the fighting, and the outlet that carried it."""
    party = ", a party" if c["party"] and c["party"] == c["according_to"] else \
        f", for {c['party']}" if c["party"] else ""
    return f"{c['according_to']}{party} ({c['outlet']})"
