"""The whole pipeline into a store: read ─> (new, not a copy?) ─> extract ─> store, in batches.

Each batch is written in one transaction, so a run that is killed keeps every batch it
committed, and a re-run skips those articles and stores the rest: nothing is lost and
nothing doubled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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
           on_batch: Callable[[WriteCounts], None] | None = None, workers: int = 1,
           ray: str | None = None) -> WriteCounts:
    """Read, extract and store `sources`; returns what was added (and what was already there).
    With `workers` > 1, reading and extraction run in that many processes (flashpoint/workers.py)
    and this process alone writes, batch by batch in input order: the same store as one process.
    `ray` (a cluster's address, or "local") reads and extracts on Ray instead (flashpoint/cluster.py)."""
    from flashpoint.extract.events import extract_article
    from flashpoint.resolve.gazetteer import Gazetteer

    report = report if report is not None else ReadReport()
    gazetteer = Gazetteer.open()
    counts = WriteCounts()
    batch: list[Read] = []

    def flush() -> None:
        items = []
        with store.connect() as conn:
            for got in batch:
                art = got.article
                if already_stored(conn, art):
                    counts.skipped += 1
                    continue
                shingles = got.shingles if got.shingles is not None else sampled_shingles(art.body)
                copy_of = art.duplicate_of or stored_first_copy(conn, shingles)
                item = Item(art, set() if copy_of else shingles, copy_of)
                if not copy_of:
                    if not got.extracted:
                        try:
                            got.events = extract_article(art, gazetteer, include_plover=include_plover)
                        except Exception as exc:  # one article must not stop a batch
                            got.error = f"events could not be extracted ({type(exc).__name__}: {exc})"
                    if got.error:
                        report.failures.append(Failure(art.doc, got.error))
                        continue
                    item.events = got.events or []
                items.append(item)
        with store.begin() as conn:
            lock_for_writing(conn)  # another process may be ingesting into the same store
            write_batch(conn, items, counts)
        report.events = counts.events
        batch.clear()
        if on_batch:
            on_batch(counts)

    for got in articles_to_store(sources, options, report, progress, workers, include_plover, ray):
        batch.append(got)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return counts


@dataclass
class Read:
    """An article on its way to the store; `extracted` when a worker already extracted its events."""

    article: Article
    events: list | None = None
    error: str | None = None
    extracted: bool = False
    shingles: set[int] | None = None  # computed by the worker that read it


def articles_to_store(sources, options, report, progress, workers: int, include_plover: bool,
                      ray: str | None = None) -> Iterator[Read]:
    """One process reads here and extraction waits until the store says the article is new; workers
    (or Ray) read and extract ahead, and what the store already holds is dropped at writing."""
    if ray:
        from flashpoint.cluster import read_and_extract_on_ray

        for done in read_and_extract_on_ray(sources, ray, options, report, include_plover, progress):
            yield Read(done.item, done.events, done.error, extracted=True, shingles=done.shingles)
        return
    if workers <= 1:
        for art in read(sources, options, report, progress=progress):
            yield Read(art)
        return
    from flashpoint.workers import read_and_extract

    for done in read_and_extract(sources, options, report, workers, include_plover, progress):
        yield Read(done.item, done.events, done.error, extracted=True, shingles=done.shingles)
