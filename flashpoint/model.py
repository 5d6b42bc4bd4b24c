"""The data model shared by every stage: what flows from one stage to the next."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawDoc:
    """One document as it arrived: its text (or bytes) and where it came from.

    `doc` is the input path or URL the user gave (a WARC or feed names its records as
    `path#n`); `kind` is what the content turned out to be: dump, html, or text.
    `hints` carries metadata a container already knew (a feed item's title and date).
    """

    doc: str
    kind: str
    text: str
    url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """A cleaned article: the output contract of `flashpoint read` (see DESIGN.md)."""

    doc: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    byline: str | None = None
    agency: str | None = None
    dateline: str | None = None
    language: str | None = None
    body: str = ""
    id: str = ""
    duplicate_of: str | None = None
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Failure:
    """An input that could not be read, and why, in words a user can act on."""

    doc: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "error": self.reason}


@dataclass
class Event:
    """One event as `flashpoint extract` writes it (the contract in DESIGN.md)."""

    event_id: str
    doc: str
    article_id: str
    event_type: str | None
    sub_event_type: str | None
    plover: dict[str, Any]
    cameo: str | None
    actor1: dict[str, Any] | None
    actor2: dict[str, Any] | None
    assoc_actors: list[dict[str, Any]]
    location: dict[str, Any] | None
    date: dict[str, Any] | None
    fatalities: int | None
    injured: int | None
    reported_by: str | None
    contested: bool
    counter_claims: list[str]
    evidence: list[dict[str, Any]]
    confidence: float
    #: The reporter as an actor when it is an armed party ("the army said"), else None: a party's
    #: claim about its own gains is not independent confirmation.
    reported_by_actor: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
