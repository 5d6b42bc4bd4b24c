"""Article metadata: headline, publication date, byline, publisher, wire agency, dateline.

Dumps carry their metadata as lines around the body; HTML pages carry it in markup
(read by trafilatura/htmldate in ingest/html.py). Agency and dateline come from the
body's first line in both ("BEIRUT (Reuters) -") and from the byline.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.ingest.textdump import (DATE_LINE, DUMP_DATE_MARKER, Line, capitalised_share, count_words,
                                        furniture_reason)

#: Lines looked at above the body's first line for the headline, byline and date.
HEADER_WINDOW = 12
#: A headline has at least this many and at most that many words.
MIN_HEADLINE_WORDS, MAX_HEADLINE_WORDS = 3, 30



def _month_numbers() -> dict[str, int]:
    """Month names (data/months.tsv, several languages) and English abbreviations -> number."""
    months = {name: int(number) for _, number, name, *_ in data_rows("months.tsv")}
    english = [name for lang, _, name, *_ in data_rows("months.tsv") if lang == "en"]
    months.update({name[:3]: i for i, name in enumerate(english, 1)})
    months.update({"sept": 9})
    return months


_MONTHS = _month_numbers()
_MONTH_RE = r"\b(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\b[.,]?"
_TIME_RE = r"(?:\s*(?:at|,|-|–|\|)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DATE_PATTERNS = (
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME_RE, re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(?P<year>\d{4})" + _TIME_RE, re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2}))?"),
    # "2016.03.31", "2016/03/31": year first is unambiguous.
    re.compile(r"\b(?P<year>(?:19|20)\d{2})[./](?P<mon>\d{1,2})[./](?P<day>\d{1,2})\b"),
)
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})[/-](?P<mon>\d{1,2})[/-](?P<day>\d{1,2})(?:/|-|$)")
_BYLINE = re.compile(r"(?:^|\s)(?:by|By|BY)\s+(?P<who>[A-Z][^|•]{2,80}?)\s*$")
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z\u00C0-\u024F.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.' ]{1,25})?)"
    r"\s*(?:,\s*\w+\.?\s+\d{1,2}\s*)?"
    r"(?:\((?P<agency>[A-Za-z][\w .-]{0,30})\)|/(?P<agency2>[A-Z][\w .-]{0,20})/)?\s*[-—–:]+\s+\S"
)
_COPYRIGHT = re.compile(r"(?:©|copyright|\(c\))\s*(?:\d{4}\s*[-–]?\s*\d{0,4}\s*)?(?P<owner>[\w&' -]{2,60}(?:\.\w[\w&' -]{0,40})*)", re.I)


@lru_cache(maxsize=1)
def agency_aliases() -> dict[str, str]:
    """alias -> canonical agency name."""
    return {alias: name for name, alias in data_rows("agencies.tsv")}


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern[str]:
    aliases = sorted(agency_aliases(), key=len, reverse=True)  # longest alias wins
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, aliases)) + r")(?![\w-])")


def find_agency(text: str | None) -> str | None:
    """A wire agency named as a whole word in a byline or dateline."""
    if not text:
        return None
    match = _agency_pattern().search(text)
    return agency_aliases()[match.group(1)] if match else None


def parse_dateline(first_paragraph: str) -> tuple[str | None, str | None]:
    """(place, agency) of a dateline such as "BEIRUT (Reuters) -" or "KYIV, Ukraine (AP) —"."""
    match = _DATELINE.match(first_paragraph[:120])
    if not match:
        return None, None
    place = match.group("place").strip(" ,")
    agency = match.group("agency") or match.group("agency2")
    # A dateline place is written in capitals or is followed by an agency credit.
    if not (agency or place.split(",")[0].isupper()):
        return None, None
    if count_words(place) > 5:
        return None, None
    place = place.split(",")[0].strip().title() if place.split(",")[0].isupper() else place
    return place, (find_agency(agency) or agency.strip()) if agency else None


def month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return _MONTHS.get(name) or _MONTHS[name[:3]]


def date_from_text(text: str) -> datetime | None:
    """The first absolute date (and time) written in a line of text."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            month = int(parts["mon"]) if parts.get("mon") else month_number(parts["month"])
            hour = int(parts.get("hour") or 0)
            minute = int(parts.get("minute") or 0)
            ampm = (parts.get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            return datetime(int(parts["year"]), month, int(parts["day"]), hour, minute)
        except (ValueError, KeyError):
            continue
    return None


def date_from_url(url: str | None) -> datetime | None:
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return datetime(int(match["year"]), int(match["mon"]), int(match["day"]))
    except ValueError:
        return None


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.hour == moment.minute == 0:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes")


def dump_date_line(text: str) -> datetime | None:
    """The ` date YYYY-MM-DD` line text dumps start with (when the crawler knew it)."""
    first = text[:200].lstrip("\ufeff").split("\n", 1)[0]
    match = DUMP_DATE_MARKER.match(first)
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1))
    except ValueError:
        return None


def header_lines(lines: list[Line], body_start: int) -> list[Line]:
    """Non-blank lines just above the body, nearest first."""
    above = [line for line in lines[:body_start] if line.text.strip()]
    return list(reversed(above[-HEADER_WINDOW:]))


def clean_byline(byline: str | None) -> str | None:
    """A byline without e-mail addresses: "desk@x.org (Wire desk)" -> "Wire desk"."""
    if not byline:
        return None
    if "@" in byline:
        named = re.search(r"\(([^)@]+)\)", byline)
        byline = named.group(1) if named else re.sub(r"\S+@\S+", "", byline)
    byline = byline.strip(" ,;|")
    return byline or None


def find_byline(header: list[Line]) -> str | None:
    for line in header:
        text = line.text.strip()
        if line.words <= 12 and not text.endswith("."):
            match = _BYLINE.search(text)
            if match:
                return match.group("who").strip()
    return None


def is_headline(line: Line) -> bool:
    text = line.text.strip()
    if not (MIN_HEADLINE_WORDS <= line.words <= MAX_HEADLINE_WORDS):
        return False
    if text.endswith((".", ":", ";", ",")) and not text.endswith("..."):
        return False
    if _BYLINE.search(text) or line.furniture or furniture_reason(text, line.words, False):
        return False
    return not text.lower().startswith(("photo", "image", "caption", "video"))


def find_headline(header: list[Line]) -> str | None:
    """The nearest headline-shaped line above the body."""
    for line in header:
        if is_headline(line):
            return " ".join(line.text.split())
    return None


#: A standfirst (the sentence under a headline that sums up the story) has at least this many words.
MIN_STANDFIRST_WORDS = 10


def find_standfirst(header: list[Line]) -> Line | None:
    """The line just above the body when it is a sentence-case summary under a headline: "Sudan
    security forces on Tuesday shot dead seven protesters during rallies in the capital Khartoum"
    under "Sudanese forces kill seven protesters". It is the story's lead, told without a full stop."""
    if len(header) < 2 or not is_headline(header[0]) or header[0].words < MIN_STANDFIRST_WORDS:
        return None
    words = header[0].text.split()
    if capitalised_share(words) >= 0.5 or not any(is_headline(line) for line in header[1:4]):
        return None
    return header[0]


def find_header_date(header: list[Line], fallback: datetime | None) -> datetime | None:
    """A date written next to the headline (a time of day preferred); else the dump's date.

    Captions are skipped, and a date far from the crawl's is a sidebar's or an update's.
    """
    found_dates = []
    for line in header:
        if line.words > 15 or line.furniture == "caption":
            continue
        found = date_from_text(line.text)
        if found is None:
            continue
        if fallback and abs((found.date() - fallback.date()).days) > 1 and fallback.year > 1990:
            continue
        found_dates.append(found)
    with_time = [d for d in found_dates if d.hour or d.minute]
    return (with_time or found_dates or [fallback])[0]


#: A page date read from the whole page must fall inside these years.
PAGE_DATE_YEARS = (1990, datetime.now().year + 1)
_WEEKDAY_BEFORE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+$", re.I)
_POST_HANDLE_BEFORE = re.compile(r"\(@\w{1,30}\)\s*$")


@lru_cache(maxsize=1)
def _date_label_pattern() -> re.Pattern[str]:
    labels = sorted({label for _, label, *_ in data_rows("page_dates.tsv")}, key=len, reverse=True)
    return re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, labels)) + r")\s*[:\-–|]?\s*", re.I)


def dated_spans(text: str) -> list[tuple[int, datetime]]:
    """Every absolute date in a line, with where it starts."""
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            moment = date_from_text(match.group(0))
            if moment and PAGE_DATE_YEARS[0] <= moment.year <= PAGE_DATE_YEARS[1]:
                found.append((match.start(), moment))
    return sorted(found, key=lambda pair: pair[0])


def page_date_rank(line: Line, start: int) -> int | None:
    """How strongly a date at `start` of this line says when the page was published.

    0 a labelled date ("First Published: ..."), 1 a line that is only a date, 2 a short
    stamp line ("BDST: 1308 HRS, MAR 27, 2016"), 3 a photo caption's "Thursday, Jan. 14,
    2016", 4 an embedded post's "(@handle) September 20, 2023". None: a date in prose,
    which may be any day the story mentions.
    """
    text = line.text
    before = text[:start]
    if _date_label_pattern().search(before[-40:]) and line.words <= 20:
        return 0
    if line.words <= 12 and DATE_LINE.match(text.strip()):
        return 1
    if line.words <= 12 and not text.rstrip().endswith("."):
        return 2
    if _WEEKDAY_BEFORE.search(before):
        return 3
    if _POST_HANDLE_BEFORE.search(before):
        return 4
    return None


def find_page_date(lines: list[Line]) -> datetime | None:
    """The publication date printed anywhere on the page, for pages with none at the top."""
    best: tuple[int, int] | None = None
    chosen = None
    for position, line in enumerate(lines):
        for start, moment in dated_spans(line.text):
            rank = page_date_rank(line, start)
            if rank is not None and (best is None or (rank, position) < best):
                best, chosen = (rank, position), moment
    return chosen


def find_publisher(text: str, url: str | None) -> str | None:
    """The site's own name: a footer line naming the copyright owner's site in full."""
    tail = text[-4000:]
    owner = None
    for match in _COPYRIGHT.finditer(tail):
        owner = match.group("owner").strip(" .")
    stem = None
    if owner:
        stem = re.sub(r"\.(com|org|net|co\.uk|co|news|info)\b.*$", "", owner.split()[0], flags=re.I)
    elif url:
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").removeprefix("www.")
        stem = host.split(".")[0] if host else None
    if not stem or len(stem) < 3:
        return owner
    # Prefer a line that is the stem as a name ("The Algemeiner"), else the footer's owner.
    names = {stem.lower(), "the" + stem.lower()}
    best = None
    for raw in text.splitlines():
        line = raw.strip()
        if 0 < len(line) <= 40 and line.lower().replace(" ", "") in names:
            if best is None or len(line) > len(best):
                best = line
    return best or (owner if owner and "." not in owner.split()[0] else stem.capitalize())
