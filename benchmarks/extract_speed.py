"""Speed of read + extract, in articles per CPU-second on one core, and peak memory. Not a test.

    python benchmarks/extract_speed.py [--shared ../shared] [--repeat 3]

Two sets: ../shared/eval/data/aeb_dumps (181 real pages, mostly not about conflict:
the lexical prefilter should make them cheap) and flashpoint's own conflict examples
(flashpoint/examples, every article parsed). The spaCy model and the gazetteer are
loaded before timing (a one-off cost per process, printed separately). CPU time of
this process is used, so a busy machine does not slow the figure down.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


def cpu() -> float:
    t = resource.getrusage(resource.RUSAGE_SELF)
    return t.ru_utime + t.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_once(sources: list[str]) -> tuple[int, int, float]:
    from flashpoint.extract.events import extract_article
    from flashpoint.ingest.reader import ReadOptions, read

    start = cpu()
    articles = events = 0
    for article in read(sources, ReadOptions(fetch_links=False)):
        articles += 1
        events += len(extract_article(article))
    return articles, events, cpu() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = cpu()
    from flashpoint.nlp import load_nlp
    from flashpoint.resolve.gazetteer import Gazetteer

    load_nlp()
    Gazetteer.open()
    print(f"load: spaCy model + gazetteer {cpu() - t0:.2f} CPU-s (once per process); peak {peak_mb():.0f} MB")

    sets = []
    dumps = Path(args.shared) / "eval" / "data" / "aeb_dumps"
    if dumps.is_dir():
        sets.append(("aeb_dumps (real pages, mostly not conflict)", sorted(map(str, dumps.glob("*.txt")))))
    else:
        print(f"no ../shared data at {args.shared}: only the shipped examples are measured")
    examples = Path(__file__).resolve().parents[1] / "flashpoint" / "examples"
    sets.append(("flashpoint/examples (conflict reports)", [str(examples)]))
    for name, sources in sets:
        best = None
        for _ in range(args.repeat):
            n, events, seconds = run_once(sources)
            rate = n / seconds if seconds else float("inf")
            best = rate if best is None else max(best, rate)
        print(f"{name}: {n} articles, {events} events, best of {args.repeat}: {best:.1f} articles per CPU-second")
    print(f"peak memory (max RSS): {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
