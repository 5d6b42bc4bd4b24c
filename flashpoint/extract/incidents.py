"""Incidents: the mentions of one incident in an article become one event.

    incidents = merge_mentions(fold_toll_reports(mentions))

Mentions join when their places agree (the same place, a place inside the other, or within
SAME_INCIDENT_KM), their days overlap and their sides do not conflict, whatever sub-type each
sentence suggested; the incident's type is then decided once from all of them by the precedence
table in data/precedence.tsv.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.extract.lexicon import load_lexicon
from flashpoint.extract.mentions import Mention
from flashpoint.extract.where import SPECIFICITY
from flashpoint.resolve.actors import ARMED_KINDS, STATE_KINDS, Actor, ActorCatalog
from flashpoint.resolve.gazetteer import Place, name_key
from flashpoint.resolve.places import distance_km


#: Verbs that only report a toll ("23 people were wounded"): with no perpetrator and nothing
#: new about place or day, such a sentence adds the toll of the incident just reported.
CASUALTY_TRIGGERS = {"kill", "wound", "injure"}


#: Incidents whose toll such a sentence can complete (territorial changes carry the fighting's dead).
TOLL_TARGET_FAMILIES = {"violence", "clash", "strike", "shell", "explode", "capture", "lose"}


#: An undated mention defaults to the report's day; it may tell an incident dated this many days before.
UNDATED_SLACK_DAYS = 7
#: Two mentions of one incident lie within this distance (km) of each other.
SAME_INCIDENT_KM = 25.0


def km(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


#: Families whose sub-types never join another sub-type: each is its own kind of development.
SEPARATE_SUB_TYPES = {"Arrests", "Agreement", "Change to group/activity", "Headquarters or base established",
                      "Non-violent transfer of territory", "Other"}
TERRITORIAL = {"Non-state actor overtakes territory", "Government regains territory"}
#: Sub-types of a violent incident an analyst reads as one: the fighting, what was fired, the
#: dead, the damage, the abductions; a protest joins the force used on it.
VIOLENT_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def inside(area: Place, spot: Place) -> bool:
    """Whether `spot` lies in `area`: a country holds its places, a province its towns."""
    if area.country != spot.country or not area.country:
        return False
    if area.feature in ("country", "continent"):
        return True
    if area.feature not in ("admin1", "region"):
        return False
    if area.admin1_code and area.admin1_code == spot.admin1_code:
        return True
    # A place the gazetteer lacks only knows its province by name ("Haram" in Idlib).
    return is_unresolved(spot) and bool(spot.admin1) and name_key(spot.admin1) in (name_key(area.name),
                                                                                      name_key(area.admin1 or ""))


#: Words that name the kind of site after its name: "Soumpi camp" is the camp at Soumpi.
SITE_WORDS = re.compile(r"\s+(?:army\s+|military\s+|police\s+|cattle\s+)?(?:camp|base|village|town|checkpoint|outpost|market)$")


def site_key(name: str) -> str:
    return name_key(SITE_WORDS.sub("", name_key(name)))


def is_unresolved(place: Place) -> bool:
    return place.lat is None


def same_area(a: Place | None, b: Place | None, spots_only: bool = False) -> bool:
    """The same place, one inside the other, or two spots within SAME_INCIDENT_KM. With
    `spots_only`, a province does not hold a town: both must name the spot."""
    if a is None or b is None:
        return True  # a mention with no place of its own happened where the rest did
    if a.id == b.id or (a.geonameid and a.geonameid == b.geonameid):
        return True
    if a.country != b.country:
        return False
    if not spots_only and (inside(a, b) or inside(b, a)):
        return True
    if spots_only and max(SPECIFICITY.get(a.feature, 3), SPECIFICITY.get(b.feature, 3)) > 0:
        return False
    if is_unresolved(a) or is_unresolved(b):
        # A village the gazetteer lacks is only known by its name and its area.
        return site_key(a.name) == site_key(b.name)
    return km(a, b) <= SAME_INCIDENT_KM


def event_type_of(sub_type: str | None) -> str | None:
    return load_lexicon().ontology[sub_type][0] if sub_type else None


#: A demonstration and the riot it turned into are told from both sides ("protesters burned the
#: office as police fired tear gas"): one kind of event for telling who acted.
DEMONSTRATION_TYPES = {"Protests", "Riots"}


def kind_of_event(sub_type: str | None) -> str | None:
    event_type = event_type_of(sub_type)
    return "demonstration" if event_type in DEMONSTRATION_TYPES else event_type


def types_may_join(a: str | None, b: str | None) -> bool:
    """Whether two sub-types can be one incident: any two violent or protest types may; a
    strategic development (an arrest, an agreement) stays an event of its own."""
    if a == b:
        return True
    if a in SEPARATE_SUB_TYPES or b in SEPARATE_SUB_TYPES:
        return False
    if a in TERRITORIAL and b in TERRITORIAL:
        return False  # a capture and a recapture are two changes of hands
    return True


def same_actor(a: Actor, b: Actor) -> bool:
    """The same actor, or an unnamed one ("gunmen", "the militants") and a named group of its side."""
    return a.name == b.name or (not (a.named and b.named) and a.side == b.side == "non-state")


def sides_agree(a: Mention, b: Mention) -> bool:
    """No conflict between who acted: the same perpetrator, or one left unnamed. Within one event
    type the sides may be told the other way round ("rebels attacked troops", "troops repelled
    rebels"); across types (a capture, then the other side's air strike on it) they may not."""
    peaceful = "Peaceful protest" in (a.sub_event_type, b.sub_event_type)  # its "actor2" is no participant
    if a.sub_event_type != b.sub_event_type and a.actor2 is not None and b.actor2 is not None \
            and a.actor2.side != b.actor2.side and not peaceful:
        return False  # rockets that killed civilians and a strike that killed soldiers: two incidents
    if a.sub_event_type != b.sub_event_type and a.killed and b.killed and \
            (a.killed != b.killed or victims_differ(a, b)):
        return False  # each with a toll of its own: two incidents, not one told twice
    if a.actor1 is None or b.actor1 is None or same_actor(a.actor1, b.actor1):
        return True
    if kind_of_event(a.sub_event_type) != kind_of_event(b.sub_event_type):
        return False
    reversed_roles = (a.actor2 is not None and same_actor(a.actor2, b.actor1)) or \
        (b.actor2 is not None and same_actor(b.actor2, a.actor1))
    # Two parties' accounts with opposite perpetrators stay two claims, each with its source; two
    # sources of one side ("a military source", "a second military source") tell one clash.
    return reversed_roles and not opposing_parties(a, b)


def victims_differ(a: Mention, b: Mention) -> bool:
    """One toll of unarmed people, the other of fighters: "killing two people", "two soldiers were killed"."""
    def armed(m: Mention) -> bool:
        return m.actor2 is not None and m.actor2.kind in ARMED_KINDS
    return (a.civilian_victims and armed(b)) or (b.civilian_victims and armed(a))


def opposing_parties(a: Mention, b: Mention) -> bool:
    """Two accounts from parties of different sides (the army's and the rebels')."""
    if a.reporter is None or b.reporter is None or a.reporter == b.reporter:
        return False
    ra, rb = a.reporter_actor, b.reporter_actor
    if ra is None or rb is None:
        return ra is not None or rb is not None  # a party's account against a neutral one
    return ra.side != rb.side


def days_agree(a: Mention, b: Mention) -> bool:
    # An undated retelling ("They came at dusk and fired on everyone") only defaults to the report's
    # day: only two stated dates can tell mentions apart.
    # Mentions of one type a day apart may be one night's incident told twice; of two types they
    # are two incidents ("an air strike on Wednesday", "the town was retaken on Thursday").
    slack = 1 if a.sub_event_type == b.sub_event_type else 0
    if a.when and b.when and a.when.explicit and b.when.explicit and not a.when.overlaps(b.when, slack):
        return False
    if a.sub_event_type != b.sub_event_type and a.when and b.when and not a.when.overlaps(b.when, UNDATED_SLACK_DAYS):
        return False  # an undated mention of another kind is of the report's week, not weeks-old history
    # A campaign over days ("seized 60 towns over three days") holds many incidents of other kinds.
    spans_days = any(m.when is not None and m.when.explicit and m.when.days > 1 for m in (a, b))
    return not (spans_days and a.sub_event_type != b.sub_event_type)


def same_incident(a: Mention, b: Mention) -> bool:
    if a.denial != b.denial or (a.denial and a.reporter != b.reporter):
        return False
    # Two triggers of one sentence ("raided a commune at Bourasso in Kossi province, killing 22")
    # tell one act; their places are nested even when the gazetteer cannot say so.
    one_sentence = a.sentence.index == b.sentence.index
    # Two kinds of event placed in their own clauses join only on the same spot: "an air strike in
    # Idlib province" is not the capture of a town in it. A placeless mention, or one of the same
    # kind, may be placed more or less precisely.
    spots_only = a.sub_event_type != b.sub_event_type and a.place_in_clause and b.place_in_clause
    if a.distinct or b.distinct:
        # "in another air strike on Deir el-Ballah": only the same spot, told twice, is one incident.
        same_place = a.place is not None and b.place is not None and (
            a.place.id == b.place.id or name_key(a.place.name) == name_key(b.place.name))
        return (not one_sentence and same_place and types_may_join(a.sub_event_type, b.sub_event_type)
                and days_agree(a, b) and sides_agree(a, b))
    return (types_may_join(a.sub_event_type, b.sub_event_type)
            and (one_sentence or same_area(a.place, b.place, spots_only) or borrowed_place_agrees(a, b))
            and days_agree(a, b) and sides_agree(a, b))


def borrowed_place_agrees(a: Mention, b: Mention) -> bool:
    """A mention of one kind placed only by the last place the story named ("There are dead soldiers,
    others are missing") is told of the incident in that province, not of a new one."""
    if a.sub_event_type != b.sub_event_type or (a.place_in_clause and b.place_in_clause):
        return False
    if a.place is None or b.place is None or a.place.country != b.place.country:
        return False
    if a.place_text and b.place_text and site_key(a.place.name) != site_key(b.place.name):
        return False  # each names its own place (Tillia, Baibangou): a shared province is no evidence
    return bool(a.place.admin1) and name_key(a.place.admin1) == name_key(b.place.admin1 or "")


def refers_to(anaphor: Mention, incident: Mention) -> bool:
    return (anaphor.denial == incident.denial and incident.sentence.index < anaphor.sentence.index
            and types_may_join(incident.sub_event_type, anaphor.sub_event_type)
            and days_agree(incident, anaphor) and sides_agree(incident, anaphor))


@lru_cache(maxsize=1)
def precedence() -> dict[str, int]:
    """Rank of each sub-type when one incident's mentions suggest several (data/precedence.tsv)."""
    return {row[0]: int(row[1]) for row in data_rows("precedence.tsv")}


def decide_sub_type(incident: Mention) -> str | None:
    """The incident's sub-type from all its mentions: the highest in the precedence table, except
    that a one-sided attack and a clash are told apart by whether anyone armed was on the other end,
    and lethal force at a protest is excessive force whatever sentence said it."""
    types = [m.sub_event_type for m in incident.mentions if m.sub_event_type]
    if not types:
        return incident.sub_event_type
    rank = precedence()
    best = max(types, key=lambda t: rank.get(t, 0))
    if best in REMOTE_TYPES and "Disrupted weapons use" in types and not incident.killed and not incident.injured:
        return "Disrupted weapons use"  # the missile was shot down before it hit anyone
    if best == "Armed clash" and "Attack" in types and not armed_on_both_sides(incident) and unarmed_victims(incident):
        # No armed side was hit: one-sided violence, typed by what else was done to the victims
        # (an abduction over a bare attack).
        best = max((t for t in types if t != "Armed clash"), key=lambda t: rank.get(t, 0))
    protest = {"Protest with intervention", "Peaceful protest"} & set(types)
    if protest and best in protest | {"Attack"} and any(lethal_force_by_the_state(m) for m in incident.mentions):
        best = "Excessive force against protesters"
    return best


#: Weapons fired from afar: when the incident is only their interception, it is a disrupted use.
REMOTE_TYPES = {"Shelling/artillery/missile attack", "Air/drone strike"}


def unarmed_victims(incident: Mention) -> bool:
    """Someone unarmed was hit: "armed clashes" with nobody named on the other end stay a clash."""
    return any(m.civilian_victims or (m.actor2 is not None and m.actor2.kind in ("civilians", "protesters"))
               for m in incident.mentions)


def armed_on_both_sides(incident: Mention) -> bool:
    return any(m.actor2 is not None and m.actor2.kind in ARMED_KINDS for m in incident.mentions)


def lethal_force_by_the_state(m: Mention) -> bool:
    return m.actor1 is not None and m.actor1.kind in STATE_KINDS and bool(m.killed)


def place_rank(m: Mention) -> tuple[int, int]:
    """How precisely a mention places its incident: a named spot before a province or a country,
    a place the gazetteer knows before one it lacks, the event's own clause before elsewhere."""
    if m.place is None:
        return 9, 9
    return SPECIFICITY.get(m.place.feature, 3), int(not m.place_in_clause)


def names_the_source_better(later: Mention, first: Mention) -> bool:
    """The incident keeps the source of its first account, unless a later sentence names it better:
    a monitor or organisation by name ("the Syrian Observatory"), or the very party that first spoke
    ("rebels said" -> "the National Liberation Front said"). A party's claim never replaces a
    neutral account, nor a second witness the first."""
    if later.reporter_rank <= first.reporter_rank or later.reporter_rank < 2:
        return False
    later_party, first_party = party_of(later), party_of(first)
    if later_party is None:
        return True
    return first_party is not None and first_party.side == later_party.side


def party_of(m: Mention) -> Actor | None:
    """The party a source speaks for: its actor, or the armed group its name holds ("al-Shabaab")."""
    if m.reporter_actor is not None or not m.reporter:
        return m.reporter_actor
    group = ActorCatalog.load().named_group(m.reporter)
    if group is not None and group[1] in ARMED_KINDS:
        return Actor(m.reporter, group[0], group[1], group[2], named=True)
    return None


def conservative_toll(a: Mention, b: Mention) -> tuple[int | None, bool]:
    """The incident's dead when two accounts give a count: the lower (ACLED's conservative figure: a
    lead may total several incidents, an estimate may run high), except that a toll told by side
    ("six soldiers and four rebels") counts every side's dead and stands over one side's count."""
    if a.killed is None or b.killed is None:
        return (a.killed, a.toll_by_side) if b.killed is None else (b.killed, b.toll_by_side)
    if a.toll_by_side != b.toll_by_side:
        return (a.killed, True) if a.toll_by_side else (b.killed, True)
    return min(a.killed, b.killed), a.toll_by_side


def absorb(into: Mention, other: Mention) -> None:
    """Fold a second mention of the same incident into the first, keeping the best of each field."""
    into.evidence.extend(other.evidence)
    into.mentions.extend(other.mentions or [other])
    for attr in ("actor1", "actor2"):
        mine, theirs = getattr(into, attr), getattr(other, attr)
        if mine is None or (theirs is not None and theirs.named and not mine.named):
            setattr(into, attr, theirs)
    into.assoc.extend(a for a in other.assoc if a.name not in {x.name for x in into.assoc})
    if place_rank(other) < place_rank(into):
        into.place, into.place_text, into.place_in_clause = other.place, other.place_text, other.place_in_clause
    if other.when and other.when.explicit and (into.when is None or not into.when.explicit or other.when.days < into.when.days):
        into.when = other.when
    into.killed, into.toll_by_side = conservative_toll(into, other)
    into.injured = into.injured if into.injured is not None else other.injured
    if other.reporter and (into.reporter is None or names_the_source_better(other, into)):
        into.reporter_actor = other.reporter_actor
        into.reporter, into.reporter_rank = other.reporter, other.reporter_rank
    into.counter |= other.counter
    into.weapon = into.weapon or other.weapon
    into.civilian_victims = into.civilian_victims or other.civilian_victims


#: "several people were wounded or killed": a toll without a number is still only a toll.
VAGUE_TOLL = re.compile(r"(?i)\b(?:several|many|dozens|scores|a number of|some)\s+(?:\w+\s+){0,2}(?:were|have been|had been)\s+"
                        r"(?:\w+\s+){0,2}(?:killed|wounded|injured|hurt)\b")


def site_in_town(site: Place | None, town: Place | None) -> bool:
    """ "at the Jamila market" after a bombing in Baghdad: a site the gazetteer lacks, in the same country
    as the town the incident was placed in."""
    return site is not None and town is not None and is_unresolved(site) and site.country == town.country \
        and town.feature in ("town", "capital")


def is_toll_report(d: Mention, same_sentence: bool = False) -> bool:
    """Only a count: a casualty verb with nobody doing it and no weapon of its own. In the sentence
    of its incident ("two were killed and a third was wounded") it carries no count of its own:
    the sentence's count went to the first event."""
    return (d.family == "violence" and d.trigger in CASUALTY_TRIGGERS and d.actor1 is None and not d.denial
            and d.sub_event_type in ("Attack", "Armed clash")
            and (same_sentence or d.killed is not None or d.injured is not None or bool(VAGUE_TOLL.search(d.sentence.text))))


def is_accompanying_damage(d: Mention, target: Mention) -> bool:
    """ "(They) set fire to the granaries before leaving", "we found the village burnt this morning",
    told after the attack, unattributed and of its day: the attack's damage, as ACLED codes it, not a
    looting of its own."""
    unnamed = d.actor1 is None or (not d.actor1.named and d.actor1.kind == "unidentified")  # "the assailants"
    other_day = d.when is not None and d.when.explicit and target.when is not None and not target.when.overlaps(d.when)
    return d.family == "loot" and unnamed and not d.denial and not other_day


def same_spot(a: Place | None, b: Place | None) -> bool:
    """The same place, or two towns within 25 km; a province does not contain a spot here."""
    if a is None or b is None:
        return False
    if a.id == b.id or (a.geonameid and a.geonameid == b.geonameid):
        return True
    if is_unresolved(a) or is_unresolved(b):
        return a.country == b.country and site_key(a.name) == site_key(b.name)
    return SPECIFICITY.get(a.feature, 3) == SPECIFICITY.get(b.feature, 3) == 0 and km(a, b) <= SAME_INCIDENT_KM


def completes_toll_of(report: Mention, target: Mention) -> bool:
    if not target.acled or target.denial or target.family not in TOLL_TARGET_FAMILIES:
        return False
    if report.place_in_clause and not same_spot(target.place, report.place) and not site_in_town(report.place, target.place):
        return False
    return not (report.when and report.when.explicit and target.when and not target.when.overlaps(report.when))


def fold_toll_reports(drafts: list[Mention]) -> list[Mention]:
    """A bare toll after an incident ("23 people were wounded", "4 civilians were killed in
    crossfire there") is that incident's toll, not another attack: it fills the counts the
    incident lacks; undated, unattributed damage after an attack is the attack's. Only the
    nearest earlier incident is considered, so nothing jumps over another event."""
    kept: list[Mention] = []
    told = set()  # sentences whose toll already went to an incident
    for d in drafts:
        target = next((k for k in reversed(kept) if k.acled and not k.denial), None)
        if target is None or target.sentence.index > d.sentence.index or not completes_toll_of(d, target):
            kept.append(d)
            continue
        if is_toll_report(d, same_sentence=d.sentence.index in told | {target.sentence.index}):
            target.killed, target.toll_by_side = conservative_toll(target, d)
            target.injured = target.injured if target.injured is not None else d.injured
            target.evidence.append(d.sentence)
            told.add(d.sentence.index)
            continue
        if is_accompanying_damage(d, target):
            target.evidence.append(d.sentence)
            continue
        kept.append(d)
    return kept


def merge_mentions(mentions: list[Mention]) -> list[Mention]:
    """Mentions of one incident become one incident (the first mention, holding all of them),
    whatever sub-type each suggested; the incident's type is then decided from all of them."""
    merged: list[Mention] = []
    for d in mentions:
        d.mentions = d.mentions or [d]
        target = next((m for m in merged if m.acled and d.acled and same_incident(m, d)), None)
        if target is None and d.anaphoric and d.acled:
            # "The attack was confirmed by a hospital in the nearby city": the last incident told, wherever
            # the sentence's own place is.
            target = next((m for m in reversed(merged) if m.acled and refers_to(d, m)), None)
        if target is not None:
            absorb(target, d)
            for other in mentions:
                if d.key in other.counter:
                    other.counter.add(target.key)
        else:
            merged.append(d)
    merged = fold_country_level(merged)
    keys = {m.key for m in merged}
    for m in merged:
        m.counter &= keys
        if m.acled and len(m.mentions) > 1:
            settle_type(m)
    return merged


def is_country_level(m: Mention) -> bool:
    return m.place is not None and m.place.feature == "country"


def is_area_level(m: Mention) -> bool:
    """Placed only on a country or a province: the article may place it more precisely elsewhere."""
    return m.place is not None and m.place.feature in ("country", "admin1", "region")


def holds(area: Place, spot: Place) -> bool:
    """Whether `spot` may lie in `area`: inside it, or a site the gazetteer lacks in the same country
    whose province nobody named."""
    if spot.country != area.country or not area.country:
        return False
    return inside(area, spot) or (area.feature != "country" and is_unresolved(spot)
                                  and (not spot.admin1 or not known_province(spot.admin1, spot.country)))


def same_targets(a: Mention, b: Mention) -> bool:
    if event_type_of(a.sub_event_type) != event_type_of(b.sub_event_type):
        return False
    return a.actor2 is None or b.actor2 is None or a.actor2.side == b.actor2.side


@lru_cache(maxsize=4096)
def known_province(name: str, country: str | None) -> bool:
    """Whether a name beside a site is a first-level division the gazetteer knows ("Idlib"), not a
    district or county it lacks ("Duk county")."""
    from flashpoint.resolve.gazetteer import Gazetteer

    return any(p.feature in ("admin1", "region") and p.country == country for p in Gazetteer.open().candidates(name))


def may_hold_area_level(spot: Mention, vague: Mention) -> bool:
    """Whether an area-level mention can be told more precisely by `spot`: a place inside its area,
    kinds that may be one incident, days that agree, and the same perpetrator or an unnamed one.
    Victims and counts may differ: a lead sums and generalises ("killed eight people")."""
    if spot.place is None or SPECIFICITY.get(spot.place.feature, 3) >= SPECIFICITY.get(vague.place.feature, 3):
        return False
    if spot.distinct:
        return False  # "Another four were killed in a strike on Ramia": not the lead's incident told again
    if vague.when is not None and vague.when.explicit and vague.when.days > 1:
        return False  # "seized 60 towns in southern Idlib over three days": a campaign, not one incident
    if not holds(vague.place, spot.place):
        return False
    if spot.denial != vague.denial or not types_may_join(spot.sub_event_type, vague.sub_event_type):
        return False
    if event_type_of(spot.sub_event_type) == "Strategic developments" != event_type_of(vague.sub_event_type):
        return False
    if not is_country_level(vague) and not same_targets(spot, vague):
        return False  # a province holds many incidents: only one of the same kind on the same target
    if spot.actor1 is not None and vague.actor1 is not None and not same_actor(spot.actor1, vague.actor1) \
            and spot.actor1.kind != vague.actor1.kind:
        return False
    return days_agree(spot, vague) if spot.sub_event_type == vague.sub_event_type else \
        not (spot.when and vague.when and spot.when.explicit and vague.when.explicit
             and not spot.when.overlaps(vague.when, 1))


def fold_country_level(incidents: list[Mention]) -> list[Mention]:
    """A country- or province-level incident survives only when the article places it nowhere more
    precisely: "an attack on an army camp in Mali on Sunday", then "the attackers stormed the camp at
    Dioura" is one incident at Dioura. It joins the first precise incident it agrees with."""
    kept = []
    for m in incidents:
        if m.acled and is_area_level(m):
            spot = next((s for s in incidents if s is not m and s.acled and may_hold_area_level(s, m)), None)
            if spot is not None:
                absorb(spot, m)
                continue
        kept.append(m)
    return kept


def settle_type(incident: Mention) -> None:
    """The incident takes the decided sub-type, and the family and actors of a mention of that type."""
    best = decide_sub_type(incident)
    if best == incident.sub_event_type:
        return
    source = next((m for m in incident.mentions if m.sub_event_type == best), None)
    if best == "Disrupted weapons use":
        # Who shot it down acted; who fired it is the other side.
        launcher = next((m.actor1 for m in incident.mentions if m.sub_event_type in REMOTE_TYPES and m.actor1), None)
        if launcher is not None and (source is None or source.actor2 is None):
            incident.actor2 = launcher
            if incident.actor1 is not None and incident.actor1.name == launcher.name:
                incident.actor1 = source.actor1 if source is not None else None
    incident.sub_event_type = best
    if source is not None:
        incident.family = source.family
        if source.actor1 is not None:
            incident.actor1 = source.actor1
            if source.actor2 is not None or incident.actor2 == source.actor1:
                incident.actor2 = source.actor2
