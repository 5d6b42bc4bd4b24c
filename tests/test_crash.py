"""kill -9 in the middle of a large ingest loses nothing committed and, re-run, doubles nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

TOWNS = ["Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Kharkiv", "Kherson", "Mariupol", "Sumy",
         "Gao", "Mopti", "Timbuktu", "Kidal", "El Fasher", "Nyala", "Geneina", "Kadugli", "Mogadishu", "Kismayo",
         "Maiduguri", "Goma", "Bunia", "Beni"]
SENTENCES = [
    "Shelling hit a residential district of {town} on {day}, killing {n} civilians, local officials said.",
    "An air strike on a market in {town} killed {n} people on {day}, a monitoring group said.",
    "Fighters clashed with government troops on the outskirts of {town} on {day}, residents said.",
    "Gunmen abducted {n} aid workers on the road south of {town} on {day}, their employer said.",
    "Hundreds of people protested in {town} on {day} against rising bread prices, witnesses said.",
    "A roadside bomb struck a military convoy near {town} on {day}, wounding {n} soldiers, the army said.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_articles(path, count: int) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            town = rng.choice(TOWNS)
            lines = [s.format(town=rng.choice(TOWNS) if j else town, day=rng.choice(DAYS), n=rng.randint(2, 40))
                     for j, s in enumerate(rng.sample(SENTENCES, 3))]
            lines.append(f"Report number {i} was filed by correspondent {rng.randint(1000, 9999)} from {town}.")
            out.write(json.dumps({"url": f"https://wire.example/{i}", "title": f"Report {i} from {town}",
                                  "published": f"2024-0{1 + i % 9}-1{i % 10}T09:00:00Z",
                                  "text": "\n\n".join(lines)}) + "\n")


def counts(db) -> tuple:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("article", "event", "incident")) + (
            sorted(r[0] for r in conn.execute("SELECT summary || n_sources || n_events FROM incident")),)


def run_ingest(source, db, workers: int = 1, **kw):
    flashpoint = os.path.join(os.path.dirname(sys.executable), "flashpoint")
    return subprocess.Popen([flashpoint, "ingest", str(source), "--db", str(db), "--workers", str(workers),
                             "--batch-size", "5", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(tmp_path, workers):
    source = tmp_path / "wire.jsonl"
    write_articles(source, 150)
    crashed, clean = tmp_path / "crashed.db", tmp_path / "clean.db"

    proc = run_ingest(source, crashed, workers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if crashed.exists():
            try:
                with sqlite3.connect(crashed) as conn:
                    if conn.execute("SELECT count(*) FROM article").fetchone()[0] >= 10:
                        break
            except sqlite3.OperationalError:
                pass  # tables not created yet
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    partial = counts(crashed)
    assert 10 <= partial[0] < 150

    assert run_ingest(source, crashed, workers).wait() == 0
    assert run_ingest(source, clean, 1).wait() == 0
    assert counts(crashed) == counts(clean)
    assert counts(clean)[0] == 150


def store_counts(url) -> tuple:
    """counts() for any store URL (SQLite file or PostgreSQL)."""
    from sqlalchemy import text

    from flashpoint.store import Store

    store = Store(str(url), create=False)
    try:
        with store.connect() as conn:
            summaries = sorted(r[0] for r in conn.execute(
                text("SELECT summary || n_sources || n_events FROM incident")))
        return tuple(store.counts().values()) + (summaries,)
    finally:
        store.close()


def test_two_ingests_of_one_file_into_one_store_at_once_equal_one_run(tmp_path, db_url):
    source = tmp_path / "wire.jsonl"
    write_articles(source, 60)
    alone = tmp_path / "alone.db"
    first, second = run_ingest(source, db_url), run_ingest(source, db_url)
    errors = [p.communicate(timeout=600)[1].decode() for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    assert not any("Traceback" in e for e in errors)
    assert run_ingest(source, alone).wait(timeout=600) == 0
    assert store_counts(db_url) == store_counts(alone)


def test_two_ingests_of_different_files_recognise_copies_across_them(tmp_path):
    source = tmp_path / "wire.jsonl"
    write_articles(source, 40)
    rows = source.read_text().splitlines()
    # The second file carries the first's stories again under other addresses: syndicated copies.
    copies = [json.dumps({**json.loads(r), "url": json.loads(r)["url"].replace("wire.example", "mirror.example")})
              for r in rows]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(rows) + "\n")
    b.write_text("\n".join(copies) + "\n")
    together, alone = tmp_path / "together.db", tmp_path / "alone.db"
    procs = [run_ingest(a, together), run_ingest(b, together)]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    for path in (a, b):
        assert run_ingest(path, alone).wait(timeout=600) == 0
    assert counts(together)[1:] == counts(alone)[1:]  # the same events and incidents, whichever copy came first
