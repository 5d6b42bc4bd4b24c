"""The typing model inside extraction: an event in a short report even when no trigger word fits.

    new = type_snippet(drafts, triggered, body, parsed, scope, pub)   # parsed: [(sentence, doc, mentions, cues)]

The rules read most reports; a one-to-three-sentence report ("Rebels overran army positions at
Kibumba") may use a verb no trigger list has. There the classifier (classifier.py) names the
sub-type, and the sentence's parse still gives the sides, the place, the day and the source.
"""

from __future__ import annotations

from datetime import date

from flashpoint.extract.classifier import shipped_model
from flashpoint.extract.context import ArticleScope
from flashpoint.extract.frames import learned_frame
from flashpoint.extract.lexicon import ACLED_FAMILIES, PLOVER_FAMILIES
from flashpoint.extract.mentions import Mention, mention_from_frame
from flashpoint.learn.corpus import EVENT_TYPE_OF
from flashpoint.extract.scope import is_running_toll, not_eventive
from flashpoint.extract.sentences import Sentence
from flashpoint.extract.where import SPECIFICITY

#: A text this short is a snippet: its event is read even without a trigger word.
SNIPPET_SENTENCES = 3

#: The trigger family whose rules (sides, casualties, ground) fit each sub-type the model names.
FAMILY_OF_SUBTYPE = {
    "Armed clash": "clash", "Government regains territory": "capture", "Non-state actor overtakes territory": "capture",
    "Chemical weapon": "explode", "Air/drone strike": "strike", "Suicide bomb": "explode",
    "Shelling/artillery/missile attack": "shell", "Remote explosive/landmine/IED": "explode", "Grenade": "explode",
    "Sexual violence": "sexual", "Attack": "violence", "Abduction/forced disappearance": "abduct",
    "Peaceful protest": "protest", "Protest with intervention": "protest", "Excessive force against protesters": "protest",
    "Violent demonstration": "riot", "Mob violence": "riot",
    "Agreement": "agree", "Arrests": "arrest", "Change to group/activity": "change", "Disrupted weapons use": "disrupt",
    "Headquarters or base established": "base", "Looting/property destruction": "loot",
    "Non-violent transfer of territory": "transfer", "Other": "change",
}


#: Sub-types told apart by who acts and whether anyone resisted, which the actor catalog and the
#: rules' cues know better than a bag of words: the army retaking a town regains territory, rebels
#: or a foreign army taking it overtake it, "met no resistance" makes it a non-violent transfer.
DECIDED_BY_THE_ACTOR = ({"Government regains territory", "Non-state actor overtakes territory",
                         "Non-violent transfer of territory"},)


def rules_decide(by_rules: str | None, by_model: str) -> bool:
    return any({by_rules, by_model} <= pair for pair in DECIDED_BY_THE_ACTOR)


#: The model retypes an event the rules found only when it is this sure of its own sub-type and
#: gives the rules' sub-type no more than RULES_UNLIKELY.
RETYPE_SURE = 0.5
RULES_UNLIKELY = 0.05
#: Acts (not words) that the model may type: the ACLED families, and coercion.
PROMOTABLE_FAMILIES = ACLED_FAMILIES | {"coerce"}
#: A snippet no trigger word marks gets the model's event only when the model is this sure of it.
LEARN_SURE = 0.75
#: An act the rules kept out of scope is promoted only when the model is this sure.
PROMOTE_SURE = 0.8


def type_snippet(drafts: list[Mention], triggered: bool, body: str,
                 parsed: list[tuple[Sentence, object, list, list[str]]], scope: ArticleScope,
                 pub: date | None) -> list[Mention]:
    """A snippet's events, with the model's reading of the whole snippet (as it was trained).

    - The rules found events: the model retypes them only when it is sure and finds the rules'
      sub-type unlikely (the words say "projectile", the trigger said "attack").
    - The rules read an act but kept it out of ACLED's scope (the scope test counts conflict words,
      which a snippet has few of): the model, when sure, gives it its sub-type.
    - A trigger word fit but the rules found no event in it (a plan, a denial, ground not taken,
      a tally): that decision stands.
    - No trigger word fits: the model's event when it is sure, built from the sentence likeliest
      to report it; when the rules read nothing at all and the model no event, its PLOVER reading.
    Returns the new events."""
    model = shipped_model()
    if model is None or not parsed:
        return []
    reading = model.classify(body)
    new = acled_snippet_events(model, reading, drafts, triggered, parsed, scope, pub)
    if not drafts and not new:
        new = plover_mentions(reading, parsed, scope, pub)  # nothing read at all: statecraft, perhaps
    return new


def acled_snippet_events(model, reading, drafts: list[Mention], triggered: bool, parsed, scope: ArticleScope,
                         pub: date | None) -> list[Mention]:
    if reading.event_probability() < 0.5:
        return []
    label, probability = reading.best_event()
    found = [d for d in drafts if d.acled]
    if found:
        retype(found, model)
        return []
    # An act the rules read but kept out of ACLED's scope ("police arrested 3 journalists", "a man
    # accused of witchcraft was killed by residents") is promoted, not repeated.
    same_act = [d for d in drafts if d.family in PROMOTABLE_FAMILIES and not (d.threat or d.denial or d.not_eventive)]
    promoted = next((d for d in same_act if probability >= PROMOTE_SURE and promote(d, label, probability, pub)),
                    None)
    if promoted is not None:
        return []
    if triggered or not reading.is_event or reading.probability < LEARN_SURE:
        return []
    # A sentence whose main verb the rules read as words, not an act ("Opposition leaders called on
    # the army to free detained activists": a demand), is theirs.
    said = {(s.start, d.trigger) for d in drafts if d.family not in PROMOTABLE_FAMILIES for s in d.evidence}
    unread = [p for p in parsed if (p[0].start, p[1][:].root.lemma_.lower()) not in said]
    return learned_mentions(model, label, probability, unread, scope, pub) if unread else []


def promote(d: Mention, label: str, probability: float, pub: date | None) -> bool:
    """Give the act the model's sub-type, unless its sentence is told as a habit, a tally or history
    (the rules' shape tests, which a demotion for scope never ran)."""
    d.sub_event_type = label
    if not_eventive(d, pub) or is_running_toll(d):
        d.sub_event_type = None
        return False
    d.plover_type, d.typing_probability = None, probability
    return True


#: Demonstrations: a protest the rules found stays a demonstration whatever it was about.
DEMONSTRATION_TYPES = {"Protests", "Riots"}


def about_what_was_protested(by_rules: str, by_model: str) -> bool:
    """ "Thousands protested over accusations that a commander had raped a girl": the words of the
    grievance pull the model to the act protested against; the act here is the protest."""
    return EVENT_TYPE_OF[by_rules] in DEMONSTRATION_TYPES and EVENT_TYPE_OF[by_model] not in DEMONSTRATION_TYPES


def retype(found: list[Mention], model) -> None:
    """Each event the rules found, retyped by the model's reading of its own sentences when the model
    is sure and finds the rules' sub-type unlikely; every place of a listed event alike."""
    for by_rules in dict.fromkeys(d.sub_event_type for d in found):
        same = [d for d in found if d.sub_event_type == by_rules]
        reading = model.classify(" ".join(dict.fromkeys(s.text for s in same[0].evidence)))
        if not reading.is_event or reading.label == by_rules or rules_decide(by_rules, reading.label) \
                or about_what_was_protested(by_rules, reading.label):
            continue
        if reading.probability < RETYPE_SURE or reading.distribution.get(by_rules, 0.0) > RULES_UNLIKELY:
            continue
        for d in same:
            d.sub_event_type, d.typing_probability = reading.label, reading.probability


def learned_mentions(model, label: str, probability: float, parsed, scope: ArticleScope,
                     pub: date | None) -> list[Mention]:
    """The event no trigger word marks: built from the sentence the model finds likeliest to
    report one, unless its parse says the act was denied, negated or only planned."""
    chances = [model.classify(sentence.text).event_probability() for sentence, *_ in parsed]
    sentence, doc, mentions, cues = parsed[max(range(len(parsed)), key=chances.__getitem__)]
    frame = learned_frame(doc[:], FAMILY_OF_SUBTYPE[label])
    if frame.negated or frame.irrealis:
        return []
    scope.position = sentence.start
    draft = mention_from_frame(frame, doc, sentence, mentions, scope, pub, cues)
    if draft is None:
        return []
    if draft.place is None:
        # Nothing in its clause: any place the snippet names, else its country.
        draft.place = scope.last_place(10 ** 9, set(SPECIFICITY) - {"country", "continent", "water"}) \
            or scope.gazetteer.country(scope.country)
    draft.sub_event_type, draft.typing_probability = label, probability
    return [draft]


#: The PLOVER-only family of each PLOVER type; AGREE, PROTEST and ASSAULT are read through an ACLED
#: sub-type of theirs (the record then keeps only its PLOVER reading).
PLOVER_ONLY_FAMILY = {plover: family for family, plover in PLOVER_FAMILIES.items() if family != "investigate"}
PLOVER_THROUGH_SUBTYPE = {"AGREE": "Agreement", "PROTEST": "Peaceful protest", "ASSAULT": "Attack"}
#: A snippet no rule reads gets the model's PLOVER reading when the model is this sure of it.
PLOVER_SURE = 0.5


def plover_mentions(reading, parsed, scope: ArticleScope, pub: date | None) -> list[Mention]:
    """Statecraft no trigger word marks ("Seoul said it would resume food shipments to the north"):
    a PLOVER-only record, from the snippet's first sentence, unless it is negated."""
    if reading.plover is None or reading.plover_probability < PLOVER_SURE:
        return []
    through = PLOVER_THROUGH_SUBTYPE.get(reading.plover)
    family = FAMILY_OF_SUBTYPE[through] if through else PLOVER_ONLY_FAMILY[reading.plover]
    sentence, doc, mentions, cues = parsed[0]
    frame = learned_frame(doc[:], family)
    if frame.negated:
        return []
    scope.position = sentence.start
    draft = mention_from_frame(frame, doc, sentence, mentions, scope, pub, cues)
    if draft is None:
        return []
    draft.sub_event_type, draft.plover_type = None, through
    draft.threat = draft.threat or reading.plover == "THREATEN"
    return [draft]


#: Below this chance that any of its sentences reports an event, the model overrules the rules.
UNLIKELY_EVENT = 0.2


def drop_unlikely_incidents(merged: list[Mention], pub: date | None) -> list[Mention]:
    """On a page without a date, incidents built from sentences the model reads as background or a
    tally ("In January, at least 100 people were killed in ..."): with no publication day the rules
    cannot tell old news from new by the calendar, so the model's reading decides. A claim that
    another party denies stays, since the denial is itself the news."""
    model = shipped_model()
    if model is None or pub is not None:
        return merged
    kept = []
    for d in merged:
        if d.acled and not d.contested and not d.denial and d.typing_probability is None:
            chance = max(model.classify(s.text).event_probability() for s in d.evidence)
            if chance < UNLIKELY_EVENT:
                continue
        kept.append(d)
    return kept
