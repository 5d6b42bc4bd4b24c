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


def test_an_actor_killed_with_parts_in_flight_is_replaced_once_and_only_its_page_fails(monkeypatch):
    """Several parts are queued on each actor: when one dies, all its queued parts fail, and each
    must be run again on the replacement, not end the run."""
    ray_or_skip()
    from ray.exceptions import RayActorError

    import flashpoint.cluster as cluster
    from flashpoint.model import RawDoc
    from flashpoint.workers import Done

    class FakeActor:
        def __init__(self):
            self.dead = False
            self.extract = self

        def remote(self, raws, furniture):
            if any("DEADLY" in r.text for r in raws):
                self.dead = True
            return (self, [Done(r) for r in raws])  # a "reference": who ran it, and its result

    class FakeRay:
        @staticmethod
        def get(ref):
            actor, result = ref
            if actor.dead:
                raise RayActorError()
            return result

    class FakeClass:
        @staticmethod
        def remote(include_plover):
            return FakeActor()

    monkeypatch.setattr(cluster, "remote_extractor", lambda ray: FakeClass)
    pages = [RawDoc(f"page-{i}", "html", "DEADLY page" if i == 3 else f"page {i}") for i in range(64)]
    actors = [FakeActor(), FakeActor()]
    results = [d for part in cluster.extract_on_actors(FakeRay, actors, [pages], True) for d in part]
    assert [d.item.doc for d in results] == [p.doc for p in pages]  # every page once, in order
    failed = [d.item for d in results if hasattr(d.item, "reason")]
    assert [f.doc for f in failed] == ["page-3"] and "died" in failed[0].reason
