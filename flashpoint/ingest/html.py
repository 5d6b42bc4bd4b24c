"""HTML pages: the article body with trafilatura, the publication date with htmldate."""

from __future__ import annotations

import logging
from dataclasses import dataclass

# trafilatura and htmldate log every odd page at WARNING; a batch reader reports failures itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


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
        published=page_date(html, url) or document.date or None,
        url=document.url or url,
    )
