"""Speed of the store: ingest rate into SQLite and PostgreSQL, and API latency over a large store.

    python benchmarks/store_speed.py [--shared ../shared] [--pg postgresql://...] [--events 100000]

1. Ingest: `flashpoint ingest`'s pipeline (read, copy check, extract, store; one
   transaction per batch of 25) on each article set, into a fresh database: wall-clock
   articles per second, and the time spent in the store's write transactions (commits
   included), as a rate of its own and as a share of the whole.
2. API: `--events` events (100,000 by default) are generated straight into a fresh store,
   copying the fields of real extracted events with new places and dates in 20
   countries over six years; `flashpoint serve` is started for real on 127.0.0.1 and
   queried over HTTP, one request at a time, with a random country and a random window
   of 7 to 90 days. Prints p50/p95/p99 latency per endpoint (target for /api/events:
   p95 < 50 ms on SQLite).

PostgreSQL is used when `--pg` or FLASHPOINT_BENCH_PG (or FLASHPOINT_TEST_PG) gives a
server URL whose role may create databases: a scratch database `flashpoint_bench` is
created next to the one named, and dropped at the end. Without one, the PostgreSQL
figures are skipped and the script says so. Article sets come from ../shared when it is
there (it says so when not) and always from flashpoint/examples.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Countries (ISO code, a rough centre) the generated events are spread over.
COUNTRIES = {
    "SY": (35.0, 38.5), "UA": (48.5, 34.0), "SD": (14.0, 30.0), "ML": (16.0, -1.5), "SO": (4.0, 45.5),
    "NG": (10.5, 8.0), "CD": (-1.5, 28.5), "YE": (15.5, 46.0), "IQ": (33.5, 43.5), "AF": (34.0, 66.0),
    "MM": (20.0, 96.0), "ET": (9.0, 39.0), "BF": (12.5, -1.5), "LY": (29.0, 17.0), "MZ": (-13.0, 39.0),
    "CF": (6.5, 20.5), "SS": (7.5, 30.5), "CM": (6.0, 12.5), "PK": (32.0, 70.0), "IL": (31.5, 34.8),
}
FIRST_DAY, DAYS = date(2020, 1, 1), 6 * 365
ENDPOINTS = ["/api/events", "/api/incidents", "/api/geojson", "/api/timeline"]


def article_sets(shared: Path) -> list[tuple[str, list[str]]]:
    sets = [("flashpoint/examples (conflict stories, HTML, dumps, feed, JSONL)", [str(ROOT / "flashpoint" / "examples")])]
    dumps = shared / "eval" / "data" / "aeb_dumps"
    gwn = shared / "eval" / "data" / "geo" / "pragmatic_guide" / "data" / "GeoWebNews"
    if dumps.is_dir():
        sets.append(("aeb_dumps (181 real pages, mostly not conflict)", sorted(map(str, dumps.glob("*.txt")))))
    if gwn.is_dir():
        sets.append(("GeoWebNews (200 real news texts)", sorted(map(str, gwn.glob("*.txt")))))
    if len(sets) == 1:
        print(f"note: {shared} not found, so only flashpoint's own examples are ingested")
    return sets


# --- databases ---------------------------------------------------------------------------------

def pg_url(args) -> str | None:
    return args.pg or os.environ.get("FLASHPOINT_BENCH_PG") or os.environ.get("FLASHPOINT_TEST_PG")


@contextmanager
def scratch_pg(url: str):
    """A scratch database next to the one in `url`, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from flashpoint.store.db import engine_url

    admin_url = make_url(engine_url(url))
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = "flashpoint_bench"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@contextmanager
def scratch_db(kind: str, args, workdir: Path, label: str):
    if kind == "sqlite":
        path = workdir / f"{label}.db"
        for p in workdir.glob(f"{label}.db*"):
            p.unlink()
        yield str(path)
    else:
        with scratch_pg(pg_url(args)) as url:
            yield url


# --- 1. ingest ---------------------------------------------------------------------------------

def ingest_once(sources: list[str], db: str):
    """The pipeline of `flashpoint ingest`, timed; returns (report, counts, seconds, seconds in write transactions)."""
    from flashpoint.ingest.reader import ReadOptions, ReadReport
    from flashpoint.pipeline import ingest
    from flashpoint.store import Store

    store = Store(db)
    writing = [0.0]
    begin = store.begin

    @contextmanager
    def timed_begin():
        t0 = time.perf_counter()
        with begin() as conn:
            yield conn
        writing[0] += time.perf_counter() - t0  # the commit included

    store.begin = timed_begin
    report = ReadReport()
    start = time.perf_counter()
    counts = ingest(sources, store, ReadOptions(fetch_links=False), report)
    seconds = time.perf_counter() - start
    store.close()
    return report, counts, seconds, writing[0]


def warm_up() -> None:
    """Load what the first article would (lexicons, actor catalog, gazetteer caches) before timing."""
    from flashpoint.extract.events import extract_article
    from flashpoint.model import Article

    extract_article(Article(doc="warm-up", id="warm-up", published="2024-03-14T09:00",
                            body="Rebels captured the town of Kidal on Monday after clashes with the army, officials said."))


def bench_ingest(args, kinds: list[str], workdir: Path) -> None:
    from flashpoint.nlp import load_nlp
    from flashpoint.resolve.gazetteer import Gazetteer

    load_nlp()
    Gazetteer.open()
    warm_up()
    print("\n1. Ingest (read + copy check + extract + store, batches of 25; wall clock, one process)")
    print(f"   {'set':58} {'db':10} {'articles':>8} {'events':>7} {'art/s':>7} {'store art/s':>17} {'store share':>11}")
    for label, sources in article_sets(Path(args.shared)):
        for kind in kinds:
            with scratch_db(kind, args, workdir, "ingest") as db:
                report, counts, seconds, writing = ingest_once(sources, db)
                n = report.articles
                print(f"   {label[:58]:58} {kind:10} {n:8d} {counts.events:7d} {n / seconds:7.1f} "
                      f"{n / writing if writing else 0:17.0f} {writing / seconds:11.1%}")


# --- 2. API latency ----------------------------------------------------------------------------

def template_events() -> list[dict]:
    """Real events from the shipped examples, as `flashpoint extract` writes them."""
    from flashpoint.extract.events import extract_article
    from flashpoint.ingest.reader import ReadOptions, read

    out = []
    for art in read([str(ROOT / "flashpoint" / "examples")], ReadOptions(fetch_links=False)):
        out.extend(ev.to_dict() for ev in extract_article(art))
    return [e for e in out if e.get("event_type")]


def generated_rows(n: int, templates: list[dict], seed: int = 1):
    """Articles, incidents and events for `n` events: two events (two outlets) per incident."""
    from flashpoint.store.write import body_hash

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).isoformat()
    countries = list(COUNTRIES)
    articles, incidents, events = [], [], []
    for i in range(0, n, 2):
        cc = rng.choice(countries)
        lat0, lon0 = COUNTRIES[cc]
        lat, lon = round(lat0 + rng.uniform(-3, 3), 4), round(lon0 + rng.uniform(-3, 3), 4)
        day = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
        tpl = rng.choice(templates)
        inc_id = f"ib{i:014d}"
        place = f"Place {rng.randrange(5000)}"
        incidents.append(dict(id=inc_id, event_type=tpl["event_type"], sub_event_type=tpl["sub_event_type"], country=cc,
                              admin1=f"Province {rng.randrange(12)}", place=place, geonameid=None, lat=lat, lon=lon,
                              geo_precision="town", date_start=day, date_end=day, actor1=(tpl.get("actor1") or {}).get("name"),
                              actor2=(tpl.get("actor2") or {}).get("name"), fatalities_best=tpl.get("fatalities"),
                              fatalities_low=tpl.get("fatalities"), fatalities_high=tpl.get("fatalities"), contested=False,
                              n_events=2, n_articles=2, n_sources=2, sources=json.dumps(["Outlet A", "Outlet B"]),
                              summary=f"{tpl['sub_event_type']} in {place}"))
        for j in (i, i + 1):
            if j >= n:
                break
            art_id = f"ab{j:014d}"
            body = " ".join(e["sentence"] for e in tpl["evidence"]) + f" Report {j}."
            articles.append(dict(id=art_id, doc=f"generated/{j}.txt", url=f"https://news.example/{j}", title=f"Report {j}",
                                 published=f"{day}T08:00:00Z", pub_day=day, publisher="Outlet A" if j == i else "Outlet B",
                                 byline=None, agency=None, dateline=None, language="en", kind="dump", body=body,
                                 body_hash=body_hash(body), copy_of=None, ingested_at=now))
            record = dict(tpl, event_id=f"eb{j:014d}", article_id=art_id, doc=f"generated/{j}.txt",
                          location=dict(tpl["location"] or {}, name=place, country=cc, lat=lat, lon=lon, geonameid=None),
                          date=dict(tpl["date"] or {}, start=day, end=day))
            loc, when = record["location"], record["date"]
            events.append(dict(id=record["event_id"], article_id=art_id, incident_id=inc_id, seq=j + 1,
                               event_type=tpl["event_type"], sub_event_type=tpl["sub_event_type"],
                               plover_event=(tpl.get("plover") or {}).get("event"), plover_mode=(tpl.get("plover") or {}).get("mode"),
                               cameo=tpl.get("cameo"), actor1=(tpl.get("actor1") or {}).get("name"),
                               actor2=(tpl.get("actor2") or {}).get("name"), reported_by=tpl.get("reported_by"),
                               reporter_party=None, contested=bool(tpl.get("contested")), fatalities=tpl.get("fatalities"),
                               injured=tpl.get("injured"), country=cc, admin1=loc.get("admin1"), place=place, geonameid=None,
                               lat=lat, lon=lon, geo_precision=loc.get("precision"), date_start=day, date_end=day,
                               date_precision=when.get("precision"), confidence=tpl.get("confidence"),
                               record=json.dumps(record, ensure_ascii=False)))
    return articles, incidents, events


def fill_store(db: str, n: int, templates: list[dict]) -> float:
    """Bulk-insert `n` generated events (and their articles and incidents); returns seconds."""
    from sqlalchemy import insert, text

    from flashpoint.store import Store
    from flashpoint.store.schema import article, event, incident

    store = Store(db)
    start = time.perf_counter()
    articles, incidents, events = generated_rows(n, templates)
    chunk = 5000
    with store.begin() as conn:
        for table, rows in ((article, articles), (incident, incidents), (event, events)):
            for i in range(0, len(rows), chunk):
                conn.execute(insert(table), rows[i:i + chunk])
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO article_fts (article_id, title, body) SELECT id, title, body FROM article"))
    store.close()
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db: str):
    """`flashpoint serve` in its own process, as a user starts it."""
    import httpx

    port = free_port()
    exe = Path(sys.executable).with_name("flashpoint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from flashpoint.cli import main; main()"]
    proc = subprocess.Popen(cmd + ["serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"flashpoint serve did not start: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def measure(base: str, path: str, requests: int, rng: random.Random) -> tuple[list[float], float]:
    """Latency (ms) of `requests` GETs with a random country and 7-90 day window; mean items returned."""
    import httpx

    latencies, items = [], []
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(requests + 10):
            start_day = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 90))
            params = {"country": rng.choice(list(COUNTRIES)), "since": start_day.isoformat(),
                      "until": (start_day + timedelta(days=rng.randint(7, 90))).isoformat()}
            t0 = time.perf_counter()
            response = client.get(path, params=params)
            elapsed = (time.perf_counter() - t0) * 1000
            response.raise_for_status()
            if i >= 10:  # the first requests warm the server's caches
                latencies.append(elapsed)
                body = response.json()
                items.append(len(body["features"]) if isinstance(body, dict) else len(body))
    return latencies, statistics.mean(items)


def bench_api(args, kinds: list[str], workdir: Path) -> None:
    templates = template_events()
    print(f"\n2. API latency with {args.events:,} generated events ({len(templates)} real event templates, "
          f"{len(COUNTRIES)} countries, {FIRST_DAY.year}-{FIRST_DAY.year + DAYS // 365 - 1}); "
          f"{args.requests} requests per endpoint, one at a time, over HTTP to `flashpoint serve`")
    print(f"   {'db':10} {'endpoint':16} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'items':>6}")
    for kind in kinds:
        with scratch_db(kind, args, workdir, "api") as db:
            seconds = fill_store(db, args.events, templates)
            print(f"   {kind:10} (generated and stored in {seconds:.1f} s)")
            with running_server(db) as base:
                for path in ENDPOINTS:
                    latencies, mean_items = measure(base, path, args.requests, random.Random(3))
                    print(f"   {kind:10} {path:16} {statistics.median(latencies):7.1f} {percentile(latencies, 95):7.1f} "
                          f"{percentile(latencies, 99):7.1f} {max(latencies):7.1f} {mean_items:6.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--pg", help="a PostgreSQL URL whose role may create databases (default: $FLASHPOINT_BENCH_PG)")
    parser.add_argument("--events", type=int, default=100_000, help="events to generate for the API figures")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--skip-ingest", action="store_true", help="only the API figures")
    args = parser.parse_args()

    kinds = ["sqlite"]
    if pg_url(args):
        kinds.append("postgresql")
    else:
        print("note: no PostgreSQL URL (--pg or FLASHPOINT_BENCH_PG), so PostgreSQL figures are skipped")
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; {datetime.now():%Y-%m-%d %H:%M}")
    workdir = Path(tempfile.mkdtemp(prefix="flashpoint-bench-"))
    try:
        if not args.skip_ingest:
            bench_ingest(args, kinds, workdir)
        bench_api(args, kinds, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
