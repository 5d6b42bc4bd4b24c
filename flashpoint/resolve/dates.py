"""Dates: when an event happened, resolved against the article's publication date.

    resolve_when("killed on Wednesday", date(2020, 2, 27))
        -> When(start=2020-02-26, end=2020-02-26, precision="day", text="on Wednesday")
    resolve_when("in the last three days", date(2020, 2, 27))
        -> When(start=2020-02-24, end=2020-02-27, precision="range", ...)

Single dates and weekdays use our own rules (fast, and they understand "late Sunday");
ranges ("since December", "in the past week") which dateparser does not handle too.
Explicit calendar dates ("on March 5", "5 March 2020") go to dateparser with
PREFER_DATES_FROM=past and the publication date as the base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flashpoint.extract.numbers import parse_count

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
#: A range longer than this is a trend ("since October"), not one event's date.
MAX_EVENT_RANGE_DAYS = 14

NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|few)"
WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|" \
        r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"

PATTERNS = [
    ("range_last", re.compile(rf"\b(?:in|over|during|within)\s+the\s+(?:last|past|previous)\s+{NUM}\s+(day|week|month)s?\b", re.I)),
    ("range_past_unit", re.compile(r"\b(?:in|over|during)\s+the\s+(?:last|past)\s+(day|week|month)\b", re.I)),
    ("recent_days", re.compile(r"\b(?:in\s+)?recent\s+(days|weeks)\b", re.I)),
    ("since_month", re.compile(rf"\bsince\s+(?:early\s+|late\s+|mid-?)?{MONTH}(?:\s+(\d{{1,2}}))?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("since_weekday", re.compile(rf"\bsince\s+{WEEKDAY}\b", re.I)),
    ("ago", re.compile(rf"\b{NUM}\s+(day|week|month|year)s?\s+ago\b", re.I)),
    # "The attack comes two days after 26 civilians were killed", "Two days earlier, ...": an earlier
    # incident, told against the one reported (most often of the report's day).
    ("before_report", re.compile(rf"\b(?:(comes?|came|follows?|followed)\s+(?:just\s+|only\s+)?)?{NUM}\s+(day|week)s?\s+(after|earlier)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:on\s+|late\s+|early\s+|last\s+)?{WEEKDAY}(?:\s+(?:night|morning|evening|afternoon))?\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|last night|overnight|today|tonight|this morning)\b", re.I)),
    ("month_day", re.compile(rf"\b(?:on\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("day_month", re.compile(rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("last_week", re.compile(r"\blast\s+(week|month|year)\b", re.I)),
    # "which overran the town last May": that month, a year or less before the report
    ("last_month_name", re.compile(rf"\blast\s+{MONTH}(?!\s+\d)", re.I)),
    ("earlier_month", re.compile(r"\b(?:earlier|later)\s+this\s+(week|month)\b", re.I)),
]


@dataclass
class When:
    """A resolved date or range; `explicit` is False when it only defaults to the report's date."""

    start: date
    end: date
    precision: str
    text: str | None
    explicit: bool = True

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: "When", slack: int = 1) -> bool:
        return self.start - timedelta(days=slack) <= other.end and other.start - timedelta(days=slack) <= self.end

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision,
                "text": self.text}


def month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name[:3]))


def last_weekday(name: str, base: date) -> date:
    """The most recent such weekday on or before `base` ("on Thursday" in a Thursday story is today)."""
    back = (base.weekday() - WEEKDAYS.index(name.lower())) % 7
    return base - timedelta(days=back)


#: A plan's date ("would meet on March 5") may lie this many days after the report.
FUTURE_DAYS = 183


def dated_in_past(year: int | None, month: int, day: int, base: date, future: bool = False) -> date | None:
    """A calendar date without a year is the latest one not after the report (or soon after, for plans)."""
    try:
        if year:
            return date(year, month, day)
        d = date(base.year, month, day)
        limit = base + timedelta(days=FUTURE_DAYS if future else 1)
        return d if d <= limit else date(base.year - 1, month, day)
    except ValueError:
        return None


def resolve_match(kind: str, m: re.Match, base: date, future: bool = False) -> When | None:
    text = m.group(0).strip()
    g = m.groups()
    if kind == "range_last":
        n = parse_count(g[0]) or 1
        return When(base - timedelta(days=n * UNIT_DAYS[g[1].lower()]), base, "range", text)
    if kind == "range_past_unit":
        return When(base - timedelta(days=UNIT_DAYS[g[0].lower()]), base, "range", text)
    if kind == "recent_days":
        return When(base - timedelta(days=7 if g[0].lower() == "days" else 21), base, "range", text)
    if kind == "since_month":
        month = month_number(g[0])
        year = int(g[2]) if g[2] else (base.year if month <= base.month else base.year - 1)
        start = dated_in_past(year, month, int(g[1]) if g[1] else 1, base)
        return When(start, base, "range", text) if start else None
    if kind == "since_weekday":
        return When(last_weekday(g[0], base - timedelta(days=1)), base, "range", text)
    if kind == "ago":
        n = parse_count(g[0]) or (3 if g[0].lower() in ("a few", "several", "few") else 1)
        unit = g[1].lower()
        d = base - timedelta(days=n * UNIT_DAYS[unit])
        return When(d, d, {"day": "day", "week": "week"}.get(unit, "month"), text)
    if kind == "before_report":
        if g[3].lower() == "after" and not g[0]:
            return None  # "three days after the vote, fighting resumed": the vote's day is not given
        d = base - timedelta(days=(parse_count(g[1]) or 1) * UNIT_DAYS[g[2].lower()])
        return When(d, d, "day", text)
    if kind == "weekday":
        d = last_weekday(g[0], base)
        return When(d, d, "day", text)
    if kind == "yesterday":
        word = g[0].lower()
        d = base if word in ("today", "tonight", "this morning") else base - timedelta(days=1)
        return When(d, d, "day", text)
    if kind == "month_day":
        d = dated_in_past(int(g[2]) if g[2] else None, month_number(g[0]), int(g[1]), base, future)
        return When(d, d, "day", text) if d else None
    if kind == "day_month":
        d = dated_in_past(int(g[2]) if g[2] else None, month_number(g[1]), int(g[0]), base, future)
        return When(d, d, "day", text) if d else None
    if kind == "last_week":
        unit = g[0].lower()
        if unit == "week":
            start = base - timedelta(days=base.weekday() + 7)
            return When(start, start + timedelta(days=6), "week", text)
        if unit == "year":
            return When(date(base.year - 1, 1, 1), date(base.year - 1, 12, 31), "year", text)
        first = base.replace(day=1) - timedelta(days=1)
        return When(first.replace(day=1), first, "month", text)
    if kind == "last_month_name":
        month = month_number(g[0])
        year = base.year if month < base.month else base.year - 1
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
        return When(first, last, "month", text)
    if kind == "earlier_month":
        if g[0].lower() == "week":
            return When(base - timedelta(days=base.weekday()), base, "week", text)
        return When(base.replace(day=1), base, "month", text)
    return None


def find_when(text: str, base: date, future: bool = False) -> list[tuple[int, int, When]]:
    """Every date expression in `text` with its character span, earliest first, no overlaps."""
    found: list[tuple[int, int, When]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            when = resolve_match(kind, m, base, future)
            if when is not None:
                found.append((m.start(), m.end(), when))
    return sorted(found, key=lambda t: t[0])


def report_date(base: date) -> When:
    """The date an event gets when its sentence names none: the day of the report."""
    return When(base, base, "day", None, explicit=False)
