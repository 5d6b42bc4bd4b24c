"""The `flashpoint` command line: the root command, and every group of commands added to it."""

from __future__ import annotations

import sys

import typer

from flashpoint import __version__
from flashpoint.cli import gazetteer, read, serve, store, train
from flashpoint.cli.options import EXIT_NOTHING_READ, err

app = typer.Typer(
    name="flashpoint",
    help="Read news about armed conflict and write down what happened.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


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



app.add_typer(read.commands)
app.add_typer(store.commands)
app.add_typer(serve.commands)
app.add_typer(train.commands)
app.add_typer(gazetteer.gazetteer_app, name="gazetteer")


def main() -> None:
    from sqlalchemy.exc import DatabaseError

    from flashpoint.store.db import damaged

    try:
        app()
    except DatabaseError as exc:  # a store damaged past what opening it shows (a truncated file)
        err.print(f"[red]error[/red] {damaged('the database', exc)}", highlight=False)
        sys.exit(EXIT_NOTHING_READ)


