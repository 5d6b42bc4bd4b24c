"""Events, places and PLOVER quality on ../shared data, with its scorers. Not a test.

    python benchmarks/events_quality.py [--shared ../shared] [--skip-geo]

Runs the three scorers of ../shared/eval: score_events.py on the seed page(s),
score_geo.py on GeoWebNews (geoparse end to end), score_extract.py on the text dumps;
then PLOVER event-type accuracy on data/plover/PLOVER_GSR_CAMEO.json (every sentence
parsed, the first event's PLOVER type against the gold, PLOVER 0.5 labels mapped:
FIGHT as ASSAULT, DEMAND as REQUEST, DISAPPROVE and INVESTIGATE as ACCUSE).
Says so and exits 0 when ../shared is not there.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

#: PLOVER 0.5 labels in the gold file, read as today's types.
PLOVER_05 = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}


def run(cmd: list[str], out: Path | None = None) -> str:
    if out is not None:
        with out.open("w") as fh:
            subprocess.run(cmd, stdout=fh, stderr=subprocess.DEVNULL, check=False)
        return ""
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()


def flashpoint_cmd() -> list[str]:
    return [sys.executable, "-m", "flashpoint.cli"]


def events_score(shared: Path, tmp: Path) -> str:
    pred = tmp / "seed.jsonl"
    run([*flashpoint_cmd(), "extract", *map(str, sorted((shared / "seed").glob("*.txt"))), "-f", "jsonl", "-q"], pred)
    return run([sys.executable, str(shared / "eval" / "score_events.py"), str(shared / "seed"), str(pred)])


def geo_score(shared: Path, tmp: Path) -> str:
    g = shared / "eval" / "data" / "geo" / "pragmatic_guide" / "data" / "Geocoding"
    pred = tmp / "gwn.jsonl"
    run([*flashpoint_cmd(), "geoparse", *map(str, sorted((g / "files").iterdir())), "-f", "jsonl", "-q"], pred)
    return run([sys.executable, str(shared / "eval" / "score_geo.py"), str(g / "gwn_full.txt"), str(g / "files"), str(pred)])


def extract_score(shared: Path, tmp: Path) -> str:
    pred = tmp / "dumps.jsonl"
    dumps = sorted((shared / "eval" / "data" / "aeb_dumps").glob("*.txt"))
    run([*flashpoint_cmd(), "read", *map(str, dumps), "-f", "jsonl", "-q"], pred)
    truth = shared / "eval" / "data" / "scrapinghub_aeb" / "ground-truth.json"
    return run([sys.executable, str(shared / "eval" / "score_extract.py"), str(truth), str(pred)])


def plover_accuracy(shared: Path) -> str:
    from flashpoint.extract.events import extract_article
    from flashpoint.model import Article

    records = json.loads((shared / "eval" / "data" / "plover" / "PLOVER_GSR_CAMEO.json").read_text())
    records = [r for r in records if r.get("text") and r.get("event") not in (None, "DOCUMENT")]
    right = predicted = 0
    confusion = Counter()
    for r in records:
        gold = PLOVER_05.get(r["event"], r["event"])
        article = Article(doc=r["id"], body=r["text"], published=r.get("date") or "2000-01-01", id=r["id"])
        events = extract_article(article, prefilter=False)
        guess = events[0].plover["event"] if events else None
        predicted += guess is not None
        right += guess == gold
        confusion[(gold, guess)] += 1
    worst = ", ".join([f"{g}->{p}: {n}" for (g, p), n in confusion.most_common() if g != p][:8])
    return (f"PLOVER type accuracy {right / len(records):.3f} ({right} of {len(records)} sentences; "
            f"{predicted} with a prediction); most frequent confusions: {worst}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    parser.add_argument("--skip-geo", action="store_true", help="Skip GeoWebNews (the slowest part, ~1 min).")
    args = parser.parse_args()
    shared = Path(args.shared)
    if not (shared / "eval").is_dir():
        print(f"no evaluation data at {shared} (../shared is not there): nothing to measure")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("== events on the seed (score_events.py)\n" + events_score(shared, tmp))
        if not args.skip_geo:
            print("== GeoWebNews end to end (score_geo.py)\n" + geo_score(shared, tmp))
        print("== text-dump main text (score_extract.py)\n" + extract_score(shared, tmp))
    print("== PLOVER (data/plover/PLOVER_GSR_CAMEO.json)\n" + plover_accuracy(shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
