"""The store benchmark still runs end to end on a tiny store (its figures are not asserted here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_store_benchmark_generates_events_serves_them_and_prints_latencies(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "store_speed.py"), "--skip-ingest",
                             "--events", "4000", "--requests", "10", "--shared", str(tmp_path / "absent")],
                            capture_output=True, text=True, timeout=300,
                            env={k: v for k, v in os.environ.items() if not k.endswith("_PG")})
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "PostgreSQL figures are skipped" in out
    # One line per endpoint with p50, p95, p99, max and a mean count of items that is not zero.
    rows = re.findall(r"sqlite\s+(/api/\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)", out)
    assert [r[0] for r in rows] == ["/api/events", "/api/incidents", "/api/geojson", "/api/timeline"]
    assert all(int(r[5]) > 0 for r in rows), out
