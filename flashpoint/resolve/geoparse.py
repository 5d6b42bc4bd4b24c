"""Geoparsing: every place mentioned in a text, with coordinates (`flashpoint geoparse`).

    for record in geoparse_text(text, doc="story.txt"):
        print(record["text"], record["lat"], record["lon"])

Plain-text inputs are parsed exactly as given, so offsets index the file's own text;
HTML pages, feeds and other containers are first read into an article and offsets
index its body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flashpoint.model import Failure
from flashpoint.resolve.gazetteer import Gazetteer
from flashpoint.resolve.places import PlaceMention, find_place_mentions, resolve_mentions


def place_record(doc: str, m: PlaceMention) -> dict:
    p = m.place
    return {"doc": doc, "start": m.start, "end": m.end, "text": m.text, "name": p.name if p else None,
            "lat": p.lat if p else None, "lon": p.lon if p else None, "country": p.country if p else None,
            "geonameid": p.geonameid if p else None, "feature": p.feature if p else None}


def geoparse_text(text: str, doc: str = "-", gazetteer: Gazetteer | None = None) -> list[dict]:
    """Resolved place mentions in `text` (unresolved names are left out)."""
    from flashpoint.nlp import load_nlp

    gazetteer = gazetteer or Gazetteer.open()
    parsed = load_nlp()(text)
    mentions = find_place_mentions(parsed, gazetteer)
    resolve_mentions(mentions, text, gazetteer)
    return [place_record(doc, m) for m in mentions if m.place is not None]


def geoparse(sources: Iterable[str], options=None, report=None, progress=None) -> Iterator[dict]:
    """Place mentions for every document in `sources` (files, directories, URLs, ...)."""
    from flashpoint.ingest.reader import ReadOptions, ReadReport, article_from_html
    from flashpoint.ingest.sources import Expander

    options = options or ReadOptions()
    report = report if report is not None else ReadReport()
    gazetteer = Gazetteer.open()
    expander = Expander(options.source_options())
    try:
        for raw in expander.expand(list(sources)):
            if progress:
                progress(raw.doc)
            if isinstance(raw, Failure):
                report.failures.append(raw)
                continue
            try:
                text = raw.text if raw.kind != "html" else article_from_html(raw).body
                records = geoparse_text(text, raw.doc, gazetteer)
            except Exception as exc:  # one broken document must not stop a batch
                report.failures.append(Failure(raw.doc, f"could not be geoparsed ({type(exc).__name__}: {exc})"))
                continue
            report.articles += 1
            report.kinds[raw.kind] += 1
            yield from records
    finally:
        expander.close()
