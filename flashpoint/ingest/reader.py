"""The reading stage: sources in, clean dated articles out (and failures, counted).

    read(sources) -> iterator of Article          (failures go to a ReadReport)

    sources ─> expand (files, URLs, containers) ─> RawDoc ─> article_from_dump / _html
            ─> language, agency, dateline ─> syndication check ─> Article
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flashpoint.ingest import metadata as meta
from flashpoint.ingest.fetch import FetchOptions
from flashpoint.ingest.language import detect_language
from flashpoint.ingest.sources import Expander, SourceOptions
from flashpoint.ingest.textdump import batch_furniture, body_lines, body_text, snippet_lines, split_lines
from flashpoint.model import Article, Failure, RawDoc

#: Dumps are cleaned in groups this large so lines repeated across a site's pages are seen.
DUMP_BATCH = 64
#: A body with fewer words than this (a menu's "Home") is reported, not returned.
MIN_BODY_WORDS = 5


@dataclass(frozen=True)
class ReadOptions:
    """How `read` opens and cleans its inputs.

    ReadOptions()                                   # local files; URLs fetched safely
    ReadOptions(allow_private=True)                 # also fetch from 127.0.0.1 / LAN
    ReadOptions(fetch_links=False)                  # feeds: keep summaries, never fetch
    ReadOptions(max_file_bytes=5_000_000)           # refuse files over 5 MB
    """

    allow_private: bool = False
    fetch_links: bool = True
    respect_robots: bool = True
    timeout: float = 20.0
    max_file_bytes: int = 50_000_000
    detect_syndication: bool = True

    def source_options(self) -> SourceOptions:
        return SourceOptions(
            max_file_bytes=self.max_file_bytes,
            fetch_links=self.fetch_links,
            fetch=FetchOptions(timeout=self.timeout, allow_private=self.allow_private,
                               respect_robots=self.respect_robots,
                               max_bytes=min(self.max_file_bytes, FetchOptions().max_bytes)),
        )


@dataclass
class ReadReport:
    """What a run read and what failed, and why."""

    articles: int = 0
    copies: int = 0
    events: int = 0  # counted by the extraction stage
    failures: list[Failure] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return len(self.failures)


def article_id(raw: RawDoc) -> str:
    """A stable id: from the URL when there is one, else from the input name and content."""
    key = raw.url or f"{raw.doc}\n{raw.text[:5000]}"
    return hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:16]


def article_from_dump(raw: RawDoc, furniture: frozenset[str]) -> Article:
    """Clean a text dump and read its metadata from the lines around the body."""
    lines = split_lines(raw.text, furniture)
    body = body_lines(lines) or snippet_lines(lines)
    article = Article(doc=raw.doc, body=body_text(body), url=raw.url, kind="dump")
    crawl_date = meta.dump_date_line(raw.text)
    if body:
        header = meta.header_lines(lines, body[0].index)
        standfirst = meta.find_standfirst(header)
        if standfirst is not None:
            article.body = standfirst.text.strip() + "\n\n" + article.body
            header = header[1:]
        article.title = meta.find_headline(header)
        article.byline = meta.find_byline(header)
        published = meta.find_header_date(header, crawl_date) or meta.find_page_date(lines)
    else:
        published = crawl_date
    article.published = meta.iso(published or meta.date_from_url(raw.url))
    article.publisher = meta.find_publisher(raw.text, raw.url)
    return article


def article_from_html(raw: RawDoc) -> Article:
    from flashpoint.ingest.html import extract_html

    page = extract_html(raw.text, raw.url)
    published = page.published
    body = drop_leading_title(page.body, page.title)
    if published and published.endswith("T00:00:00"):
        published = published[:10]
    return Article(doc=raw.doc, body=body, url=page.url or raw.url, title=page.title,
                   published=published, publisher=page.publisher, byline=page.byline, kind="html")


def drop_leading_title(body: str, title: str | None) -> str:
    """Remove the headline when the extractor kept it as the body's first paragraph."""
    first, _, rest = body.partition("\n\n")
    if title and rest and " ".join(first.split()).lower() == " ".join(title.split()).lower():
        return rest
    return body


def apply_hints(article: Article, raw: RawDoc) -> None:
    """Metadata a container already knew (feed item, JSONL record) fills what the page lacked."""
    hints = raw.hints
    for key in ("title", "publisher", "byline"):
        current = getattr(article, key)
        # A publisher guessed from the host name ("x-wire.example") or from a text dump's words yields
        # to the name the record gives.
        weak = key == "publisher" and current and (article.kind == "dump" or ("." in current and " " not in current))
        if hints.get(key) and (not current or weak):
            setattr(article, key, str(hints[key]))
    article.byline = meta.clean_byline(article.byline)
    if hints.get("published"):
        article.published = normalise_date(str(hints["published"])) or article.published


def normalise_date(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None and moment.utcoffset() and moment.utcoffset().total_seconds() == 0:
        moment = moment.replace(tzinfo=None)
    return meta.iso(moment) if moment.tzinfo is None else moment.isoformat(timespec="minutes")


def add_wire_metadata(article: Article) -> None:
    """Dateline place and wire agency from the first paragraph, else from the byline."""
    first = article.body.split("\n", 1)[0]
    place, agency = meta.parse_dateline(first)
    article.dateline = place
    article.agency = agency or meta.find_agency(article.byline) or meta.find_agency(first[:200])


def finish(article: Article, raw: RawDoc) -> Article:
    apply_hints(article, raw)
    add_wire_metadata(article)
    article.language = detect_language(article.body or article.title or "")
    article.id = article_id(raw)
    return article


def group_furniture(raws: list[RawDoc]) -> frozenset[str]:
    """The lines repeated across a group's text dumps (a site's menus and footers)."""
    dumps = [raw.text for raw in raws if raw.kind == "dump"]
    return batch_furniture(dumps) if len(dumps) >= 3 else frozenset()


def build_articles(raws: list[RawDoc], furniture: frozenset[str] | None = None) -> Iterator[Article | Failure]:
    """Articles from a group of raw documents; dumps share the group's repeated lines (given, when
    the group is built in parts by several processes)."""
    furniture = group_furniture(raws) if furniture is None else furniture
    for raw in raws:
        try:
            article = article_from_dump(raw, furniture) if raw.kind == "dump" else article_from_html(raw)
        except Exception as exc:  # one broken page must not stop a batch
            yield Failure(raw.doc, f"could not be cleaned ({type(exc).__name__}: {exc})")
            continue
        if len(article.body.split()) < MIN_BODY_WORDS:
            yield Failure(raw.doc, f"no article text found in this {raw.kind} page")
            continue
        yield finish(article, raw)


def raw_batches(sources: Iterable[str] | str, options: ReadOptions | None = None, report: ReadReport | None = None,
                progress: Callable[[str], None] | None = None) -> Iterator[list[RawDoc]]:
    """The raw documents of `sources` in groups of DUMP_BATCH, in input order: the unit that
    `build_articles` cleans together (and that worker processes take). Inputs that cannot be
    opened go to `report.failures`."""
    options = options or ReadOptions()
    report = report if report is not None else ReadReport()
    sources = [sources] if isinstance(sources, str) else list(sources)
    expander = Expander(options.source_options())
    try:
        pending: list[RawDoc] = []
        for item in expander.expand(sources):
            if progress:
                progress(item.doc)
            if isinstance(item, Failure):
                report.failures.append(item)
                continue
            pending.append(item)
            if len(pending) >= DUMP_BATCH:
                yield pending
                pending = []
        if pending:
            yield pending
    finally:
        expander.close()


class Syndication:
    """The run's check for later copies of one story, applied in input order."""

    def __init__(self, options: ReadOptions, report: ReadReport):
        from flashpoint.ingest.dedup import SyndicationIndex

        self.index = SyndicationIndex() if options.detect_syndication else None
        self.report = report

    def admit(self, item: Article | Failure, shingles: set[int] | None = None) -> Article | None:
        """The article with `duplicate_of` set when it copies an earlier one, counted; None for a failure."""
        if isinstance(item, Failure):
            self.report.failures.append(item)
            return None
        if self.index is not None:
            first = self.index.first_copy_of(item.id, item.body, shingles)
            if first and first != item.id:
                item.duplicate_of = first
                self.report.copies += 1
        self.report.articles += 1
        self.report.kinds[item.kind] += 1
        return item


def read(
    sources: Iterable[str] | str,
    options: ReadOptions | None = None,
    report: ReadReport | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Article]:
    """Read news from files, directories, URLs, feeds, WARC and JSONL; yield clean articles.

    >>> report = ReadReport()
    >>> articles = list(read(["seed.txt"], report=report))
    >>> report.failed
    0

    Inputs that cannot be read are recorded in `report.failures` (never raised); later
    copies of a syndicated story carry `duplicate_of` = the first copy's id.
    """
    options = options or ReadOptions()
    report = report if report is not None else ReadReport()
    syndication = Syndication(options, report)
    for raws in raw_batches(sources, options, report, progress):
        for item in build_articles(raws):
            article = syndication.admit(item)
            if article is not None:
                yield article
