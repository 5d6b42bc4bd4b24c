"""HTML pages: the article body with trafilatura, the publication date with htmldate."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

# trafilatura and htmldate log every odd page at WARNING; a batch reader reports failures itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


#: Words that, just before a timestamp, say it is the publication time (meta tags, JSON-LD).
_PUBLISHED_KEYS = ("published", "pubdate", "dc.date", "date.issued", "datecreated")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


@dataclass
class HtmlExtract:
    body: str
    title: str | None
    byline: str | None
    publisher: str | None
    published: str | None
    url: str | None


def page_date(html: str, url: str | None) -> str | None:
    """The page's original publication date (ISO), or None; dates in sidebars are not it."""
    from htmldate import find_date

    try:
        return find_date(html, url=url, original_date=True, extensive_search=True,
                         outputformat="%Y-%m-%dT%H:%M:%S")
    except Exception:  # htmldate fails on some malformed pages; the date is then unknown
        return None


def with_time_of_day(html: str, date: str | None) -> str | None:
    """The page's own timestamp for `date` when its markup gives one, else the date."""
    if not date:
        return None
    day = date[:10]
    start = html.find(day)
    while start != -1:
        stamp = _STAMP.match(html, start)
        context = html[max(0, start - 120):start].lower()
        if stamp and any(key in context for key in _PUBLISHED_KEYS):
            return stamp.group(0).replace(" ", "T")
        start = html.find(day, start + 10)
    return date


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Body paragraphs and metadata of an HTML page (an empty body when none is found)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, fast=True,
        as_dict=False,
    )
    if document is None:
        return HtmlExtract("", None, None, None, page_date(html, url), url)
    body = (document.text or "").strip()
    body = "\n\n".join(p.strip() for p in body.split("\n") if p.strip())
    return HtmlExtract(
        body=body,
        title=document.title or None,
        byline=document.author or None,
        publisher=document.sitename or None,
        # trafilatura's date is htmldate's (original date, extensive search): one pass, not two.
        published=with_time_of_day(html, document.date or page_date(html, url)),
        url=document.url or url,
    )
