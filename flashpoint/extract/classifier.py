"""Learned typing: which ACLED sub-type (or none) a sentence reports, and its PLOVER type.

    shipped_model().classify("Gunmen abducted 12 passengers on the Kaduna road on Sunday.").label
        -> "Abduction/forced disappearance"

A linear model over hashed word 1-2-grams and character 3-5-grams (tf-idf, l2-normed),
trained by `flashpoint train-typing` on the team's corpus (flashpoint/data/corpus) and
shipped as arrays in flashpoint/data/models/typing. Only numpy runs here: the rows of the
weight matrix are kept for the features seen in training, looked up by their hash.
Probabilities are a softmax at a temperature fitted on held-out folds, so that a 0.8 means
about four in five.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

#: Where the trained artefact lives inside the package.
MODEL_DIR = Path(str(files("flashpoint"))) / "data" / "models" / "typing"

#: Hashed feature space: large enough that collisions among a corpus's n-grams are rare.
HASH_BITS = 22
NO_EVENT = "NONE"

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*", re.UNICODE)
_DIGIT = re.compile(r"\d")


def tokens(text: str) -> list[str]:
    """Lower-cased words; digits become 0 so that 'killed 12' and 'killed 47' are one feature."""
    return [_DIGIT.sub("0", t.lower()) for t in _TOKEN.findall(text)]


def feature_names(text: str) -> list[str]:
    """Word 1- and 2-grams and character 3-5-grams inside words (padded), as strings."""
    words = tokens(text)
    names = [f"w:{w}" for w in words]
    names += [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    for w in words:
        padded = f" {w} "
        for n in (3, 4, 5):
            names += [f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return names


def feature_ids(text: str) -> dict[int, int]:
    """Hashed feature id -> count. crc32 is stable across runs and machines, unlike hash()."""
    mask = (1 << HASH_BITS) - 1
    counts: dict[int, int] = {}
    for name in feature_names(text):
        fid = zlib.crc32(name.encode("utf-8")) & mask
        counts[fid] = counts.get(fid, 0) + 1
    return counts


@dataclass(frozen=True)
class Head:
    """One linear head: labels, the weights' rows for known features, a bias and a temperature."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (n_known_features, n_labels)
    bias: np.ndarray  # (n_labels,)
    temperature: float

    def probabilities(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        logits = values @ self.weights[rows].astype(np.float32) + self.bias if len(rows) else self.bias.copy()
        logits = logits / self.temperature
        logits -= logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()


@dataclass(frozen=True)
class Typing:
    """A sentence's reading: the best label, its probability and the full distribution."""

    label: str
    probability: float
    distribution: dict[str, float]
    plover: str | None
    plover_probability: float

    @property
    def is_event(self) -> bool:
        return self.label != NO_EVENT

    def event_probability(self) -> float:
        return 1.0 - self.distribution.get(NO_EVENT, 0.0)

    def best_event(self) -> tuple[str, float]:
        """The likeliest sub-type, NONE aside, and its probability."""
        return max(((k, v) for k, v in self.distribution.items() if k != NO_EVENT), key=lambda kv: kv[1])


@dataclass(frozen=True)
class TypingModel:
    known: np.ndarray  # sorted hashed ids of the features seen in training
    idf: np.ndarray
    subtype: Head
    plover: Head
    config: dict

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the known features in `text` and their l2-normed sublinear tf-idf values."""
        counts = feature_ids(text)
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        pos = np.searchsorted(self.known, ids)
        pos = np.minimum(pos, len(self.known) - 1)
        hit = self.known[pos] == ids
        rows = pos[hit]
        values = (1.0 + np.log(tf[hit])) * self.idf[rows]
        norm = float(np.linalg.norm(values))
        return rows, (values / norm if norm else values)

    def classify(self, text: str) -> Typing:
        rows, values = self.vector(text)
        sub = self.subtype.probabilities(rows, values)
        plo = self.plover.probabilities(rows, values)
        best = int(sub.argmax())
        best_plover = int(plo.argmax())
        plover = self.plover.labels[best_plover]
        return Typing(self.subtype.labels[best], float(sub[best]),
                      dict(zip(self.subtype.labels, map(float, sub))),
                      None if plover == NO_EVENT else plover, float(plo[best_plover]))


def load_model(directory: Path = MODEL_DIR) -> TypingModel | None:
    """The shipped model, or None when it has not been trained (then typing is by rules only)."""
    arrays_path, config_path = directory / "model.npz", directory / "config.json"
    if not arrays_path.exists() or not config_path.exists():
        return None
    config = json.loads(config_path.read_text(encoding="utf-8"))
    with np.load(arrays_path) as arrays:
        heads = {
            name: Head(tuple(config[f"{name}_labels"]), arrays[f"{name}_weights"], arrays[f"{name}_bias"],
                       float(config[f"{name}_temperature"]))
            for name in ("subtype", "plover")
        }
        return TypingModel(arrays["known"], arrays["idf"], heads["subtype"], heads["plover"], config)


@lru_cache(maxsize=1)
def shipped_model() -> TypingModel | None:
    return load_model()
