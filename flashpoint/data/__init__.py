"""Shipped catalogs and lexicons, each file with its source in its header."""

from __future__ import annotations

from importlib import resources


def data_text(name: str) -> str:
    """The text of a shipped data file."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def data_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, without comments and blank lines."""
    rows = []
    for line in data_text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def load_phrases(name: str) -> dict[str, tuple[str, ...]]:
    """A `kind <TAB> phrase` file grouped by kind."""
    grouped: dict[str, list[str]] = {}
    for kind, phrase, *_ in data_rows(name):
        grouped.setdefault(kind, []).append(phrase)
    return {k: tuple(v) for k, v in grouped.items()}
