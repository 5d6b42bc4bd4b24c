"""The compare command: the store measured against a reference event file in ACLED's CSV layout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from flashpoint.cli.options import COUNTRY, DB, SINCE, UNTIL, ListFormat, build_filters, err, fail, open_store

commands = typer.Typer()

#: Bad rows named one by one on stderr; the rest are counted (JSON lists up to a thousand).
PROBLEMS_SHOWN = 10


@commands.command("compare")
def compare_command(
    reference: Path = typer.Option(..., "--reference", "-r", metavar="FILE.csv", show_default=False,
                                   help="Reference events in ACLED's CSV layout: an ACLED export, or "
                                        "`flashpoint export -f acled-csv`. Gzip is read as is."),
    db: Optional[str] = DB,
    country: Optional[str] = COUNTRY,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    km: float = typer.Option(25.0, "--km", min=0.0, help="Places at most this far apart match (kilometres)."),
    days: int = typer.Option(1, "--days", min=0, max=365, help="Days at most this far apart match (0: the same day)."),
    show_missed: int = typer.Option(20, "--show-missed", min=0,
                                    help="List at most this many reference events flashpoint missed."),
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table or json (jsonl: the same JSON on one line)."),
) -> None:
    """Measure flashpoint on your own region: compare the stored incidents with a reference
    event file in ACLED's CSV layout and report recall, precision, fatalities and what was missed.

    [bold]The reference file[/bold] is an event export you downloaded from ACLED for your region
    and period (or flashpoint's own `flashpoint export -f acled-csv`): a CSV with ACLED's column
    names, one event a row. It needs event_date, event_type, latitude, longitude and country
    (or iso, ACLED's numeric country code); event_id_cnty, sub_event_type, admin1, location,
    fatalities, actor1 and actor2 are used when present. Dates may be written 2025-03-12,
    12 March 2025 or 12-March-2025. A row that cannot be read is named on stderr and skipped.

    [bold]Matching:[/bold] a reference event and a stored incident are the same thing when they
    have the same ACLED event type (Battles, Explosions/Remote violence, ...), their places are
    within --km kilometres, and the reference day falls within --days days of the incident's
    dates. Each side is matched at most once, the closest pairs first (distance, then days,
    then an agreeing sub-event type). Recall is the share of reference events matched;
    precision the share of stored incidents matched. Both sides are filtered alike by
    --country, --since and --until. Incidents without a day or coordinates cannot match: they
    are counted apart and left out of precision, as are PLOVER-only incidents (no ACLED type).
    Each missed reference event is listed with the nearest thing the store holds: an incident
    paired with another event, one of another type, one too far away or on another day.

    [bold]Example:[/bold]

      flashpoint compare --reference acled-sudan-2025.csv --country SD --since 2025-03-01 --until 2025-03-31

      flashpoint compare -r acled.csv --km 10 --days 0 --show-missed 50 -f json > score.json

    Exit codes: 0 the comparison ran (whatever the scores); 2 the reference file or the
    database could not be used, or the file has no usable row.
    """
    from flashpoint.report.compare import ReferenceError, compare_with_store, read_reference
    from flashpoint.store.queries import MAX_LIMIT

    filters = build_filters(country, None, since, until, None, None, None, None, MAX_LIMIT)
    store = open_store(db)
    try:
        ref = read_reference(reference)
    except ReferenceError as exc:
        if exc.reference is not None:
            report_problems(exc.reference)
        fail(str(exc))
    report_problems(ref)
    with store.connect() as conn:
        result = compare_with_store(conn, ref, filters, km=km, days=days, show_missed=show_missed)
    if not result["reference"]["compared"]:
        err.print(f"[yellow]warning[/yellow] no reference event of {escape(str(reference))} is inside "
                  f"{describe_filters(result['settings']) or 'the filters'}", highlight=False)
    if format is ListFormat.table:
        print_report(result)
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=None if format is ListFormat.jsonl else 1)
        sys.stdout.write("\n")


def report_problems(ref) -> None:
    """Name the first skipped rows and count the rest, and say which country names were not known."""
    for line in ref.problems[:PROBLEMS_SHOWN]:
        err.print(f"[yellow]skipped[/yellow] {escape(line.removesuffix('; skipped'))}", highlight=False)
    if ref.skipped > PROBLEMS_SHOWN:
        err.print(f"  ... and {ref.skipped - PROBLEMS_SHOWN} more rows skipped (--format json lists them)",
                  highlight=False)
    if ref.unknown_countries:
        names = escape(", ".join(f"{name!r} ({n} row{'s' * (n != 1)})" for name, n in ref.unknown_countries.most_common(5)))
        err.print(f"[yellow]warning[/yellow] unknown country names, kept under their name (they match by place "
                  f"but not --country): {names}", highlight=False)


def describe_filters(settings: dict) -> str:
    parts = [f"country {settings['country']}" if settings["country"] else "",
             f"from {settings['since']}" if settings["since"] else "",
             f"to {settings['until']}" if settings["until"] else ""]
    return " ".join(p for p in parts if p)


def share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}" if value not in (0, 1) else f"{value:.0%}"


def scores_table(title: str, column: str, rows: list[dict]):
    """Recall and precision per group, counts beside each share so a small group reads as small."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in (column, "reference", "found", "recall", "flashpoint", "confirmed", "precision"):
        table.add_column(name, justify="left" if name == column else "right")
    for g in rows:
        table.add_row(escape(g["key"]), str(g["reference_events"]), str(g["matched_reference"]), share(g["recall"]),
                      str(g["incidents"]), str(g["matched_incidents"]), share(g["precision"]))
    return table


def missed_table(result: dict):
    from rich.table import Table

    shown, total = len(result["missed"]), result["missed_total"]
    title = f"Reference events flashpoint missed ({shown} of {total}, deadliest first)"
    table = Table(title=title, title_justify="left")
    for name in ("date", "type", "location", "country", "killed", "event_id_cnty", "nearest in the store"):
        table.add_column(name, overflow="fold", justify="right" if name == "killed" else "left")
    for m in result["missed"]:
        place = ", ".join(x for x in (m["location"], m["admin1"]) if x)
        table.add_row(*(escape(str(cell)) for cell in (m["date"], m["sub_event_type"] or m["event_type"], place,
                                                        m["country"], m["fatalities"], m["event_id_cnty"],
                                                        m["why"]["text"])))
    return table


def headline(result: dict) -> list[str]:
    """The lines above the tables: what was compared with what, and the overall scores."""
    o, ref, left, s = result["overall"], result["reference"], result["left_out"], result["settings"]
    lines = [f"reference {escape(ref['file'])}: {ref['usable']} events read"
             + (f", {ref['skipped']} bad row{'s' * (ref['skipped'] != 1)} skipped" if ref["skipped"] else "")
             + (f"; {ref['compared']} inside {describe_filters(s)}" if describe_filters(s) else ""),
             f"matching: same ACLED event type, within {s['km']:g} km and {s['days']} day{'s' * (s['days'] != 1)}, "
             "one to one",
             f"[bold]recall[/bold] {share(o['recall'])} ({o['matched_reference']} of {o['reference_events']} "
             f"reference events found)   [bold]precision[/bold] {share(o['precision'])} ({o['matched_incidents']} "
             f"of {o['incidents']} incidents confirmed)   F1 {share(o['f1'])}"]
    unmatchable = left["undated"] + left["unlocated"]
    if unmatchable:
        lines.append(f"{unmatchable} incident{'s' * (unmatchable != 1)} could not be compared ({left['undated']} "
                     f"without a date, {left['unlocated']} without coordinates) and are left out of precision")
    if left["not_acled"]:
        lines.append(f"{left['not_acled']} PLOVER-only incidents (no ACLED type) left out")
    return lines


def fatality_lines(result: dict) -> list[str]:
    f, sub = result["fatalities"], result["sub_event_type"]
    lines = [f"fatalities: reference {f['reference_total']}, flashpoint {f['flashpoint_total']} (best, "
             f"conservative); over the {sub['matched_pairs']} matched pairs: reference {f['reference_matched']}, "
             f"flashpoint {f['flashpoint_matched']}"]
    if sub["matched_pairs"]:
        lines.append(f"sub-event type agrees on {sub['agree']} of {sub['matched_pairs']} matched pairs "
                     f"({share(sub['agreement'])})")
        for d in sub["disagreements"][:5]:
            lines.append(f"  reference {d['reference']} / flashpoint {d['flashpoint']}: {d['count']}")
    return lines


def print_report(result: dict) -> None:
    console = Console() if sys.stdout.isatty() else Console(width=200)
    for line in headline(result):
        console.print(line, highlight=False)
    console.print()
    console.print(scores_table("By country", "country", result["by_country"]))
    console.print(scores_table("By event type", "event type", result["by_event_type"]))
    for line in fatality_lines(result):
        console.print(line, highlight=False, markup=False)
    if result["missed"]:
        console.print()
        console.print(missed_table(result))
    elif result["missed_total"]:
        console.print(f"{result['missed_total']} reference events missed (--show-missed N lists them)")
