"""Throughput at a realistic size: a WARC of 5,000 news pages through `flashpoint extract`. Not a test.

    python benchmarks/scale.py [--records 5000] [--warc FILE] [--skip-ray] [--keep] [--shared ../shared]

1. The WARC (built once from pages under ../shared, then reused from the cache; or yours with
   --warc). WARC/1.0 `response` records, one gzip member each, as CC-NEWS stores them, in a
   fixed order from a fixed seed (the same bytes every time):
   - nine in ten are general news, mostly not about conflict: the English pages of
     eval/data/scrapinghub_aeb and eval/data/trafilatura_eval as they were crawled (60% of these
     records), and the news texts of eval/data/geo (GeoWebNews, LGL, TR-News, GeoVirus) put in
     a minimal HTML page (40%);
   - one in ten is about conflict: the seed report, the defence-domain documents of
     eval/data/re3d and the PLOVER gold sentences of a violent or protest kind (one wire brief
     each), in the same minimal page.
   Pages are repeated to reach the count, each repeat under another URL
   (https://site-N.example/PATH?copy=K) and, for the minimal pages, another date. So that
   the run measures extraction and not the skipping of syndicated copies, every record
   carries a brief of local news generated here (a few paragraphs from templates with varied
   names, places and numbers, none about conflict), placed after the story's first paragraph:
   long enough that a repeat shares less than half of its opening with any earlier record
   (flashpoint/ingest/dedup.py). The copies the run still finds are printed.
2. `flashpoint extract WARC -f jsonl` with --workers 1, --workers 2 and --ray local (when
   `flashpoint extract --help` offers it; else the script says why it is left out), each a
   process of its own started for real. The summary line on stderr gives the articles read
   (so the runs are not --quiet). For each: wall time, articles per second, CPU time of
   the run (its processes: from wait4, or from /proc for a cluster's workers, which the run
   does not wait for), events written, and memory: /proc is polled every
   0.2 s for the run's process tree (the process and its descendants), the largest RSS of
   each process kept; printed are the main process's peak, the largest peak of any one
   process and the peak of the whole tree (RSS counts pages shared after a fork in every
   process; PSS shares them out, so the tree's PSS is what the run costs the machine).
   A one-record WARC is run first: it measures the start-up (models, gazetteer), which is
   part of every run below, and keeps the gazetteer's one-off build out of the timed runs.
3. A projection, not a measurement: a CC-NEWS English day (about 69,000 articles) on 1, 4
   and 16 machines of two cores, from the rate of --workers 1 and Ray's overhead over
   --workers 2 as measured.

Without ../shared (or --shared DIR) nothing can be built: the script says so and stops, unless
--warc gives it a WARC. The machine is often shared: the load average before each run is
printed, and the CPU seconds are less disturbed by other work than the wall time.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Changes whenever the way the WARC is built changes, so that a cached WARC is not reused.
BUILD_VERSION = 2
#: Share of the records about conflict, about what general news carries.
CONFLICT_SHARE = 0.10
#: Share of the general-news records that are real crawled pages (the rest: texts in a minimal page).
REAL_PAGE_SHARE = 0.60
#: Words of local news given to a record at most (enough for a repeat of a long story,
#: whose opening 400 words are what the syndication check compares).
LEAD_WORDS_MAX = 240
#: Local-news words per word of a short story (a repeat then shares at most 40% of its opening).
LEAD_WORDS_PER_STORY_WORD = 1.5
LEAD_WORDS_MIN = 40
#: PLOVER kinds whose gold sentences report violence, coercion or protest.
PLOVER_CONFLICT = {"ASSAULT", "FIGHT", "COERCE", "PROTEST", "MOBILIZE"}
#: A CC-NEWS English day, for the projection.
CC_NEWS_DAY = 69_000
POLL_S = 0.2


# --- the pages ---------------------------------------------------------------------------------

@dataclass
class Page:
    source: str
    conflict: bool
    url: str
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)  # a text to put in a minimal page
    html: str | None = None  # a real page, as crawled
    published: datetime | None = None
    insert_at: int = 0  # where local news goes in a real page

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019]))\s+(?=[A-Z\"\u201c])")


def paragraph_text(page_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", m.group(1))) for m in _PARAGRAPH.finditer(page_html))


def in_paragraphs(text: str, longest: int = 120) -> list[str]:
    """Lines as paragraphs; a line longer than `longest` words cut into paragraphs of three sentences."""
    out = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if len(line.split()) <= longest:
            out.append(line)
            continue
        sentences = _SENTENCE_END.split(line)
        out.extend(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
    return out


def title_from(text: str, most: int = 80) -> str:
    words, title = text.split(), ""
    for word in words:
        if len(title) + len(word) + 1 > most:
            return title.rstrip(",;:") + "..."
        title = f"{title} {word}".strip()
    return title


def real_pages(shared: Path) -> tuple[list[Page], Counter]:
    """The English pages of scrapinghub_aeb and trafilatura_eval, decoded, with their URLs."""
    from flashpoint.ingest.decode import decode_bytes
    from flashpoint.ingest.language import detect_language

    data = shared / "eval" / "data"
    listed: list[tuple[str, Path, str]] = []
    truth = data / "scrapinghub_aeb" / "ground-truth.json"
    if truth.is_file():
        for key, item in sorted(json.loads(truth.read_text()).items()):
            listed.append(("scrapinghub_aeb", data / "scrapinghub_aeb" / "html" / f"{key}.html.gz", item.get("url", "")))
    evaldata = data / "trafilatura_eval" / "evaldata.json"
    if evaldata.is_file():
        for url, item in sorted(json.loads(evaldata.read_text()).items()):
            listed.append(("trafilatura_eval", data / "trafilatura_eval" / "html" / f"{item['file']}.gz", url))
    pages, left_out = [], Counter()
    for source, path, url in listed:
        if not path.is_file():
            left_out[f"{source}: file missing"] += 1
            continue
        text = decode_bytes(gzip.decompress(path.read_bytes()))
        sample = " ".join(paragraph_text(text).split())
        if len(sample.split()) < 60:
            left_out[f"{source}: under 60 words in <p>"] += 1
        elif detect_language(sample[:2000]) != "en":
            left_out[f"{source}: not English"] += 1
        else:
            pages.append(Page(source, False, url, html=text, insert_at=insertion_point(text, url)))
    return pages, left_out


def geo_texts(shared: Path) -> list[Page]:
    """General news texts: GeoWebNews, and the LGL, TR-News and GeoVirus corpora."""
    pages = []
    base = shared / "eval" / "data" / "geo" / "pragmatic_guide" / "data"
    gwn = base / "GeoWebNews"
    for path in sorted(gwn.glob("*.txt"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        first, _, rest = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        match = re.match(r"TITLE:\s*(.*?)\s*LINK:\s*(\S+)", first)
        title, url = (match.group(1), match.group(2)) if match else (title_from(rest), "")
        paragraphs = in_paragraphs(rest)
        if paragraphs:
            pages.append(Page("GeoWebNews", False, url, title, paragraphs))
    for name, label in (("lgl.xml", "LGL"), ("TR-News.xml", "TR-News"), ("GeoVirus.xml", "GeoVirus")):
        path = base / "Corpora" / name
        if not path.is_file():
            continue
        for article in ET.parse(path).getroot().iter("article"):
            text = article.findtext("text") or ""
            paragraphs = in_paragraphs(text)
            if len(" ".join(paragraphs).split()) < 30:
                continue
            url = (article.findtext("url") or article.findtext("source") or "").strip()
            title = (article.findtext("title") or "").strip() or title_from(paragraphs[0])
            published = None
            stamp = re.match(r"(\d{4}-\d{2}-\d{2})", article.findtext("dltime") or "")
            if stamp:
                published = datetime.fromisoformat(stamp.group(1)).replace(hour=7, tzinfo=timezone.utc)
            pages.append(Page(label, False, url, title, paragraphs, published=published))
    return pages


def conflict_texts(shared: Path) -> list[Page]:
    """Reports about conflict: the seed, re3d's documents, PLOVER's violent and protest sentences."""
    pages = []
    for gold in sorted((shared / "seed").glob("*.json")):
        text_path = gold.with_suffix(".txt")
        if not text_path.is_file():
            continue
        facts = json.loads(gold.read_text())
        lines = text_path.read_text(encoding="utf-8", errors="replace").split("\n")
        if not facts.get("body_lines"):
            continue
        title = lines[facts["headline_line"] - 1].strip() if facts.get("headline_line") else ""
        paragraphs = [lines[n - 1].strip() for n in facts["body_lines"] if lines[n - 1].strip()]
        published = None
        if facts.get("published"):
            clock = facts.get("published_time") or "08:00"
            published = datetime.fromisoformat(f"{facts['published']}T{clock}").replace(tzinfo=timezone.utc)
        pages.append(Page("seed", True, f"https://seed.example/{gold.stem}", title or title_from(paragraphs[0]),
                          paragraphs, published=published))
    for path in sorted((shared / "eval" / "data" / "re3d").glob("*/documents.json")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            paragraphs = in_paragraphs(doc.get("text", ""))
            if paragraphs:
                pages.append(Page("re3d", True, doc.get("sourceUrl", ""), doc.get("title") or title_from(paragraphs[0]),
                                  paragraphs))
    plover = shared / "eval" / "data" / "plover" / "PLOVER_GSR_CAMEO.json"
    if plover.is_file():
        for item in json.loads(plover.read_text()):
            if item.get("event") in PLOVER_CONFLICT and item.get("text"):
                text = " ".join(item["text"].split())
                pages.append(Page("PLOVER", True, f"https://wire.example/{item['id'].lower()}", title_from(text, 70), [text]))
    return pages


# --- local news, generated: what makes each repeat a page of its own ----------------------------

FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Henry", "Irene", "Jack", "Karen", "Luis",
         "Maria", "Nathan", "Olivia", "Paul", "Rosa", "Samuel", "Tina", "Victor", "Wendy", "Aaron", "Beth",
         "Colin", "Diane", "Eric", "Fiona", "Gary", "Helen", "Ivan", "Julia", "Kevin", "Laura", "Martin")
LAST = ("Abbott", "Barnes", "Carver", "Dalton", "Ellison", "Fischer", "Garner", "Holloway", "Ingram", "Jensen",
        "Keller", "Lindqvist", "Morales", "Novak", "Ortega", "Pruitt", "Quinlan", "Reyes", "Sandoval", "Tanaka",
        "Underwood", "Vance", "Whitaker", "Yoder", "Zimmer", "Becker", "Castillo", "Donnelly", "Eriksen", "Foley")
TOWN_START = ("Ash", "Birch", "Cedar", "Clear", "Elm", "Fair", "Glen", "Hazel", "Holly", "Lake", "Maple", "Mill",
              "Oak", "Pine", "Rock", "Spring", "Stone", "Willow", "Wood", "Alder", "Beech", "Cole", "Dun", "Fern")
TOWN_END = ("brook", "bury", "dale", "field", "ford", "haven", "ton", "ville", "wood", "view", "port", "ridge",
            "stead", "mouth", " Springs", " Hollow", " Crossing")
STREET_KIND = ("Street", "Road", "Avenue", "Lane", "Drive", "Boulevard")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CROPS = ("wheat", "soybean", "corn", "potato", "barley", "apple", "sugar beet", "hay")
RIVERS = ("Otter", "Clearwater", "Salt", "Beaver", "Mill", "Crooked", "Little Elk", "Sandy")
SHOWS = ("comedy", "musical", "family drama", "mystery", "one-act revue")

#: Local-news paragraphs (written for this benchmark), each with many slots so that few word
#: 5-grams repeat from one record to the next.
LOCAL_NEWS = (
    "The {town} town council takes up the {year} budget on {weekday} at {time} in the community hall on "
    "{street}. Treasurer {person} said the draft sets aside {money} for resurfacing and {n} new streetlights, "
    "and residents can read the proposal at the library until then.",
    "{person}, who has kept the bakery on {street} for {n} years, hands the business to a nephew, {person2}, "
    "at the end of {month}. Regular customers have until then to order the rye loaf that made the shop known "
    "across {town2} and beyond, {last} said.",
    "The {town} Public Library stays open until {late} on {weekday}s from {month} {day}. Director {person} said "
    "visits rose by {pct} percent last year, with the reading room for children and the {n} public computers "
    "busy from early afternoon.",
    "Work on {street} between {street2} and the {town} rail crossing narrows the road to one lane from {month} "
    "{day} for about {n} weeks. The county engineering office asks drivers to allow an extra {m} minutes or to "
    "use {street3} instead.",
    "Students at {town} High School collected {money} for the regional food bank in a {n}-day book and bake sale, "
    "principal {person} said. The money buys about {m} boxes of groceries, and volunteers are still needed to "
    "pack them on {weekday} morning.",
    "Forecasters expect a dry week around {town}, with highs near {temp} degrees and cool nights. Growers near "
    "{town2} said {n} days of sunshine let them finish the {crop} harvest ahead of schedule.",
    "The {town} Rotary Club named {person} its volunteer of the year on {weekday}. {last} has coached youth "
    "soccer for {n} seasons and organises the spring cleanup along the {river} River, which last year filled "
    "{m} dumpsters with litter.",
    "In high school basketball, {town} finished {a}-{b} ahead of {town2} on {weekday} night, with {person} "
    "scoring {n} points in the second half. Coach {person2} said the team now travels to {town3} for the "
    "county final on {month} {day}.",
    "The {town} farmers market returns to the courthouse square on {weekday}s from {time} until noon. Manager "
    "{person} said {n} vendors have signed up, {m} of them new this year, selling vegetables, honey, cut flowers "
    "and bread.",
    "A pediatric practice opens on {street} in {town} next month with {n} doctors and {m} nurses. Spokeswoman "
    "{person} said appointments can be made by phone from {month} {day}, and most insurance plans are accepted.",
    "The water district flushes hydrants in the north end of {town} from {weekday} through {weekday2}. Tap water "
    "may look cloudy for a short time; running a cold tap for {n} minutes clears it, said operations manager "
    "{person}.",
    "The {town} Historical Society is gathering photographs of the old {last} mill for an exhibit opening in "
    "{month}. Curator {person} said {n} pictures have been scanned so far, some from {old_year}, and every "
    "original goes back to its owner.",
    "Seats are on sale for the {town} Community Theater's {show} by local writer {person}. It runs for {n} "
    "nights at the {last} Auditorium, with seats at ${price} for adults and ${price2} for students.",
    "The county fair welcomed {big} visitors over {n} days, up from {big2} a year ago. Fair board chair "
    "{person} credited the new livestock barn and the {weekday} evening concerts, and said planning for next "
    "summer starts in {month}.",
    "{person} of {town} turned {age} on {weekday} and celebrated with {n} grandchildren at the {last} Grange "
    "hall. A retired teacher, {first} still walks {m} miles most mornings and reads two newspapers a day.",
    "The {town} school board hired {person} as superintendent from {month} {day}. {last} led schools in {town2} "
    "for {n} years, where graduation rates rose to {pct} percent, and starts on a salary of {money}.",
)


def town(rng: random.Random) -> str:
    return rng.choice(TOWN_START) + rng.choice(TOWN_END)


def local_paragraph(rng: random.Random, template: str) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    slots = dict(
        town=town(rng), town2=town(rng), town3=town(rng), first=first, last=last, person=f"{first} {last}",
        person2=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        street=f"{rng.choice(LAST)} {rng.choice(STREET_KIND)}", street2=f"{rng.choice(LAST)} {rng.choice(STREET_KIND)}",
        street3=f"{rng.choice(TOWN_START)} {rng.choice(STREET_KIND)}", weekday=rng.choice(WEEKDAYS),
        weekday2=rng.choice(WEEKDAYS), month=rng.choice(MONTHS), day=rng.randint(1, 28),
        year=rng.randint(2024, 2027), old_year=rng.randint(1885, 1950), time=f"{rng.randint(5, 8)}:{rng.choice(('00', '30'))} a.m."
        if rng.random() < 0.3 else f"{rng.randint(5, 7)}:{rng.choice(('00', '30'))} p.m.",
        late=f"{rng.randint(7, 9)} p.m.", money=f"${rng.randint(12, 940)},{rng.randint(0, 999):03d}",
        n=rng.randint(3, 40), m=rng.randint(2, 90), pct=rng.randint(4, 31), temp=rng.randint(58, 88),
        crop=rng.choice(CROPS), river=rng.choice(RIVERS), show=rng.choice(SHOWS), a=rng.randint(51, 88),
        b=rng.randint(40, 50), price=rng.randint(12, 30), price2=rng.randint(5, 11), age=rng.randint(100, 104),
        big=f"{rng.randint(21, 95)},{rng.randint(0, 999):03d}", big2=f"{rng.randint(18, 90)},{rng.randint(0, 999):03d}",
    )
    return template.format(**slots)


def local_news(rng: random.Random, words: int) -> list[str]:
    """Paragraphs of local news, each from another template, until `words` words."""
    templates = list(LOCAL_NEWS)
    rng.shuffle(templates)
    out: list[str] = []
    for template in templates:
        if sum(len(p.split()) for p in out) >= words:
            break
        out.append(local_paragraph(rng, template))
    return out


# --- the WARC ------------------------------------------------------------------------------------

def minimal_page(title: str, published: datetime, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{html.escape(title)}</title>"
            f"<meta property=\"article:published_time\" content=\"{published.isoformat()}\"></head>"
            f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>")


def insertion_point(page_html: str, url: str) -> int:
    """Where local paragraphs go in a crawled page so that they come out early in the article's
    body as flashpoint reads it: a few places near its first paragraphs are tried on the page
    with a probe paragraph; else after the first paragraph of some length."""
    from flashpoint.ingest.html import extract_html

    body = re.search(r"<body\b[^>]*>", page_html, re.IGNORECASE)
    start = body.end() if body else 0
    article = [" ".join(p.split()) for p in extract_html(page_html, url).body.split("\n\n")]
    openings = [p[:40] for p in article[:6] if len(p) >= 40]
    probe = local_news(random.Random(0), 60)
    block = "".join(f"<p>{html.escape(p)}</p>" for p in probe)

    def early(at: int) -> bool:
        got = extract_html(page_html[:at] + block + page_html[at:], url).body
        where = got.find(probe[0][:40])
        return where != -1 and len(got[:where].split()) <= LEAD_WORDS_MAX // 2

    candidates: list[int] = []
    for match in _PARAGRAPH.finditer(page_html, start):
        text = " ".join(html.unescape(_TAG.sub(" ", match.group(1))).split())
        if any(opening in text for opening in openings):
            candidates += [match.end(), match.start()]
            if len(candidates) >= 4:
                break
    for opening in openings[:2]:  # an article not in <p> elements: before the tag its text is in
        where = page_html.find(html.escape(opening[:25], quote=False), start)
        if where != -1:
            candidates.append(page_html.rfind("<", start, where))
    fallback = next((m.end() for m in _PARAGRAPH.finditer(page_html, start)
                     if len(" ".join(_TAG.sub(" ", m.group(1)).split())) >= 60), start)
    for at in dict.fromkeys(c for c in candidates if c >= start):
        if early(at):
            return at
    return fallback


def warc_record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + f"Content-Length: {len(block)}\r\n\r\n"
    return gzip.compress(head.encode() + block + b"\r\n\r\n", compresslevel=6, mtime=0)


def response_record(rng: random.Random, url: str, crawled: datetime, page: str) -> bytes:
    body = page.encode("utf-8")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return warc_record([("WARC-Type", "response"), ("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"),
                        ("WARC-Date", crawled.strftime("%Y-%m-%dT%H:%M:%SZ")), ("WARC-Target-URI", url),
                        ("Content-Type", "application/http; msgtype=response")], http)


def copy_url(original: str, site: int, copy: int, fallback: str) -> str:
    path = urlsplit(original).path if "://" in original else ""
    if len(path) <= 1:
        path = "/" + re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-")[:60]
    return f"https://site-{site}.example{path}?copy={copy}"


def build_warc(shared: Path, records: int, seed: int, out: Path) -> dict:
    """Write the benchmark WARC to `out`; returns what it holds (sources, counts, shares)."""
    rng = random.Random(seed)
    crawled, left_out = real_pages(shared)
    texts, conflict = geo_texts(shared), conflict_texts(shared)
    if not crawled or not texts or not conflict:
        raise SystemExit(f"{shared} lacks pages this benchmark needs (crawled {len(crawled)}, general texts "
                         f"{len(texts)}, conflict texts {len(conflict)}): see {shared}/eval/README.md")
    n_conflict = round(records * CONFLICT_SHARE)
    n_crawled = round((records - n_conflict) * REAL_PAGE_SHARE)
    n_texts = records - n_conflict - n_crawled
    plan: list[tuple[int, Page, int]] = []  # (site number of the page, page, copy)
    site = 0
    for pool, count in ((crawled, n_crawled), (texts, n_texts), (conflict, n_conflict)):
        order = list(pool)
        rng.shuffle(order)
        sites = {id(page): site + i for i, page in enumerate(order)}
        site += len(order)
        plan.extend((sites[id(order[j % len(order)])], order[j % len(order)], j // len(order)) for j in range(count))
    rng.shuffle(plan)  # a crawl's order: conflict spread through, repeats apart
    first_day = datetime(2024, 5, 1, 6, tzinfo=timezone.utc)
    base_dates: dict[int, datetime] = {}
    used: dict[str, set[int]] = defaultdict(set)
    records_by_source: Counter = Counter()
    lead_words = 0
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "wb") as handle:
        handle.write(warc_record([("WARC-Type", "warcinfo"), ("WARC-Date", "2024-05-01T00:00:00Z"),
                                  ("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>"),
                                  ("Content-Type", "application/warc-fields")],
                                 b"software: flashpoint benchmarks/scale.py\r\nformat: WARC File Format 1.0\r\n"))
        for site_no, page, copy in plan:
            if page.html is not None:
                lead = local_news(rng, LEAD_WORDS_MAX)
                block = "".join(f"<p>{html.escape(p)}</p>" for p in lead)
                text = page.html[:page.insert_at] + block + page.html[page.insert_at:]
                crawled_at = first_day + timedelta(days=rng.randrange(60), minutes=rng.randrange(24 * 60))
            else:
                want = min(LEAD_WORDS_MAX, max(LEAD_WORDS_MIN, math.ceil(page.words * LEAD_WORDS_PER_STORY_WORD)))
                lead = local_news(rng, want)
                if site_no not in base_dates:
                    base_dates[site_no] = page.published or first_day + timedelta(days=rng.randrange(60),
                                                                                  minutes=rng.randrange(14 * 60))
                published = base_dates[site_no] + timedelta(days=copy, minutes=17 * copy)
                text = minimal_page(page.title, published, page.paragraphs[:1] + lead + page.paragraphs[1:])
                crawled_at = published + timedelta(minutes=rng.randrange(30, 600))
            lead_words += sum(len(p.split()) for p in lead)
            url = copy_url(page.url, site_no, copy, page.title or str(site_no))
            handle.write(response_record(rng, url, crawled_at, text))
            used[page.source].add(site_no)
            records_by_source[page.source] += 1
    tmp.replace(out)
    return {"records": records, "seed": seed, "build_version": BUILD_VERSION, "conflict_records": n_conflict,
            "crawled_records": n_crawled, "text_records": n_texts,
            "sources": {s: {"pages": len(used[s]), "records": records_by_source[s]} for s in sorted(used)},
            "left_out": dict(left_out), "local_news_words_per_record": round(lead_words / max(records, 1)),
            "bytes": out.stat().st_size}


def count_records(path: Path) -> int:
    """HTML response records flashpoint's WARC reader finds (no page is parsed here)."""
    from flashpoint.ingest.warc import iter_warc
    from flashpoint.model import Failure

    count = 0
    for item in iter_warc(str(path)):
        if isinstance(item, Failure):
            print(f"   WARC reader: {item.doc}: {item.reason}")
        else:
            count += 1
    return count


def startup_warc(out: Path) -> None:
    """A one-record WARC about a clash (written here), so that every model is loaded in the start-up run."""
    story = ["Soldiers and rebel fighters clashed on Tuesday outside the northern town of Kidal, and four "
             "soldiers were killed, a regional official said.",
             "The fighting lasted several hours before the rebels withdrew, residents told reporters by phone."]
    page = minimal_page("Clash outside Kidal", datetime(2024, 5, 2, 8, tzinfo=timezone.utc), story)
    out.write_bytes(response_record(random.Random(0), "https://site-0.example/clash?copy=0",
                                    datetime(2024, 5, 2, 9, tzinfo=timezone.utc), page))


# --- running and watching ------------------------------------------------------------------------

def flashpoint_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("flashpoint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "flashpoint.cli"]


def start_time(pid: int) -> bytes | None:
    """The process's start time (field 22 of /proc/PID/stat): with the pid, names one process."""
    stat = read_proc(pid, "stat")
    fields = stat.rpartition(b")")[2].split() if stat else []
    return fields[19] if len(fields) > 19 else None


def process_title(pid: int, name: str) -> str:
    """What a process is: its program, or the script a Python runs (Ray names its workers after the
    actor or task in their command line), else its name."""
    words = [w.decode(errors="replace") for w in (read_proc(pid, "cmdline") or b"").split(b"\0") if w]
    if not words:
        return name
    title = words[0].split()[0].rsplit("/", 1)[-1]
    if title.startswith("python"):
        title = next((w.rsplit("/", 1)[-1] for w in words[1:] if not w.startswith("-") and " " not in w), title)
    return title[:40] or name


def read_proc(pid: int, name: str) -> bytes | None:
    try:
        with open(f"/proc/{pid}/{name}", "rb") as handle:
            return handle.read()
    except OSError:
        return None


class TreeWatch:
    """Peak memory of a process and its descendants, from /proc."""

    def __init__(self, root: int):
        self.root = root
        self.peak_kb: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.started: dict[int, bytes | None] = {}
        self.cpu_ticks: dict[int, int] = {}  # user + system, as last seen
        self.tree_rss_kb = self.tree_pss_kb = 0

    def pids(self) -> list[int]:
        children: dict[int, list[int]] = defaultdict(list)
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = read_proc(int(entry.name), "stat")
                if stat:
                    fields = stat.rpartition(b")")[2].split()
                    children[int(fields[1])].append(int(entry.name))
        out, i = [self.root], 0
        while i < len(out):
            out.extend(children.get(out[i], ()))
            i += 1
        return out

    def sample(self) -> None:
        rss_total = pss_total = 0
        for pid in self.pids():
            status = read_proc(pid, "status")
            if not status:
                continue
            values = dict(line.split(b":", 1) for line in status.splitlines() if b":" in line)
            rss = int(values.get(b"VmRSS", b"0 kB").split()[0])
            if pid not in self.started:
                self.started[pid] = start_time(pid)
            if rss > self.peak_kb.get(pid, -1):
                self.peak_kb[pid] = rss
                self.names[pid] = process_title(pid, values.get(b"Name", b"?").strip().decode())
            stat = read_proc(pid, "stat")
            fields = stat.rpartition(b")")[2].split() if stat else []
            if len(fields) > 12:
                self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])
            rss_total += rss
            rollup = read_proc(pid, "smaps_rollup") or b""
            match = re.search(rb"^Pss:\s+(\d+)", rollup, re.MULTILINE)
            pss_total += int(match.group(1)) if match else rss
        self.tree_rss_kb = max(self.tree_rss_kb, rss_total)
        self.tree_pss_kb = max(self.tree_pss_kb, pss_total)

    def cpu_seconds(self) -> float:
        """CPU time of the tree's processes as last seen (what a process did after the last poll is missed)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def leftovers(self) -> list[int]:
        """Processes of the run still alive (the same process: same start time) after it ended."""
        return [pid for pid, started in self.started.items()
                if pid != self.root and started is not None and start_time(pid) == started]


@dataclass
class Run:
    label: str
    command: list[str]
    wall: float = 0.0
    cpu: float = 0.0
    code: int = 0
    articles: int | None = None
    copies: int = 0
    failed: int | None = None
    events: int = 0
    stderr: str = ""
    watch: TreeWatch | None = None
    output: Path | None = None

    @property
    def rate(self) -> float:
        return (self.articles or 0) / self.wall if self.wall else 0.0


def run_watched(label: str, args: list[str], workdir: Path) -> Run:
    output, errors = workdir / f"{label}.jsonl", workdir / f"{label}.stderr"
    command = flashpoint_cmd() + args
    run = Run(label, command, output=output)
    env = dict(os.environ, COLUMNS="200")
    with open(output, "wb") as out, open(errors, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        run.watch = TreeWatch(proc.pid)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            run.watch.sample()
            time.sleep(POLL_S)
        run.wall = time.perf_counter() - start
    proc.returncode = run.code = os.waitstatus_to_exitcode(status)
    # wait4 counts the processes the run waited for; a cluster's workers are not among them.
    run.cpu = max(usage.ru_utime + usage.ru_stime, run.watch.cpu_seconds())
    run.stderr = errors.read_text(errors="replace")
    summary = re.search(r"read (\d+) articles?.*?; (\d+) failed", run.stderr)
    if summary:
        run.articles, run.failed = int(summary.group(1)), int(summary.group(2))
        copies = re.search(r"(\d+) syndicated cop", summary.group(0))
        run.copies = int(copies.group(1)) if copies else 0
    with open(output, "rb") as handle:
        run.events = sum(1 for _ in handle)
    deadline = time.monotonic() + 10  # a cluster's processes may take a moment to stop on their own
    while run.watch.leftovers() and time.monotonic() < deadline:
        time.sleep(0.5)
    for pid in run.watch.leftovers():
        print(f"   note: {run.watch.names.get(pid)} (pid {pid}) of this run was still running 10 s after it; stopped")
        try:
            os.kill(pid, 15)
        except OSError:
            pass
    return run


def same_events(a: Path, b: Path) -> str:
    left, right = a.read_bytes(), b.read_bytes()
    if left == right:
        return "identical, in the same order"
    lines_a, lines_b = sorted(left.splitlines()), sorted(right.splitlines())
    if lines_a == lines_b:
        return "the same events, in another order"
    only = sum((Counter(lines_a) - Counter(lines_b)).values()), sum((Counter(lines_b) - Counter(lines_a)).values())
    return f"DIFFERENT ({only[0]} lines only in the first, {only[1]} only in the second)"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def print_runs(runs: list[Run]) -> None:
    print(f"   {'run':13} {'wall s':>7} {'CPU s':>7} {'articles':>8} {'art/s':>6} {'art/CPU-s':>9} {'events':>7} "
          f"{'copies':>6} {'failed':>6} {'procs':>5} {'main peak':>9} {'max 1 proc':>10} {'tree RSS':>9} {'tree PSS':>9}")
    for r in runs:
        w = r.watch
        largest = max(w.peak_kb.values(), default=0)
        cpu_rate = (r.articles or 0) / r.cpu if r.cpu else 0.0
        print(f"   {r.label:13} {r.wall:7.1f} {r.cpu:7.1f} {r.articles if r.articles is not None else '?':>8} "
              f"{r.rate:6.1f} {cpu_rate:9.1f} {r.events:7d} {r.copies:6d} "
              f"{r.failed if r.failed is not None else '?':>6} {len(w.peak_kb):5d} {mb(w.peak_kb.get(w.root, 0)):>9} "
              f"{mb(largest):>10} {mb(w.tree_rss_kb):>9} {mb(w.tree_pss_kb):>9}")
    for r in runs:
        w = r.watch
        peaks = sorted(((kb, pid) for pid, kb in w.peak_kb.items() if pid != w.root), reverse=True)
        shown = ", ".join(f"{w.names.get(pid, '?')} {mb(kb)}" for kb, pid in peaks[:8])
        more = f", and {len(peaks) - 8} more" if len(peaks) > 8 else ""
        print(f"   {r.label}: peak RSS per process: main {mb(w.peak_kb.get(w.root, 0))}"
              + (f"; the others: {shown}{more}" if peaks else ""))


def hms(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def ray_available() -> tuple[bool, str]:
    help_text = subprocess.run(flashpoint_cmd() + ["extract", "--help"], capture_output=True, text=True,
                               env=dict(os.environ, COLUMNS="200")).stdout
    if "--ray" not in help_text:
        return False, "`flashpoint extract --help` offers no --ray option (yet)"
    return True, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder (default ../shared)")
    parser.add_argument("--records", type=int, default=5000, help="HTML response records in the built WARC (default 5000)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the build (default 13)")
    parser.add_argument("--warc", help="measure this WARC(.gz) instead of building one")
    parser.add_argument("--out", help="where to write the built WARC (default: a cache in the temp folder, reused "
                                      "by later runs with the same --records and --seed)")
    parser.add_argument("--rebuild", action="store_true", help="build the WARC even when it is cached")
    parser.add_argument("--skip-ray", action="store_true", help="leave out the --ray local run")
    parser.add_argument("--keep", action="store_true", help="keep each run's events (jsonl) and stderr, and say where")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {datetime.now():%Y-%m-%d %H:%M}; "
          f"load average {load_average()}")
    shared = Path(args.shared)
    if args.warc:
        warc = Path(args.warc)
        if not warc.is_file():
            raise SystemExit(f"no such WARC: {warc}")
        print(f"\n1. The WARC: {warc} (given; {warc.stat().st_size / 1e6:,.1f} MB)")
    else:
        if not shared.is_dir():
            print(f"no ../shared data at {shared}: this benchmark builds its WARC from the pages there "
                  f"(give --shared DIR, or --warc FILE to measure a WARC you have)")
            return 2
        cache = Path(tempfile.gettempdir()) / "flashpoint-scale"
        warc = Path(args.out) if args.out else cache / f"scale-{args.records}-seed{args.seed}-v{BUILD_VERSION}.warc.gz"
        about_path = warc.with_name(warc.name + ".json")
        about = json.loads(about_path.read_text()) if about_path.is_file() and warc.is_file() else None
        if about is None or args.rebuild or about.get("records") != args.records or about.get("seed") != args.seed \
                or about.get("build_version") != BUILD_VERSION:
            warc.parent.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            about = build_warc(shared, args.records, args.seed, warc)
            about_path.write_text(json.dumps(about, indent=1))
            how = f"built in {time.perf_counter() - t0:.0f} s"
        else:
            how = "cached from an earlier run"
        print(f"\n1. The WARC: {warc} ({how}; {about['bytes'] / 1e6:,.1f} MB, seed {about['seed']})")
        print(f"   {about['records']} HTML response records: {about['crawled_records']} crawled pages, "
              f"{about['text_records']} general news texts in a minimal page, {about['conflict_records']} about "
              f"conflict ({about['conflict_records'] / about['records']:.0%})")
        for source, n in about["sources"].items():
            print(f"   {source:18} {n['pages']:4d} distinct pages -> {n['records']:5d} records")
        for reason, n in sorted(about["left_out"].items()):
            print(f"   left out: {reason}: {n}")
        print(f"   every record carries generated local news, {about['local_news_words_per_record']} words on average "
              f"(so that repeats are not syndicated copies of each other)")
    t0 = time.perf_counter()
    found = count_records(warc)
    print(f"   flashpoint's WARC reader finds {found} HTML response records ({time.perf_counter() - t0:.1f} s)")

    workdir = Path(tempfile.mkdtemp(prefix="flashpoint-scale-"))
    try:
        print("\n2. flashpoint extract WARC -f jsonl, one process tree per run (summary read from stderr)")
        startup_warc(workdir / "one.warc.gz")
        startup = run_watched("start-up", ["extract", str(workdir / "one.warc.gz"), "-f", "jsonl", "--workers", "1"],
                              workdir)
        print(f"   start-up: {startup.wall:.1f} s wall for a one-record WARC (models, gazetteer, typing model), "
              f"peak {mb(startup.watch.peak_kb.get(startup.watch.root, 0))}; it is inside every figure below")
        plans = [("workers 1", ["--workers", "1"]), ("workers 2", ["--workers", "2"])]
        ray_note = "left out (--skip-ray)"
        if not args.skip_ray:
            ok, ray_note = ray_available()
            if ok:
                plans.append(("ray local", ["--ray", "local"]))
        runs: list[Run] = []
        for label, extra in plans:
            print(f"   running {label}: {' '.join(['flashpoint', 'extract', warc.name, '-f', 'jsonl'] + extra)} "
                  f"(load average {load_average()})", flush=True)
            run = run_watched(label.replace(" ", "-"), ["extract", str(warc), "-f", "jsonl"] + extra, workdir)
            run.label = label
            if run.code not in (0, 1) or run.articles is None:
                tail = " | ".join(run.stderr.strip().splitlines()[-3:])
                print(f"   {label} failed (exit {run.code}): {tail[-400:]}")
                if label == "ray local":
                    ray_note = f"the run failed (exit {run.code}): {tail[-300:]}"
                    continue
            runs.append(run)
        print()
        print_runs(runs)
        print("   (art/s: articles read / wall time; CPU s: user + system of the run's processes, from wait4 or, "
              "when more, from their /proc/PID/stat as last polled; peaks: RSS polled "
              "every 0.2 s: main process, the largest single process, the whole tree at once; PSS counts shared pages once)")
        by = {r.label: r for r in runs}
        w1, w2, ray = by.get("workers 1"), by.get("workers 2"), by.get("ray local")
        if ray is None:
            print(f"   Ray row not measured: {ray_note}")
        for r in runs:
            if r.articles is not None and r.articles != found:
                print(f"   note: {r.label} read {r.articles} articles of {found} records ({r.failed} pages failed)")
        if w1 and w2:
            print(f"\n   speed-up of --workers 2 over --workers 1: {w1.wall / w2.wall:.2f}x wall "
                  f"({w1.rate:.1f} -> {w2.rate:.1f} articles/s)")
            print(f"   events, --workers 1 vs --workers 2: {same_events(w1.output, w2.output)}")
        if w1 and ray:
            print(f"   events, --workers 1 vs --ray local: {same_events(w1.output, ray.output)}")
        if w1:
            print(f"   syndicated copies found (articles without events of their own): {w1.copies} of {w1.articles}")
        if w1 and w1.articles:
            project(w1, w2, ray, ray_note)
        if args.keep:
            print(f"\n   outputs kept in {workdir}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def project(w1: Run, w2: Run | None, ray: Run | None, ray_note: str) -> None:
    per_core = w1.rate
    overhead = ray.wall / w2.wall if ray and w2 else None
    measured_2 = w1.wall / w2.wall if w2 else None
    print(f"\n3. PROJECTION, not a measurement: a CC-NEWS English day, about {CC_NEWS_DAY:,} articles, on machines "
          f"of 2 cores like this one")
    print(f"   assumptions: {per_core:.1f} articles/s per core (--workers 1 above, start-up included), scaling "
          f"linearly with cores and machines; input already local (no download); ", end="")
    if overhead is not None:
        print(f"Ray's overhead as measured here (ray local took {overhead:.2f}x the time of --workers 2 on the same "
              f"2 cores), the same on every machine; it includes the cluster's start-up, a fixed cost, so it "
              f"overstates the overhead for inputs larger than this one")
    else:
        print(f"no Ray overhead (not measured: {ray_note})")
    factor = overhead or 1.0
    head = f"   {'machines':>8} {'cores':>5} {'projected time':>15}"
    if measured_2:
        head += f" {'with the measured 2-worker speed-up (' + format(measured_2, '.2f') + 'x, not 2x)':>50}"
    print(head)
    for machines in (1, 4, 16):
        cores = 2 * machines
        line = f"   {machines:8d} {cores:5d} {hms(CC_NEWS_DAY / (per_core * cores) * factor):>15}"
        if measured_2:
            line += f" {hms(CC_NEWS_DAY / (per_core * measured_2 * machines) * factor):>50}"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
