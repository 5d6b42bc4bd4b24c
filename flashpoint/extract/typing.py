"""Typing: an event's ACLED sub-event type from its trigger family, cues and actors.

    sub_event_type("violence", ["weapon:air", "target:armed"], actor1=None, actor2=soldiers, place_country="SY")
        -> "Air/drone strike"

The rules follow ACLED's codebook: the weapon decides among remote violence types, the
target decides between a battle and violence against civilians, and for captures the
capturing side's kind decides: state forces in their own country regain territory,
anyone else (a rebel group, or a foreign state's army) overtakes it.
"""

from __future__ import annotations

import re

from flashpoint.resolve.actors import ARMED_KINDS, NON_STATE_KINDS, STATE_KINDS, Actor

WEAPON_TYPES = {"weapon:chemical": "Chemical weapon", "weapon:suicide": "Suicide bomb",
                "weapon:ied": "Remote explosive/landmine/IED", "weapon:grenade": "Grenade",
                "weapon:air": "Air/drone strike", "weapon:shell": "Shelling/artillery/missile attack",
                "weapon:strike": "Air/drone strike", "weapon:bomb": "Remote explosive/landmine/IED"}
SIMPLE_FAMILIES = {"arrest": "Arrests", "abduct": "Abduction/forced disappearance", "sexual": "Sexual violence",
                   "loot": "Looting/property destruction", "agree": "Agreement",
                   "base": "Headquarters or base established", "disrupt": "Disrupted weapons use",
                   "transfer": "Non-violent transfer of territory", "change": "Change to group/activity"}


def first_weapon(cues: list[str]) -> str | None:
    for c in cues:
        if c == "weapon:rpg":
            return None  # "firing guns and rocket-propelled grenades": a ground attack, typed by its target
        if c in WEAPON_TYPES:
            return c
    return None


def territory_type(actor1: Actor | None, actor2: Actor | None, place_country: str | None) -> str:
    if actor1 is not None:
        own_country = actor1.country is None or place_country is None or actor1.country == place_country
        if actor1.kind in STATE_KINDS and own_country:
            return "Government regains territory"
        return "Non-state actor overtakes territory"
    if actor2 is not None and actor2.kind not in STATE_KINDS and actor2.kind in ARMED_KINDS:
        return "Government regains territory"
    return "Non-state actor overtakes territory"


#: Families in which demonstrators who act are themselves violent: they fight, burn, loot, attack.
DEMONSTRATOR_VIOLENCE_FAMILIES = {"violence", "clash", "loot", "explode"}


#: Clash words for fighting on both sides; a raid or a storming is one side's act.
MUTUAL_FIGHT_LEMMAS = {"clash", "fight", "battle", "skirmish", "confront", "confrontation", "scuffle", "brawl"}


def protesters_fight(family: str, cues: list[str], actor1: Actor | None, actor2: Actor | None,
                     trigger_lemma: str = "") -> bool:
    """Demonstrators' own violence makes the event a violent demonstration (ACLED's riot):
    "protesters set fire to the party office", "clashes between police and protesters"."""
    if actor1 is not None and actor1.kind == "protesters" and family in DEMONSTRATOR_VIOLENCE_FAMILIES:
        return True
    return family == "clash" and trigger_lemma in MUTUAL_FIGHT_LEMMAS and (
        (actor2 is not None and actor2.kind == "protesters") or "target:protesters" in cues)


#: Victims counted without saying who they were.
GENERIC_VICTIMS = re.compile(r"(?i)\b(?:people|persons|others)\b")


def sub_event_type(family: str, cues: list[str], actor1: Actor | None, actor2: Actor | None,
                   place_country: str | None, trigger_lemma: str = "") -> str | None:
    """The ACLED sub-event type, or None when the family has no ACLED reading."""
    if protesters_fight(family, cues, actor1, actor2, trigger_lemma):
        return "Violent demonstration"
    if family in ("violence", "clash") and "weapon:thrown" in cues and not (actor1 is not None and actor1.kind in ARMED_KINDS):
        return "Violent demonstration"  # "police were attacked with bricks and fireworks": a crowd's violence
    if family == "disrupt" and actor2 is not None and actor2.kind in ARMED_KINDS | {"civilians"} and first_weapon(cues) is None:
        family = "clash"  # "intercepted a group of extremists, killing 24": people, not a weapon, were stopped
    if family in SIMPLE_FAMILIES:
        return SIMPLE_FAMILIES[family]
    if family in ("capture", "lose"):
        if "manner:nonviolent" in cues:
            return "Non-violent transfer of territory"  # "captured the towns ... without facing any opposition"
        return territory_type(actor1, actor2, place_country)
    if family == "protest":
        if "intervention:lethal" in cues:
            return "Excessive force against protesters"
        if "intervention:force" in cues:
            return "Protest with intervention"
        return "Peaceful protest"
    if family == "riot":
        return "Mob violence" if trigger_lemma == "lynch" else "Violent demonstration"
    if family in ("violence", "shell", "clash") and "target:protesters" in cues:
        if "intervention:lethal" in cues:
            return "Excessive force against protesters"
        if "intervention:force" in cues:
            return "Protest with intervention"
    weapon = first_weapon(cues)
    if family == "explode":
        return WEAPON_TYPES.get(weapon, "Remote explosive/landmine/IED") if weapon != "weapon:firearm" else \
            "Remote explosive/landmine/IED"
    if family == "strike":
        return WEAPON_TYPES.get(weapon or "weapon:air", "Air/drone strike")
    if family == "shell":
        if weapon in WEAPON_TYPES:
            return WEAPON_TYPES[weapon]
        if trigger_lemma in ("shell", "shelling", "bombard", "pound"):
            return "Shelling/artillery/missile attack"
        # "fired on": by whom at whom decides, as for any attack.
    if weapon in WEAPON_TYPES and family in ("violence", "shell"):
        return WEAPON_TYPES[weapon]
    target_kind = actor2.kind if actor2 else None
    if target_kind == "protesters" or ("target:protesters" in cues and family == "violence"):
        if actor1 is None or actor1.kind in STATE_KINDS:
            return "Excessive force against protesters"
    if family == "clash":
        if target_kind == "civilians" and actor1 is not None and actor1.kind in ARMED_KINDS:
            return "Attack"
        if target_kind is None and actor1 is not None and actor1.kind in NON_STATE_KINDS and \
                "target:civilians" in cues and "target:armed" not in cues:
            return "Attack"  # "gunmen raided a village, killing 15 people": no one fought back
        return "Armed clash"
    if target_kind == "civilians" and actor2 is not None and GENERIC_VICTIMS.search(actor2.text) \
            and "target:military_site" in cues:
        return "Armed clash"  # "killed eight people in a raid on an army camp": the garrison fought
    civilian_target = target_kind == "civilians" or (
        target_kind is None and "target:civilians" in cues and "target:armed" not in cues)
    if civilian_target:
        return "Attack"
    if target_kind in ARMED_KINDS or "target:armed" in cues:
        return "Armed clash"
    return "Attack"
