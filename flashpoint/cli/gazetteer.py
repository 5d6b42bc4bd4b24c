"""`flashpoint gazetteer build|import`: the place index."""

from __future__ import annotations

import typer

from flashpoint.cli.options import EXIT_NOTHING_READ, err

gazetteer_app = typer.Typer(help="Build the gazetteer index, or import a full GeoNames dump into it.",
                            no_args_is_help=True)


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


