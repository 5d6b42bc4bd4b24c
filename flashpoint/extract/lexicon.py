"""The extraction lexicons, loaded once: triggers, cues, the ontology, and the prefilter.

Everything here is read from flashpoint/data (triggers.tsv, cues.tsv, ontology.tsv);
this module only indexes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flashpoint.data import data_rows

#: Families whose events have an ACLED type (the others are PLOVER-only records).
ACLED_FAMILIES = {"violence", "clash", "capture", "lose", "strike", "shell", "explode", "protest", "riot",
                  "arrest", "abduct", "sexual", "loot", "agree", "base", "disrupt", "transfer", "change"}
#: PLOVER event for each family that has no ACLED reading.
PLOVER_FAMILIES = {"threaten": "THREATEN", "consult": "CONSULT", "mobilize": "MOBILIZE", "accuse": "ACCUSE",
                   "request": "REQUEST", "reject": "REJECT", "sanction": "SANCTION", "aid": "AID",
                   "support": "SUPPORT", "concede": "CONCEDE", "cooperate": "COOPERATE", "retreat": "RETREAT",
                   "investigate": "ACCUSE", "coerce": "COERCE"}
#: CAMEO root code for each PLOVER-only family.
PLOVER_CAMEO = {"threaten": "130", "consult": "040", "mobilize": "154", "accuse": "112", "request": "100",
                "reject": "120", "sanction": "160", "aid": "070", "support": "051", "concede": "080",
                "cooperate": "060", "retreat": "0874", "investigate": "090",
                "coerce": "170"}


@dataclass(frozen=True)
class Trigger:
    lemmas: tuple[str, ...]
    pos: str
    family: str
    cameo: str | None


@dataclass(frozen=True)
class Lexicon:
    single: dict[str, tuple[Trigger, ...]]
    phrases: tuple[Trigger, ...]
    cues: tuple[tuple[str, re.Pattern, str], ...]  # (kind, pattern, a word every match contains)
    ontology: dict[str, tuple[str, str, str | None, str]]
    prefilter: "StemFilter"


def cue_needle(cue: str) -> str:
    """Text every match of the cue contains, lower-cased: its first word, without the ending mark."""
    return cue.rstrip("*").split()[0].lower()


def cue_pattern(cue: str) -> re.Pattern:
    body = re.escape(cue.rstrip("*")).replace(r"\ ", r"\s+")
    return re.compile(rf"\b{body}{'[a-z]*' if cue.endswith('*') else ''}\b", re.I)


#: Forms the stems below miss, and conflict words that are not triggers but bring one's sentence in.
IRREGULAR_FORMS = {"fell", "fallen", "shot", "fought", "struck", "overran",
                   "blew", "dead", "died", "toll", "fired", "firing", "ceasefire", "truce", "deadline", "talks",
                   "threat", "sanction", "troops", "offensive", "hostage", "gunmen", "militant", "rebel", "insurgent"}


#: Stems too common outside conflict news to bring a sentence in by themselves ("March", "based",
#: "entertainment"); their conflict forms are listed in IRREGULAR_FORMS instead.
COMMON_STEMS = {"march", "base", "fire", "fall", "enter", "storm", "agree", "burn", "rally", "strike", "fight",
                "shell", "free", "pound", "secure", "release", "detain", "destroy", "occupy", "regain",
                "offer", "promise", "torch", "picket"}
IRREGULAR_FORMS |= {"marched", "marchers", "marching", "bases", "outpost", "outposts", "falls to", "entered",
                    "stormed", "storming", "burned", "burnt", "rallies", "strikes", "struck", "airstrike",
                    "fighting", "fighters", "fought", "shelled", "shelling", "shells", "pounded", "detained",
                    "destroyed", "occupied", "regained", "secured control", "agreement", "ceasefire", "took control",
                    "taken control", "take control", "taking control", "gained ground", "drove back", "lost control",
                    "air strike", "air raid", "drone strike", "launched an offensive", "set up", "handed over",
                    "shot down", "blew up", "gunned down", "rounded up", "exchanged fire", "pulled out", "retaken",
                    "retook", "took back", "taken back", "overtook", "overtaken", "threaten", "vowed", "warned",
                    "would drive", "withdraw", "withdrew", "retreat", "ultimatum", "launched", "launching",
                    "take back", "taking back", "takes back", "flared", "flaring",
                    "disorder erupted", "threw stones", "throwing stones", "hurled stones", "hurling stones",
                    "threw rocks", "threw bricks", "threw bottles"}


def stem_pattern(lemmas: list[str]) -> "StemFilter":
    """Words that could be a form of an ACLED trigger: the lemma without a final e, any ending."""
    stems = set(IRREGULAR_FORMS)
    for lemma in lemmas:
        if " " in lemma:
            continue  # phrases ("take control") come in through IRREGULAR_FORMS: their words are common
        word = lemma
        stem = word[:-1] if word.endswith("e") and len(word) >= 5 else word
        if len(stem) >= 4 and stem not in COMMON_STEMS and word not in COMMON_STEMS:
            stems.add(stem)
    return StemFilter.of(stems)


#: Letters a stem is filed under: every stem has at least this many.
HEAD = 4
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StemFilter:
    """Whether a sentence has a word beginning with a trigger stem, or one of the few trigger
    phrases. As `\\b(?:stem|...)` would say, case aside, but each word is looked up once by its
    first letters instead of trying every stem at every position (it took a tenth of extraction's time)."""

    heads: dict[str, tuple[str, ...]]  # first HEAD letters -> the stems that begin so
    phrases: re.Pattern | None         # stems with a space ("air strike"), matched as written
    whole: re.Pattern                  # every stem: for text that is not ASCII, where lower() and re.I differ

    @classmethod
    def of(cls, stems: set[str]) -> "StemFilter":
        heads: dict[str, list[str]] = {}
        phrases = []
        for stem in stems:
            if WORD.fullmatch(stem) and len(stem) >= HEAD:
                heads.setdefault(stem[:HEAD].lower(), []).append(stem.lower())
            else:
                phrases.append(stem)
        alternation = "|".join(sorted(map(re.escape, phrases), key=len, reverse=True))
        everything = "|".join(sorted(map(re.escape, stems), key=len, reverse=True))
        return cls({k: tuple(v) for k, v in heads.items()},
                   re.compile(rf"\b(?:{alternation})", re.I) if phrases else None,
                   re.compile(rf"\b(?:{everything})", re.I))

    def search(self, sentence: str) -> bool:
        if not sentence.isascii():  # "KİLLED".lower() is not what re.I compares
            return bool(self.whole.search(sentence))
        for word in WORD.findall(sentence.lower()):
            stems = self.heads.get(word[:HEAD])
            if stems and any(word.startswith(stem) for stem in stems):
                return True
        return bool(self.phrases and self.phrases.search(sentence))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    single: dict[str, list[Trigger]] = {}
    phrases = []
    lemmas = []
    for row in data_rows("triggers.tsv"):
        lemma, pos, family = row[0], row[1], row[2]
        cameo = row[3] if len(row) > 3 and row[3] else None
        trig = Trigger(tuple(lemma.split()), pos, family, cameo)
        if family in ACLED_FAMILIES:
            lemmas.append(lemma)
        if len(trig.lemmas) == 1:
            single.setdefault(lemma, []).append(trig)
        else:
            phrases.append(trig)
    cues = tuple((kind, cue_pattern(cue), cue_needle(cue)) for kind, cue in data_rows("cues.tsv"))
    ontology = {row[0]: (row[1], row[2], row[3] or None, row[4]) for row in data_rows("ontology.tsv")}
    return Lexicon({k: tuple(v) for k, v in single.items()}, tuple(phrases), cues, ontology, stem_pattern(lemmas))


def sentence_may_hold_event(sentence: str) -> bool:
    """The fast lexical prefilter: only sentences with a possible trigger word are parsed."""
    return bool(load_lexicon().prefilter.search(sentence))


def cues_in(text: str) -> list[str]:
    """Cue kinds found in `text`, in the cue file's order (most specific weapon first)."""
    if not text.isascii():  # lower() and re.I differ on a few letters ("İ", "ſ"): the patterns alone
        return [kind for kind, pattern, _ in load_lexicon().cues if pattern.search(text)]
    lowered = text.lower()
    # A cue's first word must be in the text for its pattern to match: a substring test rules most out.
    return [kind for kind, pattern, needle in load_lexicon().cues if needle in lowered and pattern.search(text)]
