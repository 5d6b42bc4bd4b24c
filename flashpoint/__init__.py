"""flashpoint: reads news about armed conflict and writes down what happened.

    >>> import flashpoint
    >>> for article in flashpoint.read(["page.html", "feed.xml"]):
    ...     print(article.published, article.title)
    >>> for event in flashpoint.extract_events(["story.txt"]):
    ...     print(event.sub_event_type, event.fatalities, event.reported_by)

Importing this package is cheap: the reading stage loads no NLP model.
"""

from __future__ import annotations

__version__ = "0.1.0"

from flashpoint.ingest.reader import ReadOptions, ReadReport, read  # noqa: E402
from flashpoint.model import Article, Event, Failure  # noqa: E402


def extract_events(sources, options=None, report=None, include_plover: bool = True):
    """Events from news sources: see flashpoint.extract.extract (loads spaCy on first use)."""
    from flashpoint.extract import extract as _extract

    return _extract(sources, options, report, include_plover)


def geoparse(sources, options=None, report=None):
    """Place mentions with coordinates: see flashpoint.resolve.geoparse.geoparse."""
    from flashpoint.resolve.geoparse import geoparse as _geoparse

    return _geoparse(sources, options, report)


__all__ = ["Article", "Event", "Failure", "ReadOptions", "ReadReport", "extract_events", "geoparse", "read", "__version__"]
