"""The `flashpoint` command line: the root command, and every group of commands added to it."""

from __future__ import annotations

import sys

import typer

from flashpoint import __version__
from flashpoint.cli import compare, gazetteer, read, serve, store, train
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


def reflowed(doc: str | None) -> str | None:
    """A command's docstring for --help: prose paragraphs joined into one line each, so that the
    terminal wraps them at its width (rich keeps every newline of a docstring, and a line broken at
    100 columns in the source shows ragged on an 80-column terminal); indented example lines stay."""
    if not doc:
        return doc
    import inspect

    paragraphs = []
    for block in inspect.cleandoc(doc).split("\n\n"):
        lines = block.splitlines()
        prose = all(line and not line.startswith(" ") for line in lines)
        paragraphs.append(" ".join(line.strip() for line in lines) if prose else block)
    return "\n\n".join(paragraphs)


def reflow_help(group: typer.Typer) -> None:
    for command in group.registered_commands:
        if command.callback is not None:
            command.callback.__doc__ = reflowed(command.callback.__doc__)


for commands in (read.commands, store.commands, serve.commands, train.commands, gazetteer.gazetteer_app,
                 compare.commands):
    reflow_help(commands)
app.add_typer(read.commands)
app.add_typer(store.commands)
app.add_typer(serve.commands)
app.add_typer(train.commands)
app.add_typer(gazetteer.gazetteer_app, name="gazetteer")
app.add_typer(compare.commands)


def main() -> None:
    from sqlalchemy.exc import DatabaseError

    from flashpoint.store.db import damaged

    try:
        app()
    except DatabaseError as exc:  # a store damaged past what opening it shows (a truncated file)
        err.print(f"[red]error[/red] {damaged('the database', exc)}", highlight=False)
        sys.exit(EXIT_NOTHING_READ)


