"""Whether the source of a claim is a party to the fighting it tells of.

A party's word about its own gains is a claim, not a confirmation. A source is a party when

- the extractor resolved it to an armed actor or a state ("an army spokesman", "a Russian
  military source", "Naji Mustafa, spokesman for the National Liberation Front");
- it is one of the event's own actors ("Syrian rebels said they had recaptured the town");
- its name is that of an armed body or of the office commanding one (flashpoint/data/
  party_words.tsv: "... Forces", "... Front", "the defence ministry");
- it is the state media of a state whose forces are in the event, or the media of an armed
  group in it (flashpoint/data/state_media.tsv); so is the outlet, for a claim it makes in its
  own voice (a claim it attributes to someone is that source's).

    claim_party(record, outlet="SANA") -> "Syrian Arab News Agency" or None
"""

from __future__ import annotations

import re
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.resolve.actors import ARMED_KINDS


@lru_cache(maxsize=1)
def party_words() -> re.Pattern:
    words = sorted((row[0] for row in data_rows("party_words.tsv")), key=len, reverse=True)
    return re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


@lru_cache(maxsize=1)
def party_media() -> list[tuple[re.Pattern, str, str]]:
    """(pattern, outlet name, whom it speaks for) per state or group medium."""
    media = []
    for name, speaks_for, aliases in data_rows("state_media.tsv"):
        for alias in {name, *aliases.split("|")}:
            flags = 0 if alias.isupper() else re.I
            media.append((re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", flags), name, speaks_for))
    return media


def medium_of_a_side(source: str | None, actors: list[dict]) -> str | None:
    """The medium `source` names when it speaks for a state or group fighting in the event."""
    if not source:
        return None
    for pattern, name, speaks_for in party_media():
        if not pattern.search(source):
            continue
        for actor in actors:
            if actor.get("name") == speaks_for or (actor.get("kind") in ("state", "police")
                                                   and actor.get("country") == speaks_for):
                return name
    return None


def one_of_the_actors(reporter: str, actors: list[dict]) -> str | None:
    said = reporter.strip().lower()
    for actor in actors:
        if said and said in {(actor.get("text") or "").lower(), (actor.get("name") or "").lower()}:
            return actor["name"]
    return None


def claim_party(record: dict, outlet: str | None = None) -> str | None:
    """The party a claim comes from (an actor's or a medium's name), or None when its source is
    neither a party nor citing one."""
    actors = [a for a in (record.get("actor1"), record.get("actor2"), *record.get("assoc_actors", [])) if a]
    resolved = record.get("reported_by_actor")
    if resolved and resolved.get("kind") in ARMED_KINDS:
        return resolved["name"]
    reporter = record.get("reported_by")
    if reporter:
        actor = one_of_the_actors(reporter, actors)
        if actor:
            return actor
        if party_words().search(reporter):
            return reporter
    return medium_of_a_side(reporter, actors) or (None if reporter else medium_of_a_side(outlet, actors))
