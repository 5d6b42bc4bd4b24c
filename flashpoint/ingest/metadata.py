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
from flashpoint.ingest.textdump import DUMP_DATE_MARKER, Line, count_words, furniture_reason

#: Lines looked at above the body's first line for the headline, byline and date.
HEADER_WINDOW = 12
#: A headline has at least this many and at most that many words.
MIN_HEADLINE_WORDS, MAX_HEADLINE_WORDS = 3, 30

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME_RE = r"(?:\s*(?:at|,|-|–|\|)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DATE_PATTERNS = (
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME_RE, re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(?P<year>\d{4})" + _TIME_RE, re.I),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2}))?"),
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


def date_from_text(text: str) -> datetime | None:
    """The first absolute date (and time) written in a line of text."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            month = int(parts["mon"]) if parts.get("mon") else _MONTHS[parts["month"].lower()[:3]]
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
