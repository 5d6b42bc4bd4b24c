"""What the commands share: the error console, the options of every command that reads
sources or a store, exit codes, and the helpers that open, parse, report and fail alike."""

from __future__ import annotations

import re
import sys
from enum import Enum

import typer
from rich.console import Console
from rich.markup import escape

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
RAY = typer.Option(None, "--ray", metavar="ADDRESS",
                   help='Read and extract on a Ray cluster (ray://head:10001, or "local" to start one on this '
                        'machine). Needs pip install "flashpoint[ray]". Files, directories, WARC and JSONL only.')
WORKERS = typer.Option(0, "--workers", "-w", min=0,
                       help="Processes that read and extract (default: one per core; 1 runs in this process "
                            "alone). The output is the same whatever the number.")

#: Exit codes, documented in `flashpoint read --help`.
EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING_READ = 0, 1, 2
#: More inputs than this get a progress bar (on a terminal).
PROGRESS_MIN_INPUTS = 3
DB_HELP = "Database: a file (default flashpoint.db, or $FLASHPOINT_DB) or postgresql://user:pass@host/db."
DB = typer.Option(None, "--db", help=DB_HELP, show_default=False)
COUNTRY = typer.Option(None, "--country", "-c", help="ISO 3166-1 alpha-2 code, e.g. SY.")
ADMIN1 = typer.Option(None, "--admin1", help="First-level region, e.g. Idlib.")
SINCE = typer.Option(None, "--since", help="From this date (YYYY-MM-DD), inclusive.")
UNTIL = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD), inclusive.")
TYPE = typer.Option(None, "--type", "-t", help="An ACLED event type or sub-event type (\"Battles\", \"Air/drone strike\"), or a PLOVER type for events.")
ACTOR = typer.Option(None, "--actor", "-a", help="Part of an actor's name, any case (\"rapid support\").")
TEXT = typer.Option(None, "--text", "-s", help="Words in the articles (all of them).")
NEAR = typer.Option(None, "--near", help="PLACE:RADIUS, e.g. Saraqeb:25km, or LAT,LON:RADIUS.")
LIMIT = typer.Option(100, "--limit", "-n", min=1, max=5000, help="At most this many rows.")


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"


def fail(message: str, code: int = EXIT_NOTHING_READ) -> None:
    err.print(f"[red]error[/red] {message}", highlight=False)
    raise typer.Exit(code)


def open_store(db: str | None, create: bool = False):
    from flashpoint.store import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as exc:
        fail(str(exc))


def parse_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        fail(f"{option} {value!r}: not a date; write it as YYYY-MM-DD")


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """"Saraqeb:25km", "35.86,36.80:10km" or "Saraqeb" (25 km) as (lat, lon, km)."""
    if not value:
        return None
    from flashpoint.resolve.near import resolve_near

    try:
        return resolve_near(value)
    except ValueError as exc:
        fail(f"--near {value!r}: {exc}")


def build_filters(country, admin1, since, until, type_, actor, text, near, limit):
    from flashpoint.store.queries import Filters

    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        fail(f"--country {country!r}: give a two-letter ISO code such as SY or UA")
    return Filters(country=country, admin1=admin1, since=parse_date(since, "--since"),
                   until=parse_date(until, "--until"), type=type_, actor=actor, text=text,
                   near=parse_near(near), limit=limit)


def read_options(allow_private: bool, fetch_links: bool, robots: bool, timeout: float, max_bytes: int):
    from flashpoint.ingest.reader import ReadOptions

    return ReadOptions(allow_private=allow_private, fetch_links=fetch_links, respect_robots=robots,
                       timeout=timeout, max_file_bytes=max_bytes)


def open_gazetteer_with_notice(quiet: bool):
    """The gazetteer; its first build takes a while, so say so."""
    from flashpoint.resolve.gazetteer import Gazetteer, cache_dir, source_fingerprint

    path = cache_dir() / f"gazetteer-{source_fingerprint()}.sqlite"
    if not path.exists() and not quiet:
        err.print(f"building the gazetteer index once (about half a minute) at {path}", highlight=False)
    return Gazetteer.open()


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
        # A path or a reason may hold "[...]": printed as text, never as rich markup.
        err.print(f"  [red]failed[/red] {escape(failure.doc)}: {escape(failure.reason)}", highlight=False, markup=True)
    if report.failed > 50:
        err.print(f"  ... and {report.failed - 50} more", highlight=False)




def worker_count(workers: int) -> int:
    """--workers as given, or one per core when left at 0."""
    import os

    return workers or os.cpu_count() or 1


def cluster_failed(exc: Exception) -> None:
    """A Ray that is missing or unreachable, or inputs it cannot share out: one line, exit 2."""
    fail(str(exc))
