"""Scope: which mentions report an incident ACLED would code.

    drop_out_of_scope(mentions, scope)      # crime, sport, markets: PLOVER reading only
    not_eventive(mention, pub)              # why a statement is no incident: habit, tally, history...

A mention that is out of scope or not eventive keeps its PLOVER reading (an accusation is still
an accusation) but loses its ACLED type, so it makes no incident.
"""

from __future__ import annotations

import re
from datetime import date

from flashpoint.extract.context import ArticleScope
from flashpoint.extract.mentions import Mention
from flashpoint.resolve.actors import ARMED_KINDS
from flashpoint.resolve.dates import MAX_EVENT_RANGE_DAYS


#: ACLED codes political violence, protest and strategic developments, not ordinary crime, sport or
#: markets: an event with none of the marks below needs this many conflict words in its article.
MIN_CONFLICT_TERMS = 2


#: Sub-event types that a military weapon or protesters decide: in scope by themselves.
SCOPE_BY_WEAPON = {"Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                   "Suicide bomb", "Chemical weapon", "Grenade"}


SCOPE_BY_PROTEST = {"Excessive force against protesters", "Protest with intervention", "Violent demonstration"}


#: Actors whose acts are political violence whatever the article: armies and armed groups (not police).
POLITICAL_ARMED_KINDS = {"state", "rebel", "militia", "islamist", "unidentified"}


def political_by_itself(d: Mention) -> bool:
    """A protest, a riot, an army or armed group, or a military weapon."""
    if d.family in ("protest", "riot") or d.sub_event_type in SCOPE_BY_PROTEST:
        return True
    if d.sub_event_type in SCOPE_BY_WEAPON and (d.weapon or d.family in ("strike", "shell")):
        return True  # a named weapon, or a shelling or air strike verb; not a bare "blast"
    return any(a is not None and a.kind in POLITICAL_ARMED_KINDS for a in (d.actor1, d.actor2, *d.assoc))


def demote(d: Mention) -> None:
    """No ACLED type (so no incident), but the PLOVER reading the type gave stays."""
    d.plover_type, d.sub_event_type = d.sub_event_type, None


def drop_out_of_scope(drafts: list[Mention], scope: "ArticleScope") -> None:
    """A police shooting in a crime story or a 'hard-fought battle' on a court keeps its PLOVER
    reading (an assault is an assault) but gets no ACLED type, so it makes no incident. An
    article about conflict (its words, or one event political by itself) keeps all its events."""
    acled = [d for d in drafts if d.acled]
    if not acled or scope.conflict_terms >= MIN_CONFLICT_TERMS or any(political_by_itself(d) for d in acled):
        return
    for d in acled:
        demote(d)


#: "The violence has spread ..., killing thousands": a war's running toll, not an incident.
PERFECT_ASPECT = re.compile(r"(?i)\b(?:has|have)\s+(?:\w+\s+)?(?:killed|spread|claimed|left|displaced|cost|"
                            r"forced|driven|uprooted|escalated|raged|continued)\b")


MASS_COUNT = re.compile(r"(?i)\b(?:thousands|millions|tens of thousands|hundreds of thousands)\b")


def is_running_toll(d: Mention) -> bool:
    text = d.sentence.text
    return d.family == "violence" and bool(PERFECT_ASPECT.search(text) and MASS_COUNT.search(text))


#: "has repeatedly struck shelters in recent months", "launched near-daily strikes": a pattern of
#: events, not one. ("In recent days" is a short range the date resolver keeps: it may well be one
#: incident told again.)
HABITUAL = re.compile(r"(?i)\b(?:repeatedly|routinely|regularly|frequently|habitually|often|sometimes|usually|"
                      r"constantly|increasingly|(?:near|almost)[- ]daily|daily|nightly|weekly)\b|"
                      r"\bin recent (?:months|years)\b|\bover the (?:past|last) (?:\w+ )?(?:months|years)\b")
#: A tally over a span ("has killed hundreds since August", "so far this year").
DURATION = re.compile(r"(?i)\b(?:since|so far|to date|for (?:years|months|decades)|over the (?:past|last)|"
                      r"this year|in the past (?:year|decade))\b")
#: Several episodes told as one ("in two separate attacks", "a wave of raids"): each, where told,
#: is an incident; the sum is not.
PLURAL_EPISODES = re.compile(r"(?i)\b(?:two|three|four|five|six|several|multiple|numerous|a series of|a wave of|"
                             r"a string of|\d+)\s+(?:separate\s+|different\s+|similar\s+)?(?:incidents|attacks|raids|"
                             r"strikes|airstrikes|air strikes|clashes|bombings|operations|assaults|ambushes)\b")
#: A war told as the doer: "The fighting has killed ...", "The conflict has displaced ...".
WAR_AS_SUBJECT = re.compile(r"(?i)^(?:the|this)\s+(?:\w+\s+)?(?:fighting|war|conflict|violence|unrest|offensive|campaign|"
                            r"insurgency|crisis|hostilities)\s+(?:has|have)\b")
#: A toll counted from the start of something: whatever the tense, a sum of incidents.
TALLY_SINCE = re.compile(r"(?i)\bsince the (?:beginning|start|outbreak|onset) of\b")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
#: A photo caption: told in the present and stamped with the day the picture was taken, or credited
#: ("..., in Salvatierra, Mexico, Dec 19, 2023.", "(AP Photo/...)", "REUTERS/...").
CAPTION_DATE_END = re.compile(
    r"(?i)(?:,|\s)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{1,2},?\s+(?:19|20)\d{2}\.?\s*$")
PHOTO_CREDIT = re.compile(r"(?i)\((?:AP Photo|photo credit|photo:|[^()]{1,60}\bvia AP)\b|\bREUTERS/|\bAFP/Getty")


def is_caption(m: Mention) -> bool:
    text = m.sentence.text
    return m.present_root and bool(CAPTION_DATE_END.search(text) or PHOTO_CREDIT.search(text))


def not_eventive(m: Mention, pub: date | None) -> str | None:
    """Why a mention reports no specific incident, from the shape of its sentence: a habit (a
    present tense, a frequency), a tally over a span (a perfect with "since"), an ongoing state,
    several episodes summed, a description in a relative clause, or a year long past."""
    text = m.sentence.text
    headline = m.sentence.index == 0 and not text.rstrip().endswith(".")
    quoted = bool(re.search(r"[\"“”]", text))
    if is_caption(m):
        return "caption"  # a photo's description; the story tells the incident itself
    if m.aspect == "present" and not headline and not quoted and m.trigger != "be":
        return "habitual"  # a present tense outside a quote or a headline tells what happens, not what happened
    if m.aspect in ("perfect_progressive", "progressive") and not (m.when and m.when.explicit):
        return "ongoing"
    if HABITUAL.search(text):
        return "habitual"
    if m.aspect == "perfect" and WAR_AS_SUBJECT.match(text):
        return "aggregate"  # "The fighting has killed more than 200 fighters": the war's toll
    if TALLY_SINCE.search(text):
        return "aggregate"  # "since the beginning of the offensive, 111 were killed": a running toll
    if m.aspect == "perfect" and (DURATION.search(text) or m.relative):
        return "aggregate"
    if PLURAL_EPISODES.search(text) and not (m.place_in_clause and m.place is not None
                                             and m.place.feature not in ("country", "admin1", "region")):
        return "aggregate"
    if pub and not (m.when and m.when.explicit) and (years := [int(y) for y in YEAR.findall(text)]) \
            and max(years) < pub.year:
        return "background"
    return None


#: Events dated this long before the report are its background ("The war began when ..."), coded when
#: they were news, not again from every later story.
BACKGROUND_DAYS = 30


def is_old_background(d: Mention, pub: date | None) -> bool:
    return bool(pub and d.when and d.when.explicit and (pub - d.when.end).days > BACKGROUND_DAYS)


def drop_old_background(drafts: list[Mention], pub: date | None) -> list[Mention]:
    """Events dated weeks before the report, and the undated ones told in the same sentence
    ("stormed into Israel on Oct. 7, 2023, killing ... and abducting ..."), lose their ACLED type."""
    old_sentences = {d.sentence.index for d in drafts if d.acled and is_old_background(d, pub)}
    for d in drafts:
        if d.acled and (is_old_background(d, pub) or (d.sentence.index in old_sentences
                                                       and not (d.when and d.when.explicit))):
            demote(d)  # told as history: no incident now, its PLOVER reading stays
    return drafts


def keep_draft(d: Mention, pub: date | None = None) -> bool:
    """Drop what is not an event: trends over long spans, placeless non-events."""
    if d.acled and (reason := not_eventive(d, pub)):
        d.not_eventive = reason
        demote(d)  # a pattern, a tally or history, not an incident: its PLOVER reading stays
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
