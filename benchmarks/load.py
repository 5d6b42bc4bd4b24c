"""Load on the API: N concurrent clients over a mix of read endpoints, for a bounded time. Not a test.

    python benchmarks/load.py [--clients 200] [--seconds 30] [--events 3000]

A store of `--events` generated events (two outlets per incident, real extracted events from the
shipped examples as templates, new places and dates; see benchmarks/store_speed.py) is served by
`flashpoint serve` started for real on 127.0.0.1. `--clients` asyncio clients (httpx, one
connection each) then loop over nine read endpoints, each request with a random country and a
7-90 day window, until `--seconds` have passed. Prints requests per second, p50/p95/p99 latency
and errors, per endpoint and in all. The load generator shares the machine with the server (on a
2-core machine it takes part of the CPU the server could use). Target (issue 11): >= 200 requests
per second with 200 clients, p95 <= 1 s, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_speed import (COUNTRIES, DAYS, FIRST_DAY, fill_store, percentile, running_server,  # noqa: E402
                         template_events)

#: The read endpoints an analyst's dashboard and scripts hit, with how their parameters are made.
ENDPOINTS = ["/api/incidents", "/api/events", "/api/timeline", "/api/geojson", "/api/places", "/api/health",
             "/api/search", "/api/incidents?type=Battles", "/api/events?actor=forces"]


def params_for(path: str, rng: random.Random) -> dict:
    if path == "/api/health":
        return {}
    if path == "/api/search":
        return {"q": rng.choice(["shelling", "drone", "protest", "killed", "army"])}
    start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 90))
    return {"country": rng.choice(list(COUNTRIES)), "since": start.isoformat(),
            "until": (start + timedelta(days=rng.randint(7, 90))).isoformat()}


async def client_loop(client, until: float, seed: int, results: dict) -> None:
    import httpx

    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(ENDPOINTS)
        t0 = time.perf_counter()
        try:
            response = await client.get(path, params=params_for(path.split("?")[0], rng))
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        results[path].append(((time.perf_counter() - t0) * 1000, ok))


async def hammer(base: str, clients: int, seconds: float) -> tuple[dict, float]:
    """Every client is made before the clock starts: an httpx client builds an SSL context (tens of
    milliseconds of the generator's CPU), which would otherwise count in the first requests' times."""
    import httpx

    pool = [httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
            for _ in range(clients)]
    results: dict = defaultdict(list)
    try:
        start = time.monotonic()
        await asyncio.gather(*(client_loop(c, start + seconds, i, results) for i, c in enumerate(pool)))
        return results, time.monotonic() - start
    finally:
        await asyncio.gather(*(c.aclose() for c in pool))


def report(results: dict, elapsed: float) -> None:
    print(f"{'endpoint':34} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    everything = []
    for path in ENDPOINTS:
        rows = results.get(path, [])
        everything.extend(rows)
        if rows:
            times = [t for t, _ in rows]
            print(f"{path:34} {len(rows) / elapsed:7.1f} {percentile(times, 50):8.0f} {percentile(times, 95):8.0f} "
                  f"{percentile(times, 99):8.0f} {sum(not ok for _, ok in rows):6}")
    times = [t for t, _ in everything]
    print(f"{'all':34} {len(everything) / elapsed:7.1f} {percentile(times, 50):8.0f} {percentile(times, 95):8.0f} "
          f"{percentile(times, 99):8.0f} {sum(not ok for _, ok in everything):6}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        took = fill_store(db, args.events, template_events())
        print(f"store: {args.events:,} generated events ({took:.1f} s); {args.clients} clients for {args.seconds:g} s")
        with running_server(db) as base:
            results, elapsed = asyncio.run(hammer(base, args.clients, args.seconds))
        report(results, elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
