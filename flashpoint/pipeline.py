"""The whole pipeline into a store: read ─> (new, not a copy?) ─> extract ─> store, in batches.

Each batch is written in one transaction, so a run that is killed keeps every batch it
committed, and a re-run skips those articles and stores the rest: nothing is lost and
nothing doubled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flashpoint.ingest.dedup import sampled_shingles
from flashpoint.ingest.reader import ReadOptions, ReadReport, read
from flashpoint.model import Article, Failure
from flashpoint.store import Store
from flashpoint.store.schema import lock_for_writing
from flashpoint.store.write import Item, WriteCounts, already_stored, stored_first_copy, write_batch

#: Articles per transaction: small enough that a kill loses little work, big enough to be fast.
BATCH_SIZE = 25


def ingest(sources: Iterable[str] | str, store: Store, options: ReadOptions | None = None,
           report: ReadReport | None = None, progress: Callable[[str], None] | None = None,
           batch_size: int = BATCH_SIZE, include_plover: bool = True,
           on_batch: Callable[[WriteCounts], None] | None = None) -> WriteCounts:
    """Read, extract and store `sources`; returns what was added (and what was already there)."""
    from flashpoint.extract.events import extract_article
    from flashpoint.resolve.gazetteer import Gazetteer

    report = report if report is not None else ReadReport()
    gazetteer = Gazetteer.open()
    counts = WriteCounts()
    batch: list[Article] = []

    def flush() -> None:
        items = []
        with store.connect() as conn:
            for art in batch:
                if already_stored(conn, art):
                    counts.skipped += 1
                    continue
                shingles = sampled_shingles(art.body)
                copy_of = art.duplicate_of or stored_first_copy(conn, shingles)
                item = Item(art, set() if copy_of else shingles, copy_of)
                if not copy_of:
                    try:
                        item.events = extract_article(art, gazetteer, include_plover=include_plover)
                    except Exception as exc:  # one article must not stop a batch
                        report.failures.append(Failure(art.doc, f"events could not be extracted ({type(exc).__name__}: {exc})"))
                        continue
                items.append(item)
        with store.begin() as conn:
            lock_for_writing(conn)  # another process may be ingesting into the same store
            write_batch(conn, items, counts)
        report.events = counts.events
        batch.clear()
        if on_batch:
            on_batch(counts)

    for art in read(sources, options, report, progress=progress):
        batch.append(art)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return counts
