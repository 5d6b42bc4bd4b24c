"""The `flashpoint` command line."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer
from rich.console import Console

from flashpoint import __version__

app = typer.Typer(
    name="flashpoint",
    help="Read news about armed conflict and write down what happened.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
err = Console(stderr=True, soft_wrap=True)

# Options that every command reading sources shares, defined once.
ALLOW_PRIVATE = typer.Option(False, "--allow-private",
                             help="Allow fetching from loopback, private and link-local addresses.")
FETCH_LINKS = typer.Option(True, "--fetch-links/--no-fetch-links",
                           help="For feed items with only a summary, fetch the linked page.")
ROBOTS = typer.Option(True, "--robots/--no-robots", help="Respect robots.txt when fetching.")
TIMEOUT = typer.Option(20.0, "--timeout", help="Seconds before a fetch gives up.")
MAX_BYTES = typer.Option(50_000_000, "--max-bytes", help="Largest file or page read, in bytes.")
QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary.")

#: Exit codes, documented in `flashpoint read --help`.
EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING_READ = 0, 1, 2
#: More inputs than this get a progress bar (on a terminal).
PROGRESS_MIN_INPUTS = 3


class ReadFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"flashpoint {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Read news about armed conflict and write down what happened."""


@app.command("read")
def read_command(
    sources: list[str] = typer.Argument(..., metavar="PATH...",
        help="Files, directories (recursive), URLs, RSS/Atom feeds, WARC(.gz), JSONL, or - for stdin. gzip is read transparently."),
    format: Optional[ReadFormat] = typer.Option(None, "--format", "-f",
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

    fmt = format or (ReadFormat.table if sys.stdout.isatty() else ReadFormat.jsonl)
    options = read_options(allow_private, fetch_links, robots, timeout, max_bytes)
    report = ReadReport()
    articles = []
    with progress_bar(len(sources), quiet) as advance:
        for article in read(sources, options, report, progress=advance):
            if fmt is ReadFormat.jsonl:
                sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            else:
                articles.append(article)
    if fmt is ReadFormat.json:
        json.dump([a.to_dict() for a in articles], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is ReadFormat.table:
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


def read_options(allow_private: bool, fetch_links: bool, robots: bool, timeout: float, max_bytes: int):
    from flashpoint.ingest.reader import ReadOptions

    return ReadOptions(allow_private=allow_private, fetch_links=fetch_links, respect_robots=robots,
                       timeout=timeout, max_file_bytes=max_bytes)


def open_gazetteer_with_notice(quiet: bool):
    """The gazetteer; its first build takes a while, so say so."""
    from flashpoint.resolve.gazetteer import Gazetteer, cache_dir, source_fingerprint

    path = cache_dir() / f"gazetteer-{source_fingerprint()}.sqlite"
    if not path.exists() and not quiet:
        err.print(f"building the gazetteer index once (about a minute) at {path}", highlight=False)
    return Gazetteer.open()


@app.command("extract")
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
) -> None:
    """Extract events: typed (ACLED + PLOVER + CAMEO), geocoded, dated, attributed.

    Examples:

      flashpoint extract story.txt                      # a table: one line per event
      flashpoint extract pages/ -f jsonl > events.jsonl
      flashpoint extract feed.xml --acled-only -f csv

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

        from flashpoint.report.export import spreadsheet_safe

        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS)
        writer.writeheader()
    with progress_bar(len(sources), quiet) as advance:
        for event in extract(sources, read_options(allow_private, fetch_links, robots, timeout, max_bytes),
                             report, include_plover=not acled_only, progress=advance):
            if fmt is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            elif writer is not None:
                writer.writerow(spreadsheet_safe(csv_row(event)))
            else:
                events.append(event)
    if fmt is ExtractFormat.json:
        json.dump([e.to_dict() for e in events], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is ExtractFormat.table:
        print_events(events)
    finish_run(report, quiet, extra=f"{report.events} events")


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


@app.command("geoparse")
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


gazetteer_app = typer.Typer(help="Build the gazetteer index, or import a full GeoNames dump into it.",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(force: bool = typer.Option(False, "--force", help="Rebuild even if the index is current.")) -> None:
    """Build the gazetteer index now (it is otherwise built on first use) and print where it is."""
    from flashpoint.resolve.gazetteer import Gazetteer

    gaz = Gazetteer.open(rebuild=force)
    typer.echo(str(gaz.path))


@gazetteer_app.command("import")
def gazetteer_import(
    dump: str = typer.Argument(..., metavar="FILE", help="GeoNames allCountries.txt, or a country file such as SY.txt (unzipped)."),
) -> None:
    """Import a full GeoNames dump for small villages and areas cities500 lacks.

    Download allCountries.zip (or a country's zip) from the GeoNames export site
    yourself, unzip it, then:

      flashpoint gazetteer import allCountries.txt

    The import is kept in the cache folder next to the index and used by every run.
    """
    from pathlib import Path

    from flashpoint.resolve.gazetteer import import_geonames_dump

    path = Path(dump)
    if not path.is_file():
        err.print(f"[red]error[/red] {dump}: no such file", highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    try:
        rows, skipped = import_geonames_dump(path, progress=lambda n: err.print(f"  {n:,} rows", highlight=False)
                                             if n % 1_000_000 == 0 else None)
    except (ValueError, OSError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    err.print(f"imported {rows:,} places from {dump} ({skipped:,} lines skipped)", highlight=False)


@app.command("train-typing")
def train_typing_command(
    output: str = typer.Option("", "--out", help="Folder for model.npz and config.json (default: the package's own)."),
    corpus: str = typer.Option("", "--corpus", help="Folder with train.jsonl and test.jsonl (default: the package's own)."),
) -> None:
    """Train the learned typing model on the team's corpus and score its test split.

    Reads flashpoint/data/corpus/train.jsonl (fit, and calibration on held-out folds) and
    test.jsonl (scored once), with a fixed seed, and writes the arrays and a config with the
    corpus hashes and the test figures. Needs the training extra:

      pip install -e ".[train]"
      flashpoint train-typing
    """
    from pathlib import Path

    try:
        from flashpoint.learn.typing_model import train
        import sklearn  # noqa: F401  (the extra; numpy alone runs the trained model)
    except ImportError:
        err.print('[red]error[/red] training needs scikit-learn: pip install -e ".[train]"', highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    from flashpoint.extract.classifier import MODEL_DIR
    from flashpoint.learn.corpus import CORPUS_DIR, CorpusError

    try:
        config = train(Path(output) if output else MODEL_DIR, Path(corpus) if corpus else CORPUS_DIR,
                       progress=lambda m: err.print(m, highlight=False))
    except CorpusError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    test = config["test"]
    err.print(f"test split ({test['snippets']} snippets): sub-type weighted F1 {test['subtype_weighted_f1']}, "
              f"macro F1 {test['subtype_macro_f1']}, event/no-event F1 {test['event_f1']}, "
              f"calibration error {test['expected_calibration_error']}; PLOVER accuracy "
              f"{config['test_plover_accuracy']}", highlight=False)


def finish_run(report, quiet: bool, extra: str | None = None) -> None:
    """Flush the output, print the summary and exit with the documented code."""
    sys.stdout.flush()
    if not quiet:
        print_summary(report, extra=extra)
    if report.articles == 0:
        raise typer.Exit(EXIT_NOTHING_READ)
    raise typer.Exit(EXIT_SOME_FAILED if report.failed else EXIT_OK)


class progress_bar:
    """A progress bar on stderr counting documents, shown only on a terminal for many inputs."""

    def __init__(self, inputs: int, quiet: bool):
        self.enabled = not quiet and err.is_terminal and inputs >= PROGRESS_MIN_INPUTS
        self.progress = None

    def __enter__(self):
        if not self.enabled:
            return lambda doc: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.fields[doc]}"), console=err,
                                 transient=True)
        self.progress.start()
        task = self.progress.add_task("read", total=None, doc="")
        return lambda doc: self.progress.update(task, advance=1, doc=doc[-50:])

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()


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


def print_summary(report, extra: str | None = None) -> None:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.kinds.items()))
    line = f"read {report.articles} article{'s' * (report.articles != 1)}"
    if kinds:
        line += f" ({kinds})"
    if extra:
        line += f", {extra}"
    if report.copies:
        line += f", {report.copies} syndicated cop{'ies' if report.copies != 1 else 'y'}"
    line += f"; {report.failed} failed"
    err.print(line, highlight=False)
    for failure in report.failures[:50]:
        err.print(f"  [red]failed[/red] {failure.doc}: {failure.reason}", highlight=False, markup=True)
    if report.failed > 50:
        err.print(f"  ... and {report.failed - 50} more", highlight=False)


def main() -> None:
    import flashpoint.cli_store  # noqa: F401  (the store's commands register themselves on `app`)
    from sqlalchemy.exc import DatabaseError

    from flashpoint.store.db import damaged

    try:
        app()
    except DatabaseError as exc:  # a store damaged past what opening it shows (a truncated file)
        err.print(f"[red]error[/red] {damaged('the database', exc)}", highlight=False)
        sys.exit(EXIT_NOTHING_READ)


if __name__ == "__main__":
    main()
