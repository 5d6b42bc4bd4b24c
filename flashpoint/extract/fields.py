"""Fields: what an incident finally says, and the event record the contract writes.

    link_denials(incidents); fill_missing_sides(incidents, scope); to_event(incident, article, ids)

Who reports each incident, whether a party denies it (and which account counters it), the side
an unnamed battle had, a confidence, and the JSON record of DESIGN.md.
"""

from __future__ import annotations

import re

from flashpoint.extract.context import ArticleScope
from flashpoint.extract.lexicon import ACLED_FAMILIES, PLOVER_CAMEO, PLOVER_FAMILIES, load_lexicon
from flashpoint.extract.mentions import Mention, reporter_name
from flashpoint.extract.sentences import Sentence
from flashpoint.extract.typing import sub_event_type
from flashpoint.model import Article, Event
from flashpoint.resolve.actors import GENERIC_NAMES, Actor


#: "Oleksandr Prokudin, the head of the regional administration, said this on Facebook": the sentence
#: after a report that names its source.
SAID_THIS = re.compile(r"^(?P<who>[^\"“”]{3,160}?)\s+(?:said|reported|wrote|announced|stated|posted|confirmed)\s+"
                       r"(?:this|so|that on|the news)\b")


#: "Witnesses said the two were members of Hamas": the next sentence opens with who told of it.
NEXT_SOURCE = re.compile(r"^(?P<who>(?:(?:local|several|two|three|other|hospital|medical|security|military|police)\s+)?"
                         r"(?:witnesses|residents|medics|doctors|rescuers|villagers|officials|sources|activists|"
                         r"survivors|relatives))\s+(?:said|say|told|reported)\b", re.I)


def attribute_from_next_sentence(drafts: list[Mention], sentences: list[Sentence], scope: "ArticleScope") -> None:
    """An event told without a source takes the one the next sentence names for it."""
    for d in drafts:
        if d.reporter is not None:
            continue
        last = min(e.index for e in d.evidence)
        if last + 1 >= len(sentences):
            continue
        m = SAID_THIS.match(sentences[last + 1].text) or NEXT_SOURCE.match(sentences[last + 1].text)
        if m:
            d.reporter, d.reporter_rank = reporter_name(m.group("who"), scope)
            d.reporter_actor = scope.reporter_actor(m.group("who")) or \
                (scope.reporter_actor(d.reporter) if d.reporter_rank == 2 else None)


DENIAL_WORDS = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|refutes)\b")


def contest_by_denial_of_the_accused(drafts: list[Mention], sentences: list[Sentence], scope: "ArticleScope") -> None:
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


def link_denials(drafts: list[Mention]) -> None:
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


def fill_missing_sides(drafts: list[Mention], scope: ArticleScope) -> None:
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


#: Sub-types whose unnamed perpetrator ACLED writes as "Unidentified Armed Group (country)": a
#: bomb, a raid, a kidnapping nobody claimed. An air strike's unnamed author stays unnamed: only
#: some states fly, and the article may not say which.
UNIDENTIFIED_PERPETRATOR_TYPES = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Attack",
                                  "Abduction/forced disappearance", "Sexual violence",
                                  "Shelling/artillery/missile attack", "Armed clash"}


def name_unknown_perpetrators(incidents: list[Mention], scope: ArticleScope) -> None:
    """An incident with victims or a target but no named perpetrator was done by an unidentified
    armed group of the country where it happened (ACLED's naming); an air strike told without its
    author, by the only air force the same story names striking."""
    striking_states = {d.actor1.name: d.actor1 for d in incidents if d.acled and d.sub_event_type == "Air/drone strike"
                       and d.actor1 is not None and d.actor1.kind == "state"}
    for d in incidents:
        if d.acled and d.actor1 is None and d.sub_event_type == "Air/drone strike" and len(striking_states) == 1:
            # "two more were killed in another air strike": by the one air force the story has striking.
            d.actor1 = next(iter(striking_states.values()))
            continue
        if not d.acled or d.actor1 is not None or d.sub_event_type not in UNIDENTIFIED_PERPETRATOR_TYPES:
            continue
        if d.sub_event_type == "Armed clash" and d.actor2 is None:
            continue  # "fighting broke out": nobody named on either side
        d.actor1 = generic_actor("unidentified", GENERIC_NAMES["unidentified"], incident_country(d, scope), scope)


#: Sub-types in which unnamed unarmed victims are "Civilians (country)", as ACLED names them.
CIVILIAN_VICTIM_TYPES = {"Attack", "Abduction/forced disappearance", "Sexual violence", "Suicide bomb",
                         "Remote explosive/landmine/IED", "Air/drone strike", "Shelling/artillery/missile attack",
                         "Grenade"}
#: Demonstrations: the demonstrators are actor1 and whoever intervened actor2 (ACLED's order).
DEMONSTRATION_SUB_TYPES = {"Peaceful protest", "Protest with intervention", "Violent demonstration"}


DEATH_WORDS = re.compile(r"(?i)\b(?:killed|killing|dead|died|death|deaths|shot dead|slain|murdered|massacred|"
                         r"executed|lost (?:their|his|her) li(?:fe|ves)|fatal(?:ly)?)\b")


def count_the_unhurt_dead(incidents: list[Mention]) -> None:
    """ACLED writes 0 dead, not unknown, for an incident told with its wounded and no dead ("two
    fighters were wounded"), and for a weapon shot down before it hit."""
    for d in incidents:
        told_deaths = any(DEATH_WORDS.search(s.text) for s in d.evidence)  # a death whose count was not read
        if d.acled and d.killed is None and not told_deaths and (d.injured or d.sub_event_type == "Disrupted weapons use"):
            d.killed = 0


def generic_actor(kind: str, name_template: str, country: str | None, scope: ArticleScope) -> Actor:
    return Actor(text="", name=name_template.format(country=scope.country_name(country)), kind=kind, country=country)


def incident_country(d: Mention, scope: ArticleScope) -> str | None:
    return d.place.country if d.place is not None and d.place.country else scope.country


def name_unknown_victims(incidents: list[Mention], scope: ArticleScope) -> None:
    """ "killing nine residents", "a passer-by and residents were killed": unnamed unarmed victims
    are the civilians of the country where it happened."""
    for d in incidents:
        if d.acled and d.actor2 is None and d.civilian_victims and d.sub_event_type in CIVILIAN_VICTIM_TYPES:
            d.actor2 = generic_actor("civilians", GENERIC_NAMES["civilians"], incident_country(d, scope), scope)


def order_demonstration_sides(incidents: list[Mention], scope: ArticleScope) -> None:
    """A demonstration's actor1 is its demonstrators ("Rioters (X)" once violent), actor2 the force
    that met it: "police fired tear gas to disperse protesters" is Protesters / Police."""
    for d in incidents:
        if d.sub_event_type not in DEMONSTRATION_SUB_TYPES:
            continue
        crowd = next((a for a in (d.actor1, d.actor2) if a is not None and a.kind == "protesters"), None)
        force = next((a for a in (d.actor1, d.actor2) if a is not None and a.kind != "protesters"), None)
        country = incident_country(d, scope)
        if d.sub_event_type == "Violent demonstration":
            crowd = generic_actor("protesters", "Rioters ({country})", (crowd.country if crowd else None) or country, scope)
        elif crowd is None:
            crowd = generic_actor("protesters", GENERIC_NAMES["protesters"], country, scope)
        if d.sub_event_type == "Peaceful protest":
            force = None  # nobody intervened; "in opposition to the coup" names no party
        d.actor1, d.actor2 = crowd, force


def confidence(d: Mention) -> float:
    score = 0.5 + 0.1 * d.place_in_clause + 0.1 * (d.actor1 is not None or d.actor2 is not None)
    score += min(0.15, 0.05 * (len(d.evidence) - 1)) + 0.05 * bool(d.when and d.when.explicit)
    if d.contested and d.denial:
        score -= 0.15
    if d.place is None:
        score -= 0.2
    if d.typing_probability is not None:
        score = (score + d.typing_probability) / 2  # typed by the model: as sure as the model is
    return round(max(0.05, min(0.99, score)), 2)


def to_event(d: Mention, article: Article, ids: dict[int, str], body: str) -> Event:
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
