"""Actors: who a phrase like "Assad's forces" or "Turkish-backed rebels" names.

    catalog = ActorCatalog.load()
    catalog.resolve("Syrian government forces", article_country="SY")
        -> Actor(name="Military Forces of Syria", kind="state", country="SY", text=...)

Named groups come from flashpoint/data/actors.tsv (with aliases); generic phrases are
built from their head word ("army", "rebels", "police") and a qualifier that gives the
country: a demonym ("Turkish soldiers"), a leader ("Assad's forces"), a country name,
or, for "the army" or "government forces", the country the article is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.data import data_rows

#: Kinds that are armed and on the state's side.
STATE_KINDS = {"state", "police"}
#: Kinds that are armed and not the state's.
NON_STATE_KINDS = {"rebel", "militia", "islamist", "unidentified"}
ARMED_KINDS = STATE_KINDS | NON_STATE_KINDS
#: How a generic actor of each kind is named, ACLED-style, given its country's name.
GENERIC_NAMES = {"state": "Military Forces of {country}", "police": "Police Forces of {country}",
                 "rebel": "Rebels ({country})", "militia": "Militia ({country})",
                 "islamist": "Islamist militants ({country})", "unidentified": "Unidentified Armed Group ({country})",
                 "civilians": "Civilians ({country})", "protesters": "Protesters ({country})"}
#: Words that make a generic force the state's: "government forces", "regime troops".
STATE_QUALIFIERS = {"government", "regime", "pro-government", "state", "federal", "national", "junta", "syrian-government"}
#: Words that make "forces" someone else's: "opposition forces", "rebel forces".
REBEL_QUALIFIERS = {"opposition", "rebel", "insurgent", "militant", "jihadist", "kurdish", "kurdish-led", "islamist"}


@dataclass
class Actor:
    """An actor as the contract writes it (text, canonical name, kind, country)."""

    text: str
    name: str
    kind: str
    country: str | None
    named: bool = False
    role: str | None = None
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict:
        d = {"text": self.text, "name": self.name, "kind": self.kind, "country": self.country}
        if self.role:
            d["role"] = self.role
        return d

    @property
    def side(self) -> str:
        return "state" if self.kind in STATE_KINDS else "non-state" if self.kind in NON_STATE_KINDS else self.kind


@dataclass
class ActorCatalog:
    groups: list[tuple[re.Pattern, str, str, str | None]] = field(default_factory=list)
    leaders: dict[str, str] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "ActorCatalog":
        cat = cls()
        for row in data_rows("actors.tsv"):
            name, kind, country = row[0], row[1], row[2] or None
            aliases = [a for a in (row[3].split("|") if len(row) > 3 else []) if a]
            if kind == "word":
                cat.words[name] = country or ""
                continue
            for alias in [name, *aliases]:
                flags = 0 if alias.isupper() and len(alias) <= 5 else re.I
                pattern = re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", flags)
                if kind == "leader":
                    cat.leaders[alias.lower()] = country
                cat.groups.append((pattern, name, kind, country))
        # Longer aliases first, so "Islamic State West Africa Province" beats "Islamic State".
        cat.groups.sort(key=lambda g: -len(g[0].pattern))
        return cat

    def named_group(self, text: str) -> tuple[str, str, str | None, re.Match] | None:
        """The first named group (not a leader) in `text`."""
        best = None
        for pattern, name, kind, country in self.groups:
            if kind == "leader":
                continue
            m = pattern.search(text)
            if m and (best is None or m.start() < best[3].start()):
                best = (name, kind, country, m)
        return best

    def leader_country(self, text: str) -> str | None:
        for alias, country in self.leaders.items():
            if re.search(rf"\b{re.escape(alias)}(?:['’]s)?\b", text, re.I):
                return country
        return None

    def head_kind(self, text: str) -> tuple[str, str] | None:
        """The generic word heading the phrase and its kind ("Syrian government forces" -> forces, state)."""
        low = text.lower()
        best = None
        for word, kind in self.words.items():
            m = re.search(rf"\b{re.escape(word)}\b", low)
            if m and (best is None or m.end() > best[2] or (m.end() == best[2] and len(word) > len(best[0]))):
                best = (word, kind, m.end())
        return (best[0], best[1]) if best else None


def resolve_actor(text: str, catalog: ActorCatalog, demonym_country, country_name, article_country: str | None,
                  start: int = -1, end: int = -1) -> Actor | None:
    """The actor a noun phrase names, or None when it names none.

    `demonym_country(word)` maps "Syrian" to "SY"; `country_name(code)` gives "Syria".
    """
    text = text.strip()
    if not text:
        return None
    group = catalog.named_group(text)
    head = catalog.head_kind(text)
    if group and (head is None or group[3].start() <= text.lower().find(head[0])):
        name, kind, country, _ = group
        if kind not in ("monitor", "government"):
            return Actor(text, name, kind, country, named=True, start=start, end=end)
    if head is None or head[1] == "facility":
        return None  # "the Government Science college" is a place that was hit, not a party
    word, kind = head
    words = re.findall(r"[\w\-’']+", text.lower())
    country = None
    for w in words:
        code = demonym_country(w.strip("’'"))
        if code:
            country = code
            break
    leader = catalog.leader_country(text)
    if leader:
        country, kind = leader, "state" if kind in ("state", "rebel") else kind
    if kind == "state" and word in ("forces", "fighters") and not country and not set(words) & STATE_QUALIFIERS:
        kind = "rebel" if set(words) & REBEL_QUALIFIERS else "unidentified" if word == "forces" else "rebel"
    if kind == "state" and set(words) & REBEL_QUALIFIERS and not leader:
        kind = "rebel"
    if kind == "state" and word == "government" and not set(words) & {"forces", "troops", "army", "soldiers"}:
        kind = "government"
    if kind in ("civilians", "protesters", "rebel", "militia", "islamist", "unidentified") and not country:
        country = article_country
    if kind in STATE_KINDS and not country:
        country = article_country
    template = GENERIC_NAMES.get(kind)
    if template is None:
        return Actor(text, text, kind, country, start=start, end=end)
    return Actor(text, template.format(country=country_name(country) if country else "unknown country"),
                 kind, country, start=start, end=end)
