"""Reading quality on ../shared data, with its own scorers. Not a test.

    python benchmarks/quality.py [--shared ../shared]

Prints: main-text F1 on the ScrapingHub pages as text dumps and as HTML
(eval/score_extract.py), the seed page's body and metadata against its gold, and
publication-date accuracy on trafilatura's evaluation pages. Says so and exits 0 when
../shared is not there.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import flashpoint
from flashpoint import ReadOptions


def write_jsonl(articles, path: Path) -> None:
    with path.open("w") as out:
        for article in articles:
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")


def score_extract(shared: Path, sources: list[str], tmp: Path, name: str) -> str:
    pred = tmp / f"{name}.jsonl"
    write_jsonl(flashpoint.read(sources), pred)
    scorer = shared / "eval" / "score_extract.py"
    truth = shared / "eval" / "data" / "scrapinghub_aeb" / "ground-truth.json"
    return subprocess.run([sys.executable, str(scorer), str(truth), str(pred)],
                          capture_output=True, text=True, check=True).stdout.strip()


def seed_report(shared: Path) -> list[str]:
    lines = []
    for gold_path in sorted((shared / "seed").glob("*.json")):
        gold = json.loads(gold_path.read_text())
        page = gold_path.with_suffix(".txt")
        [article] = list(flashpoint.read([str(page)]))
        raw = page.read_text().splitlines()
        expected = [" ".join(raw[n - 1].split()) for n in gold["subheading_lines"] + gold["body_lines"]]
        expected.sort(key=lambda text: raw.index(next(r for r in raw if " ".join(r.split()) == text)))
        got = article.body.split("\n\n")
        checks = {
            "body": got == expected,
            "headline": article.title == " ".join(raw[gold["headline_line"] - 1].split()),
            "published": (article.published or "").startswith(f"{gold['published']}T{gold['published_time']}"),
            "publisher": article.publisher == gold["publisher"],
            "agency": article.agency == gold["wire_source"],
        }
        lines.append(f"seed {page.name}: " + ", ".join(f"{k} {'ok' if v else 'WRONG'}" for k, v in checks.items()))
    return lines


def date_accuracy(shared: Path, tmp: Path) -> str:
    folder = shared / "eval" / "data" / "trafilatura_eval"
    gold = json.loads((folder / "evaldata.json").read_text())
    # One JSONL record per page carries the page's URL, as a crawler's export would.
    records = tmp / "dates"
    records.mkdir()
    expected = {}
    for number, (url, item) in enumerate(gold.items()):
        page = folder / "html" / f"{item['file']}.gz"
        if not item.get("date") or not page.exists():
            continue
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        record = {"doc": f"page{number}", "url": url.strip(), "html": html}
        (records / f"page{number}.jsonl").write_text(json.dumps(record) + "\n")
        expected[f"page{number}"] = item["date"]
    got = {a.doc: a.published for a in flashpoint.read([str(records)], ReadOptions(detect_syndication=False))}
    right = sum(1 for doc, date in expected.items() if (got.get(doc) or "")[:10] == date)
    return f"dates: {right} of {len(expected)} pages exact ({right / len(expected):.1%})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    shared = Path(parser.parse_args().shared)
    data = shared / "eval" / "data"
    if not data.is_dir():
        print(f"../shared not found at {shared}: no evaluation data, nothing measured.")
        return 0
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        dumps = sorted(str(p) for p in (data / "aeb_dumps").glob("*.txt"))
        html = sorted(str(p) for p in (data / "scrapinghub_aeb" / "html").glob("*.html.gz"))
        print("text dumps  ", score_extract(shared, dumps, tmp, "dumps"))
        print("HTML pages  ", score_extract(shared, html, tmp, "html"))
        for line in seed_report(shared):
            print(line)
        print(date_accuracy(shared, tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
