"""Reading speed on ../shared data: pages per second on one core (one process).

    python benchmarks/read_speed.py [--shared ../shared] [--repeat 3]

Prints pages/s for text dumps (data/aeb_dumps) and HTML pages (data/scrapinghub_aeb),
through the whole `flashpoint.read` stage (decode, clean, metadata, language,
syndication). Rates are pages per CPU-second of this process (time.process_time), so a
busy neighbour on a shared machine does not change them. Says so and exits 0 when ../shared is not there. Not a test: speed
targets live here, not in the suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import flashpoint
from flashpoint import ReadOptions, ReadReport


def pages_per_second(paths: list[str], repeat: int) -> tuple[float, int, int]:
    best = 0.0
    for _ in range(repeat):
        report = ReadReport()
        start = time.process_time()
        count = sum(1 for _ in flashpoint.read(paths, ReadOptions(), report))
        elapsed = time.process_time() - start
        best = max(best, len(paths) / elapsed)
    return best, count, report.failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per set; the best is reported")
    args = parser.parse_args()
    data = Path(args.shared) / "eval" / "data"
    if not data.is_dir():
        print(f"../shared not found at {data}: no benchmark data, nothing measured.")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, honestly
    sets = {
        "text dumps (aeb_dumps)": sorted(str(p) for p in (data / "aeb_dumps").glob("*.txt")),
        "HTML pages (scrapinghub_aeb)": sorted(str(p) for p in (data / "scrapinghub_aeb" / "html").glob("*.html.gz")),
    }
    # Warm the lazy imports (trafilatura, langid model) so they are not timed.
    list(flashpoint.read(sets["HTML pages (scrapinghub_aeb)"][:2]))
    print(f"flashpoint {flashpoint.__version__}, Python {sys.version.split()[0]}, 1 core")
    for name, paths in sets.items():
        rate, count, failed = pages_per_second(paths, args.repeat)
        print(f"{name:32s} {len(paths):4d} pages  {rate:7.1f} pages/s/core  ({count} articles, {failed} failed)")
    # The same machine's speed for plain trafilatura.extract (DESIGN.md's anchor: 64 pages/s
    # where it was measured), so figures from different machines can be compared.
    print(f"{'reference: trafilatura.extract':32s} {len(sets['HTML pages (scrapinghub_aeb)']):4d} pages  "
          f"{trafilatura_rate(sets['HTML pages (scrapinghub_aeb)'], args.repeat):7.1f} pages/s/core")
    return 0


def trafilatura_rate(paths: list[str], repeat: int) -> float:
    import gzip

    import trafilatura

    pages = [gzip.decompress(Path(p).read_bytes()).decode("utf-8", "replace") for p in paths]
    best = 0.0
    for _ in range(repeat):
        start = time.process_time()
        for page in pages:
            trafilatura.extract(page)
        best = max(best, len(pages) / (time.process_time() - start))
    return best


if __name__ == "__main__":
    sys.exit(main())
