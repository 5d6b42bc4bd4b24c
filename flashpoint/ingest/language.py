"""Offline language identification (py3langid ships its model inside the package)."""

from __future__ import annotations

from functools import lru_cache

#: Characters of the body looked at; more adds time, not accuracy.
LANGID_CHARS = 300
#: Below this many letters the language is not guessed.
MIN_LANGID_LETTERS = 20


@lru_cache(maxsize=1)
def _classify():
    import py3langid  # loads its bundled model on first use

    return py3langid.classify


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for too little text."""
    sample = text[:LANGID_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LANGID_LETTERS:
        return None
    language, _ = _classify()(sample)
    return language
