"""What a whole article says, for resolving each of its mentions: its countries, its actors, the
places it named so far, its last reporter and how much it speaks of conflict.

    scope = ArticleScope(article, sentences, gazetteer, catalog)
    scope.actor("the militia")        # the militia the article named before, else a generic one
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from functools import cached_property, lru_cache

from flashpoint.data import data_rows
from flashpoint.extract.sentences import Sentence
from flashpoint.model import Article
from flashpoint.resolve.actors import ARMED_KINDS, NON_STATE_KINDS, Actor, ActorCatalog, resolve_actor
from flashpoint.resolve.gazetteer import Gazetteer, Place, name_key
from flashpoint.resolve.places import PlaceContext, PlaceMention, admin1_hint_after, lookup_forms, near_anchor


#: "its fighters", "their troops": the forces of the armed group named just before.
POSSESSIVE_FORCES = re.compile(r"(?i)^(?:its|their)\s+(?:own\s+)?(?:fighters|forces|troops|soldiers|militants|"
                               r"men|gunmen|militiamen|members|units)$")


#: "the Coalition of Patriots for Change (CPC)": a capitalised name and its acronym in brackets.
INTRODUCED_GROUP = re.compile(r"(?P<full>[A-Z][\w'’-]+(?:\s+(?:of|for|the|and|al|el|[A-Z][\w'’-]+)){1,7})\s+\((?P<short>[A-Z][A-Za-z]{1,6})\)")
#: Words that make such a name an armed group's.
ARMED_GROUP_WORDS = re.compile(r"\b(?:Army|Front|Movement|Forces?|Brigades?|Militia|Coalition|Alliance|Liberation|"
                               r"Patriots|Fighters|Guards?|Defen[cs]e|Resistance|Mujahideen|Jihad|Battalions?|"
                               r"Workers Party|Deterrence)\b")
#: "Fighters of the Northern Front (NF)": the group's name starts after such a prefix.
GROUP_NAME_PREFIX = re.compile(r"^(?:(?:Fighters|Members|Militants|Rebels|Troops|Units|Leaders?|Commanders?|Elements|"
                               r"Spokesman|Spokesperson)\s+of\s+)?(?:the\s+)?", re.I)
MILITIA_WORDS = re.compile(r"\b(?:Brigades?|Militia|Guards?|Defen[cs]e|Deterrence|Battalions?)\b")


#: A capitalised word, or two ("South Sudan"), that may name a country or be a demonym.
CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'\-]+(?:\s[A-Z][a-zA-Z\-]+)?")


@lru_cache(maxsize=200_000)
def country_named(gazetteer: Gazetteer, words: str) -> str | None:
    """The country a capitalised word (or two) names, as a name or a demonym, or None; remembered,
    since an article's capitalised words are mostly the same few thousand."""
    word = re.sub(r"[’']s?$", "", words)  # "Niger's security forces": Niger
    place = gazetteer.demonym(word) or gazetteer.demonym(word.split()[0])
    if place is None:
        found = [p for p in gazetteer.candidates(word) if p.feature == "country"]
        place = found[0] if found else None
    return place.country if place is not None else None


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
        self._introduced: list[tuple[re.Pattern, Actor]] | None = None
        self.scan_countries(" ".join(filter(None, [article.title, article.dateline, article.body])))

    @cached_property
    def conflict_terms(self) -> int:
        """How many conflict words the article uses: counted when a decision needs it, not for every article."""
        return conflict_terms_in(" ".join(filter(None, [self.article.title, self.article.body])))

    def scan_countries(self, text: str) -> None:
        """Count the countries an article names (names and demonyms), to set its geography."""
        for m in CAPITALISED.finditer(text):
            country = country_named(self.gazetteer, m.group(0))
            if country is not None:
                self.ctx.countries[country] += 1

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
        if actor is None or not actor.named:
            actor = self.introduced_group_in(text, actor) or actor
        if actor is None:
            actor = self.metonym(text, military)
        if actor is not None and actor.kind in ARMED_KINDS | {"civilians", "protesters"}:
            self.actors[actor.name] += 1
            self.actor_by_name.setdefault(actor.name, actor)
        return actor

    def introduced_groups(self) -> list[tuple[re.Pattern, Actor]]:
        """Armed groups the article introduces by name and acronym that the actor table lacks: "the
        Coalition of Patriots for Change (CPC)" is "CPC: Coalition of Patriots for Change", found again
        by either name."""
        if self._introduced is None:
            self._introduced = []
            for m in INTRODUCED_GROUP.finditer(self.article.body):
                full, short = GROUP_NAME_PREFIX.sub("", m.group("full").strip()), m.group("short")
                if not ARMED_GROUP_WORDS.search(full) or self.catalog.named_group(full) or self.catalog.named_group(short):
                    continue
                kind = "militia" if MILITIA_WORDS.search(full) else "rebel"
                actor = Actor(full, f"{short}: {full}", kind, self.country, named=True)
                pattern = re.compile(rf"(?<![\w-])(?:{re.escape(full)}|{re.escape(short)})(?![\w-])")
                self._introduced.append((pattern, actor))
        return self._introduced

    def introduced_group_in(self, text: str, generic: Actor | None) -> Actor | None:
        for pattern, actor in self.introduced_groups():
            if pattern.search(text):
                return Actor(text, actor.name, actor.kind, actor.country, named=True)
        return None

    def group_named_before(self, position: int) -> Actor | None:
        """The armed group the article named last before `position`."""
        if self._named_groups is None:
            body = self.article.body
            # Two names may start at one offset; sorting by offset alone never compares actors.
            self._named_groups = sorted(
                ((m.start(), Actor(m.group(0), name, kind, country, named=True))
                 for pattern, name, kind, country in self.catalog.groups if kind in NON_STATE_KINDS
                 for m in pattern.finditer(body)), key=lambda found: found[0])
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

    def unresolved_place(self, mention: PlaceMention) -> Place:
        """A place the gazetteer lacks, kept by its name in the article's country, with the province
        named beside it ("Pissele, in Yatenga province") or else the one the article named before."""
        name = lookup_forms(mention.text)[0]
        country = self.country
        admin1 = None
        hint = admin1_hint_after(self.article.body, mention.end)
        # The province named beside it decides its country too ("Krasnohorivka in the Donetsk region").
        areas = [p for p in self.gazetteer.candidates(hint) if p.feature in ("admin1", "region")] if hint else []
        areas.sort(key=lambda p: p.country != country)
        area = areas[0] if areas else self.last_place(mention.start, {"admin1", "region"})
        anchor = near_anchor(self.article.body, mention.end, self.gazetteer, self.ctx)
        if areas:
            country = areas[0].country
        elif anchor is not None:
            country, area = anchor.country, anchor  # "Otradnoye near Belgorod": Belgorod's country and province
        else:
            # Near the places the story has just named, not in the country its reporters come from.
            near = self.last_place(mention.start, {"admin1", "region", "town", "village"})  # a capital may be a metonym
            country = near.country if near is not None and near.country else country
        if hint and not areas and not any(p.feature == "country" for p in self.gazetteer.candidates(hint)):
            admin1 = hint  # "Bourasso in Kossi province": a province the gazetteer lacks too
        elif area is not None and area.country == country:
            admin1 = area.admin1 or area.name
        else:
            town = self.last_place(mention.start, {"town", "capital", "village"})
            admin1 = town.admin1 if town is not None and town.country == country else None
        key = int(hashlib.sha1(name_key(name).encode()).hexdigest()[:12], 16)
        return Place(-key, name, None, None, country, None, admin1, "unresolved", 0, None, "text")

    def last_place(self, before: int, kinds: set[str]) -> Place | None:
        for offset, place in reversed(self.history):
            if offset < before and place.feature in kinds:
                return place
        return None


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
