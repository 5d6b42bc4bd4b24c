"""Syndication: the same wire story on several sites is one story with several copies.

Bodies are compared by MinHash over word 5-gram shingles with an LSH index, so a batch
of any size is checked in one pass. A copy is marked with the id of the first seen.
"""

from __future__ import annotations

import re

#: Estimated Jaccard similarity of shingles above which two bodies are copies.
MIN_COPY_SIMILARITY = 0.6
#: Words per shingle: long enough that two different stories rarely share one.
SHINGLE_WORDS = 5
#: Hash functions per signature (precision of the similarity estimate).
NUM_PERM = 64
#: Words of a body compared: copies share their opening, and more costs time.
MAX_WORDS_COMPARED = 250
#: A body with fewer words is too short to call a copy.
MIN_WORDS_TO_COMPARE = 40

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(body: str) -> set[bytes]:
    words = _WORD.findall(body[: MAX_WORDS_COMPARED * 8].lower())[:MAX_WORDS_COMPARED]
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def _hash32(data: bytes) -> int:
    # Python's own hash is fast and stable within one process, which is all an index needs.
    return hash(data) & 0xFFFFFFFF


class SyndicationIndex:
    """Remembers bodies seen so far; `first_copy_of` names an earlier copy of the same story."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=MIN_COPY_SIMILARITY, num_perm=NUM_PERM)
        self._count = 0

    def first_copy_of(self, article_id: str, body: str) -> str | None:
        """The id of the earliest seen copy of this story, else None (and remember this one)."""
        from datasketch import MinHash

        grams = shingles(body)
        if len(grams) < MIN_WORDS_TO_COMPARE - SHINGLE_WORDS + 1:
            return None
        signature = MinHash(num_perm=NUM_PERM, hashfunc=_hash32)
        signature.update_batch(list(grams))
        matches = self._lsh.query(signature)
        if matches:
            # Keys start with a zero-padded arrival number: the smallest is the first copy.
            return min(matches).split(":", 1)[1]
        self._lsh.insert(f"{self._count:012d}:{article_id}", signature)
        self._count += 1
        return None
