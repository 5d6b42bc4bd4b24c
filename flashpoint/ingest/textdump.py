"""Clean a text dump of a web page: keep the article's body paragraphs, in order.

A text dump is a page flattened to text, one block a line (navigation, other
stories' headlines, the article, teasers, share prompts, footer). No per-site rules:
every line is scored from its own shape and its context, then the article is the
best contiguous run of body-like lines, and furniture inside that run is dropped.

    lines ──> features ──> line value ──> best block (max-sum run) ──> drop furniture in it

The thresholds below were set together on flashpoint's own example pages and checked
on the ScrapingHub benchmark's dumps (see benchmarks/quality.py); change them together.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from flashpoint.data import load_phrases

# --- thresholds (named so they can be read and tuned together) -------------------
#: A line with at least this many words and sentence-final punctuation reads as prose.
MIN_PROSE_WORDS = 8
#: A line this long reads as prose even without final punctuation.
MIN_RUNON_WORDS = 25
#: Cap on one line's weight, so one huge line cannot drag the block over furniture.
MAX_LINE_WEIGHT = 80
#: Cost of a furniture line (nav item, headline of another story, prompt) in the block search.
FURNITURE_COST = 6.0
#: Cost per word of a short line without sentence punctuation (a headline, a menu item).
TITLE_COST_PER_WORD = 0.6
#: Phrase lists only apply to lines up to this many words: a long line is prose.
MAX_FURNITURE_WORDS = 30
#: A line seen in at least this share of a batch's dumps (and >= 3 of them) is site furniture.
MIN_BATCH_REPEAT_SHARE = 0.3
#: A comments heading ends the article once at least this many prose words came before it.
MIN_WORDS_BEFORE_COMMENTS = 40
#: Only lines this short can be a comments heading ("34 Comments", "Leave a Reply").
MAX_COMMENTS_HEADING_WORDS = 12
#: A short line seen this many times in one page is a repeated widget (share bar, caption).
MIN_REPEATS_IN_PAGE = 3
#: Weight kept by a prose line with no prose neighbour (teaser snippets sit between headlines).
ISOLATED_PROSE_FACTOR = 0.25
#: Characters at a line's end searched for a photo credit ("Photo: Reuters / File").
CAPTION_CREDIT_TAIL = 60
#: A line without final punctuation this long is longer than headlines and menus run...
MIN_LONG_LABEL_WORDS = 15
#: ...and counts a little towards the block, per word.
LONG_LABEL_GAIN = 0.0
#: Growth of a label's cost with its position in a run of labels (menus are walls).
RUN_COST_GROWTH = 0.4
#: After the best block, another run is added when its value is at least this share of it.
MIN_SECOND_BLOCK_SHARE = 0.5

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TERMINAL = re.compile(r"[.!?。！？…:;]['\"’”»)\]]*\s*$")
_SENTENCE_END = re.compile(r"[.!?。！？]['\"’”»)]*(\s|$)")
_BULLET = re.compile(r"^\s*(?:[•·*▪►◦‣–—|>-]|\d+\.)\s+")
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)\s*(?:\w+\s*)?$")
DATE_LINE = re.compile(
    r"^\W*(?:(?:updated|published|posted|last updated|am|on)\W+)*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\s+\w+\s+\d{4}|\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
    r"(?:[\s,|at-]+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\W*$",
    re.IGNORECASE,
)
_COUNT_ONLY = re.compile(r"^\W*[\d.,kKmM]+\W*(?:\w+)?\W*$")
_RELATIVE_TIME = re.compile(
    r"\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b", re.I
)
_ANY_DATE = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}\s*[ap]\.?m\b|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})",
    re.I,
)
# "AthleteA 24-year-old": a headline glued to its teaser text by the flattening.
_GLUED_TITLE = re.compile(r"[a-z][’'.!?]?[A-Z][a-z]")
_BYLINE = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+[A-Z\w]", re.IGNORECASE)


#: Phrase kinds in data/boilerplate.tsv that mark a short line as furniture wherever it is.
FURNITURE_PHRASE_KINDS = ("prompt", "footer", "caption")

#: A dump this small is a snippet (see snippet_lines), not a page.
SNIPPET_MAX_LINES = 4
SNIPPET_MAX_WORDS = 200
SNIPPET_MIN_LINE_WORDS = 4


@dataclass(slots=True)
class Line:
    """One line of the dump with the features the scorer reads."""

    index: int
    text: str
    words: int
    prose: bool
    furniture: str | None  # why it is furniture, or None


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[str, ...]]:
    return load_phrases("boilerplate.tsv")


@lru_cache(maxsize=None)
def _phrase_pattern(kind: str) -> re.Pattern[str]:
    """One alternation per phrase kind: a single scan of the line instead of one per phrase."""
    return re.compile("|".join(re.escape(p) for p in _phrases()[kind]))


@lru_cache(maxsize=1)
def _furniture_phrases() -> re.Pattern[str]:
    """All furniture phrase kinds in one pattern; the matching group names the kind."""
    return re.compile("|".join(f"(?P<{kind}>{_phrase_pattern(kind).pattern})" for kind in FURNITURE_PHRASE_KINDS))


@lru_cache(maxsize=1)
def _comments_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _phrases()["comments"]))


def count_words(text: str) -> int:
    """Words in a line; CJK text counts one word per two characters."""
    return len(_WORD.findall(text)) + cjk_bonus(text)


def cjk_bonus(text: str) -> int:
    """Extra words for CJK text, which writes words without spaces."""
    return 0 if text.isascii() else len(_CJK.findall(text)) // 2


@lru_cache(maxsize=1)
def _phrase_triggers() -> frozenset[str]:
    """The longest word of each furniture phrase: a line without any of them skips the phrase scan."""
    triggers = set()
    for kind in FURNITURE_PHRASE_KINDS:
        for phrase in _phrases()[kind]:
            tokens = _WORD.findall(phrase) or [phrase]
            triggers.add(max(tokens, key=len))
    return frozenset(triggers)


@lru_cache(maxsize=1)
def _social_tokens() -> frozenset[str]:
    return frozenset(t for phrase in _phrases()["social"] for t in _WORD.findall(phrase))


@lru_cache(maxsize=1 << 16)  # a batch's lines are keyed twice: for the batch, then per page
def normalise_line(text: str) -> str:
    """The key under which a line is compared with other lines (case and spacing ignored)."""
    return " ".join(text.lower().split())


def furniture_reason(text: str, words: int, repeated_in_batch: bool,
                     tokens: list[str] | None = None) -> str | None:
    """Why a line is page furniture, or None when it may be article text.

    `tokens` are the line's lowercased words when the caller has them already.
    """
    stripped = text.strip()
    if not stripped:
        return None
    if repeated_in_batch:
        return "batch-repeat"
    if ("http" in stripped or "www." in stripped) and _URL.match(stripped):
        return "url"
    if words == 0 or _COUNT_ONLY.match(stripped):
        return "count"
    if words <= 15 and _DIGIT.search(stripped):  # dates need digits: skip the costly patterns
        if words <= 12 and DATE_LINE.match(stripped):
            return "date"
        if _RELATIVE_TIME.search(stripped) or _ANY_DATE.search(stripped):
            if not _TERMINAL.search(stripped) or stripped.endswith(":"):
                return "date"
    if words >= 3 and is_glued_teaser(stripped):
        return "teaser"
    lowered = stripped.lower()
    if words <= MAX_FURNITURE_WORDS:
        if tokens is None:
            tokens = _WORD.findall(lowered)
        if "©" in lowered or not _phrase_triggers().isdisjoint(tokens):
            match = _furniture_phrases().search(lowered)
            if match:
                return match.lastgroup
        if words <= 6 and tokens and _social_tokens().issuperset(tokens):
            return "social"
    elif is_captioned(lowered):
        return "caption"
    if words <= 12 and _BYLINE.match(stripped) and not _TERMINAL.search(stripped):
        return "byline"
    return None


def capitalised_share(words: list[str]) -> float:
    """Share of words starting with a capital: high in headlines, low in prose."""
    alpha = [w for w in words if w[:1].isalpha()]
    if not alpha:
        return 0.0
    return sum(1 for w in alpha if w[:1].isupper()) / len(alpha)


def is_glued_teaser(text: str) -> bool:
    """A Title Case headline fused with the first sentence of its teaser."""
    match = _GLUED_TITLE.search(text)
    if not match or match.start() < 12:
        return False
    head = text[: match.start() + 1].split()
    return len(head) >= 3 and capitalised_share(head) >= 0.7


def is_comments_heading(text: str, words: int) -> bool:
    """A short line that opens the readers' comments ("34 Comments", "Leave a Reply")."""
    if words > MAX_COMMENTS_HEADING_WORDS or words == 0:
        return False
    lowered = text.strip().lower()
    # A bulleted "Comments" is a share-bar item; a sentence ("declined to comment.") is prose.
    if _BULLET.match(text) or lowered.endswith(".") or _BYLINE.match(lowered):
        return False
    return bool(_comments_pattern().search(lowered))


def comments_start(lines: list[Line], start: int, end: int) -> int | None:
    """Index of a comments heading inside lines[start:end] that follows the article's prose."""
    prose_words = 0
    for pos in range(start, end):
        line = lines[pos]
        if line.prose:
            prose_words += line.words
        elif prose_words >= MIN_WORDS_BEFORE_COMMENTS and is_comments_heading(line.text, line.words):
            return pos
    return None


def is_captioned(lowered: str) -> bool:
    """A photo caption: a photo credit ("Photo: Reuters / ...") near the end of the line."""
    return bool(_phrase_pattern("caption").search(lowered, max(0, len(lowered) - CAPTION_CREDIT_TAIL)))


def is_prose(text: str, words: int) -> bool:
    """True when a line reads as running text rather than a label or a headline."""
    if words >= MIN_RUNON_WORDS:
        return True
    return words >= MIN_PROSE_WORDS and bool(_TERMINAL.search(text))


def is_related_heading(text: str, words: int) -> bool:
    """A heading that introduces teasers of other stories ("Related coverage")."""
    if words > 6:
        return False
    lowered = text.strip().lower()
    return any(lowered.startswith(p) for p in _phrases()["related"])


def line_value(line: Line) -> float:
    """How much a line adds to a candidate article block (negative: furniture)."""
    if not line.text.strip():
        return 0.0
    if line.furniture:
        return -FURNITURE_COST
    if line.prose:
        return float(min(line.words, MAX_LINE_WEIGHT))
    if _TERMINAL.search(line.text) and line.words >= 4:
        return line.words * 0.3
    if line.words >= MIN_LONG_LABEL_WORDS:  # longer than a headline: body text without a full stop
        return LONG_LABEL_GAIN * line.words
    if _BULLET.match(line.text):  # a list item: menus are long runs of these
        return -(0.5 + 0.3 * line.words)
    if line.text.count("\t") >= 2:  # a table row: part of the article when inside it
        return line.words * 0.2
    return -(1.0 + TITLE_COST_PER_WORD * line.words)


def context_values(lines: list[Line]) -> list[float]:
    """Line values, with prose that stands alone between labels (a teaser snippet) discounted."""
    values = [line_value(line) for line in lines]
    content = [i for i, line in enumerate(lines) if line.text.strip()]
    for k, i in enumerate(content):
        if not lines[i].prose:
            continue
        before = k > 0 and lines[content[k - 1]].prose
        after = k + 1 < len(content) and lines[content[k + 1]].prose
        if not (before or after):
            values[i] *= ISOLATED_PROSE_FACTOR
    return values


def best_run(values: list[float], lo: int = 0, hi: int | None = None) -> tuple[int, int, float]:
    """Maximum-sum contiguous run of values[lo:hi] (Kadane): (start, end exclusive, sum)."""
    hi = len(values) if hi is None else hi
    best = (lo, lo, 0.0)
    start, total = lo, 0.0
    for i in range(lo, hi):
        if total <= 0:
            start, total = i, 0.0
        total += values[i]
        if total > best[2]:
            best = (start, i + 1, total)
    return best


def select_blocks(lines: list[Line], values: list[float]) -> list[tuple[int, int]]:
    """The best run, plus runs before/after it nearly as strong (multi-part articles).

    Readers' comments follow the article: when the best run crosses a comments heading,
    the page is cut there and the search runs again on what precedes it.
    """
    limit = len(values)
    while True:
        start, end, total = best_run(values, 0, limit)
        if total <= 0:
            return []
        cut = comments_start(lines, start, end)
        if cut is None:
            break
        limit = cut
    blocks = [(start, end)]
    for lo, hi in ((0, start), (end, limit)):
        s, e, t = best_run(values, lo, hi)
        if t >= MIN_SECOND_BLOCK_SHARE * total:
            blocks.append((s, e))
    return sorted(blocks)


def drop_teasers(lines: list[Line]) -> list[Line]:
    """Remove teasers of other stories: truncated snippets ("..."), and teaser zones.

    A zone opens at a "Related ..." heading and runs over headlines, dates and
    snippets until the article resumes: a prose line followed by another prose line.
    """
    kept: list[Line] = []
    in_zone = False
    for pos, line in enumerate(lines):
        text = _BULLET.sub("", line.text).strip()
        if is_related_heading(text, line.words):
            in_zone = True
            continue
        truncated = bool(_ELLIPSIS_END.search(text)) and not text.endswith("....")
        if in_zone:
            following = lines[pos + 1] if pos + 1 < len(lines) else None
            if line.prose and not truncated and (following is None or following.prose):
                in_zone = False
            else:
                continue
        if truncated and line.words < MAX_FURNITURE_WORDS * 2:
            continue
        kept.append(line)
    return kept


HTML_ENTITY = re.compile(r"&(?:#\d{2,5}|#x[0-9a-fA-F]{2,4}|amp|quot|apos|lt|gt|nbsp|rsquo|lsquo|rdquo|ldquo|mdash|ndash);")
#: The crawl's date marker a dump starts with (" date 2025-02-16"); text may follow on its line.
DUMP_DATE_MARKER = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")


def split_lines(text: str, batch_furniture: frozenset[str] = frozenset()) -> list[Line]:
    """Lines of a dump with their features; a leading ' date YYYY-MM-DD' marker is not text: alone
    on its line it is skipped, and glued to a first sentence it is cut off it (its day is no count)."""
    if "&" in text and HTML_ENTITY.search(text):
        text = html.unescape(text)  # a dump flattened from HTML may keep "&#039;" and "&amp;"
    raws = text.splitlines()
    if raws and (marker := DUMP_DATE_MARKER.match(raws[0])) and raws[0][marker.end():].strip():
        raws[0] = raws[0][marker.end():]
    keys = [normalise_line(raw) for raw in raws]
    seen: dict[str, int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    out = []
    for i, raw in enumerate(raws):
        key = keys[i]
        if not key:
            out.append(Line(i, raw, 0, False, None))
            continue
        tokens = _WORD.findall(key)
        words = len(tokens) + cjk_bonus(raw)
        prose_shape = is_prose(raw, words)
        # Repeated prose is kept: syndicated copies in one batch share their paragraphs.
        repeated = not prose_shape and (
            key in batch_furniture or (seen[key] >= MIN_REPEATS_IN_PAGE and 0 < words)
        )
        furniture = furniture_reason(raw, words, repeated, tokens)
        out.append(Line(i, raw, words, prose_shape and furniture is None, furniture))
    return out


def clean_dump(text: str, batch_furniture: frozenset[str] = frozenset()) -> list[Line]:
    """The article's body lines of a text dump, in order."""
    return body_lines(split_lines(text, batch_furniture))


def body_lines(lines: list[Line]) -> list[Line]:
    """The article's body among a dump's scored lines."""
    values = context_values(lines)
    body: list[Line] = []
    for start, end in select_blocks(lines, values):
        body.extend(
            line for line in lines[start:end] if line.text.strip() and not line.furniture
        )
    return drop_teasers(body)



def snippet_lines(lines: list[Line]) -> list[Line]:
    """A short text with no page around it (an analyst's note, a headline, a paragraph pasted
    alone) is all body: the page rules read its missing full stop or its shortness as furniture.
    Lines that are only a date marker, a link or a few words are still left out."""
    filled = [line for line in lines if line.text.strip()]
    if not filled or len(filled) > SNIPPET_MAX_LINES or sum(line.words for line in filled) > SNIPPET_MAX_WORDS:
        return []
    return [line for line in filled if line.words >= SNIPPET_MIN_LINE_WORDS and "://" not in line.text]


def body_text(lines: list[Line]) -> str:
    """Body lines joined as paragraphs separated by blank lines."""
    return "\n\n".join(" ".join(line.text.split()) for line in lines)


def batch_furniture(dumps: list[str]) -> frozenset[str]:
    """Lines that recur across many pages of a batch: site templates, not articles."""
    if len(dumps) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for text in dumps:
        for key in {normalise_line(raw) for raw in text.splitlines()}:
            if key and key.count(" ") < MAX_FURNITURE_WORDS:
                counts[key] = counts.get(key, 0) + 1
    need = max(3, MIN_BATCH_REPEAT_SHARE * len(dumps))
    return frozenset(k for k, n in counts.items() if n >= need)
