"""Typing quality: the shipped typing model and the whole extraction, on held-out sentences. Not a test.

    python benchmarks/typing_quality.py [--shared ../shared]

1. The corpus's test split (flashpoint/data/corpus/test.jsonl, written apart from the training
   split): macro and weighted F1 over the 25 sub-types, event/no-event F1, calibration error,
   and the model's speed in sentences per CPU-second.
2. ../shared/eval/typing/check.jsonl (written by other hands; never trained on): the model alone,
   and `extract_article` (rules, with the model for snippets no trigger fits), best event per snippet.
3. PLOVER type accuracy on ../shared/eval/data/plover: extraction's first record (the rules, and the
   model's PLOVER head where no rule reads the sentence), the model's PLOVER head alone, and the
   extraction's reading else the model's.
Parts 2 and 3 say so and are skipped when ../shared is not there.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from flashpoint.extract.classifier import NO_EVENT, shipped_model
from flashpoint.learn.corpus import load_split
from flashpoint.learn.typing_model import subtype_report

#: PLOVER 0.5 labels in the gold file, read as today's types.
PLOVER_05 = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}


def summary(report: dict) -> str:
    weakest = sorted(report["per_subtype_f1"].items(), key=lambda kv: kv[1])[:5]
    line = (f"  weighted F1 {report['subtype_weighted_f1']}, macro F1 {report['subtype_macro_f1']}, "
            f"event/no-event F1 {report['event_f1']}, accuracy {report['accuracy']} ({report['snippets']} snippets)")
    if "expected_calibration_error" in report:
        line += f", calibration error {report['expected_calibration_error']}"
    return line + "\n  weakest: " + ", ".join(f"{k} {v}" for k, v in weakest)


def model_on(texts: list[str], gold: list[str]) -> tuple[dict, float]:
    model = shipped_model()
    start = time.process_time()
    readings = [model.classify(t) for t in texts]
    rate = len(texts) / max(time.process_time() - start, 1e-9)
    confidence = np.array([r.probability for r in readings])
    return subtype_report(gold, [r.label for r in readings], confidence), rate


def extraction_on(texts: list[str], gold: list[str]) -> dict:
    from flashpoint.extract.events import extract_article
    from flashpoint.model import Article

    guesses = []
    for i, text in enumerate(texts):
        events = [e for e in extract_article(Article(doc=f"s{i}", body=text, published=None, id=f"s{i}"))
                  if e.event_type]
        guesses.append(max(events, key=lambda e: e.confidence).sub_event_type if events else NO_EVENT)
    return subtype_report(gold, guesses)


def plover_accuracy(shared: Path) -> str:
    from flashpoint.extract.events import extract_article
    from flashpoint.model import Article

    records = json.loads((shared / "eval" / "data" / "plover" / "PLOVER_GSR_CAMEO.json").read_text())
    records = [r for r in records if r.get("text") and r.get("event") not in (None, "DOCUMENT")]
    model = shipped_model()
    rules = learned = both = 0
    for r in records:
        gold = PLOVER_05.get(r["event"], r["event"])
        article = Article(doc=r["id"], body=r["text"], published=r.get("date") or "2000-01-01", id=r["id"])
        events = extract_article(article, prefilter=False)
        by_rules = events[0].plover["event"] if events else None
        by_model = model.classify(r["text"]).plover
        rules += by_rules == gold
        learned += by_model == gold
        both += (by_rules or by_model) == gold
    n = len(records)
    return (f"  extraction {rules / n:.3f}, model alone {learned / n:.3f}, extraction else model {both / n:.3f} "
            f"({n} sentences)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    args = parser.parse_args()
    if shipped_model() is None:
        print("no typing model in the package: run `flashpoint train-typing` first")
        return 1
    test = load_split("test")
    report, rate = model_on([s.text for s in test], [s.label for s in test])
    print(f"== corpus test split, the model alone ({rate:,.0f} sentences per CPU-second)\n" + summary(report))
    shared = Path(args.shared)
    check = shared / "eval" / "typing" / "check.jsonl"
    if not check.exists():
        print(f"no evaluation data at {shared} (../shared is not there): the check set and PLOVER are skipped")
        return 0
    rows = [json.loads(line) for line in check.read_text().splitlines() if line.strip()]
    texts, gold = [r["text"] for r in rows], [r["label"] for r in rows]
    print("== ../shared/eval/typing/check.jsonl, the model alone\n" + summary(model_on(texts, gold)[0]))
    print("== the same, through extract_article (best event per snippet)\n" + summary(extraction_on(texts, gold)))
    print("== PLOVER type accuracy on ../shared/eval/data/plover\n" + plover_accuracy(shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
