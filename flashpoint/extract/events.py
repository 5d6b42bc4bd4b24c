"""From a clean article to its events: the extraction stage.

    events = extract_article(article)          # -> list[Event], the contract of DESIGN.md

    body ─> sentences ─> lexical prefilter ─> spaCy parse (only those) ─> frames
         ─> actors, place, date, casualties, reporter per frame ─> sub-event type
         ─> denials link counter-claims ─> mentions of one incident merged ─> Events
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flashpoint.data import data_rows
from flashpoint.extract.frames import ANAPHORA, DENIAL_VERBS, PRONOUNS, Frame, sentence_frames
from flashpoint.extract.lexicon import (cue_pattern, ACLED_FAMILIES, PLOVER_CAMEO, PLOVER_FAMILIES, cues_in, load_lexicon,
                                        sentence_may_hold_event)
from flashpoint.extract.numbers import casualties
from flashpoint.extract.typing import sub_event_type
from flashpoint.model import Article, Event
from flashpoint.resolve.actors import ARMED_KINDS, NON_STATE_KINDS, STATE_KINDS, Actor, ActorCatalog, resolve_actor
from flashpoint.resolve.dates import MAX_EVENT_RANGE_DAYS, When, find_when, report_date
from flashpoint.resolve.gazetteer import Gazetteer, Place
from flashpoint.resolve.places import (PlaceContext, PlaceMention, candidates_for, find_place_mentions,
                                      resolve_mentions)

#: Families whose sentence's death and injury counts belong to the event.
VIOLENT_FAMILIES = {"violence", "clash", "strike", "shell", "explode", "riot", "protest", "abduct", "sexual"}
#: Families whose actor is an armed force when a country or capital is the subject.
MILITARY_FAMILIES = {"violence", "clash", "capture", "strike", "shell", "explode", "base", "mobilize", "disrupt"}
#: Families whose object is the actor's own side ("sent troops"), not an opponent.
#: Verbs that only report a toll ("23 people were wounded"): with no perpetrator and nothing
#: new about place or day, such a sentence adds the toll of the incident just reported.
CASUALTY_TRIGGERS = {"kill", "wound", "injure"}
#: Incidents whose toll such a sentence can complete (territorial changes carry the fighting's dead).
TOLL_TARGET_FAMILIES = {"violence", "clash", "strike", "shell", "explode", "capture", "lose"}
OWN_SIDE_FAMILIES = {"mobilize", "base", "retreat", "transfer", "agree", "consult"}
#: Irrealis frames worth a record anyway: a threat, a plan to meet, a demand, an offer.
INTENT_FAMILIES = {"threaten", "consult", "request", "agree"}
#: No wire sentence is longer; longer runs of text (no punctuation) are cut before parsing.
MAX_SENTENCE_CHARS = 1000
#: Bounds on the work one document can ask for: a long report has some dozens of sentences
#: with a trigger word and a wire sentence a few triggers; a megabyte of them is an attack.
MAX_CANDIDATES = 250
MAX_FRAMES_PER_SENTENCE = 8
#: Two mentions of one incident lie within this distance (km) of each other.
SAME_INCIDENT_KM = 25.0
#: Place kinds from most to least specific; an event takes the most specific in its clause.
SPECIFICITY = {"point": 0, "camp": 0, "village": 0, "town": 0, "capital": 0, "road": 1, "admin2": 1,
               "region": 2, "admin1": 2, "water": 3, "country": 4, "continent": 5}
ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Maj|Brig|Cpl|Pvt|Rep|Sen|Gov|Prof|St|Jan|Feb|"
                           r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|U\.S|U\.K|U\.N|vs|etc|Inc|Ltd|Co)\.$")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int


@dataclass
class Draft:
    """An event being assembled from one or more sentences of an article."""

    family: str
    trigger: str
    sentence: Sentence
    sub_event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc: list[Actor] = field(default_factory=list)
    place: Place | None = None
    place_text: str | None = None
    place_in_clause: bool = False
    when: When | None = None
    killed: int | None = None
    injured: int | None = None
    reporter: str | None = None
    reporter_rank: int = 0
    reporter_actor: Actor | None = None  # the reporter when it is a known party ("the army said")
    denial: bool = False
    contested: bool = False
    counter: set[int] = field(default_factory=set)
    evidence: list[Sentence] = field(default_factory=list)
    threat: bool = False
    #: The ACLED sub-type an out-of-scope event would have had: it still gives the PLOVER reading.
    plover_type: str | None = None
    #: A weapon named in the sentence (a cue), not only the trigger's default type.
    weapon: bool = False
    #: For a capture or loss: True when what was taken is ground, False when it is not, None when unnamed.
    territorial: bool | None = None
    cameo: str | None = None
    key: int = 0

    @property
    def acled(self) -> bool:
        return self.sub_event_type is not None


#: A wire dateline opening the first paragraph: "EL OBEID, Sudan (Meridian Wire) - ", "KYIV (AP) — ".
#: It names where the story was filed, not who says what: the first sentence starts after it.
DATELINE_PREFIX = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,30})?\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,30}/)?\s*[-—–]+"
    # ... or "Beirut - ", "Kyiv, Ukraine — " in title case, the dash set off by spaces.
    r"|[A-Z][a-z.'’]+(?: [A-Z][a-z.'’]+){0,2}(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?(?: \([^()\n]{1,40}\))? [-—–]+"
    # ... or "Jerusalem: ", a city and a colon.
    r"|[A-Z][a-z.'’]+(?: [A-Z][a-z.'’]+)?:"
    # ... or only the agency in brackets: "(Reuters) - ", "(MENAFN- UkrinForm) ".
    r"|\((?=[^()\n]*[A-Z])[^()\n]{2,40}\)(?:\s*[-—–]+)?)"
    r"\s+(?=\S)")


def bounded(sentences: list[Sentence]) -> list[Sentence]:
    """Cut "sentences" longer than any real one (a page without punctuation) at spaces, so the
    parser never sees a megabyte at once; indexes stay in reading order."""
    out: list[Sentence] = []
    for s in sentences:
        start = 0
        while len(s.text) - start > MAX_SENTENCE_CHARS:
            cut = s.text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            out.append(Sentence(s.start + start, s.start + cut, s.text[start:cut], s.paragraph, len(out)))
            start = cut + 1 if s.text[cut:cut + 1] == " " else cut
        out.append(Sentence(s.start + start, s.end, s.text[start:], s.paragraph, len(out)))
    return out


def split_sentences(body: str) -> list[Sentence]:
    """Sentences with their offsets in the body; paragraphs are separated by blank lines."""
    out: list[Sentence] = []
    pos = 0
    for p_index, para in enumerate(body.split("\n\n")):
        start = body.index(para, pos) if para else pos
        pos = start + len(para)
        cursor = 0
        if p_index == 0 and (dateline := DATELINE_PREFIX.match(para)):
            cursor = dateline.end()
        for m in re.finditer(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])", para):
            if ABBREVIATIONS.search(para[cursor:m.start() + 1]):
                continue
            text = para[cursor:m.end()].strip()
            if text:
                out.append(Sentence(start + cursor, start + cursor + len(text), text, p_index, len(out)))
            cursor = m.end()
        text = para[cursor:].strip()
        if text:
            s = start + para.index(text, cursor)
            out.append(Sentence(s, s + len(text), text, p_index, len(out)))
    return bounded(out)


def publication_day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None


class ArticleScope:
    """What the whole article says about geography and actors, for resolving each event."""

    def __init__(self, article: Article, sentences: list[Sentence], gazetteer: Gazetteer, catalog: ActorCatalog):
        self.article = article
        self.gazetteer = gazetteer
        self.catalog = catalog
        self.ctx = PlaceContext()
        self.history: list[tuple[int, Place]] = []  # (body offset, place) in reading order
        self.actors: Counter = Counter()
        self.actor_by_name: dict[str, Actor] = {}
        self.last_reporter: tuple[str, int, Actor | None] | None = None
        self.position = 0  # where in the body the sentence being read starts
        self._named_groups: list[tuple[int, Actor]] | None = None
        self.scan_countries(" ".join(filter(None, [article.title, article.dateline, article.body])))
        self.conflict_terms = conflict_terms_in(" ".join(filter(None, [article.title, article.body])))

    def scan_countries(self, text: str) -> None:
        """Count the countries an article names (names and demonyms), to set its geography."""
        for m in re.finditer(r"\b[A-Z][a-zA-Z’'\-]+(?:\s[A-Z][a-zA-Z\-]+)?", text):
            word = m.group(0)
            place = self.gazetteer.demonym(word) or self.gazetteer.demonym(word.split()[0])
            if place is None:
                found = [p for p in self.gazetteer.candidates(word) if p.feature == "country"]
                place = found[0] if found else None
            if place is not None:
                self.ctx.countries[place.country] += 1

    @property
    def country(self) -> str | None:
        top = self.ctx.countries.most_common(1)
        return top[0][0] if top else None

    def demonym_country(self, word: str) -> str | None:
        place = self.gazetteer.demonym(word)
        if place is None:
            found = [p for p in self.gazetteer.candidates(word) if p.feature in ("country",)]
            place = found[0] if found else None
        return place.country if place else None

    def country_name(self, code: str | None) -> str:
        place = self.gazetteer.country(code)
        return place.name if place else (code or "unknown country")

    def actor(self, text: str, military: bool = False) -> Actor | None:
        if POSSESSIVE_FORCES.match(text.strip()):
            owner = self.group_named_before(self.position)
            if owner is not None:
                return owner  # "The RSF did not comment. Its fighters looted shops": the RSF's
        actor = resolve_actor(text, self.catalog, self.demonym_country, self.country_name, self.country)
        if actor is not None and not actor.named and re.match(r"(?i)the\s+(?:\w+\s+)?\w+$", text.strip()):
            # "the militia", "the paramilitaries": the group of that kind the article named before.
            owner = self.group_named_before(self.position)
            if owner is not None and owner.kind == actor.kind:
                return owner
        if actor is None:
            actor = self.metonym(text, military)
        if actor is not None and actor.kind in ARMED_KINDS | {"civilians", "protesters"}:
            self.actors[actor.name] += 1
            self.actor_by_name.setdefault(actor.name, actor)
        return actor

    def group_named_before(self, position: int) -> Actor | None:
        """The armed group the article named last before `position`."""
        if self._named_groups is None:
            body = self.article.body
            self._named_groups = sorted(
                (m.start(), Actor(m.group(0), name, kind, country, named=True))
                for pattern, name, kind, country in self.catalog.groups if kind in NON_STATE_KINDS
                for m in pattern.finditer(body))
        before = [actor for at, actor in self._named_groups if at < position]
        return before[-1] if before else None

    def reporter_actor(self, text: str) -> Actor | None:
        """Who a reporter is when it is an armed party or a state ("an army spokesman": the army)."""
        actor = resolve_actor(text, self.catalog, self.demonym_country, self.country_name, self.country)
        return actor if actor is not None and actor.kind in ARMED_KINDS else None

    def metonym(self, text: str, military: bool) -> Actor | None:
        """A country or its capital acting ("Ankara has set up outposts"): its state, armed when the act is."""
        name = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
        for place in self.gazetteer.candidates(name)[:3]:
            if place.feature in ("country", "capital") and place.country:
                country = self.country_name(place.country)
                if military:
                    return Actor(text, f"Military Forces of {country}", "state", place.country)
                return Actor(text, f"Government of {country}", "government", place.country)
        return None

    def main_actor(self, side: str, exclude: Actor | None = None, country: str | None = None) -> Actor | None:
        """The article's most-named armed actor on one side ("state" or "non-state"), at home first."""
        ranked = [self.actor_by_name[name] for name, _ in self.actors.most_common()]
        ranked = [a for a in ranked if a.side == side and (exclude is None or a.name != exclude.name)]
        if country:
            # Never an actor of another country's war: a roundup names several.
            ranked = [a for a in ranked if a.country in (country, None)]
        return (ranked or [None])[0]

    def last_place(self, before: int, kinds: set[str]) -> Place | None:
        for offset, place in reversed(self.history):
            if offset < before and place.feature in kinds:
                return place
        return None


def reporter_name(text: str, scope: ArticleScope) -> tuple[str, int]:
    """Who a reporter phrase names, and how specific it is (2 a named group, 1 a described source, 0 a person)."""
    group = scope.catalog.named_group(text)
    if group is not None:
        return group[0], 2
    text = re.sub(r"^(?:a|an|the)\s+", "", text.strip(" ,.\"“”"), flags=re.I)
    text = re.split(r",\s*| cited by | quoted by ", text)[0]
    words = text.split()
    if words and all(w[:1].isupper() for w in words if w.isalpha()) and len(words) <= 4:
        return text, 0
    return text, 1


def choose_place(frame: Frame, sent_doc, sentence: Sentence, mentions: list[PlaceMention],
                 scope: ArticleScope) -> tuple[Place | None, str | None, bool]:
    """The most specific place in the event's own clause, else "the town" resolved, else nearby."""
    base = sentence.start
    clause_start = sent_doc[frame.clause[0]].idx + base if frame.clause[1] > frame.clause[0] else base
    clause_end = (sent_doc[frame.clause[1] - 1].idx + len(sent_doc[frame.clause[1] - 1]) + base) \
        if frame.clause[1] > frame.clause[0] else sentence.end
    agent = None
    if frame.agent:
        agent = (sent_doc[frame.agent[0]].idx + base, sent_doc[frame.agent[1] - 1].idx + len(sent_doc[frame.agent[1] - 1]) + base)
    trigger_at = sent_doc[frame.token].idx + base

    def usable(m: PlaceMention) -> bool:
        inside_agent = agent is not None and agent[0] <= m.start < agent[1]
        return m.place is not None and not m.demonym and not m.qualifier and not inside_agent

    in_clause = [(SPECIFICITY.get(m.place.feature, 3), abs(m.start - trigger_at), m.place, m.text)
                 for m in mentions if usable(m) and clause_start <= m.start < clause_end]
    clause_text = sentence.text[clause_start - base:clause_end - base]
    referred = referred_place(clause_text, sentence, scope)
    if referred is not None:
        place, text, at = referred
        # A named place beats a "the region" of the same kind.
        in_clause.append((SPECIFICITY.get(place.feature, 3) + 0.5, abs(clause_start + at - trigger_at), place, text))
    if in_clause:
        _, _, place, text = min(in_clause, key=lambda c: (c[0], c[1]))
        return place, text, True
    anywhere = [m for m in mentions if usable(m)]
    if anywhere:
        best = min(anywhere, key=lambda m: (SPECIFICITY.get(m.place.feature, 3), abs(m.start - trigger_at)))
        return best.place, best.text, False
    return None, None, False


def referred_place(clause_text: str, sentence: Sentence, scope: ArticleScope) -> tuple[Place, str, int] | None:
    """ "the town", "the region": the place of that kind the article named last."""
    m = ANAPHORA.search(clause_text)
    if m:
        noun = m.group(1).lower()
        if noun in ("town", "city", "village", "camp", "neighbourhood", "neighborhood"):
            place = scope.last_place(sentence.start, {"town", "capital", "village", "camp"})
        elif noun == "country":
            place = scope.gazetteer.country(scope.country)
        else:
            place = scope.last_place(sentence.start, {"admin1", "region", "admin2"}) or \
                scope.last_place(sentence.start, {"town", "village"})
            if place is not None and place.feature in ("town", "village") and place.admin1:
                area = [p for p in scope.gazetteer.candidates(place.admin1)
                        if p.feature in ("admin1", "region") and p.country == place.country]
                place = area[0] if area else place
        if place is not None:
            return place, m.group(0), m.start()
    return None


def choose_when(frame: Frame, sent_doc, sentence: Sentence, pub: date | None) -> When | None:
    if pub is None:
        return None
    found = find_when(sentence.text, pub, future=frame.irrealis)
    if frame.clause[1] > frame.clause[0]:
        lo = sent_doc[frame.clause[0]].idx
        hi = sent_doc[frame.clause[1] - 1].idx + len(sent_doc[frame.clause[1] - 1])
        in_clause = [w for s, e, w in found if lo <= s < hi]
        if in_clause:
            trigger_at = sent_doc[frame.token].idx
            return min(((abs(s - trigger_at), w) for s, e, w in found if lo <= s < hi), key=lambda t: t[0])[1]
    return report_date(pub)


#: ACLED codes political violence, protest and strategic developments, not ordinary crime, sport or
#: markets: an event with none of the marks below needs this many conflict words in its article.
MIN_CONFLICT_TERMS = 2
#: Sub-event types that a military weapon or protesters decide: in scope by themselves.
SCOPE_BY_WEAPON = {"Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                   "Suicide bomb", "Chemical weapon", "Grenade"}
SCOPE_BY_PROTEST = {"Excessive force against protesters", "Protest with intervention"}
#: Actors whose acts are political violence whatever the article: armies and armed groups (not police).
POLITICAL_ARMED_KINDS = {"state", "rebel", "militia", "islamist", "unidentified"}


@lru_cache(maxsize=1)
def conflict_terms() -> tuple[frozenset[str], tuple[str, ...]]:
    """The conflict words: exact ones, and stems ("rebel*") matched as prefixes of a word."""
    terms = [row[0].lower() for row in data_rows("conflict_context.tsv")]
    return frozenset(t for t in terms if not t.endswith("*")), tuple(t[:-1] for t in terms if t.endswith("*"))


def conflict_terms_in(text: str) -> int:
    """How many distinct conflict words an article uses (one pass over its words, no regex per term)."""
    exact, stems = conflict_terms()
    words = re.findall(r"[a-z]+", text.lower())
    grams = set(words) | {" ".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
    ordered = sorted(grams)
    found = len(exact & grams)
    for stem in stems:  # the first gram at or after the stem starts with it, if any does
        at = bisect_left(ordered, stem)
        found += at < len(ordered) and ordered[at].startswith(stem)
    return found


def political_by_itself(d: Draft) -> bool:
    """A protest, a riot, an army or armed group, or a military weapon."""
    if d.family in ("protest", "riot") or d.sub_event_type in SCOPE_BY_PROTEST:
        return True
    if d.sub_event_type in SCOPE_BY_WEAPON and (d.weapon or d.family in ("strike", "shell")):
        return True  # a named weapon, or a shelling or air strike verb; not a bare "blast"
    return any(a is not None and a.kind in POLITICAL_ARMED_KINDS for a in (d.actor1, d.actor2, *d.assoc))


def demote(d: Draft) -> None:
    """No ACLED type (so no incident), but the PLOVER reading the type gave stays."""
    d.plover_type, d.sub_event_type = d.sub_event_type, None


def drop_out_of_scope(drafts: list[Draft], scope: "ArticleScope") -> None:
    """A police shooting in a crime story or a 'hard-fought battle' on a court keeps its PLOVER
    reading (an assault is an assault) but gets no ACLED type, so it makes no incident. An
    article about conflict (its words, or one event political by itself) keeps all its events."""
    acled = [d for d in drafts if d.acled]
    if scope.conflict_terms >= MIN_CONFLICT_TERMS or any(political_by_itself(d) for d in acled):
        return
    for d in acled:
        demote(d)


@lru_cache(maxsize=1)
def territory_pattern() -> re.Pattern:
    nouns = sorted((row[0] for row in data_rows("territory.tsv")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in nouns) + r")(?:s|es)?\b", re.I)


def taken_is_territory(frame: Frame, sent_doc, sentence: Sentence, mentions: list[PlaceMention]) -> bool | None:
    """Whether what was captured or lost is ground: a named place, "the town", an airport.
    None when nothing taken is named apart from the trigger's own words ("gained ground")."""
    if frame.taken is None:
        return None
    a, b = frame.taken
    if frame.token <= a and b <= frame.end_token:
        return None
    if frame.trigger.lemmas[0] == "fall":
        return fallen_place(sent_doc, frame, sentence, mentions)
    start = sent_doc[a].idx + sentence.start
    end = sent_doc[b - 1].idx + len(sent_doc[b - 1]) + sentence.start
    if any(m.place is not None and not m.demonym and not m.qualifier and start <= m.start < end for m in mentions):
        return True
    text = sent_doc[a:b].text
    return bool(ANAPHORA.search(text) or territory_pattern().search(text))


#: "fell out of favour", "fell by 19%", "fell back", "fell short": falls that are not a place changing hands.
NOT_A_FALL = {"out", "by", "off", "behind", "short", "below", "from", "back", "apart", "through", "silent", "ill"}


def fallen_place(sent_doc, frame: Frame, sentence: Sentence, mentions: list[PlaceMention]) -> bool:
    """ "The town fell to the rebels": what fell must itself be a place, and fall in that sense."""
    verb = sent_doc[frame.token]
    if any(c.lower_ in NOT_A_FALL for c in verb.children):
        return False
    root = sent_doc[frame.taken[0]:frame.taken[1]].root
    at = root.idx + sentence.start
    is_place = any(m.place is not None and not m.demonym and not m.qualifier and m.start <= at < m.end for m in mentions)
    return is_place or bool(ANAPHORA.search(root.text) or territory_pattern().fullmatch(root.text))


def place_named_by_taken(frame: Frame, sent_doc, scope: "ArticleScope") -> Place | None:
    """ "Rebels captured Jisr al-Shughour": what is captured is a place even when the parser took
    the name for a person; looked up (any spelling) among the places of the article's country."""
    a, b = frame.taken
    name = re.sub(r"^(?:the|a)\s+", "", sent_doc[a:b].text, flags=re.I)
    if not name[:1].isupper() or len(name.split()) > 4:
        return None  # a plain name only ("Jisr al-Shughour"), not a description
    country = scope.country
    found = candidates_for(name, scope.gazetteer, loose=True)
    local = [p for p in found if p.country == country and p.feature not in ("country", "continent")]
    return local[0] if local else None


#: "army shelling", "regime air strikes", "Russian missile strikes": who fired, named before what was fired.
ATTACKER_BEFORE_WEAPON = re.compile(
    r"\b([A-Z][\w-]+|army|regime|government|rebel|militia|coalition|insurgent|militant|jihadist)\s+"
    r"(?:missile\s+|drone\s+|rocket\s+|artillery\s+|air\s+|tank\s+|mortar\s+)?"
    r"(?:shelling|shellfire|shells|air\s?strikes?|airstrikes?|strikes|bombardment|bombing|rocket\s+fire|"
    r"artillery\s+fire|gunfire|raids?|missiles?|rockets?)\b")


def attacker_named_before_weapon(text: str, scope: "ArticleScope") -> Actor | None:
    """The first attacker a sentence names just before the fire it sent, if it resolves to an armed actor."""
    for m in ATTACKER_BEFORE_WEAPON.finditer(text):
        word = m.group(1)
        actor = forces_named_by_demonym(word, scope) if word[:1].isupper() else None
        if actor is None:
            actor = scope.actor(word + ("s" if word.lower() in ("rebel", "insurgent", "militant", "jihadist") else ""),
                                military=True)
        if actor is not None and actor.kind in ARMED_KINDS:
            return actor
    return None


def group_named_in(words: str, scope: "ArticleScope") -> Actor | None:
    """ "a subsequent RSF attack": the named armed group among the words before the event."""
    actor = scope.actor(words)
    return actor if actor is not None and actor.named and actor.kind in ARMED_KINDS else None


def forces_named_by_demonym(words: str, scope: ArticleScope) -> Actor | None:
    """ "A Russian missile strike": Russia's forces struck."""
    for word in re.findall(r"[A-Z][\w\-]+", words):
        code = scope.demonym_country(word)
        if code and scope.gazetteer.demonym(word) is not None:
            actor = Actor(word, f"Military Forces of {scope.country_name(code)}", "state", code)
            scope.actors[actor.name] += 1
            scope.actor_by_name.setdefault(actor.name, actor)
            return actor
    return None


#: "its fighters", "their troops": the forces of the armed group named just before.
POSSESSIVE_FORCES = re.compile(r"(?i)^(?:its|their)\s+(?:own\s+)?(?:fighters|forces|troops|soldiers|militants|"
                               r"men|gunmen|militiamen|members|units)$")
#: Unnamed actors that belong where the event happened (the army, unnamed, stays the article's country's).
LOCAL_GENERIC_KINDS = {"civilians", "protesters", "rebel", "militia", "islamist", "unidentified"}


def unnamed_actor_where_it_happened(actor: Actor | None, place: Place | None, scope: ArticleScope) -> Actor | None:
    """ "4 people" killed in Kharkiv are Civilians (Ukraine) and "rebels" near Goma are Rebels (DR Congo),
    whatever country the article names most; "Russian civilians" keep their own country."""
    if actor is None or actor.named or actor.kind not in LOCAL_GENERIC_KINDS or place is None \
            or not place.country or actor.country == place.country:
        return actor
    if any(scope.demonym_country(w) for w in re.findall(r"[A-Z][\w\-]+", actor.text)):
        return actor
    return resolve_actor(actor.text, scope.catalog, scope.demonym_country, scope.country_name, place.country)


def draft_from_frame(frame: Frame, sent_doc, sentence: Sentence, mentions, scope: ArticleScope,
                     pub: date | None, cues: list[str]) -> Draft | None:
    def text_of(span):
        return sent_doc[span[0]:span[1]].text if span else ""

    draft = Draft(frame.family, frame.trigger.lemmas[0], sentence, evidence=[sentence], threat=frame.threat,
                  denial=frame.denial, cameo=frame.trigger.cameo)
    if frame.reporter:
        rtext = text_of(frame.reporter)
        if frame.reporter_pronoun and scope.last_reporter:
            draft.reporter, draft.reporter_rank, draft.reporter_actor = scope.last_reporter
        elif not frame.reporter_pronoun:
            draft.reporter, draft.reporter_rank = reporter_name(rtext, scope)
            draft.reporter_actor = scope.reporter_actor(text_of(frame.reporter_head or frame.reporter))
            scope.last_reporter = (draft.reporter, draft.reporter_rank, draft.reporter_actor)
    agent_text = text_of(frame.agent)
    if frame.agent_pronoun and frame.reporter and not frame.reporter_pronoun:
        agent_text = text_of(frame.reporter_head or frame.reporter)  # "rebels said they had recaptured": the rebels
    military = frame.family in MILITARY_FAMILIES
    draft.actor1 = scope.actor(agent_text, military) if agent_text and agent_text.lower() not in PRONOUNS else None
    if draft.actor1 is None and military and frame.event_subject_modifiers:
        modifiers = text_of(frame.event_subject_modifiers)
        draft.actor1 = forces_named_by_demonym(modifiers, scope) or group_named_in(modifiers, scope)
    if draft.actor1 is None and military:
        draft.actor1 = attacker_named_before_weapon(sentence.text, scope)
    draft.actor2 = scope.actor(text_of(frame.patient)) if frame.patient and frame.family not in OWN_SIDE_FAMILIES else None
    for a, b, role in frame.assoc:
        assoc = scope.actor(sent_doc[a:b].text)
        if assoc is not None:
            assoc.role = role
            draft.assoc.append(assoc)
    if draft.actor1 is None and draft.actor2 is not None and frame.family in ("capture", "lose"):
        draft.actor1 = other_actor_in(sent_doc, sentence, draft.actor2, scope, frame)  # "... advances by the army"
    if draft.actor2 is None and draft.actor1 is not None and frame.family not in OWN_SIDE_FAMILIES:
        draft.actor2 = other_actor_in(sent_doc, sentence, draft.actor1, scope, frame)
    draft.place, draft.place_text, draft.place_in_clause = choose_place(frame, sent_doc, sentence, mentions, scope)
    if frame.family in ("capture", "lose"):
        draft.territorial = taken_is_territory(frame, sent_doc, sentence, mentions)
        if draft.territorial is False:
            taken = place_named_by_taken(frame, sent_doc, scope)
            if taken is not None:
                draft.place, draft.place_text, draft.place_in_clause = taken, sent_doc[slice(*frame.taken)].text, True
                draft.territorial = True
    draft.when = choose_when(frame, sent_doc, sentence, pub)
    draft.actor1, draft.actor2 = (unnamed_actor_where_it_happened(a, draft.place, scope) for a in (draft.actor1, draft.actor2))
    if frame.family in VIOLENT_FAMILIES:
        c = casualties(sentence.text)
        draft.killed, draft.injured = c.killed, c.injured
    if frame.reporter:
        # "..., police said": who reports is not who was hit.
        a, b = frame.reporter
        cues = cues_in(sent_doc[:a].text + " " + sent_doc[b:].text)
    draft.weapon = any(c.startswith("weapon:") and c not in ("weapon:firearm", "weapon:strike") for c in cues)
    if frame.family in ACLED_FAMILIES and not frame.irrealis:
        draft.sub_event_type = sub_event_type(frame.family, cues, draft.actor1, draft.actor2,
                                              draft.place.country if draft.place else scope.country,
                                              frame.trigger.lemmas[0])
    return draft


def other_actor_in(sent_doc, sentence: Sentence, actor1: Actor, scope: ArticleScope, frame: Frame) -> Actor | None:
    """An armed actor of the other side named elsewhere in the sentence ("a reverse for the Syrian army")."""
    for chunk in sent_doc.noun_chunks:
        if frame.agent and frame.agent[0] <= chunk.start < frame.agent[1]:
            continue
        if frame.patient and frame.patient[0] <= chunk.start < frame.patient[1]:
            continue
        if frame.reporter and frame.reporter[0] <= chunk.start < frame.reporter[1]:
            continue
        actor = resolve_actor(chunk.text, scope.catalog, scope.demonym_country, scope.country_name, scope.country)
        if actor is not None and actor.kind in ARMED_KINDS and actor.side != actor1.side:
            return actor
    return None


def km(a: Place, b: Place) -> float:
    p = math.pi / 180
    h = (math.sin((b.lat - a.lat) * p / 2) ** 2
         + math.cos(a.lat * p) * math.cos(b.lat * p) * math.sin((b.lon - a.lon) * p / 2) ** 2)
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def same_area(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a.id == b.id or (a.geonameid and a.geonameid == b.geonameid):
        return True
    if a.country != b.country:
        return False
    for area, spot in ((a, b), (b, a)):
        if area.feature in ("admin1", "region") and area.admin1_code and area.admin1_code == spot.admin1_code:
            return True
    return km(a, b) <= SAME_INCIDENT_KM


def same_incident(a: Draft, b: Draft) -> bool:
    if a.sub_event_type != b.sub_event_type or a.denial != b.denial:
        return False
    if a.denial and a.reporter != b.reporter:
        return False
    if not same_area(a.place, b.place):
        return False
    # An undated retelling ("They came at dusk and fired on everyone") only defaults to the report's
    # day: only two stated dates can tell mentions apart.
    if a.when and b.when and a.when.explicit and b.when.explicit and not a.when.overlaps(b.when):
        return False
    return True


def absorb(into: Draft, other: Draft) -> None:
    """Fold a second mention of the same incident into the first, keeping the best of each field."""
    into.evidence.extend(other.evidence)
    for attr in ("actor1", "actor2"):
        mine, theirs = getattr(into, attr), getattr(other, attr)
        if mine is None or (theirs is not None and theirs.named and not mine.named):
            setattr(into, attr, theirs)
    into.assoc.extend(a for a in other.assoc if a.name not in {x.name for x in into.assoc})
    if other.place and (into.place is None or SPECIFICITY.get(other.place.feature, 3) < SPECIFICITY.get(into.place.feature, 3)):
        into.place, into.place_text = other.place, other.place_text
    if other.when and other.when.explicit and (into.when is None or not into.when.explicit or other.when.days < into.when.days):
        into.when = other.when
    into.killed = into.killed if into.killed is not None else other.killed
    into.injured = into.injured if into.injured is not None else other.injured
    if other.reporter and (into.reporter is None or other.reporter_rank > into.reporter_rank):
        into.reporter_actor = other.reporter_actor
        into.reporter, into.reporter_rank = other.reporter, other.reporter_rank
    into.counter |= other.counter
    into.place_in_clause = into.place_in_clause or other.place_in_clause


#: "Oleksandr Prokudin, the head of the regional administration, said this on Facebook": the sentence
#: after a report that names its source.
SAID_THIS = re.compile(r"^(?P<who>[^\"“”]{3,160}?)\s+(?:said|reported|wrote|announced|stated|posted|confirmed)\s+"
                       r"(?:this|so|that on|the news)\b")


def attribute_from_next_sentence(drafts: list[Draft], sentences: list[Sentence], scope: "ArticleScope") -> None:
    """An event told without a source takes the one the next sentence names for it."""
    for d in drafts:
        if d.reporter is not None:
            continue
        last = min(e.index for e in d.evidence)
        if last + 1 >= len(sentences):
            continue
        m = SAID_THIS.match(sentences[last + 1].text)
        if m:
            d.reporter, d.reporter_rank = reporter_name(m.group("who"), scope)


DENIAL_WORDS = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes)\b")


def contest_by_denial_of_the_accused(drafts: list[Draft], sentences: list[Sentence], scope: "ArticleScope") -> None:
    """ "The RSF has denied launching the assault": when the group a claim accuses denies it within
    the next sentences, the claim is contested, even where the denial names no event word."""
    for s in sentences:
        m = DENIAL_WORDS.search(s.text)
        if not m:
            continue
        group = scope.catalog.named_group(s.text[:m.start()])
        if group is None:
            continue
        for d in drafts:
            accused = d.actor1 is not None and d.actor1.name == group[0]
            before = any(s.index - 3 <= e.index < s.index for e in d.evidence)
            if d.acled and accused and before and not d.denial and d.reporter_actor is None:
                d.contested = True


def link_denials(drafts: list[Draft]) -> None:
    """A denial contests the claims just before it; its own account becomes their counter-claim."""
    for i, d in enumerate(drafts):
        if not d.denial:
            continue
        denied = [o for o in drafts if o.acled and not o.denial and o.reporter != d.reporter
                  and any(d.sentence.index - 2 <= s.index < d.sentence.index for s in o.evidence)]
        accounts = [o for o in drafts if o.denial and o.sentence.index == d.sentence.index and o.acled]
        if not denied:
            continue
        for o in denied:
            o.contested = True
            o.counter |= {a.key for a in accounts}
        for a in accounts:
            a.contested = True
            a.counter |= {o.key for o in denied}


def fill_missing_sides(drafts: list[Draft], scope: ArticleScope) -> None:
    """Battles need two sides: the article's main opponent stands in for an unnamed one."""
    for d in drafts:
        if d.family in ("capture", "lose") and d.actor1 is None and d.actor2 is not None:
            d.actor1 = scope.main_actor("state" if d.actor2.side != "state" else "non-state", d.actor2,
                                        d.place.country if d.place else scope.country)
            d.sub_event_type = sub_event_type(d.family, [], d.actor1, d.actor2,
                                              d.place.country if d.place else scope.country)
        if d.sub_event_type in ("Armed clash", "Government regains territory", "Non-state actor overtakes territory") \
                and d.actor1 is not None and d.actor2 is None:
            where = d.place.country if d.place else scope.country
            if d.actor1.side == "state" and where and d.actor1.country not in (where, None):
                # A foreign army fights the host's forces or the groups there, whichever the article names more.
                d.actor2 = scope.main_actor("state", d.actor1, where) or scope.main_actor("non-state", d.actor1, where)
            else:
                d.actor2 = scope.main_actor("non-state" if d.actor1.side == "state" else "state", d.actor1, where)


def is_toll_report(d: Draft, same_sentence: bool = False) -> bool:
    """Only a count: a casualty verb with nobody doing it and no weapon of its own. In the sentence
    of its incident ("two were killed and a third was wounded") it carries no count of its own:
    the sentence's count went to the first event."""
    return (d.family == "violence" and d.trigger in CASUALTY_TRIGGERS and d.actor1 is None and not d.denial
            and d.sub_event_type in ("Attack", "Armed clash")
            and (same_sentence or d.killed is not None or d.injured is not None))


def is_accompanying_damage(d: Draft) -> bool:
    """ "(They) set fire to the granaries before leaving", told after the attack, undated and unattributed:
    the attack's damage, as ACLED codes it, not a looting of its own."""
    unnamed = d.actor1 is None or (not d.actor1.named and d.actor1.kind == "unidentified")  # "the assailants"
    return d.family == "loot" and unnamed and not d.denial and not (d.when and d.when.explicit)


def same_spot(a: Place | None, b: Place | None) -> bool:
    """The same place, or two towns within 25 km; a province does not contain a spot here."""
    if a is None or b is None:
        return False
    if a.id == b.id or (a.geonameid and a.geonameid == b.geonameid):
        return True
    return SPECIFICITY.get(a.feature, 3) == SPECIFICITY.get(b.feature, 3) == 0 and km(a, b) <= SAME_INCIDENT_KM


def completes_toll_of(report: Draft, target: Draft) -> bool:
    if not target.acled or target.denial or target.family not in TOLL_TARGET_FAMILIES:
        return False
    if report.place_in_clause and not same_spot(target.place, report.place):
        return False
    return not (report.when and report.when.explicit and target.when and not target.when.overlaps(report.when))


def fold_toll_reports(drafts: list[Draft]) -> list[Draft]:
    """A bare toll after an incident ("23 people were wounded", "4 civilians were killed in
    crossfire there") is that incident's toll, not another attack: it fills the counts the
    incident lacks; undated, unattributed damage after an attack is the attack's. Only the
    nearest earlier incident is considered, so nothing jumps over another event."""
    kept: list[Draft] = []
    told = set()  # sentences whose toll already went to an incident
    for d in drafts:
        target = next((k for k in reversed(kept) if k.acled and not k.denial), None)
        if target is None or target.sentence.index > d.sentence.index or not completes_toll_of(d, target):
            kept.append(d)
            continue
        if is_toll_report(d, same_sentence=d.sentence.index in told | {target.sentence.index}):
            target.killed = target.killed if target.killed is not None else d.killed
            target.injured = target.injured if target.injured is not None else d.injured
            target.evidence.append(d.sentence)
            told.add(d.sentence.index)
            continue
        if is_accompanying_damage(d):
            target.evidence.append(d.sentence)
            continue
        kept.append(d)
    return kept


def merge_mentions(drafts: list[Draft]) -> list[Draft]:
    merged: list[Draft] = []
    for d in drafts:
        target = next((m for m in merged if m.acled and d.acled and same_incident(m, d)), None)
        if target is not None:
            absorb(target, d)
            for other in drafts:
                if d.key in other.counter:
                    other.counter.add(target.key)
        else:
            merged.append(d)
    keys = {m.key for m in merged}
    for m in merged:
        m.counter &= keys
    return merged


def confidence(d: Draft) -> float:
    score = 0.5 + 0.1 * d.place_in_clause + 0.1 * (d.actor1 is not None or d.actor2 is not None)
    score += min(0.15, 0.05 * (len(d.evidence) - 1)) + 0.05 * bool(d.when and d.when.explicit)
    if d.contested and d.denial:
        score -= 0.15
    if d.place is None:
        score -= 0.2
    return round(max(0.05, min(0.99, score)), 2)


def to_event(d: Draft, article: Article, ids: dict[int, str], body: str) -> Event:
    lex = load_lexicon()
    if d.acled:
        event_type, plover, mode, cameo = lex.ontology[d.sub_event_type]
    elif d.plover_type:
        _, plover, mode, cameo = lex.ontology[d.plover_type]
        event_type = None
    else:
        event_type, plover, mode = None, PLOVER_FAMILIES.get(d.family, "THREATEN" if d.threat else "ASSAULT"), None
        if d.threat and d.family in ACLED_FAMILIES:
            plover = "THREATEN"
        cameo = PLOVER_CAMEO.get(d.family, "138" if d.threat else "190")
    place = d.place
    location = None
    if place is not None:
        location = {"text": d.place_text, "name": place.name,
                    "admin1": place.admin1 or (place.name if place.feature == "admin1" else None),
                    "country": place.country, "lat": place.lat, "lon": place.lon, "geonameid": place.geonameid,
                    "precision": place.precision}
    evidence = []
    for s in sorted({id(s): s for s in d.evidence}.values(), key=lambda s: s.start):
        evidence.append({"sentence": s.text, "start": s.start, "end": s.end})
    return Event(
        event_id=ids[d.key], doc=article.doc, article_id=article.id, event_type=event_type,
        sub_event_type=d.sub_event_type, plover={"event": plover, "mode": mode}, cameo=d.cameo or cameo,
        actor1=d.actor1.to_dict() if d.actor1 else None, actor2=d.actor2.to_dict() if d.actor2 else None,
        assoc_actors=[a.to_dict() for a in d.assoc], location=location,
        date=d.when.to_dict() if d.when else None, fatalities=d.killed, injured=d.injured,
        reported_by=d.reporter, reported_by_actor=d.reporter_actor.to_dict() if d.reporter_actor else None,
        contested=d.contested, counter_claims=sorted(ids[k] for k in d.counter if k in ids),
        evidence=evidence, confidence=confidence(d))


#: "The violence has spread ..., killing thousands": a war's running toll, not an incident.
PERFECT_ASPECT = re.compile(r"(?i)\b(?:has|have)\s+(?:\w+\s+)?(?:killed|spread|claimed|left|displaced|cost|"
                            r"forced|driven|uprooted|escalated|raged|continued)\b")
MASS_COUNT = re.compile(r"(?i)\b(?:thousands|millions|tens of thousands|hundreds of thousands)\b")


def is_running_toll(d: Draft) -> bool:
    text = d.sentence.text
    return d.family == "violence" and bool(PERFECT_ASPECT.search(text) and MASS_COUNT.search(text))


#: "has repeatedly struck shelters in recent months": a pattern of events, not one. ("In recent
#: days" is a short range the date resolver keeps: it may well be one incident told again.)
HABITUAL = re.compile(r"(?i)\b(?:repeatedly|routinely|regularly|frequently|habitually)\b|"
                      r"\bin recent (?:months|years)\b|\bover the (?:past|last) (?:months|years)\b")
#: Events dated this long before the report are its background ("The war began when ..."), coded when
#: they were news, not again from every later story.
BACKGROUND_DAYS = 30


def is_old_background(d: Draft, pub: date | None) -> bool:
    return bool(pub and d.when and d.when.explicit and (pub - d.when.end).days > BACKGROUND_DAYS)


def drop_old_background(drafts: list[Draft], pub: date | None) -> list[Draft]:
    """Events dated weeks before the report, and the undated ones told in the same sentence
    ("stormed into Israel on Oct. 7, 2023, killing ... and abducting ..."), lose their ACLED type."""
    old_sentences = {d.sentence.index for d in drafts if d.acled and is_old_background(d, pub)}
    for d in drafts:
        if d.acled and (is_old_background(d, pub) or (d.sentence.index in old_sentences
                                                       and not (d.when and d.when.explicit))):
            demote(d)  # told as history: no incident now, its PLOVER reading stays
    return drafts


def keep_draft(d: Draft) -> bool:
    """Drop what is not an event: trends over long spans, placeless non-events."""
    if d.acled and HABITUAL.search(d.sentence.text):
        demote(d)  # a pattern, not an incident: its PLOVER reading stays
    if d.acled and is_running_toll(d) and not (d.when and d.when.explicit and d.when.days <= 1):
        return False
    if d.acled and d.when is not None and d.when.days > MAX_EVENT_RANGE_DAYS + 1:
        return False  # "gained ground since December": a trend, not an incident
    if d.acled and d.family in ("capture", "lose"):
        if d.place is None or d.territorial is False:
            return False  # "captured on video", "markets have fallen": nothing on the ground changed hands
        armed = any(a is not None and a.kind in ARMED_KINDS for a in (d.actor1, d.actor2))
        if d.territorial is None and not (armed and d.place_in_clause):
            return False
    return True


def extract_article(article: Article, gazetteer: Gazetteer | None = None, nlp=None,
                    include_plover: bool = True, prefilter: bool = True) -> list[Event]:
    """The events of one article (`prefilter=False` parses every sentence, for diplomacy-only text)."""
    from flashpoint.nlp import load_nlp

    gazetteer = gazetteer or Gazetteer.open()
    catalog = ActorCatalog.load()
    sentences = split_sentences(article.body)
    candidates = [s for s in sentences if not prefilter or sentence_may_hold_event(s.text)][:MAX_CANDIDATES]
    if not candidates:
        return []
    nlp = nlp or load_nlp()
    scope = ArticleScope(article, sentences, gazetteer, catalog)
    pub = publication_day(article.published)
    lexicon = load_lexicon()
    drafts: list[Draft] = []
    parsed = nlp.pipe([s.text for s in candidates], batch_size=32)
    for sentence, doc in zip(candidates, parsed):
        mentions = find_place_mentions(doc, gazetteer, offset=sentence.start, known=scope.ctx.by_name)
        resolve_mentions(mentions, article.body, gazetteer, scope.ctx)
        scope.history.extend((m.start, m.place) for m in mentions if m.place is not None and not m.demonym and not m.qualifier)
        cues = cues_in(sentence.text)
        scope.position = sentence.start
        sentence_drafts = []
        for frame in sentence_frames(doc[:], lexicon)[:MAX_FRAMES_PER_SENTENCE]:
            if frame.negated:
                continue
            draft = draft_from_frame(frame, doc, sentence, mentions, scope, pub, cues)
            if draft is None:
                continue
            if frame.irrealis and not frame.threat and frame.family not in INTENT_FAMILIES:
                continue  # a purpose ("to retake") or plan, not an event and not a threat
            if not draft.acled and not include_plover:
                continue
            sentence_drafts.append(draft)
        inherit_place_within_paragraph(sentence_drafts, drafts)
        for d in sentence_drafts:
            if d.place is None and d.acled:
                # Nothing nearer: the last place the article named before it, else its country.
                d.place = scope.last_place(sentence.start, set(SPECIFICITY) - {"country", "continent", "water"}) \
                    or scope.gazetteer.country(scope.country)
                d.place_text = None
        # One count per sentence: the first violent event gets the sentence's toll.
        seen_toll = False
        for d in sentence_drafts:
            if d.killed is not None or d.injured is not None:
                if seen_toll:
                    d.killed = d.injured = None
                seen_toll = True
        drafts.extend(sentence_drafts)
    for i, d in enumerate(drafts):
        d.key = i
    fill_missing_sides(drafts, scope)
    drop_out_of_scope(drafts, scope)
    if not include_plover:
        drafts = [d for d in drafts if d.acled]
    drafts = fold_toll_reports(drop_old_background([d for d in drafts if keep_draft(d)], pub))
    merged = merge_mentions(drafts)
    link_denials(merged)
    contest_by_denial_of_the_accused(merged, sentences, scope)
    attribute_from_next_sentence(merged, sentences, scope)
    ids = {d.key: hashlib.sha1(f"{article.id}:{d.sentence.start}:{d.trigger}:{d.key}".encode()).hexdigest()[:16]
           for d in merged}
    return [to_event(d, article, ids, article.body) for d in merged]


def inherit_place_within_paragraph(new: list[Draft], earlier: list[Draft]) -> None:
    """A placeless event ("There are violent clashes," he said) happens where the paragraph's last one did."""
    for d in new:
        if d.place is not None:
            continue
        prev = next((e for e in reversed(earlier) if e.place is not None
                     and e.sentence.paragraph == d.sentence.paragraph), None)
        if prev is not None:
            d.place, d.place_text = prev.place, prev.place_text
            if d.acled and d.family in ("capture", "lose", "clash") and d.actor1 is None:
                d.actor1 = prev.actor1
            if d.reporter is None:
                d.reporter, d.reporter_rank = prev.reporter, prev.reporter_rank
