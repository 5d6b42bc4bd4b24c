"""The control timeline: for each place, who claims to hold it since when, according to whom.

Built from the incidents of the three territorial sub-event types. Each entry lists the
claim's sources, who disputes it (the parties whose denial the extractor linked to it,
or who state the opposite), and whether a source that is not the claimant itself
confirms it: a party's word about its own gains is a claim, not a confirmation.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from flashpoint.store.incidents import source_name
from flashpoint.store.schema import article, event, incident

CONTROL_TYPES = ("Government regains territory", "Non-state actor overtakes territory",
                 "Non-violent transfer of territory")


def place_key(row) -> str:
    return str(row["geonameid"]) if row["geonameid"] else f"{row['place']}|{row['country']}"


def control_timelines(conn: Connection, country: str | None = None, place: str | None = None) -> list[dict]:
    """Every place with control claims, each with its entries oldest first."""
    query = select(incident).where(incident.c.sub_event_type.in_(CONTROL_TYPES), incident.c.n_events > 0)
    if country:
        query = query.where(incident.c.country == country.upper())
    places: dict[str, dict] = {}
    for row in conn.execute(query.order_by(incident.c.date_start, incident.c.id)).mappings():
        if place and place.lower() not in {(row["place"] or "").lower(), str(row["geonameid"])}:
            continue
        entry = control_entry(conn, row)
        p = places.setdefault(place_key(row), {"place": row["place"], "country": row["country"],
                                               "admin1": row["admin1"], "geonameid": row["geonameid"],
                                               "lat": row["lat"], "lon": row["lon"], "entries": []})
        p["entries"].append(entry)
    for p in places.values():
        last = p["entries"][-1]
        p["held_by"] = last["holder"]
        p["since"] = last["since"]
        previous = [p["entries"][0]["taken_from"]] + [e["holder"] for e in p["entries"][:-1]]
        p["changes"] = sum(1 for before, e in zip(previous, p["entries"]) if before and before != e["holder"])
    return sorted(places.values(), key=lambda p: (p["country"] or "", p["place"] or ""))


def control_entry(conn: Connection, inc) -> dict:
    claims, disputed, sources = [], set(), set()
    events = conn.execute(select(event.c.record, event.c.reporter_party, article.c.publisher, article.c.url,
                                 article.c.doc)
                          .join(article, article.c.id == event.c.article_id)
                          .where(event.c.incident_id == inc["id"]).order_by(event.c.seq)).mappings().all()
    confirmed = False
    for r in events:
        record = json.loads(r["record"])
        outlet = source_name(r["publisher"], r["url"], r["doc"])
        sources.add(outlet)
        according_to = record["reported_by"] or outlet
        claims.append({"according_to": according_to, "outlet": outlet, "party": r["reporter_party"],
                       "sub_event_type": record["sub_event_type"], "event_id": record["event_id"],
                       "sentence": record["evidence"][0]["sentence"] if record["evidence"] else None})
        if r["reporter_party"] is None or r["reporter_party"] != inc["actor1"]:
            confirmed = True
        for counter_id in record["counter_claims"]:
            counter = conn.execute(select(event.c.reported_by, event.c.reporter_party)
                                   .where(event.c.id == counter_id)).first()
            if counter is not None:
                disputed.add(counter.reporter_party or counter.reported_by or outlet)
        disputed |= denials_in_article(conn, record["article_id"], inc)
    disputed.discard(inc["actor1"])
    originals = {json.loads(r["record"])["article_id"] for r in events}
    for copy in conn.execute(select(article.c.publisher, article.c.url, article.c.doc)
                             .where(article.c.copy_of.in_(originals))).mappings():
        sources.add(source_name(copy["publisher"], copy["url"], copy["doc"]))
    return {"incident_id": inc["id"], "since": inc["date_start"], "holder": inc["actor1"],
            "taken_from": inc["actor2"], "sub_event_type": inc["sub_event_type"], "claims": claims,
            "disputed_by": sorted(d for d in disputed if d), "confirmed_independently": confirmed,
            "sources": sorted(sources)}


def denials_in_article(conn: Connection, article_id: str, inc) -> set[str]:
    """Parties in the same article who reject a claim about the same place."""
    rows = conn.execute(select(event.c.reporter_party, event.c.reported_by, event.c.actor1)
                        .where(event.c.article_id == article_id, event.c.plover_event == "REJECT",
                               event.c.place == inc["place"])).all()
    return {r.reporter_party or r.actor1 or r.reported_by for r in rows if (r.reporter_party or r.actor1) != inc["actor1"]}
