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
    allow_private: bool = typer.Option(False, "--allow-private",
        help="Allow fetching from loopback, private and link-local addresses."),
    fetch_links: bool = typer.Option(True, "--fetch-links/--no-fetch-links",
        help="For feed items with only a summary, fetch the linked page."),
    robots: bool = typer.Option(True, "--robots/--no-robots", help="Respect robots.txt when fetching."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds before a fetch gives up."),
    max_bytes: int = typer.Option(50_000_000, "--max-bytes", help="Largest file or page read, in bytes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
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
    from flashpoint.ingest.reader import ReadOptions, ReadReport, read

    fmt = format or (ReadFormat.table if sys.stdout.isatty() else ReadFormat.jsonl)
    options = ReadOptions(allow_private=allow_private, fetch_links=fetch_links, respect_robots=robots,
                          timeout=timeout, max_file_bytes=max_bytes)
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
    sys.stdout.flush()
    if not quiet:
        print_summary(report)
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


def print_summary(report) -> None:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.kinds.items()))
    line = f"read {report.articles} article{'s' * (report.articles != 1)}"
    if kinds:
        line += f" ({kinds})"
    if report.copies:
        line += f", {report.copies} syndicated cop{'ies' if report.copies != 1 else 'y'}"
    line += f"; {report.failed} failed"
    err.print(line, highlight=False)
    for failure in report.failures[:50]:
        err.print(f"  [red]failed[/red] {failure.doc}: {failure.reason}", highlight=False, markup=True)
    if report.failed > 50:
        err.print(f"  ... and {report.failed - 50} more", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
