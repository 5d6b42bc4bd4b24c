"""Event frames: one parsed sentence in, its triggers with their arguments out.

    frames = sentence_frames(sent_doc, lexicon)

A frame is a trigger (a word or phrase from data/triggers.tsv) with what the sentence's
structure says about it: who did it (the subject, or "by X" in a passive), to whom
(the object, or the passive subject), whether it really happened (not negated, not
"would", not a purpose "to retake", not a threat), who says so (the subject of a
reporting verb above it, or "according to X"), and the words of its own clause, where
its place and date are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.data import data_rows
from flashpoint.extract.lexicon import ACLED_FAMILIES, Lexicon, Trigger

#: Verbs that report what someone says; the trigger under them is their claim.
REPORTING_VERBS = {"say", "tell", "claim", "report", "announce", "confirm", "state", "add", "allege", "insist",
                   "deny", "accuse", "note", "cite", "quote", "acknowledge", "admit", "reveal", "write", "post",
                   "declare", "assert", "maintain", "warn"}
#: Reporting verbs that deny what follows or what was said before.
DENIAL_VERBS = {"deny", "reject", "dismiss", "refute", "rebuff", "contradict", "dispute"}
#: Verbs above a trigger that make it a plan, a threat or an attempt, not an event.
IRREALIS_GOVERNORS = {"threaten", "plan", "vow", "warn", "intend", "prepare", "expect", "seek", "try", "aim",
                      "want", "order", "demand", "urge", "call", "push", "attempt", "bid", "hope", "pledge",
                      "promise", "decide", "agree", "set", "deadline", "operation", "offensive", "campaign",
                      "push", "effort", "drive", "move", "fail", "refuse", "need", "must", "ready", "able"}
#: Verbs of trying: what was tried happened as an attempt.
ATTEMPT_VERBS = {"attempt", "try"}
#: Families whose attempt is itself an event (an attack that failed is still an attack).
ATTEMPTED_FAMILIES = {"violence", "clash", "strike", "shell", "explode", "abduct"}
#: Modal auxiliaries that make a trigger hypothetical or future.
MODALS = {"would", "could", "might", "may", "will", "shall", "should", "'ll", "must", "can"}
#: Nouns a noun trigger can be the subject or object of and still be an event.
EVENT_NOUN_HEADS = {"be", "rage", "continue", "erupt", "break", "kill", "hit", "target", "strike", "wound",
                    "injure", "carry", "launch", "conduct", "stage", "hold", "occur", "happen", "take", "rock",
                    "leave", "destroy", "damage", "claim", "report", "intensify", "resume", "flare", "mount",
                    "organize", "organise", "join", "disperse", "begin", "start", "open", "complete",
                    "declare", "announce"}
#: Nouns of fighting on both sides: as the subject of a toll they make the event a clash.
MUTUAL_FIGHT_NOUNS = {"clash", "fighting", "battle", "skirmish", "gunfight", "firefight", "confrontation"}
PRONOUNS = {"they", "he", "she", "it", "we", "i", "them", "who", "which", "that"}
ANAPHORA = re.compile(r"\bthe\s+(?:[a-z\-]+\s+){0,3}?(town|city|village|region|province|area|district|camp|"
                      r"governorate|state|country|neighbourhood|neighborhood)\b", re.I)


@dataclass
class Frame:
    """A trigger in a sentence and the spans (token indices) of its arguments."""

    trigger: Trigger
    token: int
    end_token: int
    family: str
    negated: bool = False
    irrealis: bool = False
    threat: bool = False
    agent: tuple[int, int] | None = None
    patient: tuple[int, int] | None = None
    assoc: list[tuple[int, int, str]] = field(default_factory=list)
    reporter: tuple[int, int] | None = None
    reporter_head: tuple[int, int] | None = None
    reporter_pronoun: bool = False
    agent_pronoun: bool = False
    #: The words before an event noun that stands as the subject ("A Russian missile strike ... killed"):
    #: a demonym there says whose forces acted.
    event_subject_modifiers: tuple[int, int] | None = None
    #: For a capture or loss: what was taken ("the town of Bara", "the airport"), to check it is ground.
    taken: tuple[int, int] | None = None
    denial: bool = False
    clause: tuple[int, int] = (0, 0)
    loser_to: tuple[int, int] | None = None


#: Participles before a noun that say who people are, not what just happened to them.
PARTICIPLES_THAT_DESCRIBE = {"wound", "injure", "kill", "detain", "arrest", "jail", "imprison", "abduct", "kidnap",
                             "displace", "disappear"}


def match_triggers(sent, lexicon: Lexicon) -> list[tuple[Trigger, int, int]]:
    """Trigger words and phrases in a parsed sentence: (trigger, first token, last token + 1)."""
    found = []
    used = set()
    lemmas = [lemma_of(t).lower() for t in sent]
    for trig in lexicon.phrases:
        for i, lemma in enumerate(lemmas):
            if lemma != trig.lemmas[0] or (trig.pos == "VERB" and sent[i].pos_ not in ("VERB", "AUX")):
                continue
            j, k = i + 1, 1
            while k < len(trig.lemmas) and j < len(lemmas) and j - i <= 5:
                if lemmas[j] == trig.lemmas[k] or lemmas[j].rstrip("s") == trig.lemmas[k]:
                    k += 1
                j += 1
            # "drone strike" is a noun phrase: "drones struck a depot" is the verb's event.
            if k == len(trig.lemmas) and not (trig.pos == "NOUN" and sent[j - 1].pos_ in ("VERB", "AUX")):
                found.append((trig, i, j))
                used.update(range(i, j))
    for i, tok in enumerate(sent):
        if i in used:
            continue
        # The lemmatiser slips on some forms ("raped" -> "rap"): the surface form may be listed too.
        for trig in lexicon.single.get(lemmas[i], ()) or lexicon.single.get(tok.lower_, ()):
            if pos_fits(tok, trig.pos):
                found.append((trig, i, i + 1))
                break
    # "air strike" is one trigger, not "strike" alone.
    found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
    kept, covered = [], set()
    for trig, i, j in found:
        if covered & set(range(i, j)):
            continue
        kept.append((trig, i, j))
        covered.update(range(i, j))
    return kept


def pos_fits(tok, pos: str) -> bool:
    if pos == "VERB":
        return tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT") or tok.tag_ in ("VBN", "VBD")
    if pos == "NOUN":
        return tok.pos_ in ("NOUN", "PROPN")
    return tok.pos_ in ("VERB", "NOUN", "PROPN") or tok.tag_.startswith("VB")


def span_of(tok, stop_deps=("relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "prep")) -> tuple[int, int]:
    """The noun phrase headed by `tok` (token indices within the sentence), without clauses hanging off it."""
    left = tok.i
    right = tok.i
    for child in tok.children:
        if child.dep_ in stop_deps and child.i > tok.i:
            continue
        sub = list(child.subtree)
        left = min(left, sub[0].i)
        right = max(right, sub[-1].i)
    for child in tok.children:
        if child.dep_ == "prep" and child.i > tok.i and child.lower_ == "of":
            right = max(right, list(child.subtree)[-1].i)
    return left - tok.sent.start, right + 1 - tok.sent.start


def head_verb(tok):
    """The verb a trigger's clause hangs on (itself if it is one)."""
    cur = tok
    while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
        cur = cur.head
    return cur


def is_negated(verb) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("no", "nobody", "none", "noone"):
            return True
        if c.dep_ in ("nsubj", "nsubjpass") and any(d.lower_ == "no" and d.dep_ == "det" for d in c.children):
            return True
    return False


def irrealis_reason(tok, verb) -> str | None:
    """Why a trigger did not (yet) happen: a modal, a purpose clause, a governing plan or threat."""
    if any(c.lower_ in MODALS and c.dep_ == "aux" for c in verb.children):
        return "modal"
    if any(c.lower_ == "if" and c.dep_ == "mark" for c in verb.children):
        return "conditional"
    cur = verb
    for _ in range(4):
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
        head = cur.head
        if head.i == cur.i:
            break
        if infinitive and cur.dep_ == "xcomp" and head.lemma_ in ATTEMPT_VERBS and head.pos_ == "VERB" \
                and irrealis_reason(head, head) is None:
            return "attempt"  # "gunmen tried to storm the base": the attempt itself happened
        if infinitive and cur.dep_ in ("xcomp", "advcl", "acl", "relcl", "ccomp", "pobj", "dobj"):
            return "threat" if head.lemma_ in ("threaten", "vow", "warn") else "purpose"
        if head.lemma_ in IRREALIS_GOVERNORS and cur.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "acl") and \
                head.lemma_ not in ("set",):
            return "threat" if head.lemma_ in ("threaten", "vow", "warn") else "purpose"
        if cur.dep_ in ("ccomp", "parataxis") and head.lemma_ in REPORTING_VERBS:
            break
        cur = head
    return None


def hearsay(rep) -> bool:
    """ "said to be", "believed to have": a passive report about someone, not who reports."""
    nxt = rep.doc[rep.i + 1] if rep.i + 1 < len(rep.doc) else None
    return nxt is not None and nxt.lower_ == "to" and any(c.dep_ == "xcomp" for c in rep.children)


def reporting_head(verb):
    """The reporting verb whose claim this clause is, if any."""
    cur = verb
    for _ in range(4):
        head = cur.head
        if head.i == cur.i:
            return None
        if head.lemma_ in REPORTING_VERBS | DENIAL_VERBS and cur.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "conj", "dobj"):
            return head
        cur = head
    return None


def is_denied_content(verb) -> bool:
    """ "The army denied that the town had fallen", "the RSF denied firing": the clause is what a
    party says did not happen, so it is no event (the denial itself is recorded as REJECT)."""
    cur = verb
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            return False
        if head.lemma_ in DENIAL_VERBS:
            return cur.dep_ in ("ccomp", "xcomp", "dobj", "pcomp")
        if head.lemma_ in REPORTING_VERBS:
            return False
        cur = head
    return False


#: Nouns whose clause is a charge, not a report of what happened: "over accusations a police chief raped a girl".
ALLEGATION_NOUNS = {"accusation", "allegation", "rumour", "rumor", "charge", "suspicion"}


def is_alleged_content(verb) -> bool:
    """The clause hangs off an accusation or allegation: the protest over it is news, the charge is not."""
    doc = verb.doc
    starts = [c.left_edge.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] + [verb.left_edge.i]
    for left in starts:
        before = doc[left - 1] if left > 0 else None
        if before is not None and before.lower_ == "that" and left > 1:
            before = doc[left - 2]
        if before is not None and before.lemma_.lower() in ALLEGATION_NOUNS:
            return True  # "over accusations [a police chief had raped a girl]", however the parser hangs it
    cur = verb
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            return False
        if head.lemma_.lower() in ALLEGATION_NOUNS and cur.dep_ in ("acl", "ccomp", "relcl", "appos", "pcomp"):
            return True
        cur = head
    return False


def subject_of(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return subject_of(verb.head) if verb.head.pos_ in ("VERB", "AUX") else None
    return None


def passive(verb) -> bool:
    """A passive clause, or a verb coordinated with one ("were wounded or killed"): its subject suffered."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.dep_ == "conj" and verb.tag_ == "VBN" and not any(c.dep_ == "nsubj" for c in verb.children) \
        and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.head.children)


def agent_of(verb):
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def object_of(tok):
    for c in tok.children:
        if c.dep_ in ("dobj", "attr"):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "against", "at"):
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def assoc_of(head_tok) -> list[tuple[int, int, str]]:
    """Actors "backed by" / "aided by" / "allied with" the actor headed by `head_tok`."""
    found = []
    for child in head_tok.children:
        if child.dep_ in ("acl", "relcl", "amod") and child.lemma_ in ("back", "support", "aid", "assist", "ally"):
            role = "allied_with" if child.lemma_ == "ally" else "backed_by"
            for g in child.children:
                if g.dep_ in ("agent", "prep"):
                    for p in g.children:
                        if p.dep_ == "pobj":
                            found.append((*span_of(p), role))
    return found


def reporter_of(sent, verb) -> tuple[tuple[int, int] | None, bool, bool]:
    """(reporter span, is a pronoun, is a denial) for the clause headed by `verb`."""
    rep = reporting_head(verb) or trailing_attribution(verb)
    if rep is not None and (rep.dep_ == "acl" or hearsay(rep)):
        rep = None  # "Gunmen said to be in trucks attacked ...": hearsay about them, not a source
    if rep is None:
        if verb.lemma_ in DENIAL_VERBS:
            rep = verb
        else:
            return according_to(sent), False, False
    denial = rep.lemma_ in DENIAL_VERBS or (rep.dep_ in ("advcl", "conj", "xcomp") and rep.head.lemma_ in DENIAL_VERBS)
    subj = subject_of(rep)
    if subj is not None and subj.i < rep.i and subj.head.i != rep.i and rep.dep_ == "conj" and rep.i > verb.i:
        subj = None  # a closing "..., X told AFP" hung under the event: the event's subject is not the source
    if subj is None:
        return according_to(sent) or phrase_before(sent, rep), False, denial
    return span_of(subj, stop_deps=("relcl", "punct", "cc", "conj", "advcl")), subj.lower_ in PRONOUNS, denial


def phrase_before(sent, rep) -> tuple[int, int] | None:
    """ ", the Syrian Observatory for Human Rights said": the phrase after the last comma before the verb,
    for when the parser lost the verb's subject."""
    commas = [t.i for t in sent.doc[sent.start:rep.i] if t.text == ","]
    if not commas:
        return None
    if rep.i - commas[-1] >= 2:
        return commas[-1] + 1 - sent.start, rep.i - sent.start
    # ", the region's governor, Vyacheslav Gladkov, said": a title and the name set off by commas.
    if len(commas) >= 3 and commas[-1] - commas[-3] <= 12:
        return commas[-3] + 1 - sent.start, commas[-1] - sent.start
    return None


def trailing_attribution(verb):
    """ "Forces seized 12 villages, the monitor said": the parser hangs "said" under the event."""
    root = verb
    while root.head.i != root.i and root.dep_ in ("conj", "advcl", "xcomp"):
        root = root.head
    for c in root.children:
        if c.lemma_ in REPORTING_VERBS and c.dep_ in ("parataxis", "ccomp", "advcl", "conj") and c.i > verb.i:
            if any(g.dep_ == "nsubj" for g in c.children):
                return c
            # ", military sources and a local official told AFP.": the parser lost the subject of a
            # closing attribution; the phrase after the last comma is it.
            if c.sent.end - c.i <= 8 and c.i > 1 and any(t.text == "," for t in c.doc[max(verb.i, c.i - 12):c.i]):
                return c
    return None


def reporter_head_span(sent, verb) -> tuple[int, int] | None:
    """The reporter as an actor: its noun phrase without what hangs off it ("rebels [backed by X]")."""
    rep = reporting_head(verb)
    subj = subject_of(rep) if rep is not None else None
    return span_of(subj) if subj is not None else None


def according_to(sent) -> tuple[int, int] | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and sent.doc[tok.i + 1].lower_ == "to":
            for g in sent.doc[tok.i + 1].children:
                if g.dep_ == "pobj":
                    return span_of(g)
    return None


#: Forms the lemmatiser gets wrong ("staged" -> "stag"), as they matter here.
LEMMA_SLIPS = {"staged": "stage", "staging": "stage", "retook": "retake", "retaken": "retake",
               "overran": "overrun"}


def lemma_of(tok) -> str:
    return LEMMA_SLIPS.get(tok.lower_, tok.lemma_)


def noun_trigger_is_event(tok) -> bool:
    """A noun trigger is an event when something happens to it or by it, not when it is only named."""
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "attr", "dobj") and lemma_of(head) in EVENT_NOUN_HEADS:
        return True
    if tok.dep_ == "ROOT":
        return True
    # "two dead were left by the explosion of a car bomb": the event is the passive's agent.
    if tok.dep_ == "pobj" and head.dep_ == "agent" and lemma_of(head.head) in EVENT_NOUN_HEADS:
        return True
    # "The violence began with a pre-dawn raid on the square": what began is the raid.
    if tok.dep_ == "pobj" and head.lower_ == "with" and lemma_of(head.head) in ("begin", "start", "open", "end"):
        return True
    return False


@lru_cache(maxsize=1)
def non_targets() -> frozenset[str]:
    return frozenset(row[0] for row in data_rows("non_targets.tsv"))


#: What is destroyed when a weapon is stopped, not property: "the drone was shot down and destroyed".
WEAPON_OBJECTS = {"missile", "rocket", "drone", "projectile", "shell", "bomb", "mine", "explosive", "device", "uav"}


def is_event_sense(frame: Frame, sent, tok, verb, is_noun: bool) -> bool:
    """Drop the other senses of conflict words: "shot a video", "struck a chord", "fought fires",
    "the results demonstrate", "a demonstration of power"."""
    if frame.family in ("violence", "strike", "shell", "clash", "explode") and frame.patient is not None:
        if sent[frame.patient[0]:frame.patient[1]].root.lemma_.lower() in non_targets():
            return False
    if is_noun and tok.head.dep_ == "agent" and lemma_of(tok.head.head) in ("back", "support", "aid", "assist", "cover"):
        return False  # "forces backed by Russian airstrikes": support told about a side, not an incident
    if frame.family == "loot" and frame.patient is not None and \
            sent[frame.patient[0]:frame.patient[1]].root.lemma_.lower() in WEAPON_OBJECTS:
        return False  # "one missile was intercepted and destroyed": the interception, not property destroyed
    if frame.family == "protest" and tok.lemma_ in ("demonstrate", "demonstration"):
        if is_noun:
            return not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
        return not (passive(tok) or any(c.dep_ in ("dobj", "ccomp", "attr") for c in tok.children))
    return True


def is_gerund_event(tok) -> bool:
    """ "Fighting between the army and the RSF went on through the night": a gerund that is the
    subject of what an event does (goes on, rages, kills) is the event itself."""
    if tok.tag_ != "VBG" or tok.dep_ not in ("nsubj", "csubj") or tok.head.i == tok.i:
        return False
    head = tok.head
    return head.lemma_ in EVENT_NOUN_HEADS or (head.lemma_ == "go" and any(c.dep_ == "prt" and c.lower_ == "on"
                                                                           for c in head.children))


def between_sides(tok):
    """ "clashes between the army and the RSF": the two sides, as tokens."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            first = next((g for g in c.children if g.dep_ == "pobj"), None)
            second = next((g for g in first.children if g.dep_ == "conj"), None) if first is not None else None
            if second is not None:
                return first, second
    return None


def is_earlier_background(verb, trigger_tokens: set[int]) -> bool:
    """ "The army retook Bara, two days after the RSF captured the town": the "after" clause
    recalls an earlier event, reported on its own day; here it would be misdated."""
    if verb.dep_ != "advcl" or verb.head.i not in trigger_tokens:
        return False
    return any(c.dep_ == "mark" and c.lower_ in ("after", "since") for c in verb.children)


def sentence_frames(sent, lexicon: Lexicon) -> list[Frame]:
    """Frames for every trigger in a parsed sentence (a spaCy Span or Doc)."""
    frames = []
    triggers = match_triggers(sent, lexicon)
    # An ACLED verb in the sentence tells the event; its nouns only name it ("to demand" does not count).
    has_verb_trigger = any(sent[i].pos_ == "VERB" and sent[i].dep_ != "amod" and trig.family in ACLED_FAMILIES
                           for trig, i, _ in triggers)  # "two injured" is who they are, not what happened
    trigger_tokens = {sent[k].i for _, i, j in triggers for k in range(i, j)}  # every word of "air strike"
    for trig, i, j in triggers:
        tok = sent[i]
        if j - i > 1 and sent[i:j].root.pos_ == "VERB":
            tok = sent[i:j].root  # "trouble also flared": the phrase's verb carries the event
        is_noun = tok.pos_ in ("NOUN", "PROPN")
        head_word = sent[i:j].root if is_noun else tok  # "hunger strike": the strike began
        if is_noun and trig.family in ACLED_FAMILIES and (has_verb_trigger or not noun_trigger_is_event(head_word)):
            continue
        # "Shelling ... killed 7": the verb's frame is the event; the gerund only names it.
        gerund_event = is_gerund_event(tok) and tok.head.i not in trigger_tokens
        if tok.tag_ == "VBG" and tok.dep_ in ("csubj", "nsubj", "pcomp", "pobj", "csubjpass") and not gerund_event:
            continue  # "Taking back the M5 ... had marked a gain": a mention, not a new event
        if tok.tag_ in ("VBN", "VBD") and tok.dep_ in ("acl", "amod") and trig.family not in ACLED_FAMILIES - {"agree"}:
            continue  # "a zone agreed with Russia", "forces aided by militias": background, not news
        if tok.dep_ == "amod" and trig.lemmas[0] in PARTICIPLES_THAT_DESCRIBE:
            continue  # "the wounded soldiers were taken to hospital", "free detained activists": who they are
        verb = tok.head if gerund_event else head_verb(tok)
        is_noun = is_noun or gerund_event
        if is_earlier_background(verb, trigger_tokens):
            continue
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp") and verb.head.i != verb.i:
            verb = verb.head  # "an air strike hit the town, killing four": the killing happened where the strike did
        frame = Frame(trig, i, j, trig.family)
        frame.negated = is_negated(verb) or is_denied_content(verb) or (not is_noun and is_denied_content(tok)) \
            or is_alleged_content(verb)
        reason = irrealis_reason(tok, verb)
        if reason == "attempt" and trig.family in ATTEMPTED_FAMILIES:
            reason = None  # ACLED codes an attempted attack as the attack
        frame.irrealis = reason is not None
        frame.threat = reason in ("threat", "modal") or trig.family == "threaten"
        clause_tokens = list(verb.subtree)
        frame.clause = (clause_tokens[0].i - sent.start, clause_tokens[-1].i + 1 - sent.start)
        fill_participants(frame, tok, verb, is_noun)
        if not is_event_sense(frame, sent, tok, verb, is_noun):
            continue
        if frame.agent and sent[frame.agent[0]:frame.agent[1]].root.i in trigger_tokens:
            root = sent[frame.agent[0]:frame.agent[1]].root
            frame.event_subject_modifiers = (frame.agent[0], root.i - sent.start)
            frame.agent = None  # "Shelling of the market in El Obeid killed 7": an event, not who did it
            subject_family = next((t.family for t, a, b in triggers if a <= root.i - sent.start < b), None)
            if frame.family == "violence" and subject_family == "clash" and root.lemma_ in MUTUAL_FIGHT_NOUNS:
                frame.family = "clash"  # "Armed clashes killed 27": the toll of a clash
        if frame.agent is None and verb.head.i != verb.i and hearsay(verb.head):
            # "Gunmen said to be on motorcycles attacked ...": the parser hangs the act under "said".
            subj = subject_of(verb.head)
            frame.agent = span_of(subj) if subj is not None else None
        frame.reporter, frame.reporter_pronoun, frame.denial = reporter_of(sent, verb)
        frame.reporter_head = reporter_head_span(sent, verb)
        frames.append(frame)
    lend_event_noun_agents(sent, frames, triggers)
    return frames


def lend_event_noun_agents(sent, frames: list[Frame], triggers) -> None:
    """ "32 civilians died following an attack by the RSF": the attack's "by" names who did it."""
    agents = []
    for _, i, j in triggers:
        root = sent[i:j].root
        if root.pos_ in ("NOUN", "PROPN"):
            for c in root.children:
                if c.dep_ in ("prep", "agent") and c.lower_ == "by":
                    agents.extend(span_of(g) for g in c.children if g.dep_ == "pobj")
    if agents:
        for frame in frames:
            if frame.agent is None and frame.family in ("violence", "strike", "shell", "explode", "clash"):
                frame.agent = agents[0]


def fill_participants(frame: Frame, tok, verb, is_noun: bool) -> None:
    subj = subject_of(verb)
    if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        subj = verb.head  # "rebels, who lost ground": the rebels
    if is_noun:
        obj = object_of(tok)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if poss is not None:
            frame.agent = span_of(poss)
        if obj is not None:
            frame.patient = span_of(obj)
        if tok.dep_ in ("dobj",) and subj is not None:
            frame.agent = span_of(subj)
        sides = between_sides(tok)
        if sides is not None and frame.agent is None and frame.patient is None:
            frame.agent, frame.patient = span_of(sides[0]), span_of(sides[1])
        if tok.left_edge.i < tok.i:  # "a subsequent RSF attack", "Russian shelling"
            frame.event_subject_modifiers = (tok.left_edge.i - tok.sent.start, tok.i - tok.sent.start)
        if frame.family in ("capture", "lose"):
            frame.taken = span_of(tok)  # "the capture of Bara", "the fall of the airport"
        return
    if passive(verb):
        agent = agent_of(verb)
        if agent is not None:
            frame.agent = span_of(agent)
            frame.assoc = assoc_of(agent)
        if subj is not None:
            frame.patient = span_of(subj)
    else:
        if subj is not None:
            frame.agent = span_of(subj)
            frame.agent_pronoun = subj.lower_ in PRONOUNS
            frame.assoc = assoc_of(subj)
        obj = object_of(verb)
        if obj is not None:
            frame.patient = span_of(obj)
    if verb.lemma_ == "die":
        frame.patient, frame.agent = frame.agent, None  # who died is the victim
    if frame.family in ("capture", "lose"):
        # Captured or lost: the object (active) or subject (passive); what fell: the subject.
        frame.taken = frame.agent if verb.lemma_ == "fall" else frame.patient
    if frame.family in ("lose", "fall") or verb.lemma_ in ("lose", "fall"):
        # "The rebels lost the town": the subject is the loser; "fell to X": X took it.
        frame.patient, frame.agent = frame.agent, None
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "to":
                for g in c.children:
                    if g.dep_ == "pobj":
                        frame.agent = span_of(g)
        if verb.lemma_ == "fall":
            frame.patient = None


def main_event_token(sent):
    """The word a sentence's event hangs on when no trigger word marks it: the root verb, or the
    clause a reporting verb introduces ("Police said gunmen overran the camp": overran)."""
    root = sent.root
    if root.lemma_ in REPORTING_VERBS:
        content = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")), None)
        if content is not None:
            return content
    return root


def learned_frame(sent, family: str) -> Frame:
    """A frame for a sentence that the typing model reads as an event though no trigger word fits
    ("Rebels overran army positions at Kibumba"): the classifier gives the kind of act, the
    parse still gives who did it to whom, who reports it and whether it is denied or only planned."""
    tok = main_event_token(sent)
    verb = head_verb(tok)
    is_noun = tok.pos_ in ("NOUN", "PROPN")
    i = tok.i - sent.start
    frame = Frame(Trigger((tok.lemma_.lower(),), "ANY", family, None), i, i + 1, family)
    frame.negated = is_negated(verb) or is_denied_content(verb) or is_alleged_content(verb)
    reason = irrealis_reason(tok, verb)
    frame.irrealis = reason is not None and reason != "attempt"
    frame.threat = reason in ("threat", "modal")
    frame.clause = (0, len(sent))
    fill_participants(frame, tok, verb, is_noun)
    frame.reporter, frame.reporter_pronoun, frame.denial = reporter_of(sent, verb)
    frame.reporter_head = reporter_head_span(sent, verb)
    return frame
