"""Syndication: the same wire story on several sites is one story with several copies.

Each body is reduced to a sample of its word 5-gram shingles (those whose CRC32 falls in
one bucket of SAMPLE_BUCKETS: the same shingles are sampled in every copy, whatever
surrounds them). A body is a later copy when most of its sampled shingles belong to one
article seen before. Containment, not Jaccard similarity, so that a copy cut short by
one site, or padded with an editor's note by another, is still a copy.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

#: Share of a body's sampled shingles found in one earlier article that makes it a copy.
MIN_CONTAINMENT = 0.5
#: Words per shingle: long enough that two different stories rarely share one.
SHINGLE_WORDS = 5
#: One shingle in this many is sampled (by hash, so every copy samples the same ones).
SAMPLE_BUCKETS = 4
#: Words of a body compared: copies share their opening, and more costs time.
MAX_WORDS_COMPARED = 400
#: Fewer sampled shingles than this: too short to call anything a copy.
MIN_SAMPLED_SHINGLES = 6

_WORD = re.compile(r"\w+", re.UNICODE)


def sampled_shingles(body: str) -> set[int]:
    """CRC32 hashes of the body's sampled word 5-grams (case-insensitive)."""
    words = _WORD.findall(body[: MAX_WORDS_COMPARED * 8].lower())[:MAX_WORDS_COMPARED]
    hashes = set()
    for i in range(len(words) - SHINGLE_WORDS + 1):
        value = zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode())
        if value % SAMPLE_BUCKETS == 0:
            hashes.add(value)
    return hashes


class SyndicationIndex:
    """Remembers stories seen so far; `first_copy_of` names an earlier copy of the same story."""

    def __init__(self) -> None:
        self._owner: dict[int, str] = {}  # sampled shingle -> first article that had it

    def first_copy_of(self, article_id: str, body: str, sample: set[int] | None = None) -> str | None:
        """The id of the first seen copy of this story, else None (and remember this one). `sample`
        is the body's `sampled_shingles` when a worker process computed them already."""
        sample = sampled_shingles(body) if sample is None else sample
        if len(sample) < MIN_SAMPLED_SHINGLES:
            return None
        owners = Counter(self._owner[h] for h in sample if h in self._owner)
        if owners:
            owner, shared = owners.most_common(1)[0]
            if shared >= MIN_CONTAINMENT * len(sample) and owner != article_id:
                return owner
        for value in sample:
            self._owner.setdefault(value, article_id)
        return None
