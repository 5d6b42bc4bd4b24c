"""Where: which place a mention is told of, among the places of its sentence.

    place, text, in_clause = choose_place(frame, sent_doc, sentence, places, scope)

The most specific place of the event's own clause, unless it is a landmark the scene is measured
from ("13 km north of X", "X near Y"), a border it lies on or a town people were taken to after; else
"the town" or "the region" resolved to the place of that kind the story named last; else the most
specific place anywhere in the sentence. Places listed together ("the towns of A, B and C") are one
event each (listed_places).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flashpoint.extract.frames import ANAPHORA, Frame
from flashpoint.extract.sentences import Sentence
from flashpoint.resolve.gazetteer import Place, name_key
from flashpoint.resolve.places import SUFFIX_AFTER, PlaceMention

if TYPE_CHECKING:
    from flashpoint.extract.context import ArticleScope
    from flashpoint.extract.mentions import Mention


#: Place kinds from most to least specific; an event takes the most specific in its clause.
SPECIFICITY = {"unresolved": 0, "point": 0, "camp": 0, "village": 0, "town": 0, "capital": 0, "road": 1, "admin2": 1,
               "region": 2, "admin1": 2, "water": 3, "country": 4, "continent": 5}


#: "13 kilometres north of", "some 20 km from", "50 miles south-east of": a distance from a landmark.
LANDMARK_BEFORE = re.compile(r"(?i)\b(?:\d+|a few|several)\s*(?:km|kms|kilometres|kilometers|miles|mi)\s+"
                             r"(?:\([^()]{1,20}\)\s+)?"
                             r"(?:(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?\s+of|from|outside)"
                             r"\s+(?:the\s+)?(?:[\w,-]+\s+){0,4}$")


#: "the village of Otradnoye near Belgorod": a town named after another place and "near" locates it.
NEAR_AFTER_PLACE = re.compile(r"[A-Z][\w'’-]+,?\s+(?:near|outside|close to)\s+(?:the\s+)?(?:(?:town|city)\s+of\s+)?$")


#: "near Niger's border with Mali", "before being transported to Niamey": a place that only bounds the
#: scene or lies where people were taken afterwards.
BOUND_OR_DESTINATION = re.compile(r"(?i)\b(?:border(?:s)? with|frontier with|(?:transported|taken|flown|evacuated|brought|"
                                  r"moved|transferred|rushed|airlifted)\s+to|fled\s+(?:to|towards|into)|"
                                  r"fleeing\s+(?:to|towards|into))\s+(?:the\s+)?$")


#: "Khuafo village, just north of Thantlang": a bearing from a town.
BEARING_BEFORE = re.compile(r"(?i)(?:,|\bjust|\bsome|\babout)\s+(?:just\s+)?(?:north|south|east|west)(?:[- ]?(?:east|west))?\s+of\s+"
                            r"(?:the\s+)?(?:(?:town|city)\s+of\s+)?$")


def is_landmark(text: str, at: int) -> bool:
    before = text[max(0, at - 80):at]
    return bool(LANDMARK_BEFORE.search(before) or NEAR_AFTER_PLACE.search(before) or BEARING_BEFORE.search(before)
                or is_elsewhere(text, at))


def is_elsewhere(text: str, at: int) -> bool:
    """A border the scene lies on, or where people were taken afterwards: never the event's place."""
    return bool(BOUND_OR_DESTINATION.search(text[max(0, at - 80):at]))


#: What may stand between the places of one list: "Ntamugenga, Rubare and Bunagana".
LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)$")


def listed_places(draft: Mention, mentions: list[PlaceMention], sentence: Sentence) -> list[tuple[Place, str]]:
    """The other places listed with the event's own ("captured the towns of Ntamugenga, Rubare and
    Bunagana"): ACLED codes one event per place."""
    if not draft.place_in_clause or draft.place is None or draft.place.feature in ("country", "continent"):
        return []
    spots = sorted((m for m in mentions if m.place is not None and not m.demonym and not m.qualifier
                    and SPECIFICITY.get(m.place.feature, 3) == SPECIFICITY.get(draft.place.feature, 3)),
                   key=lambda m: m.start)
    own = next((i for i, m in enumerate(spots) if m.place == draft.place and m.text == draft.place_text), None)
    if own is None:
        return []
    listed = [spots[own]]
    for step in (-1, 1):
        i = own
        while 0 <= i + step < len(spots):
            a, b = (spots[i + step], spots[i]) if step < 0 else (spots[i], spots[i + step])
            if not LIST_GLUE.match(sentence.text[a.end - sentence.start:b.start - sentence.start]):
                break
            province = name_key(a.place.admin1 or "") in (name_key(b.text), name_key(b.place.name))
            list_goes_on = bool(re.match(r"\s*(?:,|and|or)\s", sentence.text[b.end - sentence.start:]))
            if any(SUFFIX_AFTER.match(sentence.text, m.end - sentence.start) for m in (a, b)) or (province and not list_goes_on):
                break  # "Soumpi, Timbuktu region", "Kafr Nabl, Idlib": a place and its province
            listed.append(spots[i + step])
            i += step
    listed.sort(key=lambda m: m.start)
    if re.search(r"(?i)\bbetween\s+(?:the\s+)?(?:towns?\s+of\s+)?$", sentence.text[:listed[0].start - sentence.start]):
        return []  # "the road between Bamenda and Kumbo": one stretch, not two places
    return [(m.place, m.text) for m in listed if m is not spots[own]]


def rank_in_sentence(m: PlaceMention, sentence: Sentence) -> float:
    """How precisely a place mention locates (lower is better): its kind of place, a landmark one step
    worse ("13 km north of X"), a name told as a province ("Soumpi, Timbuktu region") as a province."""
    rank = float(SPECIFICITY.get(m.place.feature, 3))
    if is_landmark(sentence.text, m.start - sentence.start):
        rank += 1.0
    if SUFFIX_AFTER.match(sentence.text, m.end - sentence.start):
        rank = max(rank, float(SPECIFICITY["admin1"]))
    return rank


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
        return m.place is not None and not m.demonym and not m.qualifier and not inside_agent \
            and m.place.feature != "continent" \
            and not is_elsewhere(sentence.text, m.start - base)  # "African Union troops" locate nothing

    # "13 kilometres north of Maiduguri" measures from a landmark: a place named so ranks after "the village".
    in_clause = [(rank_in_sentence(m, sentence), abs(m.start - trigger_at), m.place, m.text)
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
    referred = referred_place(sentence.text, sentence, scope)
    if referred is not None and (not anywhere or all(is_landmark(sentence.text, m.start - base) for m in anywhere)):
        # "came to the village, 13 kilometres north of Mandalay": the village, not the landmark.
        return referred[0], referred[1], False
    if anywhere:
        best = min(anywhere, key=lambda m: (SPECIFICITY.get(m.place.feature, 3) + is_landmark(sentence.text, m.start - base),
                                            abs(m.start - trigger_at)))
        return best.place, best.text, False
    return None, None, False


def referred_place(clause_text: str, sentence: Sentence, scope: ArticleScope) -> tuple[Place, str, int] | None:
    """ "the town", "the region": the place of that kind the article named last."""
    m = ANAPHORA.search(clause_text)
    if m:
        noun = m.group(1).lower()
        if noun in ("town", "city", "village", "camp", "neighbourhood", "neighborhood"):
            place = scope.last_place(sentence.start, {"town", "capital", "village", "camp", "unresolved"})
        elif noun == "country":
            place = scope.gazetteer.country(scope.country)
        else:
            # "the region": the province named last, or the province of the town named after it.
            # (A capital is left out: "Kyiv said" names a government, not the region of a strike.)
            place = scope.last_place(sentence.start, {"admin1", "region", "admin2", "town", "village"})
            if place is not None and place.feature in ("town", "village") and place.admin1:
                area = [p for p in scope.gazetteer.candidates(place.admin1)
                        if p.feature in ("admin1", "region") and p.country == place.country]
                place = area[0] if area else place
        if place is not None:
            return place, m.group(0), m.start()
    return None
