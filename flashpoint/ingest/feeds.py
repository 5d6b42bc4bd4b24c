"""RSS and Atom feeds: each item becomes a raw document with the feed's title and date."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import datetime, timezone

from flashpoint.model import Failure, RawDoc


def entry_published(entry) -> str | None:
    """The item's date as ISO 8601 (UTC), from the parsed published or updated field."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc).isoformat()
    return None


def entry_html(entry) -> str:
    """The item's fullest text: content:encoded / Atom content, else the summary."""
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def feed_items(doc: str, text: str) -> Iterator[RawDoc | Failure]:
    """Items of an RSS/Atom feed; a feed that cannot be parsed is one Failure."""
    import feedparser

    parsed = feedparser.parse(text)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"malformed feed ({problem})" if problem else "feed has no items"
        yield Failure(doc, reason)
        return
    publisher = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        body = entry_html(entry)
        hints = {
            "title": entry.get("title"),
            "published": entry_published(entry),
            "byline": entry.get("author"),
            "publisher": publisher,
        }
        hints = {k: v for k, v in hints.items() if v}
        item_doc = link or f"{doc}#item{number}"
        if not body.strip() and not link:
            yield Failure(item_doc, "feed item has neither text nor a link")
            continue
        yield RawDoc(doc=item_doc, kind="html", text=f"<html><body>{body}</body></html>",
                     url=link, hints=hints)
