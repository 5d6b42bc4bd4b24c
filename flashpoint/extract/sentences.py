"""Sentences of an article body, with their offsets: what every later stage points back to.

    sentences = split_sentences(article.body)    # -> [Sentence(start, end, text, paragraph, index)]

A wire dateline ("KYIV (AP) - ") opening the first paragraph is not part of its first sentence, and
runs of text without punctuation are cut so that the parser never sees a megabyte at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime




#: No wire sentence is longer; longer runs of text (no punctuation) are cut before parsing.
MAX_SENTENCE_CHARS = 1000


ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Maj|Brig|Cpl|Pvt|Rep|Sen|Gov|Prof|St|Jan|Feb|"
                           r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|U\.S|U\.K|U\.N|vs|etc|Inc|Ltd|Co)\.$")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int


#: A wire dateline opening the first paragraph: "EL OBEID, Sudan (Meridian Wire) - ", "KYIV (AP) — ".
#: It names where the story was filed, not who says what: the first sentence starts after it.
DATELINE_PREFIX = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,30})?\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,30}/)?\s*(?:[-—–]+|:)"
    # ... or "Beirut - ", "Kyiv, Ukraine — " in title case, the dash set off by spaces.
    r"|[A-Z][a-z.'’]+(?: [A-Z][a-z.'’]+){0,2}(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?(?: \([^()\n]{1,40}\))? [-—–]+"
    # ... or "Jerusalem: ", a city and a colon.
    r"|[A-Z][a-z.'’]+(?: [A-Z][a-z.'’]+)?:"
    # ... or a place and the day, with or without the agency: "Islamabad, May 6 (PTI) ", "BEIRUT Nov 5 ".
    r"|[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2},?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+\d{1,2}(?!\d|,? \d{4})\s*(?:\([^()\n]{1,40}\))?(?:\s*[-—–]+|:)?"
    # ... or only the agency in brackets: "(Reuters) - ", "(MENAFN- UkrinForm) ".
    r"|\((?=[^()\n]*[A-Z])[^()\n]{2,40}\)(?:\s*[-—–]+)?)"
    r"\s+(?=\S)")


def bounded(sentences: list[Sentence]) -> list[Sentence]:
    """Cut "sentences" longer than any real one (a page without punctuation) at spaces, so the
    parser never sees a megabyte at once; indexes stay in reading order."""
    out: list[Sentence] = []
    for s in sentences:
        start = 0
        while len(s.text) - start > MAX_SENTENCE_CHARS:
            cut = s.text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            out.append(Sentence(s.start + start, s.start + cut, s.text[start:cut], s.paragraph, len(out)))
            start = cut + 1 if s.text[cut:cut + 1] == " " else cut
        out.append(Sentence(s.start + start, s.end, s.text[start:], s.paragraph, len(out)))
    return out


def split_sentences(body: str) -> list[Sentence]:
    """Sentences with their offsets in the body; paragraphs are separated by blank lines."""
    out: list[Sentence] = []
    pos = 0
    for p_index, para in enumerate(body.split("\n\n")):
        start = body.index(para, pos) if para else pos
        pos = start + len(para)
        cursor = 0
        if p_index == 0 and (dateline := DATELINE_PREFIX.match(para)):
            cursor = dateline.end()
        for m in re.finditer(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])", para):
            if ABBREVIATIONS.search(para[cursor:m.start() + 1]):
                continue
            text = para[cursor:m.end()].strip()
            if text:
                out.append(Sentence(start + cursor, start + cursor + len(text), text, p_index, len(out)))
            cursor = m.end()
        text = para[cursor:].strip()
        if text:
            s = start + para.index(text, cursor)
            out.append(Sentence(s, s + len(text), text, p_index, len(out)))
    return bounded(out)


#: News is dated between these years; a page that says year 1 or 9999 has no usable date (and
#: "last Monday" counted back from year 1 would leave the calendar).
EARLIEST_NEWS_YEAR = 1800


def publication_day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        day = datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            day = date.fromisoformat(published[:10])
        except ValueError:
            return None
    return day if EARLIEST_NEWS_YEAR <= day.year <= date.today().year + 1 else None
