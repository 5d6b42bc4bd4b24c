"""The typing corpus: snippets the team wrote, labelled with ACLED sub-types and PLOVER types.

    load_split("train") -> [Snippet(text=..., label="Air/drone strike", plover="ASSAULT", ...), ...]

Two splits written apart (see flashpoint/data/corpus/DATASHEET.md): `train` and `test`.
Every line is checked on loading; a bad line names its file and line number.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

CORPUS_DIR = Path(str(files("flashpoint"))) / "data" / "corpus"

#: ACLED's 25 sub-event types, by event type (the ontology in DESIGN.md).
SUB_TYPES_BY_EVENT_TYPE = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
SUB_TYPES = tuple(s for subs in SUB_TYPES_BY_EVENT_TYPE.values() for s in subs)
EVENT_TYPE_OF = {s: t for t, subs in SUB_TYPES_BY_EVENT_TYPE.items() for s in subs}
NO_EVENT = "NONE"
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


class CorpusError(ValueError):
    """A corpus line that cannot be used, with its file and line number."""


@dataclass(frozen=True)
class Snippet:
    text: str
    label: str
    plover: str | None
    style: str | None = None
    region: str | None = None
    kind: str | None = None


def parse_line(line: str, where: str) -> Snippet:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{where}: not JSON ({exc.msg})") from None
    text, label, plover = record.get("text"), record.get("label"), record.get("plover")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: no text")
    if label != NO_EVENT and label not in SUB_TYPES:
        raise CorpusError(f"{where}: unknown label {label!r}")
    if plover is not None and plover not in PLOVER_TYPES:
        raise CorpusError(f"{where}: unknown PLOVER type {plover!r}")
    return Snippet(" ".join(text.split()), label, plover, record.get("style"), record.get("region"),
                   record.get("kind"))


def split_path(split: str, directory: Path = CORPUS_DIR) -> Path:
    return directory / f"{split}.jsonl"


def load_split(split: str, directory: Path = CORPUS_DIR) -> list[Snippet]:
    path = split_path(split, directory)
    if not path.exists():
        raise CorpusError(f"{path}: no such corpus split")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_line(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]


def corpus_hash(split: str, directory: Path = CORPUS_DIR) -> str:
    """sha256 of the split's file, recorded with the model trained on it."""
    return hashlib.sha256(split_path(split, directory).read_bytes()).hexdigest()


def label_counts(snippets: list[Snippet]) -> Counter:
    return Counter(s.label for s in snippets)
