"""The extraction stage: articles in, typed, attributed, geocoded events out.

    from flashpoint import extract
    for event in extract(["story.txt"]):
        print(event.sub_event_type, event.location and event.location["name"])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from flashpoint.model import Event, Failure


def extract(sources: Iterable[str] | str, options=None, report=None, include_plover: bool = True,
            progress: Callable[[str], None] | None = None, workers: int = 1, ray: str | None = None) -> Iterator[Event]:
    """Read `sources` (anything `flashpoint.read` takes) and yield the events of every article,
    in input order. `workers` > 1 reads and extracts in that many processes, `ray` (a cluster's
    address, or "local") on a Ray cluster: the same events either way.

    Syndicated copies (duplicate_of set) are skipped: their events are the first copy's.
    Articles that fail to extract are recorded in `report.failures`; the batch goes on.
    """
    from flashpoint.ingest.reader import ReadReport

    report = report if report is not None else ReadReport()
    for article, events, error in articles_with_events(sources, options, report, include_plover, progress, workers, ray):
        if error:
            report.failures.append(Failure(article.doc, error))
            continue
        report.events += len(events or [])
        yield from events or []


def articles_with_events(sources, options, report, include_plover: bool = True,
                         progress: Callable[[str], None] | None = None, workers: int = 1, ray: str | None = None):
    """(article, its events or None for a syndicated copy, why extraction failed or None), in input order."""
    if ray:
        from flashpoint.cluster import read_and_extract_on_ray

        for done in read_and_extract_on_ray(sources, ray, options, report, include_plover, progress):
            yield done.item, done.events, done.error
        return
    if workers > 1:
        from flashpoint.workers import read_and_extract

        for done in read_and_extract(sources, options, report, workers, include_plover, progress):
            yield done.item, done.events, done.error
        return
    from flashpoint.extract.events import extract_each
    from flashpoint.ingest.reader import read
    from flashpoint.resolve.gazetteer import Gazetteer
    from flashpoint.workers import PART_SIZE

    gazetteer = Gazetteer.open()
    pending: list = []

    def flush():
        originals = [a for a in pending if not a.duplicate_of]
        results = dict(zip(map(id, originals), extract_each(originals, gazetteer, include_plover)))
        for article in pending:  # in input order; a syndicated copy has no events of its own
            events, error = results.get(id(article), (None, None))
            yield article, events, error
        pending.clear()

    for article in read(sources, options, report, progress=progress):
        pending.append(article)
        if len(pending) >= PART_SIZE:
            yield from flush()
    yield from flush()
