"""Fuzz targets: bytes in, the real readers and extraction run, nothing may escape but a result.

Each target takes one input (bytes) and returns normally whatever the input is; an exception is a
crash. Seeds are the shipped examples (self-written pages of every kind); mutations flip, insert,
delete and repeat bytes, splice seeds together, and swap in hostile values (negative lengths, year 1,
huge numbers, control characters).
"""

from __future__ import annotations

import gzip
import random
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "flashpoint" / "examples"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"

#: Values that broke something once or are likely to: the mutator splices them in.
HOSTILE = [b"-1", b"0", b"99999999999999999999", b"0001-01-01", b"9999-12-31", b"\x00", b"\r\n\r\n", b"%",
           b"javascript:alert(1)", b"=HYPERLINK(1)", b"\xff\xfe", b"<script>", b"]]>", b"\xe2\x80\xae",
           b"Content-Length: -1", b"Content-Length: 999999999999", b'"published": 7', b'"url": null']


def read_bytes(data: bytes, suffix: str) -> None:
    """The reader on one input file of that kind (the suffix chooses the path through `read`)."""
    from flashpoint import ReadOptions, ReadReport, read

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        list(read([str(path)], ReadOptions(fetch_links=False, max_file_bytes=2_000_000), ReadReport()))


def extract_text(data: bytes) -> None:
    """Extraction on mutated news text, with a publication date taken from the input's first bytes."""
    from flashpoint.extract.events import extract_article
    from flashpoint.model import Article

    text = data.decode("utf-8", errors="replace")
    published = text[:10] if text[:4].isdigit() else "2024-03-14"
    extract_article(Article(doc="fuzz.txt", body=text[:20_000], published=published, id="fuzz"))


def gzip_of(data: bytes) -> bytes:
    return gzip.compress(data) if not data.startswith(b"\x1f\x8b") else data


#: name -> (run one input, seed files' suffixes)
TARGETS = {
    "dump": (lambda d: read_bytes(d, ".txt"), (".txt",)),
    "html": (lambda d: read_bytes(d, ".html"), (".html",)),
    "feed": (lambda d: read_bytes(d, ".xml"), (".xml",)),
    "jsonl": (lambda d: read_bytes(d, ".jsonl"), (".jsonl",)),
    "warc": (lambda d: read_bytes(d, ".warc"), (".warc",)),
    "gzip": (lambda d: read_bytes(gzip_of(d), ".txt.gz"), (".txt", ".jsonl")),
    "extract": (extract_text, (".txt",)),
}


def warc_seed() -> bytes:
    html = (EXAMPLES / "html-sahel-attack.html").read_bytes()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/sahel\r\n"
            b"WARC-Date: 2024-03-14T09:00:00Z\r\nContent-Length: " + str(len(http)).encode() + b"\r\n\r\n"
            + http + b"\r\n\r\n")


def seeds(target: str) -> list[bytes]:
    suffixes = TARGETS[target][1]
    found = [p.read_bytes() for p in sorted(EXAMPLES.rglob("*")) if p.is_file() and p.suffix in suffixes]
    if target == "warc":
        found.append(warc_seed())
    return found or [b""]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One to eight random edits of `data`."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(out))
        choice = rng.random()
        if choice < 0.25 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.45:
            del out[at:at + rng.randint(1, 64)]
        elif choice < 0.65:
            out[at:at] = rng.choice(HOSTILE)
        elif choice < 0.8 and out:
            start = rng.randint(0, len(out) - 1)
            out[at:at] = out[start:start + rng.randint(1, 200)] * rng.randint(1, 20)
        else:
            other = rng.choice(pool)
            start = rng.randint(0, max(len(other) - 1, 0))
            out[at:at] = other[start:start + rng.randint(1, 400)]
    return bytes(out[:3_000_000])


def regression_inputs() -> list[tuple[str, Path]]:
    """(target, file) for every kept input: files are named TARGET-anything."""
    return [(p.name.split("-", 1)[0], p) for p in sorted(REGRESSIONS.iterdir()) if p.is_file() and "-" in p.name]


def keep_regression(target: str, data: bytes) -> Path:
    import hashlib

    path = REGRESSIONS / f"{target}-{hashlib.sha1(data).hexdigest()[:12]}.bin"
    path.write_bytes(data)
    return path
