"""`flashpoint compare`: the example story's store measured against a reference file in ACLED's
CSV layout, written here for the purpose. What the store holds (flashpoint/examples/story):

    Battles   Non-state actor overtakes territory  Bārah     2025-03-10
    Battles   Armed clash                          Bārah     2025-03-10
    Explosions/Remote violence  Shelling/artillery/missile attack  El Obeid  2025-03-10  7 killed
    Explosions/Remote violence  Air/drone strike   Bārah     2025-03-11  20 killed
    Strategic developments  Looting/property destruction  Bārah  2025-03-11
    Battles   Government regains territory         Bārah     2025-03-12  4 killed

The reference below matches five of them (one a day later than flashpoint dates it, one coded
with another sub-event type), misses the looting (ACLED coded an attack on civilians instead:
a different type), and has events flashpoint lacks: a clash 127 km away, a drone strike four
days later, two events in Syria, and a row with a date that does not exist.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

import pytest

from flashpoint.report.compare import (ReferenceError, RowProblem, compare, country_code, load_incidents,
                                       parse_acled_date, read_reference, split_incidents)
from flashpoint.store.queries import Filters

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,actor2,"
          "interaction,iso,region,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,"
          "fatalities")
SUDAN = ("729,Northern Africa,Sudan,North Kordofan")
REFERENCE = f"""{HEADER}
SDN1001,10 March 2025,2025,1,Political violence,Battles,Armed clash,Rapid Support Forces,Military Forces of Sudan (2019-),18,{SUDAN},Bara,Bara,13.7000,30.3667,1,Kordofan Herald,"On 10 March 2025, RSF and SAF clashed in Bara (North Kordofan).",6
SDN1002,10 March 2025,2025,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Unidentified Armed Group (Sudan),Civilians (Sudan),37,{SUDAN},Sheikan,El Obeid,13.1833,30.2167,1,Sudan Monitor,"On 10 March 2025, shells hit a market in El Obeid, killing 9 civilians.",9
SDN1003,11-March-2025,2025,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Sudan (2019-),Rapid Support Forces,18,{SUDAN},Bara,Bara,13.7000,30.3667,1,Kordofan Herald,"On 11 March 2025, SAF struck RSF positions in Bara.",21
SDN1004,2025-03-12,2025,1,Political violence,Battles,Government regains territory,Military Forces of Sudan (2019-),Rapid Support Forces,18,{SUDAN},Bara,Bara,13.7000,30.3667,1,Meridian Wire,"On 12 March 2025, SAF retook Bara from the RSF.",4
SDN1005,11 March 2025,2025,1,Political violence,Battles,Non-state actor overtakes territory,Rapid Support Forces,Military Forces of Sudan (2019-),18,{SUDAN},Bara,Bara,13.7000,30.3667,1,Nile Daily Post,"On 11 March 2025, the RSF took control of Bara.",0
SDN1006,11 March 2025,2025,1,Political violence,Violence against civilians,Attack,Rapid Support Forces,Civilians (Sudan),78,{SUDAN},Bara,Bara,13.7000,30.3667,1,Kordofan Herald,"On 11 March 2025, RSF fighters killed 3 civilians while looting shops in Bara.",3
SDN1007,10 March 2025,2025,1,Political violence,Battles,Armed clash,Military Forces of Sudan (2019-),Rapid Support Forces,18,{SUDAN},Um Rawaba,Um Rawaba,12.9054,31.2158,1,Sudan Tribune,"On 10 March 2025, SAF and RSF clashed near Um Rawaba.",2
SDN1008,14 March 2025,2025,1,Political violence,Explosions/Remote violence,Air/drone strike,Rapid Support Forces,Civilians (Sudan),28,{SUDAN},Sheikan,El Obeid,13.1833,30.2167,1,Radio Dabanga,"On 14 March 2025, an RSF drone struck El Obeid, killing 5.",5
SDN1009,31 Febtember 2025,2025,1,Political violence,Battles,Armed clash,Rapid Support Forces,Military Forces of Sudan (2019-),18,{SUDAN},Bara,Bara,13.7000,30.3667,1,Sudan Tribune,"A row with a date that does not exist.",1
SYR2001,27 February 2020,2020,1,Political violence,Battles,Non-state actor overtakes territory,Hayat Tahrir al Sham,Military Forces of Syria (2000-2024),12,760,Middle East,Syria,Idleb,Idleb,Saraqeb,35.8621,36.8006,1,Reuters,"On 27 February 2020, rebels said they retook Saraqeb; a Russian source denied it.",0
SYR2002,27-February-2020,2020,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),Civilians (Syria),87,,Middle East,Syria,Idleb,Ariha,Ariha,35.8137,36.6099,1,Reuters,"On 27 February 2020, an air strike hit Ariha; 2 killed.",2
"""
BAD_ROW = "row 10: event_date '31 Febtember 2025' is not a date"


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "acled-sudan-syria.csv"
    path.write_text(REFERENCE, encoding="utf-8")
    return path


def compare_json(run_cli, store, reference, *options) -> dict:
    result = run_cli(["compare", "--reference", str(reference), "--db", store.url, "-f", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_scores_the_story_against_the_reference(story_store, reference, run_cli):
    store, _ = story_store
    result = run_cli(["compare", "--reference", str(reference), "--db", store.url, "-f", "json"])
    assert result.exit_code == 0
    assert BAD_ROW in result.stderr and "skipped" in result.stderr
    out = json.loads(result.stdout)
    assert out["reference"] | {"file": None} == {
        "file": None, "rows": 11, "usable": 10, "skipped": 1, "compared": 10, "unknown_countries": {},
        "problems": [f"{reference} {BAD_ROW} (write 2025-03-12, 12 March 2025 or 12-March-2025); skipped"]}
    assert out["overall"] == {"reference_events": 10, "matched_reference": 5, "recall": 0.5, "incidents": 6,
                              "matched_incidents": 5, "precision": 0.8333, "f1": 0.625}
    assert out["left_out"] == {"undated": 0, "unlocated": 0, "not_acled": 0}
    assert [(g["key"], g["reference_events"], g["matched_reference"], g["recall"], g["incidents"],
             g["matched_incidents"], g["precision"]) for g in out["by_country"]] == [
        ("SD", 8, 5, 0.625, 6, 5, 0.8333), ("SY", 2, 0, 0.0, 0, 0, None)]
    by_type = {g["key"]: (g["recall"], g["precision"]) for g in out["by_event_type"]}
    assert by_type == {"Battles": (0.6, 1.0), "Explosions/Remote violence": (0.5, 1.0),
                       "Violence against civilians": (0.0, None), "Strategic developments": (None, 0.0)}
    # Reference tolls beside flashpoint's conservative ones: 7 for the shelling ACLED puts at 9.
    assert out["fatalities"] == {"reference_total": 52, "flashpoint_total": 31, "reference_matched": 40,
                                 "flashpoint_matched": 31}
    assert out["sub_event_type"] == {"matched_pairs": 5, "agree": 4, "agreement": 0.8, "disagreements": [
        {"reference": "Shelling/artillery/missile attack", "flashpoint": "Air/drone strike", "count": 1}]}
    pairs = {m["event_id_cnty"]: (m["days"], m["sub_event_type_agrees"]) for m in out["matches"]}
    assert pairs == {"SDN1001": (0, True), "SDN1002": (0, True), "SDN1003": (0, False), "SDN1004": (0, True),
                     "SDN1005": (1, True)}  # ACLED dates the capture a day after flashpoint
    assert out["missed_total"] == 5
    missed = [(m["event_id_cnty"], m["date"], m["country"], m["fatalities"], m["why"]["reason"]) for m in out["missed"]]
    assert missed == [("SDN1008", "2025-03-14", "SD", 5, "day"), ("SDN1006", "2025-03-11", "SD", 3, "type"),
                      ("SYR2002", "2020-02-27", "SY", 2, "none"), ("SDN1007", "2025-03-10", "SD", 2, "distance"),
                      ("SYR2001", "2020-02-27", "SY", 0, "none")]
    why = {m["event_id_cnty"]: m["why"]["text"] for m in out["missed"]}
    assert "Looting/property destruction" in why["SDN1006"] and "127 km away" in why["SDN1007"]
    assert "4 days off (2025-03-10)" in why["SDN1008"]


def test_the_table_shows_scores_groups_tolls_and_what_was_missed(story_store, reference, run_cli):
    store, _ = story_store
    result = run_cli(["compare", "--reference", str(reference), "--db", store.url, "--show-missed", "2"])
    assert result.exit_code == 0
    text = result.stdout
    assert "recall 50.0% (5 of 10 reference events found)" in text
    assert "precision 83.3% (5 of 6 incidents confirmed)" in text
    assert "fatalities: reference 52, flashpoint 31" in text and "reference 40, flashpoint 31" in text
    assert "sub-event type agrees on 4 of 5 matched pairs (80.0%)" in text
    assert "missed (2 of 5, deadliest first)" in text
    assert "SDN1008" in text and "SDN1006" in text and "SYR2002" not in text
    sd_row = next(line for line in text.splitlines() if "│ SD " in line)
    assert [c.strip() for c in sd_row.split("│")[1:-1]] == ["SD", "8", "5", "62.5%", "6", "5", "83.3%"]
    assert BAD_ROW in result.stderr
    # Text from the file is shown as written, never read as the terminal's markup.
    hostile = reference.with_name("hostile.csv")
    hostile.write_text(REFERENCE.replace("Um Rawaba,Um Rawaba", "[/],[bold]Um Rawaba").replace("31 Febtember", "[/]"))
    result = run_cli(["compare", "--reference", str(hostile), "--db", store.url])
    assert result.exit_code == 0 and "[bold]Um Rawaba" in result.stdout and "event_date '[/] 2025'" in result.stderr


def test_filters_and_tolerances_apply_to_both_sides(story_store, reference, run_cli):
    store, _ = story_store
    sudan = compare_json(run_cli, store, reference, "--country", "sd")
    assert sudan["reference"]["compared"] == 8
    assert (sudan["overall"]["recall"], sudan["overall"]["precision"]) == (0.625, 0.8333)
    syria = compare_json(run_cli, store, reference, "--country", "SY")
    assert syria["overall"] | {"f1": None} == {"reference_events": 2, "matched_reference": 0, "recall": 0.0,
                                               "incidents": 0, "matched_incidents": 0, "precision": None, "f1": None}
    days = compare_json(run_cli, store, reference, "--since", "2025-03-12", "--until", "2025-03-14")
    assert (days["overall"]["reference_events"], days["overall"]["incidents"]) == (2, 1)  # SDN1004, SDN1008
    assert days["overall"]["matched_reference"] == 1
    same_day = compare_json(run_cli, store, reference, "--days", "0")
    assert same_day["overall"]["matched_reference"] == 4
    assert "SDN1005" in {m["event_id_cnty"] for m in same_day["missed"]}
    # Wide enough to reach Bārah from Um Rawaba, but both Bārah clashes are already paired one to one.
    wide = compare_json(run_cli, store, reference, "--km", "200")
    assert wide["overall"]["matched_reference"] == 5
    assert next(m for m in wide["missed"] if m["event_id_cnty"] == "SDN1007")["why"]["reason"] == "paired"


def test_the_store_is_read_a_page_at_a_time(story_store, monkeypatch):
    from flashpoint.store import queries

    store, _ = story_store
    monkeypatch.setattr(queries, "MAX_LIMIT", 4)
    with store.connect() as conn:
        rows = load_incidents(conn, Filters())
    assert len(rows) == len({r["id"] for r in rows}) == 6


def test_an_export_of_the_store_compares_to_the_store_itself(story_store, run_cli, tmp_path):
    store, _ = story_store
    exported = tmp_path / "export.csv"
    done = run_cli(["export", "-f", "acled-csv", "--db", store.url, "-o", str(exported)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    out = compare_json(run_cli, store, exported, "--days", "0", "--km", "0.5")
    o = out["overall"]
    assert o["incidents"] == 6 and o["precision"] == 1.0 and o["matched_incidents"] == 6
    assert out["sub_event_type"]["agreement"] == 1.0
    assert out["fatalities"]["flashpoint_matched"] == out["fatalities"]["flashpoint_total"] == 31
    # One row per incident gives recall 1.0; an export of one row per report repeats incidents, and
    # each incident confirms only one of its rows.
    assert o["reference_events"] == len(rows)
    assert o["recall"] == round(6 / len(rows), 4)
    if len(rows) == 6:
        assert o["recall"] == 1.0


def test_bad_reference_files_get_one_line_and_exit_2(story_store, reference, run_cli, tmp_path):
    store, _ = story_store
    no_latitude = tmp_path / "no-latitude.csv"
    no_latitude.write_text(REFERENCE.replace(",latitude,", ",lat,"), encoding="utf-8")
    binary = tmp_path / "export.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(200))
    only_bad = tmp_path / "only-bad.csv"
    only_bad.write_text("\n".join(line for line in REFERENCE.splitlines() if line.startswith(("event_id", "SDN1009"))))
    cases = {no_latitude: "missing column latitude", tmp_path / "absent.csv": "no such file",
             binary: "not a CSV", only_bad: "no usable reference events (its one row is unusable)"}
    for path, message in cases.items():
        result = run_cli(["compare", "--reference", str(path), "--db", store.url])
        assert result.exit_code == 2, (path, result.output)
        assert message in result.stderr and str(path) in result.stderr and result.stdout == ""
    assert "row 2: event_date '31 Febtember 2025'" in result.stderr  # the unusable row is named too


def test_a_missing_column_is_one_clear_line_from_the_real_command(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(REFERENCE.replace(",event_type,", ",type,"), encoding="utf-8")
    db = tmp_path / "empty.db"
    from flashpoint.store import Store

    Store(str(db)).close()
    done = subprocess.run([sys.executable, "-m", "flashpoint.cli", "compare", "--reference", str(path), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "missing column event_type" in done.stderr and "acled.csv" in done.stderr


def test_acled_dates_country_names_and_spreadsheet_variants(tmp_path):
    assert parse_acled_date("2025-03-12") == parse_acled_date("12 March 2025") == date(2025, 3, 12)
    assert parse_acled_date("12-March-2025") == parse_acled_date("12 Mar 2025") == date(2025, 3, 12)
    for bad in ("31 February 2025", "12/03/2025", "", "March 2025"):
        with pytest.raises(RowProblem):
            parse_acled_date(bad)
    assert country_code("Sudan", "") == "SD" and country_code("", "760") == "SY"
    assert country_code("Syria", "729") == "SD"  # ACLED's numeric code does not depend on spelling
    assert country_code("Democratic Republic of Congo", "") == "CD" and country_code("Palestine", "") == "PS"
    assert country_code("Côte d'Ivoire", "") == "CI" and country_code("Narnia", "") is None
    # Saved from a spreadsheet: byte-order mark, semicolons, decimal commas, gzip.
    lines = list(csv.reader(io.StringIO(REFERENCE)))
    semicolons = io.StringIO()
    writer = csv.writer(semicolons, delimiter=";")
    for row in lines:
        writer.writerow([cell.replace(".", ",") if cell[:2] in ("13", "30", "12", "31", "35", "36") else cell
                         for cell in row])
    path = tmp_path / "excel.csv"
    path.write_text("\ufeff" + semicolons.getvalue(), encoding="utf-8")
    ref = read_reference(path)
    assert len(ref.events) == 10 and ref.skipped == 1 and ref.events[1].lat == 13.1833
    import gzip

    packed = tmp_path / "acled.csv.gz"
    packed.write_bytes(gzip.compress(REFERENCE.encode()))
    assert [e.event_id for e in read_reference(packed).events] == [e.event_id for e in ref.events]
    with pytest.raises(ReferenceError, match="empty file"):
        empty = tmp_path / "empty.csv"
        empty.write_text("")
        read_reference(empty)


def test_incidents_without_a_day_place_or_acled_type_are_counted_apart():
    def incident(id_, **changes):
        row = {"id": id_, "event_type": "Battles", "sub_event_type": "Armed clash", "country": "SD",
               "place": "Bārah", "lat": 13.7, "lon": 30.36667, "date_start": "2025-03-10",
               "date_end": "2025-03-10", "fatalities_best": 2}
        return row | changes

    stored = split_incidents([incident("a"), incident("b", date_start=None, date_end=None),
                              incident("c", lat=None, lon=None), incident("d", event_type=None, sub_event_type=None),
                              incident("e", date_start="2025-03-08", date_end="2025-03-12")])
    assert [i.id for i in stored.matchable] == ["a", "e"]
    assert (stored.undated, stored.unlocated, stored.not_acled) == (1, 1, 1)
    from flashpoint.cli.compare import headline

    reference = read_reference_text(f"{HEADER}\n" + "\n".join(
        line for line in REFERENCE.splitlines() if line.startswith(("SDN1001", "SDN1007"))))
    out = compare(reference, stored, km=25, days=0)
    # "e" spans the 10th, so the clash of the 10th meets one of them; Um Rawaba is too far for the other.
    assert (out["overall"]["matched_reference"], out["overall"]["incidents"], out["overall"]["precision"]) == (1, 2, 0.5)
    out["reference"] = {"file": "r.csv", "usable": 2, "skipped": 0, "compared": 2}
    out["settings"] = {"country": None, "since": None, "until": None, "km": 25, "days": 0}
    assert any("2 incidents could not be compared (1 without a date, 1 without coordinates)" in line
               for line in headline(out))


def read_reference_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reference.csv"
        path.write_text(text, encoding="utf-8")
        return read_reference(path).events
