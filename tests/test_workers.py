"""Reading and extraction in worker processes: the same events, in the same order, as one
process; a worker killed by a page is reported and replaced, and the run goes on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EXAMPLES
from test_crash import counts, run_ingest, write_articles

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]


def extract(paths, workers: int, env=None) -> subprocess.CompletedProcess:
    """`flashpoint extract` as a user runs it (its summary and failures on stderr)."""
    return subprocess.run([*FLASHPOINT, "extract", *map(str, paths), "-f", "jsonl", "--workers", str(workers)],
                          capture_output=True, text=True, timeout=600, env=env)


def test_two_workers_give_the_events_of_one_process_in_the_same_order(tmp_path):
    wire = tmp_path / "wire.jsonl"
    write_articles(wire, 40)  # ten parts of four: both workers take several
    inputs = [EXAMPLES, wire]
    alone, shared = extract(inputs, 1), extract(inputs, 2)
    assert alone.returncode == shared.returncode == 0, shared.stderr
    events = [json.loads(line) for line in alone.stdout.splitlines()]
    assert len(events) > 60
    assert shared.stdout == alone.stdout  # ids, fields and order


def test_ingest_with_two_workers_stores_what_one_process_stores(tmp_path):
    wire = tmp_path / "wire.jsonl"
    write_articles(wire, 60)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert run_ingest(wire, one, 1).wait(timeout=600) == 0
    assert run_ingest(wire, two, 2).wait(timeout=600) == 0
    assert counts(two) == counts(one) and counts(one)[0] == 60
    assert run_ingest(wire, two, 2).wait(timeout=600) == 0  # a re-run adds nothing
    assert counts(two) == counts(one)


def test_a_page_that_kills_its_worker_is_reported_and_the_run_goes_on(tmp_path):
    wire = tmp_path / "wire.jsonl"
    write_articles(wire, 24)
    lines = wire.read_text(encoding="utf-8").splitlines()
    deadly = 9  # record 9, on line 10 of the file
    assert "Report number 9 was filed" in lines[deadly]
    env = {**os.environ, "FLASHPOINT_FAULT_KILL_ON": "Report number 9 was filed"}
    killed = extract([wire], 2, env)
    assert killed.returncode == 1  # some input failed, the rest was written
    assert f"{wire}:{deadly + 1}" in killed.stderr and "worker process died" in killed.stderr
    assert "Traceback" not in killed.stderr

    # Every other record's events, in order, as a run without the deadly record gives them.
    (tmp_path / "without.jsonl").write_text("\n".join(lines[:deadly] + lines[deadly + 1:]) + "\n", encoding="utf-8")
    expected = [json.loads(x) for x in extract([tmp_path / "without.jsonl"], 1).stdout.splitlines()]
    got = [json.loads(x) for x in killed.stdout.splitlines()]
    strip = lambda e: {k: v for k, v in e.items() if k not in ("doc", "event_id", "article_id", "counter_claims")}
    assert [strip(e) for e in got] == [strip(e) for e in expected] and got
