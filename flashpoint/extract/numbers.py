"""Numbers: how many were killed and injured, in digits or words, and what is not a count.

    casualties("Two Turkish soldiers were killed ..., bringing deaths in the region to 18.")
        -> Casualties(killed=2, injured=None)

"at least 12" counts as 12; a vague count ("dozens", "scores") is unknown (None); a
running total ("bringing deaths to 18", "more than 300 have been killed since October",
"the death toll in the war") is not the event's count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
         "a dozen": 12, "dozen": 12, "single": 1, "both": 2, "twin": 2, "couple": 2}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
#: Counts that are not numbers: the event's toll is unknown, not zero.
VAGUE = {"dozens", "scores", "hundreds", "thousands", "several", "many", "some", "numerous", "few", "a few"}

NUMBER = (r"(?:\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
          r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          r"sixteen|seventeen|eighteen|nineteen|a dozen|a hundred|one hundred|dozens|scores|hundreds|several)")
QUALIFIER = r"(?:at least|more than|over|some|about|around|nearly|almost|up to|as many as|roughly|an estimated)\s+"
NOUNS = (r"(?:(?:[a-z\-]+\s+){0,3}(?:people|persons|civilians|soldiers|troops|fighters|militants|rebels|"
         r"policemen|police officers|officers|members|children|women|men|villagers|residents|protesters|"
         r"demonstrators|worshippers|students|workers|insurgents|jihadists|gunmen|attackers|personnel|"
         r"servicemen|pilgrims|passengers|others|of them|guards|militiamen|farmers|terrorists|extremists|assailants|"
         r"bandits|kidnappers|raiders|cadres|combatants|paramilitaries|recruits|conscripts|peacekeepers|"
         r"volunteers|herders|fishermen|miners|traders|journalists|teachers|[a-z]+(?:ians|ese|is|ans)))")

KILLED = (r"(?:killed|dead|died|slain|massacred|executed|lost their lives|perished|shot dead|beheaded|"
          r"fatally (?:injured|wounded|shot|hurt))")
#: One victim named in the singular: "killing a civilian", "a 61-year-old resident was killed".
SINGULAR = (r"(?:civilian|man|woman|child|boy|girl|baby|soldier|serviceman|policeman|policewoman|police officer|"
            r"officer|fighter|militant|rebel|person|resident|villager|farmer|journalist|teenager|student|worker|"
            r"guard|driver|member|doctor|nurse|aid worker|volunteer|pensioner|official|activist|lawyer|politician|"
            r"candidate|leader|commander|chief|cleric|imam|priest|teacher|trader|shopkeeper|passer-by)")
INJURED = r"(?:wounded|injured|hurt|maimed)"

#: Words that make a number a running total rather than this event's count.
RUNNING_TOTAL = re.compile(
    r"\b(?:bringing|brings|bring|raising|raises|pushing|taking the|total(?!\s+of\s)|overall|cumulative|so far|"
    r"since (?:the start|the beginning|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|\d{4})|this year|in the war|of the war|of the conflict|in the conflict|"
    r"death toll in the region)\b", re.I)


@dataclass
class Casualties:
    killed: int | None = None
    injured: int | None = None
    total_span: tuple[int, int] | None = None
    #: The count is a sum told by side ("six soldiers and four rebels"): every side's dead.
    by_side: bool = False


def parse_count(text: str) -> int | None:
    """A count in digits or words ("2", "two", "twenty-one", "a dozen"), or None if vague."""
    t = text.lower().strip()
    t = re.sub(QUALIFIER, "", t)
    if t in VAGUE:
        return None
    if re.fullmatch(r"\d[\d,]*", t):
        return int(t.replace(",", ""))
    if t in UNITS:
        return UNITS[t]
    if t in ("a hundred", "one hundred"):
        return 100
    m = re.fullmatch(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](\w+))?", t)
    if m:
        return TENS[m.group(1)] + (UNITS.get(m.group(2), 0) if m.group(2) else 0)
    return None


PATTERNS = [
    # "Two soldiers were killed", "at least 12 people have been killed", "12 killed"
    ("n_before", re.compile(rf"\b(?:{QUALIFIER})?({NUMBER})\s+(?:{NOUNS}\s+(?:of\s+(?:[^\s,.;]+\s+){{1,8}}?)?)?(?:(?:were|was|have been|had been|"
                            rf"are|been|being|reportedly|also|have|has|had)\s+)*({KILLED}|{INJURED})\b", re.I)),
    # "killing two", "killed at least 5 people", "wounding 12 others"
    ("n_after", re.compile(rf"\b(killing|killed|wounding|wounded|injuring|injured|shot dead|shooting dead|gunned down|"
                           rf"gunning down)\s+(?:{QUALIFIER})?({NUMBER})\b", re.I)),
    # "Activist Reham Yacoub ... was killed": one named victim
    ("one_named", re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})(?:,[^,]{0,80},)?\s+(?:was|has been|had been)\s+"
                             r"(?:shot\s+(?:and\s+)?)?(killed|shot dead|murdered|assassinated|gunned down)\b")),
    # "left 3 dead", "leaving 5 people dead"
    ("left", re.compile(rf"\b(?:left|leaving)\s+(?:{QUALIFIER})?({NUMBER})\s+(?:{NOUNS}\s+)?({KILLED}|{INJURED})\b", re.I)),
    # "killing a civilian", "wounding one soldier"
    ("one_after", re.compile(rf"\b(killing|killed|wounding|wounded|injuring|injured|shot dead|shooting dead)\s+"
                             rf"(an?|one)\s+(?:[\w-]+\s+){{0,3}}?{SINGULAR}\b", re.I)),
    # "a 61-year-old local resident was fatally injured"
    ("one_before", re.compile(rf"\b(an?|one)\s+(?:[\w-]+\s+){{0,3}}?{SINGULAR}(?:\s+(?:of|from|in)\s+[A-Z][\w-]+)?"
                              rf"\s+(?:was|has been|had been|is)\s+"
                              rf"(?:reportedly\s+|also\s+)?({KILLED}|{INJURED})\b", re.I)),
    # "A resident of a Belgorod Region village died", "an official at Prado, a tambon ..., was shot and killed"
    ("one_before", re.compile(rf"\b(an?|one)\s+(?:[\w-]+\s+){{0,2}}?{SINGULAR}\s+(?:of|from|in|at)\s+[^.;]{{1,100}}?"
                              rf"(?:,\s+|\s+)(?:(?:was|has been|had been)\s+(?:shot\s+and\s+)?)?"
                              rf"(died|killed|shot dead|lost (?:his|her) life)\b", re.I)),
    # "announced the death of two soldiers"
    ("death_of", re.compile(rf"\bdeaths?\s+of\s+(?:{QUALIFIER})?({NUMBER})\s+{NOUNS}", re.I)),
    # "the death toll rose to 15", "death toll of 15"
    ("toll", re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:rose to|reached|climbed to|stood at|of|at|is|was)\s+(?:{QUALIFIER})?({NUMBER})\b", re.I)),
]


#: A toll told by side: "Six soldiers and four rebels were killed", "killing two soldiers and 18 militants".
SPLIT_BEFORE = re.compile(rf"\b(?:{QUALIFIER})?({NUMBER})\s+{NOUNS},?\s+and\s+(?:{QUALIFIER})?({NUMBER})\s+{NOUNS}\s+"
                          rf"(?:(?:were|was|have been|had been|are|been|reportedly|also|have|has|had)\s+)*"
                          rf"({KILLED}|{INJURED})\b", re.I)
SPLIT_AFTER = re.compile(rf"\b(killing|killed|wounding|wounded|injuring|injured)\s+(?:{QUALIFIER})?({NUMBER})\s+{NOUNS}"
                         rf",?\s+and\s+(?:{QUALIFIER})?({NUMBER})\s+{NOUNS}", re.I)


SPLIT_DEATHS_OF = re.compile(rf"\b(deaths?)\s+of\s+(?:{QUALIFIER})?({NUMBER})\s+{NOUNS},?\s+and\s+(?:{QUALIFIER})?"
                             rf"({NUMBER})\s+{NOUNS}", re.I)


def split_toll(sentence: str) -> tuple[str, int] | None:
    """The field and the summed count of a toll told by side, if the sentence has one."""
    for pattern, verb_group, numbers in ((SPLIT_BEFORE, 3, (1, 2)), (SPLIT_AFTER, 1, (2, 3)),
                                         (SPLIT_DEATHS_OF, 1, (2, 3))):
        m = pattern.search(sentence)
        if m and not is_running_total(sentence, m.start(), m.end()) and not is_ceiling(sentence[max(0, m.start() - 12):m.end()]):
            counts = [parse_count(m.group(g)) for g in numbers]
            if None not in counts:
                return ("injured" if is_injury(m.group(verb_group)) else "killed"), sum(counts)
    return None


def casualties(sentence: str) -> Casualties:
    """Killed and injured counts the sentence gives for its own event."""
    result = Casualties()
    split = split_toll(sentence)
    if split is not None:
        setattr(result, split[0], split[1])
        result.by_side = split[0] == "killed"
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            if is_running_total(sentence, m.start(), m.end()) or is_ceiling(sentence[max(0, m.start() - 12):m.end()]):
                continue
            if kind in ("n_after", "one_after"):
                verb, number = m.group(1), m.group(2)
            elif kind == "one_named":
                verb, number = m.group(2), "1"
            elif kind in ("toll", "death_of"):
                verb, number = "killed", m.group(1)
            else:
                number, verb = m.group(1), m.group(2)
            count = 1 if kind.startswith("one_") else parse_count(number)
            field = "injured" if is_injury(verb) else "killed"
            if getattr(result, field) is None and count is not None:
                setattr(result, field, count)
    if re.search(rf"\b(?:no one|nobody|no casualties|no deaths|no injuries|none)\b[^.]*?\b(?:{KILLED}|{INJURED}|reported)", sentence, re.I):
        result.killed = 0 if result.killed is None else result.killed
    return result


#: "up to 15 troops had died": a ceiling, not a count; ACLED records the conservative figure.
CEILING = re.compile(r"\b(?:up to|as many as)\s", re.I)


def is_ceiling(matched: str) -> bool:
    return bool(CEILING.search(matched))


def is_injury(verb: str) -> bool:
    """ "wounding", "injured", "hurt" — but "fatally injured" is a death."""
    verb = verb.lower()
    return not verb.startswith("fatally") and verb.startswith(("wound", "injur", "hurt", "maim"))


def is_running_total(sentence: str, start: int, end: int) -> bool:
    """A count inside a clause that totals up earlier events ("bringing ... to 18")."""
    clause_start = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
    clause_end_candidates = [i for i in (sentence.find(",", end), sentence.find(";", end)) if i != -1]
    clause_end = min(clause_end_candidates) if clause_end_candidates else len(sentence)
    return bool(RUNNING_TOTAL.search(sentence[clause_start:clause_end]))
