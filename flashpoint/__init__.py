"""flashpoint: reads news about armed conflict and writes down what happened.

    >>> import flashpoint
    >>> for article in flashpoint.read(["page.html", "feed.xml"]):
    ...     print(article.published, article.title)

Importing this package is cheap: the reading stage loads no NLP model.
"""

from __future__ import annotations

__version__ = "0.1.0"

from flashpoint.ingest.reader import ReadOptions, ReadReport, read  # noqa: E402
from flashpoint.model import Article, Failure  # noqa: E402

__all__ = ["Article", "Failure", "ReadOptions", "ReadReport", "read", "__version__"]
