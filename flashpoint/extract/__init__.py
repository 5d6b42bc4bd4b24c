"""The extraction stage: articles in, typed, attributed, geocoded events out.

    from flashpoint import extract
    for event in extract(["story.txt"]):
        print(event.sub_event_type, event.location and event.location["name"])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from flashpoint.model import Event, Failure


def extract(sources: Iterable[str] | str, options=None, report=None, include_plover: bool = True,
            progress: Callable[[str], None] | None = None) -> Iterator[Event]:
    """Read `sources` (anything `flashpoint.read` takes) and yield the events of every article.

    Syndicated copies (duplicate_of set) are skipped: their events are the first copy's.
    Articles that fail to extract are recorded in `report.failures`; the batch goes on.
    """
    from flashpoint.extract.events import extract_article
    from flashpoint.ingest.reader import ReadReport, read
    from flashpoint.resolve.gazetteer import Gazetteer

    report = report if report is not None else ReadReport()
    gazetteer = Gazetteer.open()
    for article in read(sources, options, report, progress=progress):
        if article.duplicate_of:
            continue
        try:
            events = extract_article(article, gazetteer, include_plover=include_plover)
        except Exception as exc:  # one article must not stop a batch
            report.failures.append(Failure(article.doc, f"events could not be extracted ({type(exc).__name__}: {exc})"))
            continue
        report.events += len(events)
        yield from events
