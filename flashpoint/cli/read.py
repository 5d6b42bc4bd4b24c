"""Commands that read sources without a store: read, extract, geoparse."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from typing import Optional

import typer
from rich.console import Console

from flashpoint.cli.options import (ALLOW_PRIVATE, FETCH_LINKS, MAX_BYTES, QUIET, RAY, ROBOTS, TIMEOUT, WORKERS,
                                    ListFormat, cluster_failed, fail, finish_run, open_gazetteer_with_notice,
                                    progress_bar, read_options, worker_count)

commands = typer.Typer()


@commands.command("read")
def read_command(
    sources: list[str] = typer.Argument(..., metavar="PATH...",
        help="Files, directories (recursive), URLs, RSS/Atom feeds, WARC(.gz), JSONL, or - for stdin. gzip is read transparently."),
    format: Optional[ListFormat] = typer.Option(None, "--format", "-f",
        help="table (default on a terminal), jsonl (default when piped) or json."),
    allow_private: bool = ALLOW_PRIVATE,
    fetch_links: bool = FETCH_LINKS,
    robots: bool = ROBOTS,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    quiet: bool = QUIET,
) -> None:
    """Read pages into clean, dated articles (one per input page, feed item or WARC record).

    Examples:

      flashpoint read page.txt                       # a text dump, as a table
      flashpoint read pages/ --format jsonl > a.jsonl
      flashpoint read https://example.org/feed.xml
      zcat crawl.warc.gz | flashpoint read - -f jsonl

    Output (jsonl/json): doc, url, title, published (ISO 8601), publisher, byline,
    agency, dateline, language, body (paragraphs separated by blank lines), id, and
    duplicate_of (the id of the first copy of a syndicated story).

    Exit codes: 0 every input was read; 1 some inputs failed (the others were written,
    the failures listed on stderr); 2 nothing could be read.
    """
    from flashpoint.ingest.reader import ReadReport, read

    fmt = format or (ListFormat.table if sys.stdout.isatty() else ListFormat.jsonl)
    options = read_options(allow_private, fetch_links, robots, timeout, max_bytes)
    report = ReadReport()
    articles = []
    with progress_bar(len(sources), quiet) as advance:
        for article in read(sources, options, report, progress=advance):
            if fmt is ListFormat.jsonl:
                sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            else:
                articles.append(article)
    if fmt is ListFormat.json:
        json.dump([a.to_dict() for a in articles], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is ListFormat.table:
        print_table(articles)
    finish_run(report, quiet)


class ExtractFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    json = "json"


class GeoFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


#: Columns of `flashpoint extract --format csv`: the contract flattened, one event a row.
CSV_COLUMNS = ["event_id", "doc", "article_id", "event_type", "sub_event_type", "plover_event", "plover_mode", "cameo",
               "actor1", "actor1_kind", "actor1_country", "actor2", "actor2_kind", "actor2_country", "assoc_actors",
               "location", "admin1", "country", "lat", "lon", "geo_precision", "date_start", "date_end",
               "date_precision", "fatalities", "injured", "reported_by", "contested", "counter_claims",
               "confidence", "evidence"]


@commands.command("extract")
def extract_command(
    sources: list[str] = typer.Argument(..., metavar="PATH...",
        help="Anything `flashpoint read` takes: files, directories, URLs, feeds, WARC, JSONL, or -."),
    format: Optional[ExtractFormat] = typer.Option(None, "--format", "-f",
        help="table (default on a terminal), jsonl (default when piped), csv or json."),
    acled_only: bool = typer.Option(False, "--acled-only",
        help="Only events with an ACLED type (leave out PLOVER-only records: threats, talks, ...)."),
    allow_private: bool = ALLOW_PRIVATE,
    fetch_links: bool = FETCH_LINKS,
    robots: bool = ROBOTS,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    quiet: bool = QUIET,
    workers: int = WORKERS,
    ray: Optional[str] = RAY,
    out: Optional[str] = typer.Option(None, "--out", "-o", metavar="DIR",
        help="Write the events as a Parquet dataset partitioned by event date (DIR/event_date=YYYY-MM-DD/, "
             "undated ones under event_date=undated) instead of to stdout."),
) -> None:
    """Extract events: typed (ACLED + PLOVER + CAMEO), geocoded, dated, attributed.

    Examples:

      flashpoint extract story.txt                      # a table: one line per event
      flashpoint extract pages/ -f jsonl > events.jsonl
      flashpoint extract feed.xml --acled-only -f csv
      flashpoint extract crawl.warc.gz --workers 2 -f jsonl   # two processes, the same events in the same order
      flashpoint extract shards/ --ray local -o events/        # on Ray, as Parquet by event date

    Each event (jsonl/json): event_id, doc, article_id, event_type, sub_event_type,
    plover {event, mode}, cameo, actor1, actor2, assoc_actors, location {text, name,
    admin1, country, lat, lon, geonameid, precision}, date {start, end, precision, text},
    fatalities, injured, reported_by (null when the reporter states it), contested,
    counter_claims, evidence [{sentence, start, end}] (offsets into the article body),
    confidence. Syndicated copies add no events.

    Exit codes: 0 every input was read; 1 some inputs failed (listed on stderr, the
    others processed); 2 nothing could be read.
    """
    from flashpoint.extract import extract
    from flashpoint.ingest.reader import ReadReport

    fmt = format or (ExtractFormat.table if sys.stdout.isatty() else ExtractFormat.jsonl)
    open_gazetteer_with_notice(quiet)
    report = ReadReport()
    events = []
    writer = None
    if fmt is ExtractFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS)
        writer.writeheader()
    from flashpoint.cluster import ClusterError

    if out and os.path.exists(out) and not os.path.isdir(out):
        fail(f"--out {out}: exists and is not a folder")
    kept = []
    try:
        with progress_bar(len(sources), quiet) as advance:
            for event in extract(sources, read_options(allow_private, fetch_links, robots, timeout, max_bytes),
                                 report, include_plover=not acled_only, progress=advance,
                                 workers=worker_count(workers), ray=ray):
                if out:
                    kept.append(event)
                else:
                    write_event(event, fmt, writer, events)
    except ClusterError as exc:
        cluster_failed(exc)
    if out:
        write_partitioned(kept, out)
    elif fmt is ExtractFormat.json:
        json.dump([e.to_dict() for e in events], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is ExtractFormat.table:
        print_events(events)
    finish_run(report, quiet, extra=f"{report.events} events" + (f" written to {out}" if out else ""))


def write_event(event, fmt, writer, events: list) -> None:
    """One event to stdout as jsonl or csv, or kept for json and the table."""
    if fmt is ExtractFormat.jsonl:
        sys.stdout.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
    elif writer is not None:
        from flashpoint.report.export import spreadsheet_safe

        writer.writerow(spreadsheet_safe(csv_row(event)))
    else:
        events.append(event)


def write_partitioned(events: list, folder: str) -> None:
    """The events as Parquet files under folder/event_date=YYYY-MM-DD/ (one column per CSV column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    os.makedirs(folder, exist_ok=True)
    rows = [csv_row(e) | {"event_date": (e.date or {}).get("start") or "undated"} for e in events]
    if rows:
        pq.write_to_dataset(pa.Table.from_pylist(rows), folder, partition_cols=["event_date"],
                            existing_data_behavior="delete_matching")


def csv_row(event) -> dict:
    e = event.to_dict()
    loc, when = e["location"] or {}, e["date"] or {}
    a1, a2 = e["actor1"] or {}, e["actor2"] or {}
    return {"event_id": e["event_id"], "doc": e["doc"], "article_id": e["article_id"], "event_type": e["event_type"],
            "sub_event_type": e["sub_event_type"], "plover_event": e["plover"]["event"],
            "plover_mode": e["plover"]["mode"], "cameo": e["cameo"], "actor1": a1.get("name"),
            "actor1_kind": a1.get("kind"), "actor1_country": a1.get("country"), "actor2": a2.get("name"),
            "actor2_kind": a2.get("kind"), "actor2_country": a2.get("country"),
            "assoc_actors": "; ".join(f"{a['name']} ({a.get('role')})" for a in e["assoc_actors"]),
            "location": loc.get("name"), "admin1": loc.get("admin1"), "country": loc.get("country"),
            "lat": loc.get("lat"), "lon": loc.get("lon"), "geo_precision": loc.get("precision"),
            "date_start": when.get("start"), "date_end": when.get("end"), "date_precision": when.get("precision"),
            "fatalities": e["fatalities"], "injured": e["injured"], "reported_by": e["reported_by"],
            "contested": e["contested"], "counter_claims": " ".join(e["counter_claims"]),
            "confidence": e["confidence"], "evidence": " | ".join(ev["sentence"] for ev in e["evidence"])}


def print_events(events) -> None:
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("type", "place", "date", "actors", "killed", "says who", "conf"):
        table.add_column(column, overflow="fold")
    for ev in events:
        e = ev.to_dict()
        loc, when = e["location"] or {}, e["date"] or {}
        kind = e["sub_event_type"] or f"({e['plover']['event']})"
        place = ", ".join(x for x in (loc.get("name"), loc.get("country")) if x)
        day = when.get("start") or ""
        if when.get("end") and when.get("end") != when.get("start"):
            day += f"..{when['end']}"
        actors = " vs ".join(a["name"] for a in (e["actor1"], e["actor2"]) if a) or ""
        if e["actor1"] is None and e["actor2"]:
            actors = "? vs " + e["actor2"]["name"]
        who = e["reported_by"] or "the reporter"
        if e["contested"]:
            who += " (contested)"
        table.add_row(kind, place, day, actors, "" if e["fatalities"] is None else str(e["fatalities"]), who,
                      f"{e['confidence']:.2f}")
    console = Console() if sys.stdout.isatty() else Console(width=220)
    console.print(table)


@commands.command("geoparse")
def geoparse_command(
    sources: list[str] = typer.Argument(..., metavar="PATH...", help="Text files (offsets index them as given), HTML pages, feeds, URLs, directories, or -."),
    format: Optional[GeoFormat] = typer.Option(None, "--format", "-f", help="table (default on a terminal) or jsonl."),
    allow_private: bool = ALLOW_PRIVATE,
    quiet: bool = QUIET,
) -> None:
    """Find every place a text names and give its coordinates.

    Examples:

      flashpoint geoparse story.txt
      flashpoint geoparse texts/ -f jsonl > places.jsonl

    Each mention (jsonl): doc, start, end (character offsets into the input text exactly
    as given; for HTML and feeds, into the article body), text, name, lat, lon, country,
    geonameid, feature. Demonyms ("Syrian") are given as their country.
    """
    from flashpoint.ingest.reader import ReadReport
    from flashpoint.resolve.geoparse import geoparse

    fmt = format or (GeoFormat.table if sys.stdout.isatty() else GeoFormat.jsonl)
    open_gazetteer_with_notice(quiet)
    report = ReadReport()
    rows = []
    mentions = 0
    options = read_options(allow_private, True, True, 20.0, 50_000_000)
    with progress_bar(len(sources), quiet) as advance:
        for record in geoparse(sources, options, report, progress=advance):
            mentions += 1
            if fmt is GeoFormat.jsonl:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                rows.append(record)
    if fmt is GeoFormat.table:
        from rich.table import Table

        table = Table()
        for column in ("text", "place", "country", "lat", "lon", "kind", "at", "doc"):
            table.add_column(column, overflow="fold")
        for r in rows:
            table.add_row(r["text"], r["name"] or "", r["country"] or "", f"{r['lat']:.4f}", f"{r['lon']:.4f}",
                          r["feature"] or "", f"{r['start']}-{r['end']}", r["doc"])
        (Console() if sys.stdout.isatty() else Console(width=200)).print(table)
    finish_run(report, quiet, extra=f"{mentions} place mentions")


def print_table(articles) -> None:
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("published", "title", "publisher", "agency", "dateline", "lang", "words", "copy of", "doc"):
        table.add_column(column, overflow="fold")
    for a in articles:
        table.add_row(a.published or "", a.title or "", a.publisher or "", a.agency or "", a.dateline or "",
                      a.language or "", str(len(a.body.split())), (a.duplicate_of or "")[:8], a.doc)
    # Piped output has no terminal width to respect: keep each article on one row.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    console.print(table)


