"""Events from self-written wire-style reports, through the real pipeline (spaCy + gazetteer)."""

from __future__ import annotations

import json

import pytest

from flashpoint.extract.events import extract_article
from flashpoint.model import Article

PUBLISHED = "2024-03-14T09:30"  # a Thursday


def events_of(body: str, published: str = PUBLISHED, acled_only: bool = True) -> list[dict]:
    article = Article(doc="wire.txt", body=body, published=published, id="a1")
    found = [e.to_dict() for e in extract_article(article)]
    return [e for e in found if e["event_type"]] if acled_only else found


def only_event(body: str, **kw) -> dict:
    found = events_of(body, **kw)
    assert len(found) == 1, [(e["sub_event_type"], e["evidence"][0]["sentence"]) for e in found]
    return found[0]


# One sentence per ACLED sub-event type, written in the style of wire copy.
SUB_TYPES = [
    ("Armed clash", "Government troops clashed with Houthi fighters near Marib on Tuesday, a military official said."),
    ("Government regains territory", "Syrian government forces recaptured the town of Maarat al-Numan on Wednesday."),
    ("Non-state actor overtakes territory", "Islamic State militants seized the town of Palmyra on Monday."),
    ("Chemical weapon", "At least 20 people were killed in a chlorine attack on the town of Douma on Saturday, medics said."),
    ("Air/drone strike", "An air strike killed five fighters near Kandahar on Tuesday, police said."),
    ("Suicide bomb", "A suicide bomber killed 12 people at a market in Mogadishu on Sunday, police said."),
    ("Shelling/artillery/missile attack", "Russian artillery shelled the city of Kharkiv on Wednesday, killing three civilians."),
    ("Remote explosive/landmine/IED", "A roadside bomb killed four soldiers near Kirkuk on Monday, the army said."),
    ("Grenade", "Attackers threw a grenade at a bus station in Garissa on Tuesday, wounding eight people."),
    ("Sexual violence", "Militiamen raped women in villages near Geneina on Monday, witnesses said."),
    ("Attack", "Gunmen killed seven villagers near Maiduguri on Tuesday, residents said."),
    ("Abduction/forced disappearance", "Gunmen kidnapped 30 students from a school in Kaduna on Wednesday, police said."),
    ("Peaceful protest", "Thousands of protesters marched through Khartoum on Tuesday to demand civilian rule."),
    ("Protest with intervention", "Police fired tear gas to disperse protesters in Nairobi on Tuesday."),
    ("Excessive force against protesters", "Security forces shot dead four protesters in Mandalay on Sunday, witnesses said."),
    ("Violent demonstration", "Rioters torched police vehicles in Dakar on Monday, police said."),
    ("Mob violence", "A mob lynched two men accused of theft in Kisumu on Wednesday, police said."),
    ("Agreement", "The warring parties signed a ceasefire agreement in Jeddah on Saturday."),
    ("Arrests", "Police arrested 40 opposition activists in Harare on Tuesday."),
    ("Disrupted weapons use", "Soldiers defused a car bomb near Baghdad on Monday, the army said."),
    ("Headquarters or base established", "Turkish forces set up a new military base near Idlib on Tuesday."),
    ("Looting/property destruction", "Militiamen looted the market in El Fasher on Tuesday, residents said."),
    ("Non-violent transfer of territory", "Rebels handed over the town of Bukavu to local authorities on Monday."),
]


@pytest.mark.parametrize("expected, sentence", SUB_TYPES, ids=[s for s, _ in SUB_TYPES])
def test_every_sub_event_type_is_recognised(expected, sentence):
    event = only_event(sentence)
    assert event["sub_event_type"] == expected
    assert event["location"] is not None and event["location"]["lat"] is not None
    assert event["date"]["start"] is not None
    assert event["plover"]["event"] and event["cameo"]


def test_agentless_air_strike_has_no_actor1_and_counts_its_dead():
    event = only_event("Two soldiers were killed in an air strike in Idlib on Wednesday.")
    assert event["sub_event_type"] == "Air/drone strike"
    assert event["actor1"] is None
    assert event["fatalities"] == 2
    assert event["date"]["start"] == "2024-03-13"
    assert event["location"]["country"] == "SY"


def test_running_total_is_not_the_events_count_nor_an_event():
    body = ("Three Turkish soldiers were killed in shelling in Idlib on Tuesday, bringing Turkish deaths "
            "in the region to 21.\n\nMore than 300 people have been killed since October, the monitor said.")
    event = only_event(body)
    assert event["fatalities"] == 3


def test_denial_marks_both_accounts_contested_and_links_them():
    body = ("Rebels said on Thursday they had captured the town of Kafr Nabl from the army.\n\n"
            "A Syrian military source denied that, saying the army had repelled a rebel attack on the town.")
    found = events_of(body)
    capture = next(e for e in found if e["sub_event_type"] == "Non-state actor overtakes territory")
    clash = next(e for e in found if e["sub_event_type"] == "Armed clash")
    assert capture["contested"] and clash["contested"]
    assert capture["counter_claims"] == [clash["event_id"]]
    assert clash["event_id"] in capture["counter_claims"] and capture["event_id"] in clash["counter_claims"]
    assert clash["location"]["name"] == capture["location"]["name"]  # "the town" is Kafr Nabl


def test_reported_by_comes_from_reporting_verbs_and_according_to():
    event = only_event("Government forces have seized 12 villages in southern Idlib, the Syrian Observatory "
                       "for Human Rights said.")
    assert event["reported_by"] == "Syrian Observatory for Human Rights"
    event = only_event("According to local officials, gunmen killed nine farmers near Zamfara on Monday.")
    assert event["reported_by"] and "local officials" in event["reported_by"]


def test_threats_plans_and_negations_are_not_violent_events():
    body = ("Erdogan said Turkey would drive the Syrian army back if it did not withdraw.\n\n"
            "The army plans to retake the town of Saraqeb.\n\n"
            "A rocket landed near the base in Erbil, but no one was hurt.")
    kinds = [e["sub_event_type"] for e in events_of(body)]
    assert "Government regains territory" not in kinds and "Armed clash" not in kinds
    records = events_of(body, acled_only=False)
    assert any(e["plover"]["event"] == "THREATEN" and e["event_type"] is None for e in records)


def test_teaser_of_another_story_gives_no_event(wire_dump_with_teaser):
    from flashpoint.ingest.reader import read

    [article] = list(read([str(wire_dump_with_teaser)]))
    found = [e.to_dict() for e in extract_article(article)]
    assert not any("cholera" in ev["sentence"].lower() for e in found for ev in e["evidence"])


def test_relative_dates_and_ranges_resolve_against_publication():
    found = events_of("Government forces seized 15 villages near Hama in the last three days, the monitor said.")
    assert found[0]["date"] == {"start": "2024-03-11", "end": "2024-03-14", "precision": "range",
                                "text": "in the last three days"}
    event = only_event("Three weeks ago, rebels captured the town of Kafr Zita.")
    assert event["date"]["start"] == "2024-02-22" and event["date"]["precision"] == "week"
    event = only_event("Gunmen killed two police officers in Peshawar late Sunday.")
    assert event["date"]["start"] == "2024-03-10"


def test_a_trend_since_a_month_is_not_an_event():
    assert events_of("Government forces have gained ground in northwest Syria since December.") == []


def test_the_town_resolves_to_the_town_named_before():
    body = ("Rebels entered the town of Kafr Nabl on Monday.\n\n"
            "On Tuesday, an air strike hit the town, killing four civilians, rescuers said.")
    found = events_of(body)
    strike = next(e for e in found if e["sub_event_type"] == "Air/drone strike")
    entry = next(e for e in found if e["event_type"] == "Battles")
    assert strike["location"]["text"] == "the town"
    assert strike["location"]["geonameid"] == entry["location"]["geonameid"] is not None
    assert strike["fatalities"] == 4


def test_state_forces_named_by_their_leader_or_the_article_country():
    event = only_event("Assad's forces shelled the town of Ariha in Idlib province on Monday.")
    assert event["actor1"]["name"] == "Military Forces of Syria"
    body = ("Fighting raged across northern Syria.\n\nThe army recaptured the town of Saraqeb on Tuesday.")
    capture = next(e for e in events_of(body) if e["event_type"] == "Battles" and e["location"]["name"] == "Saraqib")
    assert capture["actor1"]["name"] == "Military Forces of Syria"
    assert capture["sub_event_type"] == "Government regains territory"


def test_a_foreign_army_taking_ground_is_a_non_state_overtake():
    event = only_event("Russian troops captured the village of Robotyne in Ukraine on Thursday.")
    assert event["actor1"]["name"] == "Military Forces of Russia"
    assert event["sub_event_type"] == "Non-state actor overtakes territory"


def test_assoc_actor_backed_by():
    event = only_event("Rebels backed by the Turkish military recaptured the town of Saraqeb on Thursday.")
    assert event["actor1"]["kind"] == "rebel"
    assert {"name": "Military Forces of Turkey", "role": "backed_by"}.items() <= event["assoc_actors"][0].items()


def test_words_counts_and_vague_counts():
    assert only_event("Gunmen killed eleven villagers near Bunia on Monday.")["fatalities"] == 11
    assert only_event("Gunmen killed at least 23 villagers near Bunia on Monday.")["fatalities"] == 23
    assert only_event("Gunmen killed dozens of villagers near Bunia on Monday.")["fatalities"] is None


def test_same_incident_in_two_sentences_is_one_event_with_both_sentences():
    body = ("Government forces recaptured the town of Saraqeb on Wednesday, state media said.\n\n"
            "The army took control of Saraqeb after heavy fighting, the Syrian Observatory for Human Rights said.")
    captures = [e for e in events_of(body) if e["sub_event_type"] == "Government regains territory"]
    assert len(captures) == 1
    assert len(captures[0]["evidence"]) == 2
    for ev in captures[0]["evidence"]:
        assert body[ev["start"]:ev["end"]] == ev["sentence"]
    assert 0 < captures[0]["confidence"] <= 1


def test_article_without_conflict_content_has_no_events():
    assert events_of("The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
                     acled_only=False) == []


def test_extract_cli_writes_the_contract(tmp_path, run_cli):
    page = tmp_path / "story.txt"
    page.write_text(" date 2024-03-14\n\nTwo soldiers were killed in an air strike in Idlib on Wednesday.\n", encoding="utf-8")
    result = run_cli(["extract", str(page), "--format", "jsonl", "--acled-only"])
    assert result.exit_code == 0, result.output
    [line] = [l for l in result.stdout.splitlines() if l.strip()]
    event = json.loads(line)
    assert set(event) >= {"event_id", "doc", "article_id", "event_type", "sub_event_type", "plover", "actor1",
                          "actor2", "assoc_actors", "location", "date", "fatalities", "injured", "reported_by",
                          "contested", "counter_claims", "evidence", "confidence"}
    assert event["fatalities"] == 2 and event["doc"] == str(page)


def test_extract_cli_reports_bad_input_and_goes_on(tmp_path, run_cli):
    good = tmp_path / "good.txt"
    good.write_text("Gunmen killed seven villagers near Maiduguri on Tuesday, residents said.\n", encoding="utf-8")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 500)
    result = run_cli(["extract", str(good), str(bad), "--format", "csv"])
    assert result.exit_code == 1
    assert "Attack" in result.stdout
    assert "bad.bin" in result.stderr


def test_geoparse_cli_gives_offsets_into_the_text_as_given(tmp_path, run_cli):
    text = "Fighting in Aleppo spread to Idlib province, Syrian officials said.\n"
    page = tmp_path / "g.txt"
    page.write_text(text, encoding="utf-8")
    result = run_cli(["geoparse", str(page), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(l) for l in result.stdout.splitlines() if l.strip()]
    names = {r["text"]: r for r in rows}
    assert {"Aleppo", "Syrian"} <= set(names)
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]
    assert names["Aleppo"]["country"] == "SY" and names["Syrian"]["country"] == "SY"


def test_gazetteer_import_reads_a_geonames_dump(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_CACHE", str(tmp_path / "cache"))
    dump = tmp_path / "SY.txt"
    row = ["9999001", "Tell Khattab", "Tell Khattab", "Tall Khattab", "35.41", "36.62", "P", "PPL", "SY", "", "12",
           "", "", "", "0", "", "300", "Asia/Damascus", "2024-01-01"]
    dump.write_text("\t".join(row) + "\nnot a geonames line\n", encoding="utf-8")
    result = run_cli(["gazetteer", "import", str(dump)])
    assert result.exit_code == 0, result.output
    from flashpoint.resolve import gazetteer as g

    g._opened.clear()
    try:
        found = g.Gazetteer.open().candidates("Tall Khattab")
        assert any(p.geonameid == 9999001 and p.country == "SY" for p in found)
    finally:
        g._opened.clear()


def test_gazetteer_import_refuses_a_file_that_is_not_geonames(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_CACHE", str(tmp_path / "cache"))
    bogus = tmp_path / "x.txt"
    bogus.write_text("hello\nworld\n")
    result = run_cli(["gazetteer", "import", str(bogus)])
    assert result.exit_code == 2
    assert "no GeoNames rows" in result.stderr


def test_a_bare_toll_after_an_incident_is_that_incident_s_toll():
    found = only_event("Rockets slammed into a residential district of Kharkiv on Tuesday, killing two people, "
                       "regional officials said.\n\nThe officials said 14 people were wounded, three of them "
                       "children.")
    assert found["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (found["fatalities"], found["injured"]) == (2, 14)
    assert len(found["evidence"]) == 2


def test_civilians_killed_in_crossfire_count_for_the_capture_they_died_in():
    found = only_event("Ukrainian troops recaptured the village of Robotyne on Tuesday, the army said.\n\n"
                       "At least three civilians were killed in crossfire in Robotyne on Tuesday, "
                       "local officials said.")
    assert found["sub_event_type"] == "Government regains territory"
    assert found["fatalities"] == 3


@pytest.mark.parametrize("second", [
    # Its own weapon: a second incident.
    "Two soldiers were killed in an air strike in Kharkiv on Tuesday, the army said.",
    # Its own, distant town: a second incident.
    "Five people were killed in Kherson on Tuesday, the governor said.",
    # Its own perpetrator: a second incident.
    "Gunmen killed four villagers near Kharkiv on Tuesday, police said.",
])
def test_a_toll_with_something_of_its_own_stays_a_separate_event(second):
    found = events_of("Rockets slammed into a residential district of Kharkiv on Tuesday, killing two people, "
                      "regional officials said.\n\n" + second)
    assert len(found) == 2, [(e["sub_event_type"], e["evidence"][0]["sentence"]) for e in found]


def test_fighting_between_two_sides_that_went_on_is_a_clash_between_them():
    found = only_event("Fighting between the army and the Rapid Support Forces around El Fasher went on "
                       "through Monday night, residents said.")
    assert found["sub_event_type"] == "Armed clash"
    assert {found["actor1"]["name"], found["actor2"]["name"]} == {"Military Forces of Sudan", "Rapid Support Forces"}
    assert found["date"]["start"] == "2024-03-11"
    assert found["location"]["country"] == "SD"


def test_a_gerund_that_only_names_an_earlier_gain_is_not_an_event():
    assert events_of("Capturing the hilltop had marked the army's biggest gain of the year, analysts said.") == []


def test_an_event_noun_as_subject_gives_its_place_and_makes_one_event():
    found = only_event("Shelling of the main bus station in Kramatorsk killed six people on Tuesday, "
                       "the regional governor said.")
    assert found["sub_event_type"] == "Shelling/artillery/missile attack"
    assert found["location"]["name"] == "Kramatorsk"
    assert found["fatalities"] == 6


def test_a_demonym_on_the_strike_names_the_attacker_and_victims_take_the_place_s_country():
    found = only_event("A Russian missile strike on an apartment block in Dnipro killed nine people on Monday, "
                       "officials said.")
    assert found["actor1"]["name"] == "Military Forces of Russia"
    assert found["actor2"]["name"] == "Civilians (Ukraine)"
    assert found["location"]["country"] == "UA"


@pytest.mark.parametrize("sentence", [
    "The camera captured the moment the old bridge collapsed in Genoa on Tuesday.",
    "The minister admitted that Portugal had fallen out of favour with its neighbours.",
    "The number of nurses in Scotland has fallen by 12% over a decade, the union said.",
    "The former governor entered the courtroom in Nairobi on Monday as his lawyers looked on.",
    "The bank's shares regained their losses in Lisbon trading on Tuesday.",
    "Al-Shabaab fighters captured 20 soldiers near Kismayo on Monday, the army said.",
])
def test_capture_and_fall_words_that_move_no_ground_are_not_territorial_events(sentence):
    assert not [e for e in events_of(sentence) if "territory" in e["sub_event_type"]]


@pytest.mark.parametrize("sentence, place", [
    ("The eastern town of Bakhmut fell to Russian forces on Saturday, Ukraine's military said.", "Bakhmut"),
    ("Houthi rebels seized the airport in Hodeidah on Tuesday, residents said.", "Hodeidah"),
    ("The Taliban took control of the provincial capital of Kunduz on Sunday, officials said.", "Kunduz"),
])
def test_ground_that_changes_hands_is_a_territorial_event(sentence, place):
    found = only_event(sentence)
    assert "territory" in found["sub_event_type"]
    assert found["location"]["name"] == place


def test_a_roundup_never_lends_one_war_s_actors_to_another():
    found = events_of("Al-Shabaab fighters attacked an army base near Kismayo on Monday, the army said.\n\n"
                      "In eastern Ukraine, the town of Bakhmut fell to Russian forces on Saturday.\n\n"
                      "Rebels gained ground near Goma on Tuesday, residents said.")
    bakhmut = next(e for e in found if e["location"]["name"] == "Bakhmut")
    goma = next(e for e in found if e["location"]["name"] == "Goma")
    assert bakhmut["actor1"]["name"] == "Military Forces of Russia"
    assert bakhmut["actor2"] is None or bakhmut["actor2"]["country"] == "UA"
    assert goma["actor1"]["country"] == "CD"


@pytest.mark.parametrize("story", [
    # Ordinary crime: police work, no armed group, no conflict words.
    "Police arrested a man suspected of stealing luxury cars in Leeds on Tuesday. Officers said the man, 34, "
    "was shot with a stun gun when he tried to flee.",
    # Sport.
    "The visitors clinched the title in Glasgow on Sunday with a late header after a hard-fought battle, "
    "and a rocket of a shot from their captain sealed it.",
    # Business: "struck a deal" is an agreement, and not ACLED's.
    "The football league struck a record $310 million deal with a streaming service in Lagos on Thursday.",
    # Other senses of protest and violence words.
    "The survey results demonstrate the strength of the export sector in Santiago, economists said. "
    "The director shot a video of the rally's empty stage.",
])
def test_news_outside_political_violence_makes_no_acled_event(story):
    assert events_of(story) == []


def test_an_out_of_scope_agreement_keeps_its_plover_reading():
    found = events_of("The football league struck a $310 million deal with a streaming service in Lagos on Thursday.",
                      acled_only=False)
    assert [e["plover"]["event"] for e in found] == ["AGREE"]
    assert found[0]["event_type"] is None


def test_in_an_article_about_the_war_an_actorless_killing_is_still_an_event():
    found = events_of("Russian troops pressed their offensive in the south on Monday, Ukraine's army said.\n\n"
                      "Three people were killed in Kherson on Tuesday, the regional governor said.")
    assert any(e["location"]["name"] == "Kherson" and e["fatalities"] == 3 for e in found)


def test_its_fighters_are_the_group_named_just_before():
    found = events_of("Al-Shabaab did not comment on the raid near Kismayo on Monday. Its fighters burned "
                      "shops in the market in Kismayo on Tuesday, residents said.")
    looting = next(e for e in found if e["sub_event_type"] == "Looting/property destruction")
    assert looting["actor1"]["name"] == "al-Shabaab"


def test_a_war_s_running_toll_in_thousands_is_not_an_incident():
    found = events_of("Gunmen killed nine villagers near Djibo on Monday, residents said. Violence that began in "
                      "Mali in 2012 has spread to Burkina Faso and Niger, killing thousands and forcing millions "
                      "from their homes.")
    assert [e["fatalities"] for e in found] == [9]


def test_granaries_burned_during_an_attack_are_the_attack_s_damage_not_a_second_event():
    found = events_of("Gunmen on motorbikes attacked a village near Djibo on Monday night, killing 9 civilians and "
                      "burning granaries, residents said.\n\n\"They came at dusk, fired on everyone, then set fire to "
                      "the grain store before leaving,\" a villager said.")
    assert [e["sub_event_type"] for e in found] == ["Attack"]
    assert found[0]["fatalities"] == 9


def test_looting_by_a_named_group_on_its_own_day_stays_an_event():
    found = events_of("Gunmen attacked a village near Djibo on Monday, killing 9 civilians, residents said. "
                      "Militiamen looted the market in Djibo on Wednesday, traders said.")
    assert {e["sub_event_type"] for e in found} == {"Attack", "Looting/property destruction"}


def test_acled_only_leaves_out_events_that_lost_their_acled_type():
    article = Article(doc="wire.txt", body="The football league struck a $310 million deal with a streaming "
                                           "service in Lagos on Thursday.", published=PUBLISHED, id="a1")
    assert extract_article(article, include_plover=False) == []


@pytest.mark.parametrize("sentence, plover", [
    ("Hundreds of detainees began a hunger strike at a prison near Kampala on Monday, their lawyers said.", "PROTEST"),
    ("Thousands of students staged demonstrations in Dhaka on Saturday to demand the minister's resignation.", "PROTEST"),
    ("The two governments reached an agreement on border trade in Addis Ababa on Friday.", "AGREE"),
    ("The interior ministry banned the main opposition party in Minsk on Tuesday.", "COERCE"),
    ("Prosecutors opened an investigation into the killings in Bamako on Wednesday.", "ACCUSE"),
    ("The governor lifted the night curfew in Jos on Thursday after a week of calm.", "CONCEDE"),
    ("The rebel group declared a unilateral ceasefire in Tigray on Sunday.", "RETREAT"),
])
def test_plover_readings_of_non_violent_acts(sentence, plover):
    # Every sentence parsed, as for diplomacy-only text (the default prefilter keeps conflict sentences).
    article = Article(doc="wire.txt", body=sentence, published=PUBLISHED, id="a1")
    found = [e.to_dict() for e in extract_article(article, prefilter=False)]
    assert found and found[0]["plover"]["event"] == plover, [(e["plover"], e["sub_event_type"]) for e in found]


def test_an_attempted_assassination_is_an_attack():
    found = only_event("Gunmen tried to assassinate a provincial governor in Herat on Monday, police said.")
    assert found["sub_event_type"] == "Attack"


def test_a_plan_to_attack_is_still_not_an_attack():
    assert events_of("The militants will try to attack the convoy near Herat next week, officials warned.") == []


def test_soldiers_demolishing_homes_is_property_destruction():
    found = only_event("Army bulldozers demolished a dozen homes in a village near Hebron on Sunday, residents said.")
    assert found["sub_event_type"] == "Looting/property destruction"


def test_an_air_strike_that_hit_a_town_is_an_air_strike_without_a_verb_trigger():
    found = only_event("An air strike hit a market in the town of Saada on Tuesday, medics said.")
    assert found["sub_event_type"] == "Air/drone strike"


def test_a_megabyte_without_punctuation_is_cut_into_pieces_not_refused():
    words = ("rebels attacked the town of Kidal killing soldiers as the army shelled the village " * 13000)
    assert len(words) > 1_000_000  # over spaCy's own limit for one text
    article = Article(doc="flood.txt", body=words, published=PUBLISHED, id="flood")
    found = extract_article(article)
    assert found and all(len(e.evidence[0]["sentence"]) <= 1000 for e in found)


def test_a_town_spacy_calls_a_nationality_is_a_place_after_the_town_of():
    found = only_event("Rebels attacked the town of Kidal on Monday, killing 5 soldiers, the army said.")
    assert found["location"]["name"] == "Kidal" and found["location"]["country"] == "ML"


def test_another_spelling_of_a_transliterated_town_after_the_town_of():
    # GeoNames spells it Saraqib; wire copy often writes Saraqeb.
    found = only_event("Government forces shelled the town of Saraqeb on Tuesday, killing four civilians, "
                       "a monitoring group said.")
    assert found["location"]["name"] == "Saraqib" and found["location"]["country"] == "SY"


def test_what_was_captured_is_a_place_even_when_the_parser_calls_it_a_person():
    found = events_of("Islamist rebels captured Jisr al-Shughour in Idlib province on Saturday after days of "
                      "fighting with government forces, a war monitor said.")
    capture = next(e for e in found if "territory" in e["sub_event_type"])
    assert capture["location"]["name"].startswith("Jisr") and capture["location"]["country"] == "SY"


def test_a_title_case_dateline_is_not_the_reporter_nor_the_place():
    found = only_event("Beirut - Syrian state television said on Sunday that army artillery shelled rebel "
                       "positions near Hama, killing 12 fighters.")
    assert found["reported_by"] == "Syrian state television"
    assert found["location"]["name"] == "Hama"


def test_a_london_based_monitor_does_not_put_the_event_in_london():
    found = only_event("Air strikes killed nine people in the town of Ariha on Monday, the London-based "
                       "Syrian Observatory for Human Rights said.")
    assert found["location"]["country"] == "SY"


def test_army_shelling_names_the_army_as_the_attacker():
    found = only_event("Eleven people were killed in army shelling of the town of Talbiseh on Friday, "
                       "opposition activists said.")
    assert found["actor1"]["name"] == "Military Forces of Syria"


@pytest.mark.parametrize("sentence, killed, injured", [
    ("A Russian drone struck a car on the road near Bilozerka on Monday, killing a civilian.", 1, None),
    ("A 70-year-old pensioner from Nikopol was fatally wounded by Russian shelling on Monday, the governor said.", 1, None),
    # Only wounded told: ACLED writes 0 dead, not unknown.
    ("Russian artillery pounded seven villages in the Zaporizhzhia region on Monday, wounding four people, "
     "officials said.", 0, 4),
])
def test_singular_victims_fatal_injuries_and_wounding_are_counted_right(sentence, killed, injured):
    found = only_event(sentence)
    assert (found["fatalities"], found["injured"]) == (killed, injured)


def test_two_killed_and_a_third_wounded_in_one_quote_is_one_incident():
    found = events_of("A drone attack on the border district of Kursk killed two people on Friday, the regional "
                      "governor said.\n\n\"Two residents were killed and a third man was badly wounded when the "
                      "drone hit their car,\" the governor said.")
    assert len(found) == 1 and found[0]["fatalities"] == 2


def test_an_agency_tag_in_brackets_opens_the_story_like_a_dateline():
    found = only_event("(Ukrinform) Russian troops attacked a farmhouse near Bilozerka with a drone on Monday, "
                       "killing a civilian.")
    assert found["actor1"]["name"] == "Military Forces of Russia"


def test_civilians_who_died_in_an_attack_by_a_group_are_that_group_s_victims():
    found = only_event("Twenty villagers died in a raid by the Rapid Support Forces on Tawila on Friday, "
                       "the army said.")
    assert found["actor1"]["name"] == "Rapid Support Forces"
    assert found["actor2"]["kind"] == "civilians" and found["fatalities"] == 20


def test_the_accused_group_denying_the_attack_contests_the_claim():
    found = only_event("At least 25 people were killed in an attack by the Rapid Support Forces on Tawila on "
                       "Saturday, local activists said. The RSF rejected the account and said it had no units there.")
    assert found["contested"] is True


def test_the_militia_is_the_militia_named_before():
    found = only_event("The Rapid Support Forces have besieged El Fasher for months. \"The militia shelled "
                       "El Fasher on Friday, killing 12 civilians,\" the army said.")
    assert found["actor1"]["name"] == "Rapid Support Forces"


def test_armed_men_and_terrorist_groups_are_unidentified_armed_groups():
    found = only_event("Eleven soldiers died on Monday in an ambush by terrorist groups near a military post "
                       "in Soum province, the army said.")
    assert found["actor1"]["name"].startswith("Unidentified Armed Group")


def test_a_province_name_never_resolves_to_a_town_abroad():
    found = only_event("Gunmen killed 12 villagers in Soum province on Monday, Burkina Faso's army said.")
    assert found["location"]["country"] == "BF"


def test_gunmen_raiding_a_village_and_killing_residents_is_an_attack():
    found = only_event("Gunmen raided a village near Djibo on Tuesday, killing 15 villagers, a governor said.")
    assert found["sub_event_type"] == "Attack"


def test_a_pattern_of_strikes_in_recent_months_is_not_an_event():
    assert events_of("Warplanes have repeatedly bombed fuel depots near Rafah in recent months, "
                     "aid groups said.") == []


def test_the_war_s_first_day_told_as_background_is_not_coded_again():
    found = events_of("An air strike on a house in Deir al-Balah killed six people on Monday, medics said. "
                      "The conflict began when rebel fighters stormed the capital on March 3, 2023, killing dozens "
                      "of soldiers and abducting several officials.")
    assert [e["fatalities"] for e in found] == [6]


def test_a_bare_strike_that_kills_is_an_air_strike_and_a_colon_dateline_is_no_place():
    found = only_event("Jerusalem: An Israeli strike on a school in Khan Younis killed seven people on Tuesday, "
                       "medics said.")
    assert found["sub_event_type"] == "Air/drone strike"
    assert found["location"]["country"] == "PS"


def test_the_next_sentence_that_says_who_said_this_is_the_source():
    found = only_event("Russian troops attacked a farmhouse near Bilozerka with a drone on Monday, killing a "
                       "civilian.\n\nIvan Petrenko, the regional governor, said this on Monday evening.")
    assert found["reported_by"] == "Ivan Petrenko"


def test_losses_in_recent_days_are_still_an_event_not_a_pattern():
    found = events_of("Government troops retook several villages in northern Hama province in recent days, "
                      "a monitoring group said.")
    assert any("territory" in e["sub_event_type"] for e in found)


# --- Events v2: incidents, eventive statements, unknown places, datelines (issue 9) ---


def test_mentions_of_one_incident_with_different_sub_types_become_one_incident():
    # The lead calls it an attack, the next sentence names the suicide bomber: one incident, typed once.
    found = events_of("Militants attacked a checkpoint in Mogadishu on Monday, killing four soldiers, police said.\n\n"
                      "A suicide bomber blew himself up at the checkpoint in Mogadishu before gunmen opened fire.")
    assert len(found) == 1, [(e["sub_event_type"], e["evidence"][0]["sentence"]) for e in found]
    assert found[0]["sub_event_type"] == "Suicide bomb"
    assert found[0]["fatalities"] == 4
    assert len(found[0]["evidence"]) == 2


def test_a_country_level_lead_joins_the_specific_incident_told_after_it():
    found = events_of("Government forces shelled a village in northern Syria on Thursday, killing three people, "
                      "activists said.\n\nThe shelling hit the village of Kafr Nabl, in Idlib province, medics said.")
    assert len(found) == 1, [(e["location"], e["evidence"][0]["sentence"]) for e in found]
    assert found[0]["location"]["text"] == "Kafr Nabl" and found[0]["location"]["precision"] == "town"
    assert found[0]["fatalities"] == 3


def test_the_precedence_table_decides_an_incident_s_type():
    from flashpoint.extract.incidents import precedence
    rank = precedence()
    assert rank["Suicide bomb"] > rank["Remote explosive/landmine/IED"]
    assert rank["Non-state actor overtakes territory"] > rank["Armed clash"]
    assert rank["Air/drone strike"] > rank["Attack"]
    assert set(rank) == set(load_ontology_sub_types())


def load_ontology_sub_types():
    from flashpoint.data import data_rows
    return [row[0] for row in data_rows("ontology.tsv")]


def test_a_clash_and_an_attack_on_unarmed_villagers_is_an_attack():
    found = events_of("Gunmen stormed the village of Kawuri near Maiduguri on Tuesday and fought their way in, "
                      "residents said.\n\nThe attackers killed nine villagers in Kawuri, a local official said.")
    assert [e["sub_event_type"] for e in found] == ["Attack"]


def test_two_accounts_with_opposite_perpetrators_stay_two_claims():
    found = events_of("Rebels said on Friday they had recaptured the town of Kafr Nabl.\n\n"
                      "A government official said the army had repelled a rebel attack on Kafr Nabl on Friday.")
    assert len(found) == 2


@pytest.mark.parametrize("sentence", [
    "The group sometimes carries out attacks in neighbouring Niger.",
    "Islamist militants have killed hundreds of soldiers since August, the ministry said.",
    "The army has been battling the insurgency in the region since 2015.",
    "The militia raided villages almost daily across the province, residents said.",
    "Gunmen killed 14 people in three separate attacks on villages in the region, officials said.",
    "Boko Haram fighters abducted more than 270 schoolgirls from Chibok in 2014.",
])
def test_generic_habitual_aggregate_and_old_statements_are_not_incidents(sentence):
    body = "Soldiers clashed with militants near Maiduguri on Tuesday, the army said.\n\n" + sentence
    found = events_of(body)
    assert len(found) == 1 and "Maiduguri" in found[0]["evidence"][0]["sentence"], \
        [(e["sub_event_type"], e["evidence"][0]["sentence"]) for e in found]


def test_a_specific_incident_told_in_the_present_perfect_is_still_an_incident():
    found = only_event("At least 12 people have been killed in an air strike on a market in Idlib, rescuers said.")
    assert found["sub_event_type"] == "Air/drone strike"
    assert found["fatalities"] == 12


def test_a_village_the_gazetteer_lacks_is_kept_by_name_with_its_country_and_province():
    found = only_event("Government forces shelled the village of Tell Qarmouz in Idlib province on Monday, "
                       "killing two children, the Syrian Observatory said.")
    loc = found["location"]
    assert loc["name"] == "Tell Qarmouz"
    assert loc["precision"] == "unresolved" and loc["lat"] is None
    assert loc["country"] == "SY" and loc["admin1"] == "Idlib"


def test_a_small_town_abroad_is_not_the_place_of_a_story_about_another_country():
    # "Haram" is a town in Norway; in a Syrian story it is the Syrian town the gazetteer lacks.
    found = only_event("An air strike hit the town of Haram in Syria's Idlib province on Monday, killing six rebels, "
                       "a monitor said.")
    assert found["location"]["country"] == "SY"


@pytest.mark.parametrize("sentence, name", [
    ("An Israeli drone strike on a car near Tyre killed two men on Saturday, officials said.", "Military Forces of Israel"),
    ("A Russian missile hit a school in Kharkiv on Friday, killing three people.", "Military Forces of Russia"),
])
def test_a_demonym_on_the_weapon_names_the_attacker(sentence, name):
    assert only_event(sentence)["actor1"]["name"] == name


def test_a_capital_s_forces_are_an_actor_not_a_place():
    found = events_of("Moscow's forces captured the village of Krasnohorivka in the Donetsk region on Tuesday, "
                      "the ministry said.")
    assert found and all(e["location"]["country"] == "UA" for e in found)


def test_a_weekday_is_resolved_against_the_report_not_taken_as_its_day():
    found = only_event("Gunmen killed five farmers near Kaduna on Friday, police said.", published="2024-03-18")
    assert found["date"]["start"] == "2024-03-15"


def test_an_uppercase_colon_dateline_is_neither_place_nor_reporter():
    found = only_event("BAMAKO: Ten soldiers died on Saturday when gunmen raided their base at Tessit, "
                       "military sources said.", published="2024-03-16")
    assert found["location"]["name"] != "Bamako"
    assert found["reported_by"] == "military sources"


def test_a_country_level_lead_is_placed_where_the_story_later_places_it():
    found = events_of("Suspected jihadists killed at least nine soldiers in an attack on an army post in "
                      "northern Burkina Faso on Wednesday, security sources said. The attackers stormed the "
                      "post at Djibo at dawn and set vehicles on fire, a local official said.")
    assert [e["location"]["name"] for e in found] == ["Djibo"]
    assert found[0]["date"]["start"] == "2024-03-13"


def test_an_incident_told_as_days_before_the_reported_one_takes_that_day():
    found = events_of("The ambush near Djibo on Wednesday comes three days after 14 villagers were killed "
                      "by a roadside bomb near Arbinda, residents said.")
    by_place = {e["location"]["name"]: e["date"]["start"] for e in found}
    assert by_place.get("Aribinda") == "2024-03-11"


def test_three_days_after_something_undated_says_nothing_of_the_day():
    found = only_event("Three days after the vote, gunmen killed two election officials in Maiduguri, police said.")
    assert found["date"]["start"] == "2024-03-14" and found["date"].get("text") is None


def test_a_big_city_abroad_written_in_another_spelling_is_still_that_city():
    # The story names only the attacker's country; "Mykolaiv" is GeoNames' "Mykolayiv".
    found = only_event("Russian artillery hit a row of houses in Mykolaiv on Monday and killed a pensioner, "
                       "the governor said.")
    assert found["location"]["country"] == "UA"


def test_a_town_gets_the_name_of_its_province():
    found = only_event("Gunmen killed four farmers near Maiduguri on Tuesday, police said.")
    assert found["location"]["admin1"] == "Borno"


def test_a_dateline_with_its_day_and_agency_is_no_place():
    found = only_event("Quetta, May 6 (Wire) A roadside bomb killed seven soldiers on Tuesday in Balochistan province "
                       "in the south-west, the army said.", published="2025-05-06")
    assert found["location"]["name"] != "Quetta"
    assert "Balochistan" in (found["location"]["name"], found["location"]["admin1"])


def test_a_school_that_was_stormed_is_no_actor_and_the_abduction_types_the_raid():
    found = only_event("Gunmen attacked a boarding school near Kagara on Wednesday and abducted dozens of pupils, "
                       "a spokesman said. The attackers stormed the Government Girls college before dawn, "
                       "overwhelming its guards, residents said.")
    assert found["sub_event_type"] == "Abduction/forced disappearance"
    assert found["actor2"] is None or "college" not in found["actor2"]["name"].lower()


@pytest.mark.parametrize("sentence", [
    "Demonstrators set fire to the governor's office in Kasserine on Monday as police fired tear gas to disperse them.",
    "Clashes between riot police and protesters in central Lima left four people dead on Tuesday, the ombudsman said.",
    "Protesters pelted police with stones outside the parliament in Tbilisi on Wednesday evening.",
])
def test_demonstrators_own_violence_is_a_violent_demonstration(sentence):
    assert only_event(sentence)["sub_event_type"] == "Violent demonstration"


def test_a_capital_named_in_apposition_is_the_place_even_with_a_curly_apostrophe():
    found = only_event("Police fired tear gas to disperse marchers in Chad’s capital, N’Djamena, on Tuesday.")
    assert found["location"]["name"] == "N'Djamena"


@pytest.mark.parametrize("sentence, name", [
    ("Militants overran the Kilo Sita base in Somalia's Lower Shabelle region on Thursday, officials said.", "Kilo Sita base"),
    ("Suspected separatists abducted 12 travellers on the Mamfe-Eyumojock road in Cameroon on Monday.", "Mamfe-Eyumojock road"),
])
def test_a_named_site_the_gazetteer_lacks_is_kept_as_the_place(sentence, name):
    found = only_event(sentence)
    assert found["location"]["name"] == name and found["location"]["precision"] == "unresolved"


def test_gangs_are_an_armed_group_not_the_state():
    found = only_event("Gangs attacked the suburb of Petion-Ville in Haiti on Tuesday, killing four residents.")
    assert found["actor1"]["name"] == "Unidentified Armed Group (Haiti)"


def test_towns_named_in_a_quote_are_still_places():
    found = only_event('"Gunmen kidnapped more than 20 passengers yesterday on the road between Bamenda and Kumbo" '
                       'in the North-West Region, a local official said.', published="2024-03-14")
    assert found["location"]["name"] in ("Bamenda", "Kumbo")


@pytest.mark.parametrize("sentence, name", [
    ("A farmer died in a village near Kursk after a Ukrainian drone attack on Sunday, the governor said.",
     "Military Forces of Ukraine"),
    ("Two guards were wounded in an attack by a Russian kamikaze drone on a depot near Sumy on Sunday.",
     "Military Forces of Russia"),
    ("An Israeli war jet launched a missile at a car near Khan Younis on Sunday, killing two men.",
     "Military Forces of Israel"),
])
def test_the_owner_of_the_weapon_that_struck_is_the_attacker(sentence, name):
    found = only_event(sentence, published="2024-03-18")
    assert found["actor1"]["name"] == name
    assert found["sub_event_type"] == "Air/drone strike"


def test_an_unclaimed_bombing_is_by_an_unidentified_armed_group_of_its_country():
    found = only_event("A roadside bomb killed four police officers near Garissa on Monday, officials said.")
    assert found["actor1"]["name"] == "Unidentified Armed Group (Kenya)"


def test_an_unattributed_air_strike_keeps_no_author():
    found = only_event("An air strike killed six fighters near Idlib on Monday, a monitor said.")
    assert found["actor1"] is None


def test_unnamed_unarmed_victims_are_the_civilians_of_the_country():
    found = only_event("Warplanes bombed a family home in Kitaf on Monday, killing seven residents, "
                       "the local health office said.", published="2024-03-14")
    assert found["actor2"]["name"] == "Civilians (Yemen)" or found["location"]["country"] != "YE"
    assert found["actor2"]["kind"] == "civilians"


def test_a_dispersed_protest_is_protesters_against_the_police():
    found = only_event("Police fired tear gas to disperse hundreds of protesters in central Dakar on Friday.",
                       published="2024-03-16")
    assert found["sub_event_type"] == "Protest with intervention"
    assert found["actor1"]["name"] == "Protesters (Senegal)"
    assert found["actor2"]["kind"] == "police"


def test_a_ceiling_is_not_a_count():
    found = only_event("Militants stormed an army post near Menaka on Sunday, a military source said, but could not "
                       "confirm reports that up to 20 soldiers had died.", published="2024-03-18")
    assert found["fatalities"] is None


def test_a_reporter_named_by_title_and_name_between_commas():
    found = only_event("A farmer was killed in a village near Kursk by Ukrainian shelling, the region's governor, "
                       "Alexei Smirnov, said on Sunday.", published="2024-03-18")
    assert "governor" in (found["reported_by"] or "")


def test_a_photo_caption_is_not_an_incident_of_its_own():
    found = events_of("Mourners carry the coffin of a policeman killed in a bombing, in Quetta, Pakistan, "
                      "March 12, 2024. (AP Photo/Staff)\n\nA bomb hidden in a motorcycle killed a policeman near "
                      "a checkpoint in Quetta on Sunday, officials said.", published="2024-03-12")
    assert len(found) == 1 and found[0]["date"]["start"] == "2024-03-10"


def test_the_attack_told_again_elsewhere_is_the_same_incident():
    found = events_of("Rebels killed six soldiers in an attack on an army outpost near Bakouma on Thursday, an "
                      "official said. The attack was confirmed by a doctor in Bangassou, a city nearby, who said the "
                      "bodies had been taken to his ward.", published="2024-03-15")
    assert [e["location"]["name"] for e in found] == ["Bakouma"]


def test_a_village_named_before_the_word_village_is_kept():
    found = only_event("Soldiers torched houses and shot dead four men in Thit Hpyu Gon village on Monday, "
                       "residents said.", published="2024-03-14")
    assert found["location"]["name"] == "Thit Hpyu Gon village"


def test_a_province_the_parser_calls_a_person_is_still_a_place():
    found = only_event("Ukrainian drones struck a fuel depot in the Kherson region on Monday, the governor said.")
    assert found["location"]["admin1"] == "Kherson"


@pytest.mark.parametrize("sentence, killed", [
    ("Four rebels and six soldiers died in the fighting near Bria on Thursday, an official said.", 10),
    ("The army said on Tuesday that two soldiers and 18 militants died when gunmen attacked a checkpoint near Rafah.", 20),
    ("An ambush near Gao killed five soldiers and three civilians on Monday, officials said.", 8),
])
def test_a_toll_told_by_side_is_summed(sentence, killed):
    assert only_event(sentence)["fatalities"] == killed


def test_the_death_of_a_toll_told_by_side_is_its_sum():
    from flashpoint.extract.numbers import casualties
    assert casualties("The ministry confirmed the deaths of three policemen and 17 attackers.").killed == 20


def test_wounded_soldiers_taken_to_hospital_are_not_a_new_incident():
    found = events_of("Rebels killed six soldiers in an attack on an army post near Bakouma on Thursday, an official "
                      "said. A doctor in Bangassou said the dead and the wounded soldiers were brought to his "
                      "ward.", published="2024-03-15")
    assert [e["location"]["name"] for e in found] == ["Bakouma"]


def test_another_strike_nearby_is_another_incident():
    found = events_of("Israeli jets struck Jabalia early Saturday, killing three people, medics said. During the "
                      "night, two more people died in another air strike on the town of Deir al-Balah, witnesses "
                      "said.", published="2024-03-16")
    assert len(found) == 2


def test_two_sources_of_one_side_tell_one_clash():
    found = events_of("Militants stormed the Tessit army camp at dawn on Sunday, a military source said. A second "
                      "army source said the soldiers had fought back against the assailants.", published="2024-03-17")
    assert len(found) == 1 and found[0]["sub_event_type"] == "Armed clash"


def test_firing_on_a_demonstration_is_force_against_protesters():
    found = only_event("Security forces fired live bullets and tear gas on two demonstrations in Sanaa on Saturday, "
                       "killing three people, witnesses said.", published="2024-03-18")
    assert found["sub_event_type"] == "Excessive force against protesters"


def test_the_raid_that_began_the_violence_places_it():
    found = events_of("Security forces fired live bullets on two demonstrations on Saturday, killing three people, "
                      "witnesses said. The bloodshed started with an early-morning raid on a sit-in camp in the "
                      "capital, Sanaa.", published="2024-03-18")
    assert [e["location"]["name"] for e in found] == ["Sanaa"]
    assert found[0]["sub_event_type"] == "Excessive force against protesters"


def test_an_intercepted_missile_is_a_disrupted_weapons_use_by_the_interceptor():
    found = only_event("Saudi air defences on Monday intercepted a ballistic missile fired by Houthi rebels over the "
                       "southern city of Jizan, a coalition spokesman said.", published="2024-03-19")
    assert found["sub_event_type"] == "Disrupted weapons use"
    assert found["actor1"]["name"] == "Military Forces of Saudi Arabia"


def test_armed_clashes_with_nobody_named_stay_a_clash():
    found = only_event("Armed clashes between rival militias in Tripoli killed at least 27 people on Tuesday, "
                       "the health ministry said.")
    assert found["sub_event_type"] == "Armed clash"


def test_a_town_measured_from_is_a_landmark_not_the_place():
    found = events_of("Insurgents killed nine villagers in a dawn raid on Thit Hpyu Gon village on Tuesday. The "
                      "attackers came late at night to the village, 13 kilometres north of Mandalay, firing guns and "
                      "rocket-propelled grenades, a resident said.", published="2024-03-14")
    assert {e["location"]["name"] for e in found} == {"Thit Hpyu Gon village"}
    assert all(e["sub_event_type"] != "Grenade" for e in found)


def test_gunmen_said_to_be_on_motorcycles_are_not_the_source():
    found = only_event("Gunmen said to be on motorcycles attacked a market near Gusau on Monday, killing four traders, "
                       "according to a resident.")
    assert found["reported_by"] == "resident"


def test_a_single_unarmed_victim_is_a_civilian():
    found = only_event("A local activist was shot dead by unidentified gunmen in Basra on Wednesday, police said.")
    assert found["actor2"]["name"] == "Civilians (Iraq)"


def test_towns_taken_in_one_list_are_one_event_each_and_unopposed_is_non_violent():
    found = events_of("The rebels said they met no resistance as they captured the towns of Goma, Sake and Rutshuru "
                      "on Monday.", published="2024-03-19")
    assert sorted(e["location"]["name"] for e in found) == ["Goma", "Rutshuru", "Sake"]
    assert {e["sub_event_type"] for e in found} == {"Non-violent transfer of territory"}


def test_a_place_inside_a_group_s_name_is_not_the_event_s_place():
    found = only_event("Turkish jets struck targets in northern Iraq on Friday, killing 13 members of the "
                       "Kurdistan Workers Party, the defence ministry said.")
    assert found["location"]["name"] == "Iraq"


def test_a_site_and_its_camp_are_one_place_and_a_province_after_a_comma_is_no_list():
    found = events_of("At least nine soldiers died on Saturday in an assault on their camp in the north, army "
                      "sources said. The camp in Tessit, Gao region, was targeted at dawn by armed men. "
                      '"Nine of our men died in a cowardly assault on the Tessit camp," an officer said.',
                      published="2024-03-16")
    assert len(found) == 1


def test_the_explosion_that_left_the_dead_is_the_event():
    found = only_event("On Wednesday, two dead and three injured were left by the blast of a car bomb outside a "
                       "police post in Jamundi, police said.", published="2024-03-14")
    assert found["sub_event_type"] == "Remote explosive/landmine/IED"
    assert found["date"]["start"] == "2024-03-13"


def test_a_day_told_of_the_event_outside_its_clause_is_its_day():
    found = only_event("Survivors of a Sunday massacre in Celaya told investigators that gunmen killed 11 guests at "
                       "a party, authorities said Tuesday.", published="2024-03-19")
    assert found["date"]["start"] == "2024-03-17"


def test_its_forces_are_the_forces_of_the_ministry_that_says_so():
    found = only_event("The Russian Defence Ministry said on Tuesday its forces had captured the village of "
                       "Krynky in the Kherson region.")
    assert found["actor1"]["name"] == "Military Forces of Russia"


def test_the_charge_a_protest_was_about_is_no_incident():
    found = events_of("Thousands protested in Zahedan on Friday over accusations that a police commander had raped "
                      "a teenage girl, activists said.", published="2024-03-18")
    assert "Sexual violence" not in {e["sub_event_type"] for e in found}


def test_two_accounts_of_one_toll_keep_the_lower_unless_one_counts_every_side():
    found = only_event("Suspected jihadists killed at least eight soldiers in a raid on the army camp at Tessit on "
                       "Sunday, military sources said. Residents estimated that 15 soldiers had been killed at the "
                       "camp.", published="2024-03-18")
    assert found["fatalities"] == 8
    found = only_event("Rebels attacked an army post near Bria on Thursday, killing six soldiers, an official said. "
                       "Four rebels and six soldiers died, he said.", published="2024-03-15")
    assert found["fatalities"] == 10


def test_members_of_a_named_group_killed_are_counted():
    found = only_event("A total of seven fighters of the Sulu Defence Front were killed in clashes with "
                       "rival fighters in Maguindanao on Friday, the army said.", published="2024-03-16")
    assert found["fatalities"] == 7


def test_an_incident_with_only_wounded_has_no_dead():
    found = only_event("Two militiamen were wounded when a drone struck their post near Belgorod on Sunday, "
                       "the governor said.", published="2024-03-18")
    assert found["fatalities"] == 0


def test_a_campaign_over_days_in_a_province_does_not_swallow_a_clash_in_one_town():
    found = events_of("Government forces have captured 40 villages in southern Hama province in the last three days, "
                      "the monitor said. A Turkish official said fierce clashes were under way in Kafr Nabudah on "
                      "Thursday.", published="2024-03-14")
    assert sorted(e["sub_event_type"] for e in found) == ["Armed clash", "Government regains territory"]


def test_bombs_dropped_are_an_air_strike():
    found = only_event("Junta aircraft dropped bombs on the village of Kyauk Ta Lone in Sagaing region on Friday, "
                       "killing four residents, witnesses said.", published="2024-03-16")
    assert found["sub_event_type"] == "Air/drone strike"


def test_the_village_found_burnt_the_same_day_is_the_raid_s_damage():
    found = events_of("Gunmen killed seven farmers during an attack at dawn on Kaleri village in Borno on Tuesday, "
                      "a resident said. \"When we came back this morning the whole village had been burnt,\" he said.",
                      published="2024-03-19")
    assert [e["sub_event_type"] for e in found] == ["Attack"]


def test_a_toll_since_the_start_of_an_offensive_is_no_incident():
    found = events_of("Since the beginning of the offensive on Tuesday, 111 people were killed, the health ministry "
                      "said.", published="2024-03-16")
    assert found == []


def test_a_death_told_about_someone_in_a_relative_clause_dates_nothing_else():
    found = events_of("Thousands marched and two people died in Chad on Tuesday in rallies against a junta led by "
                      "the late ruler's son and the general's cousin, who was killed last week.",
                      published="2024-03-14")
    [deadly] = [e for e in found if e["fatalities"] == 2]
    assert deadly["date"]["start"] == "2024-03-12"


def test_a_group_the_article_introduces_with_its_acronym_is_named_after_it():
    found = only_event("Fighters of the Northern Liberation Front (NLFA) overran an army post near Bakouma on "
                       "Thursday, killing six soldiers, an official said. The NLFA said it held the post.",
                       published="2024-03-15")
    assert found["actor1"]["name"] == "NLFA: Northern Liberation Front"


def test_unnamed_militants_are_an_unidentified_armed_group_not_islamists():
    found = only_event("Militants ambushed a police convoy near Bannu on Sunday, killing four officers, police said.",
                       published="2024-03-18")
    assert found["actor1"]["name"] == "Unidentified Armed Group (Pakistan)"


def test_a_village_near_a_known_town_is_not_a_namesake_far_away():
    found = only_event("A woman died on Sunday after Ukrainian forces struck the village of Otradnoye near Belgorod "
                       "using an unmanned aerial vehicle, the governor said.", published="2024-03-18")
    loc = found["location"]
    assert (loc["name"], loc["country"], loc["admin1"]) == ("Otradnoye", "RU", "Belgorod")
    assert found["sub_event_type"] == "Air/drone strike"


def test_a_quoted_i_almost_died_with_a_speaker_is_read_not_crashed():
    # A pronoun that is the one who died, not who acted, with a reporter after it (a real page's shape).
    found = events_of('"I almost died there," the goalkeeper said, laughing, after the cup final in Kigali.')
    assert all(e["event_type"] != "Battles" for e in found)


def test_a_joint_strike_is_by_the_first_country_named():
    found = only_event("A joint U.S.-Somali airstrike near Jilib on Tuesday killed five militants, the command "
                       "said.", published="2024-03-14")
    assert found["actor1"]["name"] == "Military Forces of United States"


def test_killed_in_the_attack_is_the_toll_of_the_attack_already_told():
    found = events_of("The Taliban stormed the district centre of Qaisar in Faryab province on Sunday, officials "
                      "said. The district police chief was killed alongside his guards in the attack.",
                      published="2024-03-18")
    assert len(found) == 1 and found[0]["actor1"]["name"] == "Taliban"


@pytest.mark.parametrize("sentence, killed", [
    ("Security forces shot dead seven protesters during rallies in Khartoum on Tuesday, medics said.", 7),
    ("Activist Leyla Hassan, known for organising marches, was killed on Wednesday when gunmen opened fire on her "
     "car in Basra, police said.", 1),
])
def test_shot_dead_and_a_named_victim_are_counted(sentence, killed):
    assert only_event(sentence, published="2024-03-14")["fatalities"] == killed


def test_a_death_told_but_not_counted_is_not_zero_dead():
    found = only_event("Security forces fired on protesters in Omdurman on Tuesday; several were shot dead and "
                       "more than 100 people were injured, doctors said.", published="2024-03-14")
    assert found["fatalities"] is None


def test_witnesses_who_speak_in_the_next_sentence_are_the_source():
    found = only_event("Overnight, two men were killed in an Israeli air strike on the town of Beit Lahia. Witnesses "
                       "said the two were members of an armed group.", published="2024-03-16")
    assert found["reported_by"] == "Witnesses"


def test_an_agreement_of_last_year_is_background():
    found = events_of("Government forces shelled a village near Idlib on Thursday, killing five people, a monitor "
                      "said. The government, which agreed to a negotiated ceasefire last year, has pledged to retake "
                      "the region.", published="2024-03-14")
    assert "Agreement" not in {e["sub_event_type"] for e in found}


def test_several_wounded_at_a_named_market_is_the_toll_of_the_bombing_just_told():
    found = events_of("A suicide bomber blew himself up in a crowded marketplace in Baghdad on Thursday, killing "
                      "eight people, an official said. Several people were hurt or killed at the Souq al-Hurriya "
                      "market, according to the operations command.", published="2024-03-15")
    assert len(found) == 1 and found[0]["fatalities"] == 8


def test_a_province_lead_folds_into_a_camp_named_with_its_county():
    found = events_of("Fourteen people have died in fighting between rival communities in Jonglei state in South "
                      "Sudan, an official said on Wednesday. He said cattle raiders attacked the Pakeer cattle camp in "
                      "Duk county on Tuesday.", published="2024-03-13")
    assert len(found) == 1 and found[0]["fatalities"] == 14


def test_a_town_people_were_taken_to_or_a_border_is_not_the_scene():
    found = only_event("Niger's security forces on Thursday shot dead 24 suspected militants who tried to escape "
                       "before being transported to Niamey, near the border with Mali, the defence ministry said.",
                       published="2024-03-15")
    assert found["location"]["name"] not in ("Niamey", "Mali")


def test_police_attacked_with_bricks_and_fireworks_is_a_riot():
    found = only_event("Officers were attacked with bricks and fireworks and shops were looted in Sunderland on "
                       "Friday night, police said.", published="2024-03-16")
    assert found["sub_event_type"] == "Violent demonstration"


def test_a_village_named_by_apposition_is_the_place_not_the_capital_it_is_measured_from():
    found = only_event("Niger's army intercepted suspected jihadists on Friday night and killed 24 of them near "
                       "Kandadji, a village some 100 km north of the capital, Niamey, the defence ministry said.",
                       published="2024-03-18")
    assert found["location"]["name"] == "Kandadji" and found["sub_event_type"] != "Disrupted weapons use"


def test_an_agency_that_reported_is_not_a_place():
    found = only_event("An Israeli jet launched a missile at men gathered outside a mosque in Jabalia on Saturday, "
                       "killing three, Xinhua reported.", published="2024-03-16")
    assert found["location"]["name"] != "Xinhua"


def test_the_country_s_long_name_is_the_country_not_an_unknown_village():
    found = only_event("Insurgents from the Democratic Republic of Congo have seized further towns in the east, in "
                       "North Kivu province, officials said.", published="2024-03-16")
    assert found["location"]["name"] == "North Kivu"


def test_another_toll_elsewhere_is_another_strike_not_the_lead_s():
    found = events_of("An Israeli drone hit a car in south Lebanon on Saturday morning, killing three men, "
                      "officials said. Another four men died overnight when a strike flattened a house in Tyre, "
                      "a security official said.", published="2024-03-16")
    assert sorted(e["fatalities"] for e in found) == [3, 4]


def test_the_war_s_toll_told_with_the_fighting_as_its_subject_is_no_incident():
    found = events_of("The fighting has now killed over 200 combatants and dozens of civilians in southern "
                      "Lebanon, officials said.", published="2024-03-16")
    assert found == []


def test_it_recaptured_after_a_named_town_is_that_town():
    found = events_of("The militia pulled out of the town of Woldia on Thursday, and army units recaptured it "
                      "after a day of fighting, residents said.", published="2024-03-15")
    assert "Government regains territory" in {e["sub_event_type"] for e in found}


def test_another_air_strike_is_by_the_air_force_the_story_has_striking():
    found = events_of("Israeli jets struck Jabalia early Saturday, killing three people, medics said. During the "
                      "night, two more people died in another air strike on the town of Deir al-Balah, witnesses "
                      "said.", published="2024-03-16")
    assert {e["actor1"]["name"] for e in found} == {"Military Forces of Israel"}


@pytest.mark.parametrize("sentence", [
    "A resident of a village in the Kursk region died after a Ukrainian drone attack on Sunday, the governor said.",
    "Separatist rebels have stepped up their insurgency in the region. Late on Wednesday, an official at "
    "Bannang Sata, a cluster of villages in Yala province, was shot and killed by suspected insurgents on a "
    "motorcycle, police said.",
])
def test_one_victim_told_with_where_they_were_from_is_one_dead(sentence):
    assert only_event(sentence, published="2024-03-14")["fatalities"] == 1


def test_a_closing_told_afp_names_the_source_even_when_the_parser_loses_its_subject():
    found = only_event("A dozen soldiers were killed today in an assault on their base in the unstable north blamed "
                       "on Islamist fighters, military sources and a local official told AFP.", published="2024-03-16")
    assert found["reported_by"] == "military sources and a local official"


def test_every_event_of_a_sentence_shares_its_source_and_a_group_s_later_claim_does_not_replace_it():
    found = events_of("Militants briefly overran a military base near Afgoye and killed 12 soldiers, officials said. "
                      "\"We destroyed four military vehicles,\" an al-Shabaab spokesman said.", published="2024-03-16")
    capture = next(e for e in found if e["sub_event_type"] == "Non-state actor overtakes territory")
    assert capture["reported_by"] == "officials"


def test_people_wounded_or_killed_suffered_and_fold_into_the_bombing():
    found = events_of("A suicide bomber attacked a marketplace in Mosul on Thursday, killing eight people, an official "
                      "said. A statement from the operations command said a number of people had been wounded or "
                      "killed at the Bab al-Tob market.", published="2024-03-15")
    assert len(found) == 1 and found[0]["actor1"]["kind"] != "civilians"


def test_a_missile_intercepted_and_destroyed_is_no_property_destruction():
    found = events_of("A missile was shot down and destroyed by Saudi air defences over Jizan on Saturday while "
                      "another fell in the desert, the coalition said.", published="2024-03-16")
    assert "Looting/property destruction" not in {e["sub_event_type"] for e in found}


def test_people_killed_in_a_raid_on_an_army_camp_is_a_clash_told_by_several_sources():
    found = events_of("Suspected jihadists killed eight people on Sunday during a raid on a military camp "
                      "in central Mali, army sources said. The assailants stormed the Tessit army camp at first light, "
                      "one army source said. Another army source said the soldiers had tried to fight back against the "
                      "assailants.",
                      published="2024-03-18")
    assert [(e["sub_event_type"], e["fatalities"]) for e in found] == [("Armed clash", 8)]


def test_a_city_naming_a_broadcaster_is_no_place_for_the_region_to_refer_to():
    found = events_of("Ukrainian missile strikes killed dozens of soldiers at a training ground in the Kherson region "
                      "on Tuesday, the southern command said. A spokeswoman told Kiev city television that strikes "
                      "hit during exercises in the southern region.", published="2024-03-14")
    assert all(e["location"]["admin1"] != "Kiev" for e in found)


def test_a_village_just_north_of_a_town_is_the_place_not_the_town():
    found = events_of("Military jets bombed a village in the country's north-west on Thursday, killing eight civilians, "
                      "residents said. The attack on Thit Hpyu Gon village, just north of Falam, a large town in Chin "
                      "state, also wounded 20 people, residents added.", published="2024-03-15")
    assert [e["location"]["name"] for e in found] == ["Thit Hpyu Gon village"]


def test_the_march_that_met_deadly_force_is_the_same_incident_and_a_peaceful_protest_has_no_actor2():
    found = events_of("Police shot dead seven protesters on Tuesday during rallies in the capital Khartoum, doctors "
                      "said. Over 100 people were injured as thousands of demonstrators marched to the palace in "
                      "opposition to the coup.", published="2024-03-19")
    assert [e["sub_event_type"] for e in found] == ["Excessive force against protesters"]
    found = only_event("Hundreds of people marched peacefully through central Dakar on Saturday in opposition to the "
                       "postponed election.", published="2024-03-18")
    assert found["sub_event_type"] == "Peaceful protest" and found["actor2"] is None


def test_what_a_group_did_last_may_is_background_and_backing_air_strikes_are_no_incident():
    found = events_of("Syrian government forces recaptured Palmyra in Syria on Sunday, state media said. The citadel has been "
                      "fought over by army units backed by Russian airstrikes and by IS, which seized the town "
                      "last May and has since blown up old shrines.", published="2016-03-27")
    assert [e["sub_event_type"] for e in found] == ["Government regains territory"]


def test_trouble_flaring_in_listed_towns_is_a_riot_in_each():
    found = events_of("Trouble also flared in Leeds and Bristol on Saturday night, police said.", published="2024-08-04")
    assert sorted((e["location"]["name"], e["sub_event_type"]) for e in found) == [
        ("Bristol", "Violent demonstration"), ("Leeds", "Violent demonstration")]


def test_an_undated_note_keeps_the_date_it_writes_out_in_full():
    event = only_event("On 21 October 2023, fighters of the armed group shot dead a village chief in Beni.",
                       published=None)
    assert event["date"]["start"] == "2023-10-21"
    assert only_event("Gunmen shot dead a village chief in Beni on Friday.", published=None)["date"] is None


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00:00+14:00"])
def test_an_absurd_publication_date_loses_no_event(published):
    found = events_of("Gunmen killed four farmers near Bunia on Monday, residents said.", published=published)
    assert [e["sub_event_type"] for e in found] == ["Attack"]
    assert found[0]["date"] is None  # no usable day to count "Monday" back from


def test_the_fast_prefilter_and_cue_search_agree_with_case_insensitive_patterns_on_any_letters():
    """Lower-casing and re.I differ on a few letters ("KİLLED", "ſhelled"): such text takes the
    patterns' own path, so a trigger or cue is never missed for its spelling."""
    from flashpoint.extract.lexicon import cues_in, load_lexicon, sentence_may_hold_event

    for text in ("Gunmen KİLLED five villagers", "the ſhelled district", "Five people were KILLED"):
        assert sentence_may_hold_event(text) == bool(load_lexicon().prefilter.whole.search(text)) == True
    assert not sentence_may_hold_event("Le marché de Noël ouvre ses portes")
    mixed = "An air strike by a DRONE hit the İdlib depot"
    assert cues_in(mixed) == [kind for kind, pattern, _ in load_lexicon().cues if pattern.search(mixed)]
    assert cues_in(mixed)
