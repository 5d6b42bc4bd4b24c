"""The store's commands: ingest, events, incidents, incident, control, export, brief."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from flashpoint.cli.options import (ACTOR, ADMIN1, ALLOW_PRIVATE, COUNTRY, DB, EXIT_SOME_FAILED, FETCH_LINKS, LIMIT,
                                    MAX_BYTES, NEAR, QUIET, ROBOTS, SINCE, TEXT, TIMEOUT, TYPE, UNTIL, ListFormat,
                                    build_filters, err, fail, finish_run, open_gazetteer_with_notice, open_store,
                                    RAY, WORKERS, cluster_failed, parse_date, progress_bar, read_options,
                                    worker_count)

commands = typer.Typer()


class ExportFormat(str, Enum):
    acled_csv = "acled-csv"
    plover_jsonl = "plover-jsonl"
    geojson = "geojson"
    parquet = "parquet"


class BriefFormat(str, Enum):
    html = "html"
    md = "md"


@commands.command("ingest")
def ingest_command(
    sources: list[str] = typer.Argument(..., metavar="PATH...",
        help="Anything `flashpoint read` takes: files, directories, URLs, feeds, WARC, JSONL, or -."),
    db: Optional[str] = DB,
    batch_size: int = typer.Option(25, "--batch-size", min=1, help="Articles per transaction."),
    acled_only: bool = typer.Option(False, "--acled-only", help="Store only events with an ACLED type."),
    allow_private: bool = ALLOW_PRIVATE,
    fetch_links: bool = FETCH_LINKS,
    robots: bool = ROBOTS,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    quiet: bool = QUIET,
    workers: int = WORKERS,
    ray: Optional[str] = RAY,
) -> None:
    """Read, extract and store: articles, events, and incidents merged across outlets.

    Examples:

      flashpoint ingest pages/                          # into ./flashpoint.db (SQLite, WAL)
      flashpoint ingest feed.xml --db postgresql://flashpoint@localhost/flashpoint
      flashpoint ingest crawl.warc.gz --workers 2     # two processes read and extract; this one writes
      flashpoint ingest shards/ --ray ray://head:10001 --db postgresql://flashpoint@db/flashpoint

    Idempotent: a page already stored adds nothing; a later copy of a syndicated story adds
    a source to the incidents of the first copy, not new events. Each batch of articles is
    one transaction: a run that is killed keeps what it committed, and running it again
    stores the rest.

    Exit codes: 0 every input was read; 1 some inputs failed (listed on stderr, the
    others stored); 2 nothing could be read or the database could not be opened.
    """
    from flashpoint.ingest.reader import ReadReport
    from flashpoint.pipeline import ingest

    from flashpoint.cluster import LOCAL, ClusterError

    store = open_store(db, create=True)
    if ray and ray != LOCAL and store.dialect == "sqlite":
        err.print(f"note: the store {store.display_url} is an SQLite file on this machine, written by this process "
                  "alone; the cluster reads and extracts. A store the cluster's machines share is PostgreSQL "
                  "(--db postgresql://...).", highlight=False)
    open_gazetteer_with_notice(quiet)
    report = ReadReport()
    try:
        with progress_bar(len(sources), quiet) as advance:
            counts = ingest(sources, store, read_options(allow_private, fetch_links, robots, timeout, max_bytes),
                            report, progress=advance, batch_size=batch_size, include_plover=not acled_only,
                            workers=worker_count(workers), ray=ray)
    except ClusterError as exc:
        cluster_failed(exc)
    totals = store.counts()
    extra = (f"stored {counts.articles} new article{'s' * (counts.articles != 1)} and {counts.copies} "
             f"syndicated cop{'ies' if counts.copies != 1 else 'y'}, {counts.events} events "
             f"({counts.incidents_new} new incidents, {counts.incidents_merged} events joined an existing one), "
             f"{counts.skipped} already stored; {store.display_url} now holds {totals['article']} articles, "
             f"{totals['event']} events, {totals['incident']} incidents")
    report.copies = 0  # counted above, with the copies found in earlier runs
    finish_run(report, quiet, extra=extra)


def emit(rows: list[dict], fmt: ListFormat, table) -> None:
    fmt = fmt or (ListFormat.table if sys.stdout.isatty() else ListFormat.jsonl)
    if fmt is ListFormat.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt is ListFormat.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        (Console() if sys.stdout.isatty() else Console(width=200)).print(table(rows))


def incidents_table(rows):
    from rich.table import Table

    table = Table()
    for column in ("id", "date", "type", "place", "actors", "killed", "sources", "contested"):
        table.add_column(column, overflow="fold")
    for r in rows:
        killed = "" if r["fatalities_best"] is None else str(r["fatalities_best"])
        if r["fatalities_high"] is not None and r["fatalities_high"] != r["fatalities_low"]:
            killed += f" ({r['fatalities_low']}-{r['fatalities_high']})"
        table.add_row(r["id"], r["date_start"] or "", r["sub_event_type"] or "",
                      ", ".join(x for x in (r["place"], r["country"]) if x),
                      " vs ".join(a for a in (r["actor1"], r["actor2"]) if a), killed,
                      f"{r['n_sources']}: " + ", ".join(r["sources"]), "yes" if r["contested"] else "")
    return table


def events_table(rows):
    from rich.table import Table

    table = Table()
    for column in ("date", "type", "place", "actors", "killed", "says who", "incident"):
        table.add_column(column, overflow="fold")
    for e in rows:
        loc, when = e["location"] or {}, e["date"] or {}
        table.add_row(when.get("start") or "", e["sub_event_type"] or f"({e['plover']['event']})",
                      ", ".join(x for x in (loc.get("name"), loc.get("country")) if x),
                      " vs ".join(a["name"] for a in (e["actor1"], e["actor2"]) if a),
                      "" if e["fatalities"] is None else str(e["fatalities"]),
                      (e["reported_by"] or "the reporter") + (" (contested)" if e["contested"] else ""),
                      e.get("incident_id") or "")
    return table


@commands.command("events")
def events_command(db: Optional[str] = DB, country: Optional[str] = COUNTRY, admin1: Optional[str] = ADMIN1,
                   since: Optional[str] = SINCE, until: Optional[str] = UNTIL, type: Optional[str] = TYPE,
                   actor: Optional[str] = ACTOR, text: Optional[str] = TEXT, near: Optional[str] = NEAR,
                   limit: int = LIMIT,
                   format: Optional[ListFormat] = typer.Option(None, "--format", "-f", help="table, jsonl or json.")) -> None:
    """List stored events, newest first (each as `flashpoint extract` writes it, plus its incident).

    Examples:

      flashpoint events --country SD --since 2025-03-10 --type Battles
      flashpoint events --near Saraqeb:25km --text "air strike" -f jsonl
    """
    from flashpoint.store.queries import find_events

    filters = build_filters(country, admin1, since, until, type, actor, text, near, limit)
    with open_store(db).connect() as conn:
        emit(find_events(conn, filters), format, events_table)


@commands.command("incidents")
def incidents_command(db: Optional[str] = DB, country: Optional[str] = COUNTRY, admin1: Optional[str] = ADMIN1,
                      since: Optional[str] = SINCE, until: Optional[str] = UNTIL, type: Optional[str] = TYPE,
                      actor: Optional[str] = ACTOR, text: Optional[str] = TEXT, near: Optional[str] = NEAR,
                      limit: int = LIMIT,
                      format: Optional[ListFormat] = typer.Option(None, "--format", "-f", help="table, jsonl or json.")) -> None:
    """List incidents (one thing that happened, with every outlet that reported it), newest first.

    Fatalities are best (the lowest figure from a source that is not a party to the
    fighting), low and high across the reports.

      flashpoint incidents --country SD --since 2025-03-01
      flashpoint incidents --near "El Obeid:30km" --type "Shelling/artillery/missile attack"
    """
    from flashpoint.store.queries import find_incidents

    filters = build_filters(country, admin1, since, until, type, actor, text, near, limit)
    with open_store(db).connect() as conn:
        emit(find_incidents(conn, filters), format, incidents_table)


@commands.command("incident")
def incident_command(incident_id: str = typer.Argument(..., metavar="ID", help="An incident id from `flashpoint incidents`."),
                     db: Optional[str] = DB,
                     format: Optional[ListFormat] = typer.Option(None, "--format", "-f", help="table or json.")) -> None:
    """One incident: every claim with who made it and the sentence behind it, its articles, and related incidents."""
    from flashpoint.store.queries import incident_detail

    with open_store(db).connect() as conn:
        detail = incident_detail(conn, incident_id)
    if detail is None:
        fail(f"{incident_id}: no such incident")
    fmt = format or (ListFormat.table if sys.stdout.isatty() else ListFormat.json)
    if fmt is not ListFormat.table:
        json.dump(detail, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    console = Console() if sys.stdout.isatty() else Console(width=160)
    console.print(f"[bold]{detail['summary']}[/bold]  {detail['date_start']}  ({detail['n_sources']} sources, "
                  f"{detail['n_articles']} articles)", highlight=False)
    for c in detail["claims"]:
        killed = f", {c['fatalities']} killed" if c["fatalities"] is not None else ""
        console.print(f"- {c['reported_by'] or 'the reporter'} ({c['publisher'] or c['doc']}): {c['sub_event_type']}{killed}"
                      f"{' [contested]' if c['contested'] else ''}", highlight=False, markup=False)
        for ev in c["evidence"]:
            console.print(f"    \"{ev['sentence']}\"", highlight=False, markup=False)
    for a in detail["articles"]:
        console.print(f"  source: {a['publisher'] or ''} {a['title'] or a['doc']}{' (copy)' if a['copy_of'] else ''}",
                      highlight=False, markup=False)
    for r in detail["related"]:
        console.print(f"  related: {r['id']} {r['date_start']} {r['summary']}", highlight=False, markup=False)


@commands.command("control")
def control_command(place: Optional[str] = typer.Argument(None, help="A place: any name the gazetteer knows (Saraqeb, Saraqib, Bara), or a geonameid; all places when left out."),
                    db: Optional[str] = DB, country: Optional[str] = COUNTRY,
                    format: Optional[ListFormat] = typer.Option(None, "--format", "-f", help="table, jsonl or json.")) -> None:
    """Who claims to hold each place since when, according to whom, disputed by whom, and whether
    anyone but a party to the fighting confirms it ("independent") or not ("claimant only").

      flashpoint control --country SD
      flashpoint control Saraqeb -f json

    A place name not stored as such is looked up in the gazetteer (alternate names and
    transliterations too) and the place it matched is named on stderr.
    """
    from flashpoint.store.control import claim_label, control_timelines, place_control

    with open_store(db).connect() as conn:
        places, matched = place_control(conn, place, country) if place else (control_timelines(conn, country), None)
    if place and not places:
        fail(f"{place}: no control claims stored for this place (nor for any place the gazetteer calls so)",
             EXIT_SOME_FAILED)
    if matched:
        err.print(matched, highlight=False)

    def table(rows):
        from rich.table import Table

        t = Table()
        for column in ("place", "since", "holder", "taken from", "according to", "disputed by", "confirmed"):
            t.add_column(column, overflow="fold")
        for p in rows:
            for e in p["entries"]:
                t.add_row(f"{p['place']}, {p['country']}", e["since"] or "", e["holder"] or "?", e["taken_from"] or "",
                          "; ".join(claim_label(c) for c in e["claims"]), ", ".join(e["disputed_by"]),
                          e["confirmation"])
        return t

    emit(places, format, table)


@commands.command("export")
def export_command(format: ExportFormat = typer.Option(..., "--format", "-f", help="acled-csv, plover-jsonl, geojson or parquet."),
                   out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here (parquet needs it); default stdout."),
                   db: Optional[str] = DB, country: Optional[str] = COUNTRY, admin1: Optional[str] = ADMIN1,
                   since: Optional[str] = SINCE, until: Optional[str] = UNTIL, type: Optional[str] = TYPE,
                   actor: Optional[str] = ACTOR, text: Optional[str] = TEXT, near: Optional[str] = NEAR,
                   limit: int = typer.Option(1_000_000, "--limit", "-n", min=1, help="At most this many rows."),
                   per: Optional[str] = typer.Option(None, "--per", metavar="incident|report",
                       help="One row per incident (what happened: sum its fatalities; the default) or per "
                            "report (every claim, as stored). plover-jsonl is per report only.")) -> None:
    """Export incidents or reports: ACLED-compatible CSV, PLOVER JSONL, GeoJSON features, or Parquet.
    acled-csv, geojson and parquet write one row per incident by default (the reports of one
    thing that happened merged: every outlet in source, the conservative toll in fatalities,
    who claims and who disputes it in notes); --per report writes every claim. plover-jsonl
    writes one line per report.

      flashpoint export -f acled-csv --country SD > sudan-incidents.csv
      flashpoint export -f acled-csv --per report > every-claim.csv
      flashpoint export -f parquet -o incidents.parquet
      flashpoint export -f geojson --since 2025-03-01 > incidents.geojson
      flashpoint export -f plover-jsonl > events.jsonl
    """
    from flashpoint.report.export import PER_INCIDENT, PER_REPORT, PER_REPORT_ONLY, default_per, write_export

    if format is ExportFormat.parquet and out is None:
        fail("--format parquet writes a binary file: give --out FILE.parquet")
    layout = (per or default_per(format.value)).lower()
    if layout not in (PER_INCIDENT, PER_REPORT):
        fail(f"--per {per}: give --per incident (one row per incident) or --per report (one per report)")
    if layout == PER_INCIDENT and format.value in PER_REPORT_ONLY:
        fail(f"--per incident: {format.value} is a per-event format (PLOVER records each report, not "
             "incidents); leave --per out or use acled-csv, geojson or parquet for incidents")
    filters = build_filters(country, admin1, since, until, type, actor, text, near, 100)
    filters.limit = limit
    with open_store(db).connect() as conn:
        written = write_export(conn, filters, format.value, out, layout)
    noun = "incidents" if layout == PER_INCIDENT else "reports"
    err.print(f"exported {written} {noun} as {format.value}" + (f" to {out}" if out else ""), highlight=False)


@commands.command("brief")
def brief_command(day: str = typer.Option(..., "--date", "-d", help="The day: YYYY-MM-DD, today or yesterday."),
                  country: Optional[str] = COUNTRY, db: Optional[str] = DB,
                  format: BriefFormat = typer.Option(BriefFormat.html, "--format", "-f", help="html or md."),
                  out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here; default stdout.")) -> None:
    """A one-page daily situation report: key incidents, fatalities by type and place,
    control changes with claims and counter-claims, a map and a chart, each line linked
    to its sources.

      flashpoint brief --date 2025-03-12 --country SD -o brief.html
      flashpoint brief --date 2025-03-12 -f md
      flashpoint brief --date yesterday --country SY
    """
    from flashpoint.report.brief import render_brief

    day = named_day(day)
    filters = build_filters(country, None, day, day, None, None, None, None, 5000)
    with open_store(db).connect() as conn:
        document = render_brief(conn, filters.since, filters.country, format.value)
    if out:
        out.write_text(document, encoding="utf-8")
        err.print(f"wrote the {filters.since} briefing to {out}", highlight=False)
    else:
        sys.stdout.write(document)


def named_day(value: str) -> str:
    """"today" and "yesterday" as ISO days (UTC, as stored dates are); any other value is checked as a
    date under the --date option's name."""
    from datetime import datetime, timedelta, timezone

    words = {"today": 0, "yesterday": 1}
    if value.strip().lower() in words:
        return (datetime.now(timezone.utc).date() - timedelta(days=words[value.strip().lower()])).isoformat()
    return parse_date(value, "--date")
