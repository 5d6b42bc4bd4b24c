"""Places: find place names in parsed text and resolve each to one gazetteer entry.

    mentions = find_place_mentions(doc)                  # spaCy entities + gazetteer names
    resolve_mentions(mentions, gazetteer)                # context-aware choice per mention

Recognition takes spaCy's GPE/LOC/FAC entities, demonyms (NORP) that name a country,
and runs of proper nouns the gazetteer knows that spaCy missed (it mislabels
"Saraqeb"). Resolution scores every candidate by its kind, its population, the
countries the article is about, a province named beside it ("in Idlib province") and
the places already resolved near it, so "Idlib" in a Syrian story is Syria's Idlib.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.resolve.gazetteer import Gazetteer, Place, name_key

#: Prior weight of each kind of place: an area or country named in news beats a hamlet.
FEATURE_PRIOR = {"country": 6.0, "continent": 6.5, "admin1": 3.0, "region": 4.5, "water": 4.5, "admin2": 3.0,
                 "capital": 4.5, "town": 0.0, "village": 2.0, "camp": 2.0, "road": 2.0, "point": 0.0}
#: Weight of log10(population): a city of a million outranks a village of a thousand.
POPULATION_WEIGHT = 0.6
#: Bonus for a candidate in a country the article is about (scaled by that country's share).
CONTEXT_COUNTRY_WEIGHT = 3.0
#: Bonus for a candidate inside a province named next to it ("Saraqeb in Idlib province").
ADMIN1_HINT_WEIGHT = 3.0
#: Bonus for a candidate whose main name is the text itself, not an alternate name.
MAIN_NAME_WEIGHT = 1.0
#: Names found only by the gazetteer (not by spaCy) need this much evidence to count.
GAZETTEER_ONLY_MIN_SCORE = 4.5
#: spaCy entity labels that can be places.
PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP"}
#: Entity labels whose words are never places (a person called Jordan, a date).
NOT_PLACE_LABELS = {"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                    "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "LANGUAGE"}
#: Suffixes that turn a place name into a description of someone ("London-based", "Saudi-led").
QUALIFIER_SUFFIX = re.compile(r"[-‐–](?:based|born|led|backed|funded|sponsored|allied|aligned|linked|made|"
                              r"registered|headquartered|owned|run|supported|trained|educated)\b", re.I)
#: "Moscow's forces", "Kyiv's troops": a capital standing for its state, which acts; not where.
POSSESSOR_OF_FORCES = re.compile(r"[’']s\s+(?:\w+\s+)?(?:forces|troops|army|military|soldiers|government|regime|"
                                 r"navy|air force|militias?|fighters|drones|missiles|jets|warplanes)\b", re.I)
#: Labels spaCy gives to names that, after "in", "near" or "the town of", are often places it misread.
#: Labels the small model gives to ordinary names often enough that their words stay open to the gazetteer.
MISREAD_LABELS = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
NAME_LABELS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
#: Words that end an area's name and can be dropped to find it ("Idlib province").
AREA_SUFFIXES = ("province", "governorate", "region", "district", "state", "oblast", "city", "county",
                 "town", "village", "camp", "area", "countryside")
PROVINCE_CAPITAL_POPULATION = 100_000
#: The suffixes that make a name an administrative area ("Soum province"), not a town ("Gaza City").
ADMIN_SUFFIXES = {"province", "governorate", "region", "district", "state", "oblast", "county", "prefecture"}
#: A place naming a broadcaster or paper: "told Kiev city television", "Damascus radio said".
MEDIA_AFTER = re.compile(r"\s+(?:city\s+|state\s+)?(?:television|tv|radio|newspaper|daily|news agency|broadcaster)\b", re.I)
#: An administrative word just after a name that did not take it in: "in Soumpi, Timbuktu region,".
SUFFIX_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(ADMIN_SUFFIXES)) + r")\b", re.I)
#: Evidence a locative word ("in", "the town of") adds to a name found only by the gazetteer.
LOCATIVE_BONUS = 2.0
#: Words before a name that say it is a place, letting small places be found by the gazetteer alone.
LOCATIVE_WORDS = {"in", "near", "at", "from", "to", "of", "outside", "around", "into", "towards", "toward", "between",
                  "across", "village", "town", "city", "camp", "district", "province", "outskirts"}
DIRECTION_PREFIX = re.compile(r"^(?:the\s+)?(?:(?:north|south|east|west)(?:ern)?|central|(?:north|south)-?(?:east|west)(?:ern)?)\s+",
                              re.I)


@dataclass
class PlaceMention:
    """A place name at [start, end) of the text, and the place it was resolved to."""

    start: int
    end: int
    text: str
    label: str
    sent_start: int = 0
    place: Place | None = None
    score: float = 0.0
    candidates: tuple[Place, ...] = field(default=(), repr=False)
    demonym: bool = False
    qualifier: bool = False  # "London-based": names a place, locates nothing
    in_name: bool = False  # inside an organisation's name: "Kurdistan" in "Kurdistan Workers Party"
    #: Surely a place by its words ("the village of Khuafo") or refused abroad ("Haram" in a Syrian
    #: story): when nothing resolves it, an event keeps it by name, unresolved.
    likely_place: bool = False


def lookup_forms(text: str) -> list[str]:
    """The names to try for a mention, most specific first ("the Idlib province" -> ..., "Idlib")."""
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"[’']s$", "", text)
    forms = [text]
    if text.lower().startswith(("democratic republic", "republic", "united", "central african")):
        forms.append("the " + text)  # country names that keep their article
    base = DIRECTION_PREFIX.sub("", text)
    if base != text:
        forms.append(base)
    for form in list(forms):
        words = form.split()
        if len(words) > 1 and words[-1].lower() in AREA_SUFFIXES:
            forms.append(" ".join(words[:-1]))
    return forms


def find_place_mentions(doc, gazetteer: Gazetteer, offset: int = 0, known=()) -> list[PlaceMention]:
    """Place mentions in a spaCy Doc (character offsets shifted by `offset`).

    `known` holds name keys the article already resolved; they count as places even
    where spaCy calls them a person or an organisation.
    """
    mentions: list[PlaceMention] = []
    # What each token is already known to be: free, a place entity, inside an organisation
    # or person (only strong places there: "Bank of Jamaica"), or never a place (a date).
    role = ["free"] * len(doc)
    for ent in doc.ents:
        label = ent.label_
        area_word_after = ent.end < len(doc) and doc[ent.end].lower_ in ADMIN_SUFFIXES
        if label in NAME_LABELS and ((ent.start > 0 and doc[ent.start - 1].lower_ in LOCATIVE_WORDS) or area_word_after):
            # "the town of Maarat al-Numan", "near Palmyra", "in Kramatorsk": spaCy's person, organisation
            # or product is a place here.
            cands = candidates_for(ent.text, gazetteer, loose=names_a_place_here(doc, ent.start))
            if cands:
                mentions.append(PlaceMention(ent.start_char + offset, ent.end_char + offset, ent.text, "GAZ",
                                             ent.sent.start_char + offset, candidates=cands, score=LOCATIVE_BONUS))
                for i in range(ent.start, ent.end):
                    role[i] = "place"
                continue
            if names_a_place_here(doc, ent.start) and ent.end - ent.start <= 3:
                # Surely a place by its words ("the village of Khuafo") though the gazetteer lacks it: kept
                # by name, unresolved.
                mentions.append(PlaceMention(ent.start_char + offset, ent.end_char + offset, ent.text, "GAZ",
                                             ent.sent.start_char + offset, likely_place=True))
        # spaCy's small model calls many a name in quotes a work of art ("the road between Buea and
        # Kumba"): such a span is left to the gazetteer, word by word.
        # A "name" that is a list ("Goma, Sake and") is the small model's misreading of places.
        misread_list = label in NAME_LABELS and ("," in ent.text or ent.text.endswith(" and"))
        kind = "free" if label in MISREAD_LABELS or misread_list else \
            "never" if label in NOT_PLACE_LABELS and label != "PERSON" else \
            "named" if label in ("ORG", "PERSON") else "place" if label in PLACE_LABELS else "free"
        for i in range(ent.start, ent.end):
            role[i] = kind
        if label not in PLACE_LABELS:
            continue
        start, end = trim_entity(ent)
        if start >= end:
            continue
        text = doc.text[start:end]
        if label == "NORP":
            place = demonym_place(text, gazetteer)
            if place is not None:
                mentions.append(PlaceMention(start + offset, end + offset, text, "NORP",
                                             ent.sent.start_char + offset, candidates=(place,), demonym=True))
                continue
            label = "GAZ"  # spaCy calls some towns a nationality ("Aleppo"): the gazetteer decides
        # "the town of Kidal": the locative settles a name spaCy only half saw as a place.
        after_locative = ent.start > 0 and doc[ent.start - 1].lower_ in LOCATIVE_WORDS
        cands = candidates_for(text, gazetteer, loose=names_a_place_here(doc, ent.start))
        if cands:
            mentions.append(PlaceMention(start + offset, end + offset, text, label,
                                         ent.sent.start_char + offset, candidates=cands,
                                         score=LOCATIVE_BONUS if label == "GAZ" and after_locative else 0.0))
        else:
            if label in ("GPE", "LOC") and after_locative and not DIRECTION_PREFIX.match(text):
                # A place the gazetteer lacks ("in Pissele"): kept by name, unresolved.
                mentions.append(PlaceMention(start + offset, end + offset, text, label, ent.sent.start_char + offset,
                                             likely_place=True))
            for i in range(ent.start, ent.end):
                role[i] = "named"  # an unknown entity may still hold a known country ("Kurdish Red Crescent")
    mentions.extend(gazetteer_mentions(doc, gazetteer, role, offset, known))
    mentions.extend(listed_after_places(doc, gazetteer, mentions, offset))
    mentions.extend(m for m in places_by_apposition(doc, gazetteer, offset)
                    if not any(o.start < m.end and m.start < o.end for o in mentions))
    for site in named_sites(doc, gazetteer, offset):
        # The site's words are its own name, not towns of their own ("Kilo", "Mamfe").
        mentions = [m for m in mentions if m.end <= site.start or m.start >= site.end]
        mentions.append(site)
    # "the Britain-based Observatory", "Iran-backed militias": a place that qualifies someone; still a
    # toponym, but never where an event happened.
    for m in mentions:
        m.qualifier = m.in_name or bool(QUALIFIER_SUFFIX.match(doc.text, m.end - offset)
                                        or POSSESSOR_OF_FORCES.match(doc.text, m.end - offset)
                                        or MEDIA_AFTER.match(doc.text, m.end - offset))
    mentions.sort(key=lambda m: m.start)
    return mentions


def demonym_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The country or region a demonym names ("Syrian" -> Syria, "European" -> Europe)."""
    place = gazetteer.demonym(text)
    if place is None:
        place = next((p for p in gazetteer.candidates(text) if p.feature in ("continent", "region")), None)
    return place


#: Place kinds strong enough to be taken from inside an organisation's or person's name.
STRONG_FEATURES = {"country", "continent", "admin1", "region", "water"}


def gazetteer_mentions(doc, gazetteer: Gazetteer, role: list[str], offset: int, known=()) -> list[PlaceMention]:
    """Capitalised names spaCy did not label as places that the gazetteer knows, longest first."""
    found = []
    i = 0
    while i < len(doc):
        if role[i] in ("place", "never") or not is_name_token(doc[i]):
            i += 1
            continue
        run_end = i
        while run_end < len(doc) and run_end - i < 4 and role[run_end] == role[i] and is_name_token(doc[run_end]):
            run_end += 1
        for j in range(run_end, i, -1):
            inside_name = role[i] == "named" and name_key(doc[i:j].text) not in known
            mention = gazetteer_mention(doc, i, j, gazetteer, inside_name=inside_name, offset=offset)
            if mention:
                found.append(mention)
                i = j
                break
        else:
            i += 1
    return found


#: A name's word: letters, with inner apostrophes or hyphens ("N’Djamena", "Ras-Kamboni").
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def is_name_token(tok) -> bool:
    return (tok.text[:1].isupper() and tok.pos_ in ("PROPN", "ADJ", "NOUN") and bool(NAME_WORD.fullmatch(tok.text))
            or tok.text in ("U.S.", "U.K."))


def gazetteer_mention(doc, i: int, j: int, gazetteer: Gazetteer, inside_name: bool, offset: int):
    span = doc[i:j]
    sent_start = span.sent.start_char + offset
    if j - i == 1:
        place = gazetteer.demonym(span.text)
        if place is not None:
            return PlaceMention(span.start_char + offset, span.end_char + offset, span.text, "NORP", sent_start,
                                candidates=(place,), demonym=True)
    cands = gazetteer.candidates(span.text)
    prev = doc[i - 1].lower_ if i > 0 else ""
    # spaCy often calls a small town a person or an organisation ("Saraqeb"); "the town of X" settles it.
    if inside_name and prev in LOCATIVE_WORDS and doc[i].ent_iob_ == "B" and (j == len(doc) or doc[j].ent_iob_ != "I"):
        inside_name = False
    if inside_name:
        # A whole "organisation" that is exactly a capital's name is the capital ("in Chad's capital, N’Djamena").
        whole = doc[i].ent_iob_ == "B" and (j == len(doc) or doc[j].ent_iob_ != "I")
        strong = STRONG_FEATURES | {"capital"} if whole else STRONG_FEATURES
        cands = tuple(p for p in cands if p.feature in strong and name_key(p.name) == name_key(span.text)
                      or p.feature in ("country", "continent"))
    if not cands:
        return None
    if doc[i].is_sent_start and j - i == 1 and doc[i].is_stop:
        return None
    mention = PlaceMention(span.start_char + offset, span.end_char + offset, span.text, "GAZ", sent_start,
                           candidates=cands, score=LOCATIVE_BONUS if prev in LOCATIVE_WORDS or inside_name else 0.0)
    # Part of an organisation's name ("Kurdistan Workers Party"): a toponym that locates nothing.
    mention.in_name = inside_name and not (doc[i].ent_iob_ == "B" and (j == len(doc) or doc[j].ent_iob_ != "I"))
    return mention


def trim_entity(ent) -> tuple[int, int]:
    """Entity character span without a leading "the" or a trailing possessive."""
    start, end = ent.start_char, ent.end_char
    text = ent.text
    m = re.match(r"(?i)the\s+", text)
    if m:
        start += m.end()
    m = re.search(r"[’']s?$", text)
    if m:
        end -= len(m.group())
    return start, end


#: Words after which a name is surely a place ("in X", "near X", "the village of X"), so that
#: another spelling of a known place may be tried for it.
SURE_LOCATIVES = {"in", "near", "outside", "around", "into"}
PLACE_NOUNS = {"town", "village", "city", "district", "camp", "outskirts", "province", "region", "suburb",
               "towns", "villages", "cities", "districts", "camps", "localities", "locality",
               "neighbourhood", "neighborhood", "governorate"}


#: Nouns that make a name before them a site: "at the El Salini base", "on the Buea-Kumba road".
FACILITY_NOUNS = {"base", "airbase", "camp", "barracks", "checkpoint", "outpost", "gate", "road", "highway",
                  "bridge", "prison", "airport", "junction", "crossing", "market", "dam", "refinery", "mine",
                  "village", "town", "camp", "post"}
#: Words between a site's name and its noun: "Dioura army camp", "Kilo Sita military base".
FACILITY_MODIFIERS = {"army", "military", "police", "cattle", "refugee", "displacement", "idp", "border", "naval",
                      "air", "security"}
#: Facility nouns that name a settlement, written after its name without an article ("Khuafo village").
SETTLEMENT_NOUNS = {"village", "town", "camp"}


def listed_after_places(doc, gazetteer: Gazetteer, mentions: list[PlaceMention], offset: int) -> list[PlaceMention]:
    """ "the towns of Goma, Sake and Rutshuru": a name the small model calls a person, listed right
    after places, is the list's next place."""
    found = []
    ends = {m.end - offset for m in mentions}
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or ent.start < 2 or ent.end - ent.start > 3:
            continue
        glue = doc[ent.start - 1]
        if glue.lower_ not in (",", "and", "or"):
            continue
        before = doc[ent.start - 2] if glue.lower_ != "and" or doc[ent.start - 2].text != "," else doc[ent.start - 3]
        if before.idx + len(before) not in ends:
            continue
        cands = candidates_for(ent.text, gazetteer)
        if cands:
            found.append(PlaceMention(ent.start_char + offset, ent.end_char + offset, ent.text, "GAZ",
                                      ent.sent.start_char + offset, candidates=cands, score=LOCATIVE_BONUS))
    return found


#: ", a village about 100 km north of the capital": the name before it is a settlement.
SETTLEMENT_APPOSITION = re.compile(r",\s+an?\s+(?:(?:small|remote|tiny|large|farming|fishing|border|mountain|rural|"
                                   r"desert)\s+)?(?:village|town|hamlet|locality|settlement|district|commune)\b")


def places_by_apposition(doc, gazetteer: Gazetteer, offset: int) -> list[PlaceMention]:
    """ "Baibangou, a village about 100 km north of Niamey": a name the gazetteer lacks, said to be a
    village or town, is kept by name."""
    found = []
    token_ending_at = {t.idx + len(t): t for t in doc}
    for m in SETTLEMENT_APPOSITION.finditer(doc.text):
        end_tok = token_ending_at.get(m.start())
        if end_tok is None or not is_name_token(end_tok):
            continue
        first = end_tok.i
        while first > 0 and is_name_token(doc[first - 1]) and end_tok.i - first < 3:
            first -= 1
        span = doc[first:end_tok.i + 1]
        cands = candidates_for(span.text, gazetteer)
        found.append(PlaceMention(span.start_char + offset, span.end_char + offset, span.text, "GAZ",
                                  span.sent.start_char + offset, candidates=cands, score=LOCATIVE_BONUS,
                                  likely_place=True))
    return found


def named_sites(doc, gazetteer: Gazetteer, offset: int) -> list[PlaceMention]:
    """Sites the gazetteer lacks, named by capitalised words before a facility noun and placed by
    a locative: "at the El Salini base", "on the Mamfe-Eyumojock road". Kept by name, unresolved;
    "the Mogadishu airport" is left to its town."""
    found = []
    for noun in doc:
        if noun.lower_ not in FACILITY_NOUNS or noun.pos_ != "NOUN":
            continue
        first = noun.i
        if first > 1 and doc[first - 1].lower_ in FACILITY_MODIFIERS and is_name_token(doc[first - 2]):
            first -= 1  # "Dioura army camp", "Pangonkuei cattle camp"
        while first > 0 and (is_name_token(doc[first - 1]) or (doc[first - 1].text in "-–" and first > 1
                                                                  and is_name_token(doc[first - 2]))):
            first -= 1
        if first == noun.i or not is_name_token(doc[first]) or noun.i - first > 5:
            continue
        before = first - 1
        # "at the El Salini base"; a settlement needs no article: "on Khuafo village".
        if before >= 0 and doc[before].lower_ == "the":
            before -= 1
        elif noun.lower_ not in SETTLEMENT_NOUNS:
            continue
        if before < 0 or doc[before].lower_ not in LOCATIVE_WORDS | {"on", "overran", "stormed", "attacked"}:
            continue
        if candidates_for(doc[first:noun.i].text, gazetteer):
            continue
        start, end = doc[first].idx, noun.idx + len(noun)
        found.append(PlaceMention(start + offset, end + offset, doc.text[start:end], "FAC",
                                  doc[first].sent.start_char + offset, likely_place=True))
    return found


def names_a_place_here(doc, start: int) -> bool:
    prev = doc[start - 1].lower_ if start > 0 else ""
    if prev in ("al", "el") and start > 1:  # "the village of al-Zara"
        prev = doc[start - 2].lower_
    before = doc[start - 2].lower_ if start > 1 else ""
    return prev in SURE_LOCATIVES or (prev == "of" and before in PLACE_NOUNS)


def candidates_for(text: str, gazetteer: Gazetteer, loose: bool = False) -> tuple[Place, ...]:
    """Places a mention can name; with `loose`, for a name already known to be a place, also its
    other spellings ("Halfayeh" for Halfaya), when no exact spelling is known."""
    for form in lookup_forms(text):
        found = gazetteer.candidates(form)
        if found:
            return found
    if loose:
        for form in lookup_forms(text):
            found = tuple(p for p in gazetteer.loose_candidates(form) if p.feature not in ("country", "continent"))
            if found:
                return found
    return ()


def gazetteer_only_mentions(doc, gazetteer: Gazetteer, taken: list[bool], offset: int) -> list[PlaceMention]:
    """Runs of capitalised proper nouns spaCy did not label that the gazetteer knows."""
    found = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if taken[i] or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < 4 and not taken[j] and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
            j += 1
        span = doc[i:j]
        cands = gazetteer.candidates(span.text)
        if cands:
            prev = doc[i - 1].lower_ if i > 0 else ""
            found.append(PlaceMention(span.start_char + offset, span.end_char + offset, span.text, "GAZ",
                                      span.sent.start_char + offset, candidates=cands,
                                      score=1.0 if prev in LOCATIVE_WORDS else 0.0))
        i = j
    return found


@dataclass
class PlaceContext:
    """What an article tells us about where it is: its countries and the places already resolved."""

    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    resolved: list[Place] = field(default_factory=list)
    #: One sense per article: a name resolved once means the same place again.
    by_name: dict[str, Place] = field(default_factory=dict)

    def country_share(self, code: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries[code] / total if total and code else 0.0


def candidate_score(place: Place, text: str, ctx: PlaceContext, admin1_hint: str | None) -> float:
    score = FEATURE_PRIOR.get(place.feature, 0.0) + POPULATION_WEIGHT * math.log10(place.population + 1)
    score += CONTEXT_COUNTRY_WEIGHT * ctx.country_share(place.country)
    if admin1_hint and place.admin1 and name_key(place.admin1) == name_key(admin1_hint):
        score += ADMIN1_HINT_WEIGHT
    if name_key(place.name) in {name_key(f) for f in lookup_forms(text)}:
        score += MAIN_NAME_WEIGHT
    if place.source.startswith("flashpoint"):
        score += 1.0
    return score


#: An article is about one country when that country holds this share of its place names.
FOCUS_SHARE = 0.5
#: A town abroad this big may be named in any story ("Dnipro" where only "Russian" named a country);
#: a smaller one in a story about other countries is more likely a local place the gazetteer lacks
#: ("Haram" in Idlib, not Haram in Norway). For an event's place (`strict`) the rule holds for every
#: town abroad up to this size; for plain geoparsing of general news only for alternate names.
FOREIGN_TOWN_MIN_POPULATION = 100_000
FOREIGN_ALIAS_MIN_POPULATION = 100_000
#: How alike (difflib ratio) a written name and a place's main name must be to count as another
#: spelling of it: "Mykolaiv"/"Mykolayiv" 0.94, "Saraqeb"/"Saraqib" 0.86, "Boni"/"Bonn" 0.75.
SPELLING_MIN_SIMILARITY = 0.8
LOCAL_FEATURES = {"town", "village", "camp", "point", "road", "admin2"}
#: Bonus for a candidate this close (km) to a place the article already resolved ("Otradnoye near Belgorod").
NEAR_KM = 150.0
NEARNESS_WEIGHT = 2.0


def focus_country(ctx: PlaceContext) -> str | None:
    """The country an article is about, when one clearly dominates its place names."""
    top = ctx.countries.most_common(1)
    return top[0][0] if top and ctx.country_share(top[0][0]) >= FOCUS_SHARE else None


def foreign_to_article(place: Place, text: str, ctx: PlaceContext, strict: bool = False) -> bool:
    """A small town abroad, or one found only by an alternate name, in a story about another country."""
    if ctx.countries[place.country] > 0 or place.feature not in LOCAL_FEATURES or not ctx.countries:
        return False
    forms = lookup_forms(text)
    main_name = name_key(place.name) in {name_key(f) for f in forms}
    if strict:  # the context holds every country the whole article names
        # Another spelling of its main name ("Khan Younis" for Khan Yunis) is still its name; a
        # name that only shares consonants with it ("Boni" for Bonn) or an alternate name in
        # another tongue is more likely a local place the gazetteer lacks.
        spelled = main_name or any(spelling_similarity(place.name, f) >= SPELLING_MIN_SIMILARITY for f in forms)
        return place.population < FOREIGN_TOWN_MIN_POPULATION or not spelled
    if focus_country(ctx) is None:
        return False
    return not main_name and place.population < FOREIGN_ALIAS_MIN_POPULATION


def spelling_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, name_key(a), name_key(b)).ratio()


def nearness_bonus(place: Place, ctx: PlaceContext) -> float:
    if place.lat is None:
        return 0.0
    for other in ctx.resolved:
        if other.feature in LOCAL_FEATURES | {"capital"} and other.lat is not None and \
                distance_km(place.lat, place.lon, other.lat, other.lon) <= NEAR_KM:
            return NEARNESS_WEIGHT
    return 0.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = (math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


NEAR_AFTER = re.compile(r"\s*,?\s+(?:near|outside|close to|on the outskirts of)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?"
                        r"([A-Z][\w\-'’]+(?:\s[A-Z][\w\-'’]+)?)")


@lru_cache(maxsize=1)
def agency_names() -> frozenset[str]:
    """Wire services' names (data/agencies.tsv): "Xinhua reported" names a source, not a town."""
    return frozenset(name_key(alias) for _, alias, *_ in data_rows("agencies.tsv"))


def is_agency_name(text: str) -> bool:
    return name_key(text) in agency_names()


def near_anchor(text: str, end: int, gazetteer: Gazetteer, ctx: PlaceContext) -> Place | None:
    """The town a place is said to lie near ("Otradnoye near Belgorod"), when the gazetteer knows it."""
    m = NEAR_AFTER.match(text, end)
    if not m:
        return None
    known = ctx.by_name.get(name_key(m.group(1)))
    found = [known] if known is not None else [p for p in gazetteer.candidates(m.group(1))
                                               if p.feature in ("town", "capital", "admin1", "region")]
    found = [p for p in found if p.lat is not None]
    return found[0] if found else None


def admin1_hint_after(text: str, end: int) -> str | None:
    """A province named right after a place: "Saraqeb, in Idlib province" or "Kafr Nabl, Idlib"."""
    m = re.match(r"\s*(?:,|\bin)\s*(?:the\s+)?(?:(?:northern|southern|eastern|western|central)\s+)?"
                 r"([A-Z][\w\-']+(?:\s[A-Z][\w\-']+)?)\s*(?:province|governorate|region|state|oblast)?",
                 text[end:end + 60])
    return m.group(1) if m else None


def area_candidates(m: PlaceMention, ctx: PlaceContext, text: str = "") -> tuple[Place, ...]:
    """ "Soum province", "Gourma region", "Timbuktu region": an area, so a town of that name will
    not do where the gazetteer has the area; a town abroad will not do either, only areas or places
    in a country the article is about."""
    words = m.text.split()
    suffixed = len(words) >= 2 and words[-1].lower() in ADMIN_SUFFIXES
    after = SUFFIX_AFTER.match(text, m.end) if 0 <= m.end <= len(text) and name_key(text[m.start:m.end]) == name_key(m.text) else None
    if not (suffixed or after):
        # "Mykolaiv" alone is the city, not the province named after it.
        towns = {(p.country, p.admin1_code) for p in m.candidates if p.feature in LOCAL_FEATURES | {"capital"}}
        return tuple(p for p in m.candidates
                     if not (p.source == "geonames-divisions" and (p.country, p.admin1_code) in towns))
    areas = tuple(p for p in m.candidates if p.feature in ("admin1", "admin2", "region"))
    if areas:
        return areas  # "Belgorod Region", "Timbuktu region": the province, where the gazetteer has it
    # A big city may stand for the province named after it ("Kaduna State"); a village abroad may not.
    return tuple(p for p in m.candidates if p.feature in ("admin1", "admin2", "region") or p.country in ctx.countries
                 or p.population >= PROVINCE_CAPITAL_POPULATION)


def resolve_mentions(mentions: list[PlaceMention], text: str, gazetteer: Gazetteer,
                     ctx: PlaceContext | None = None, strict: bool = False) -> PlaceContext:
    """Pick one place per mention, in place. Unresolvable or too weak mentions keep place=None.
    `strict`: the context holds the whole article's countries, so a small town abroad is refused."""
    ctx = ctx or PlaceContext()
    # First pass: countries and demonyms set the article's geography.
    for m in mentions:
        if m.demonym or (m.candidates and m.candidates[0].feature == "country"):
            m.place = m.candidates[0]
            ctx.countries[m.place.country] += 1
    for m in mentions:
        if m.place is not None or not m.candidates:
            continue
        known = ctx.by_name.get(name_key(m.text))
        if known is not None:
            m.place, m.score = known, GAZETTEER_ONLY_MIN_SCORE
            continue
        hint = admin1_hint_after(text, m.end)
        candidates = tuple(p for p in area_candidates(m, ctx, text) if not foreign_to_article(p, m.text, ctx, strict))
        anchor = near_anchor(text, m.end, gazetteer, ctx)
        if anchor is not None and strict:
            # "the village of Otradnoye near Belgorod": only a namesake within reach of Belgorod will do.
            candidates = tuple(p for p in candidates if p.lat is None or
                               distance_km(p.lat, p.lon, anchor.lat, anchor.lon) <= NEAR_KM)
            if not candidates:
                m.likely_place = True  # a village near a known town that the gazetteer lacks
                continue
        if not candidates:
            m.likely_place = m.likely_place or (strict and bool(m.candidates) and m.label != "GAZ"
                                                and not is_agency_name(m.text))
            continue
        scored = sorted(((candidate_score(p, m.text, ctx, hint) + nearness_bonus(p, ctx), p) for p in candidates),
                        key=lambda sp: -sp[0])
        best_score, best = scored[0]
        if m.label == "GAZ" and best_score + m.score < GAZETTEER_ONLY_MIN_SCORE:
            continue
        m.place, m.score = best, best_score
        ctx.by_name[name_key(m.text)] = best
        if best.country:
            ctx.countries[best.country] += 0.5
        if best.admin1:
            ctx.admin1[best.admin1] += 1
        ctx.resolved.append(best)
    return ctx
