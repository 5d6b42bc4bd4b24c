"""Mentions: one trigger in one sentence, with everything its sentence says about it.

    mention = mention_from_frame(frame, sent_doc, sentence, places, scope, pub, cues)

A mention holds who did it (the subject, a passive agent, a demonym or a named group on the
weapon: "an Israeli drone strike"), to whom, where (the most specific place of its own clause),
when (a date in its clause), how many were killed and injured, who says so, and its sub-event
type as the sentence alone suggests. Mentions of one incident are joined later (incidents.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.extract.context import POSSESSIVE_FORCES, ArticleScope
from flashpoint.extract.frames import ANAPHORA, PRONOUNS, Frame, head_verb, lemma_of
from flashpoint.extract.lexicon import ACLED_FAMILIES, cues_in
from flashpoint.extract.numbers import casualties
from flashpoint.extract.sentences import Sentence
from flashpoint.extract.typing import sub_event_type
from flashpoint.extract.where import choose_place
from flashpoint.resolve.actors import ARMED_KINDS, Actor, resolve_actor
from flashpoint.resolve.dates import When, find_when, report_date
from flashpoint.resolve.gazetteer import Place
from flashpoint.resolve.places import PlaceMention, candidates_for


#: Families whose sentence's death and injury counts belong to the event.
VIOLENT_FAMILIES = {"violence", "clash", "strike", "shell", "explode", "riot", "protest", "abduct", "sexual"}


#: Families whose actor is an armed force when a country or capital is the subject.
MILITARY_FAMILIES = {"violence", "clash", "capture", "strike", "shell", "explode", "base", "mobilize", "disrupt"}


OWN_SIDE_FAMILIES = {"mobilize", "base", "retreat", "transfer", "agree", "consult"}


#: Irrealis frames worth a record anyway: a threat, a plan to meet, a demand, an offer.
INTENT_FAMILIES = {"threaten", "consult", "request", "agree"}


MAX_FRAMES_PER_SENTENCE = 8


@dataclass
class Mention:
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
    #: The grammatical aspect of the clause that tells it ("past", "present", "perfect",
    #: "perfect_progressive", "progressive"): a habit or a tally is told differently from an episode.
    aspect: str = "past"
    #: Told in a relative clause about something else ("the camp, which the RSF has overrun").
    relative: bool = False
    #: A weapon named in the sentence (a cue), not only the trigger's default type.
    weapon: bool = False
    #: For a capture or loss: True when what was taken is ground, False when it is not, None when unnamed.
    territorial: bool | None = None
    #: Told as a definite noun ("the attack", "the latest raid", "Sunday's bombing"): an incident
    #: already reported, not a new one.
    anaphoric: bool = False
    #: Told as another incident ("in another air strike", "in a separate attack", "elsewhere").
    distinct: bool = False
    #: The sentence's main verb is in the present ("Police officers secure a destroyed station").
    present_root: bool = False
    #: The count sums every side's dead ("six soldiers and four rebels were killed").
    toll_by_side: bool = False
    #: The sentence speaks of unarmed victims ("killing nine residents") and of no armed ones.
    civilian_victims: bool = False
    cameo: str | None = None
    #: The typing model's probability for the sub-type, when the model (not a trigger word) typed it.
    typing_probability: float | None = None
    #: Why the rules found it no incident (a habit, a tally, history): no model may make it one.
    not_eventive: str | None = None
    key: int = 0
    #: The mentions an incident was made from (itself first), once merged.
    mentions: list["Mention"] = field(default_factory=list)

    @property
    def acled(self) -> bool:
        return self.sub_event_type is not None


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


#: A speaker that commands forces: "the Russian Defence Ministry", "the army's spokesman", "the group's command".
STATE_BODY = re.compile(r"(?i)\b(?:ministry|army|military|government|command|defen[cs]e|armed forces|junta|presidency)\b")


def inside_quote(text: str, at: int) -> bool:
    before = text[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


#: A day that names an event: "a Sunday massacre", "Tuesday's attack", "the Monday night raid".
DAY_OF_EVENT_NOUN = re.compile(r"(?i)(?:['’]s)?\s+(?:night\s+|morning\s+|evening\s+|dawn\s+|deadly\s+|bloody\s+)?"
                               r"(?:massacre|attack|raid|ambush|bombing|blast|explosion|strike|airstrike|shelling|"
                               r"assault|clashes|fighting|killings?|shooting|protests?|rally|demonstration)s?\b")


#: A year written out: "on 3 March 2023" needs no publication day to be a date.
WRITTEN_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def choose_when(frame: Frame, sent_doc, sentence: Sentence, pub: date | None) -> When | None:
    if pub is None:
        return written_out_date(sentence)
    found = find_when(sentence.text, pub, future=frame.irrealis)
    if frame.clause[1] > frame.clause[0]:
        lo = sent_doc[frame.clause[0]].idx
        hi = sent_doc[frame.clause[1] - 1].idx + len(sent_doc[frame.clause[1] - 1])
        # "... headed by the son of Idriss Deby, who was killed last week": another event's day.
        other_clauses = [(t.left_edge.idx, t.right_edge.idx + len(t.right_edge))
                         for t in sent_doc[frame.clause[0]:frame.clause[1]]
                         if t.dep_ == "relcl" and not (t.left_edge.i <= frame.token <= t.right_edge.i)]
        in_clause = [(s, w) for s, e, w in found
                     if lo <= s < hi and not any(a <= s < b for a, b in other_clauses)]
        if in_clause:
            trigger_at = sent_doc[frame.token].idx
            return min(((abs(s - trigger_at), w) for s, w in in_clause), key=lambda t: t[0])[1]
        # "comes two days after [26 civilians were killed ...]": the clause's day is told just before it.
        leading = [w for s, e, w in found if s < lo and lo - e <= 2 and (w.text or "").lower().endswith("after")]
        if leading:
            return leading[0]
    # "Survivors of a Sunday massacre told investigators that gunmen killed 11, authorities said
    # Tuesday": a day told of the event elsewhere in the sentence, not the day of the report.
    # "On Wednesday, two dead were left by a car bomb ..., police said": an opening day is the event's,
    # however the parser hangs it.
    opening = [w for s, e, w in found if s <= 1 and sentence.text[e:e + 2].startswith(",")]
    if opening:
        return opening[0]
    told = [w for s, e, w in found if DAY_OF_EVENT_NOUN.match(sentence.text, e)]
    if len(told) == 1:
        return told[0]
    return report_date(pub)


def written_out_date(sentence: Sentence) -> When | None:
    """An undated text (an analyst's note, a pasted paragraph) still dates what it dates in full."""
    found = [w for _, _, w in find_when(sentence.text, date.today()) if WRITTEN_YEAR.search(w.text or "")]
    return found[0] if found else None


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
    if text.lower() == "it" and any(m.place is not None and not m.demonym and not m.qualifier
                                    and m.place.feature not in ("country", "continent") and m.start < start
                                    for m in mentions):
        return True  # "withdrew from Lalibela town as government soldiers recaptured it"
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
    r"((?:U\.S\.|U\.K\.|\b[A-Z][\w]+)(?:-[A-Z][\w]+)*|\barmy|\bregime|\bgovernment|\brebel|\bmilitia|\bcoalition|"
    r"\binsurgent|\bmilitant|\bjihadist)\s+"
    r"(?:(?:missile|drone|rocket|artillery|air|tank|mortar|kamikaze|suicide|war|fighter|combat|attack)\s+){0,2}"
    r"(?:shelling|shellfire|shells|air\s?strikes?|airstrikes?|strikes|bombardment|bombing|rocket\s+fire|"
    r"artillery\s+fire|gunfire|raids?|missiles?|rockets?|attacks?|drones?|jets?|warplanes?|helicopters?|"
    r"aircraft|gunships?)\b")


def attacker_named_before_weapon(text: str, scope: "ArticleScope") -> Actor | None:
    """The first attacker a sentence names just before the fire it sent, if it resolves to an armed actor."""
    for m in ATTACKER_BEFORE_WEAPON.finditer(text):
        if re.search(r"(?i)\b(?:backed|supported|aided|covered)\s+by\s+(?:the\s+)?$", text[max(0, m.start() - 30):m.start()]):
            continue  # "forces backed by Russian airstrikes": a side's support, not who did this
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
    """ "A Russian missile strike", "a joint U.S.-Somali airstrike": the first country named struck."""
    for word in re.findall(r"U\.S\.|U\.K\.|[A-Z][\w]+(?:-[a-z]\w*)*", words):
        code = scope.demonym_country(word)
        abbreviation = word.isupper() or "." in word  # "US", "U.S.", "UAE": a country named as a modifier
        if code and (scope.gazetteer.demonym(word) is not None or abbreviation):
            actor = Actor(word, f"Military Forces of {scope.country_name(code)}", "state", code)
            scope.actors[actor.name] += 1
            scope.actor_by_name.setdefault(actor.name, actor)
            return actor
    return None


#: Unnamed actors that belong where the event happened (the army, unnamed, stays the article's country's).
LOCAL_GENERIC_KINDS = {"civilians", "protesters", "rebel", "militia", "islamist", "unidentified"}


#: "government forces", "regime troops": the forces of the government where the event happened.
GOVERNMENT_WORDS = re.compile(r"(?i)\b(?:government|regime|pro-government|junta)\b")


def unnamed_actor_where_it_happened(actor: Actor | None, place: Place | None, scope: ArticleScope) -> Actor | None:
    """ "4 people" killed in Kharkiv are Civilians (Ukraine) and "rebels" near Goma are Rebels (DR Congo),
    whatever country the article names most; "Russian civilians" keep their own country."""
    own_government = actor is not None and actor.kind in ("state", "police") and bool(GOVERNMENT_WORDS.search(actor.text))
    if actor is None or actor.named or (actor.kind not in LOCAL_GENERIC_KINDS and not own_government) or place is None \
            or not place.country or actor.country == place.country:
        return actor
    if any(scope.demonym_country(w) for w in re.findall(r"[A-Z][\w\-]+", actor.text)):
        return actor
    return resolve_actor(actor.text, scope.catalog, scope.demonym_country, scope.country_name, place.country)


EVENT_NOUNS_TOLD_AGAIN = {"attack", "raid", "assault", "ambush", "explosion", "blast", "bombing", "strike", "clash",
                          "fighting", "shelling", "incident", "violence"}


def killed_in_the_event(verb) -> bool:
    """ "The police chief was killed alongside his comrades in the attack": a toll or detail of the
    incident already told (a definite event noun), not a new one."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "during"):
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in EVENT_NOUNS_TOLD_AGAIN and \
                        any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
                    return True
    return False


def refers_back(trigger) -> bool:
    """ "The attack was confirmed by ...", "the latest attack", "this week's raid": a definite
    event noun names an incident the story already told."""
    if trigger.pos_ != "NOUN":
        return False
    return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss" and c.lower_ not in
               ("its", "their", "his", "her") and c.ent_type_ in ("DATE", "") and c.pos_ != "PROPN"
               for c in trigger.children)


ANOTHER_INCIDENT = re.compile(r"(?i)\b(?:separately|elsewhere|in a separate|in another|in a second|in an unrelated|"
                              r"another (?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozen|\w+ people))\b")


PERSON_NOUNS = {"president", "leader", "son", "father", "commander", "man", "woman", "official", "minister", "chief",
                "brother", "wife", "husband", "journalist", "activist", "general", "founder"}


def about_someone(verb) -> bool:
    """A relative clause on a person ("the late president, who was killed last week") tells that
    person's story, not the incident the sentence reports; one on an event noun ("the strike, which
    targeted militants near Janaale") tells the same incident."""
    if verb.dep_ != "relcl":
        return False
    antecedent = verb.head
    return antecedent.ent_type_ == "PERSON" or antecedent.pos_ == "PROPN" or antecedent.lemma_.lower() in PERSON_NOUNS


def told_as_another(trigger, text: str) -> bool:
    """ "two more were killed in another air strike", "Separately, ...": a new incident, not the last one."""
    if any(c.lower_ in ("another", "separate", "second", "unrelated") for c in trigger.children):
        return True
    return bool(ANOTHER_INCIDENT.search(text))


def aspect_of(verb) -> str:
    """The aspect of a clause from its verb's tag and auxiliaries: "has been battling" is
    perfect_progressive, "has killed" perfect, "carries out" present, "killed" past."""
    aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VBG" and "been" in aux and {"has", "have", "'s", "'ve"} & set(aux):
        return "perfect_progressive"
    if {"has", "have", "'ve"} & set(aux) and verb.tag_ == "VBN":
        return "perfect"
    if verb.tag_ == "VBG" and {"is", "are", "am"} & set(aux):
        return "progressive"
    # The tagger calls some past forms present ("retook"): a present form is the base or ends in -s.
    if verb.tag_ in ("VBZ", "VBP") and not aux and verb.lower_ in (lemma_of(verb), lemma_of(verb) + "s",
                                                                 lemma_of(verb) + "es"):
        return "present"
    if verb.tag_ == "VBN" and {"is", "are"} & set(aux):
        return "present"  # "civilians are killed every week": a passive present, a habit
    return "past"


def mention_from_frame(frame: Frame, sent_doc, sentence: Sentence, mentions, scope: ArticleScope,
                     pub: date | None, cues: list[str]) -> Mention | None:
    def text_of(span):
        return sent_doc[span[0]:span[1]].text if span else ""

    draft = Mention(frame.family, frame.trigger.lemmas[0], sentence, evidence=[sentence], threat=frame.threat,
                    denial=frame.denial, cameo=frame.trigger.cameo)
    verb = head_verb(sent_doc[frame.token])
    # "IS, which overran the town and has blown up temples": both verbs tell about IS.
    draft.aspect = aspect_of(verb)
    draft.relative = verb.dep_ == "relcl" or (verb.dep_ == "conj" and verb.head.dep_ == "relcl")
    draft.present_root = any(t.dep_ == "ROOT" and t.tag_ in ("VBZ", "VBP") for t in sent_doc)
    draft.anaphoric = refers_back(sent_doc[frame.token]) or killed_in_the_event(verb)
    # Told in a relative clause about someone ("the late president, who was killed last week"): an
    # incident of its own, never the one the sentence reports.
    draft.distinct = told_as_another(sent_doc[frame.token], sentence.text) or about_someone(verb)
    if frame.reporter:
        rtext = text_of(frame.reporter)
        if frame.reporter_pronoun and scope.last_reporter:
            draft.reporter, draft.reporter_rank, draft.reporter_actor = scope.last_reporter
        elif not frame.reporter_pronoun:
            draft.reporter, draft.reporter_rank = reporter_name(rtext, scope)
            draft.reporter_actor = scope.reporter_actor(text_of(frame.reporter_head or frame.reporter))
            if draft.reporter_actor is None and draft.reporter_rank == 2:
                # "Naji Mustafa, spokesman for the National Liberation Front": the front is speaking.
                draft.reporter_actor = scope.reporter_actor(draft.reporter)
            scope.last_reporter = (draft.reporter, draft.reporter_rank, draft.reporter_actor)
    agent_text = text_of(frame.agent)
    if frame.reporter and agent_text and POSSESSIVE_FORCES.match(agent_text):
        # "The Russian Defence Ministry said its forces have captured ...": the ministry's country's forces
        # (a party that has forces; "residents said its fighters ..." is about someone else).
        speaker = text_of(frame.reporter_head or frame.reporter)
        if scope.reporter_actor(speaker) is not None or STATE_BODY.search(speaker):
            agent_text = speaker + " forces"
    if frame.agent_pronoun and frame.agent and frame.reporter and not frame.reporter_pronoun \
            and not inside_quote(sentence.text, sent_doc[frame.agent[0]].idx):
        # "rebels said they had recaptured": the rebels; but in a witness's quoted words ("They came at
        # dusk and fired on everyone," a villager said) "they" are the attackers.
        agent_text = text_of(frame.reporter_head or frame.reporter)
    military = frame.family in MILITARY_FAMILIES
    draft.actor1 = scope.actor(agent_text, military) if agent_text and agent_text.lower() not in PRONOUNS else None
    if draft.actor1 is None and military and agent_text:
        # "An Israeli war jet fired", "an attack by a Ukrainian kamikaze drone": the weapon's owner acted.
        draft.actor1 = attacker_named_before_weapon(agent_text, scope)
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
        draft.killed, draft.injured, draft.toll_by_side = c.killed, c.injured, c.by_side
    if frame.reporter:
        # "..., police said": who reports is not who was hit.
        a, b = frame.reporter
        cues = cues_in(sent_doc[:a].text + " " + sent_doc[b:].text)
    draft.weapon = any(c.startswith("weapon:") and c not in ("weapon:firearm", "weapon:strike") for c in cues)
    draft.civilian_victims = "target:civilians" in cues and "target:armed" not in cues
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


def inherit_place_within_paragraph(new: list[Mention], earlier: list[Mention]) -> None:
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
