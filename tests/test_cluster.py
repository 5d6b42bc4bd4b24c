"""Reading and extraction on a real local Ray (`--ray local`, started by the command on this
machine's cores): the same events, in the same order, and the same store as one process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from test_crash import counts, write_articles

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]


def ray_or_skip():
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("FLASHPOINT_REQUIRE_RAY") == "1":
            pytest.fail("ray is not installed but FLASHPOINT_REQUIRE_RAY=1")
        pytest.skip('ray is not installed (pip install -e ".[test]" installs it)')


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*FLASHPOINT, *map(str, args)], capture_output=True, text=True, timeout=900)


def test_ray_local_extracts_the_events_of_one_process_and_stores_the_same(tmp_path):
    ray_or_skip()
    wire = tmp_path / "wire.jsonl"
    write_articles(wire, 30)
    copy = tmp_path / "shard-2.jsonl"  # the same wire stories in a second shard: copies across shards
    copy.write_text(wire.read_text(encoding="utf-8").replace("https://wire.example/", "https://mirror.example/"),
                    encoding="utf-8")
    inputs = [EXAMPLES, wire, copy]
    alone = run("extract", *inputs, "-f", "jsonl", "--workers", "1", "--no-fetch-links")
    on_ray = run("extract", *inputs, "-f", "jsonl", "--ray", "local", "--no-fetch-links")
    assert alone.returncode == on_ray.returncode == 0, on_ray.stderr[-2000:]
    assert on_ray.stdout == alone.stdout and alone.stdout.count("\n") > 60
    assert "30 syndicated copies" in on_ray.stderr and "30 syndicated copies" in alone.stderr

    one, clustered = tmp_path / "one.db", tmp_path / "ray.db"
    assert run("ingest", *inputs, "--db", one, "--workers", "1", "--no-fetch-links", "-q").returncode == 0
    done = run("ingest", *inputs, "--db", clustered, "--ray", "local", "--no-fetch-links", "-q")
    assert done.returncode == 0, done.stderr[-2000:]
    assert counts(clustered) == counts(one)

    parquet = tmp_path / "events"
    assert run("extract", wire, "--ray", "local", "-o", parquet, "-q").returncode == 0
    days = sorted(p.name for p in parquet.iterdir())
    assert days and all(d.startswith("event_date=") for d in days)


def test_ray_refuses_what_it_cannot_share_out(tmp_path):
    done = run("extract", "-", "--ray", "local")
    assert done.returncode == 2 and "standard input" in done.stderr and "Traceback" not in done.stderr
