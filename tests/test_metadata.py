"""Metadata: datelines, agencies, dates, headline and publisher, table-driven."""

from datetime import datetime

import pytest

from flashpoint.ingest import metadata as meta

from conftest import WIRE_DUMP


@pytest.mark.parametrize(
    "paragraph, place, agency",
    [
        ("BEIRUT (Reuters) - Israeli strikes hit southern Lebanon on Monday.", "Beirut", "Reuters"),
        ("KYIV, Ukraine (AP) — Russian drones struck the capital overnight.", "Kyiv", "Associated Press"),
        ("KHARTOUM (AFP) - Fighting resumed on Sunday.", "Khartoum", "Agence France-Presse"),
        ("ANKARA (Anadolu) - Turkish officials said talks would resume.", "Ankara", "Anadolu Agency"),
        ("MOSCOW, March 3 (Reuters) - The Kremlin said on Friday it had no plans.", "Moscow", "Reuters"),
        ("Government forces said on Monday they had retaken the town.", None, None),
    ],
)
def test_metadata_dateline_and_agency(paragraph, place, agency):
    assert meta.parse_dateline(paragraph) == (place, agency)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("February 27, 2020 10:08 am", datetime(2020, 2, 27, 10, 8)),
        ("Updated 1:39 am EST, Wednesday, November 20, 2019", datetime(2019, 11, 20)),
        ("27 February 2020", datetime(2020, 2, 27)),
        ("Sept. 5, 2021 at 4:15 p.m.", datetime(2021, 9, 5, 16, 15)),
        ("2024-03-14 09:42", datetime(2024, 3, 14, 9, 42)),
        ("2019.04.07", datetime(2019, 4, 7)),
        ("Son güncelleme: 12 Ekim 2021, 14:05", datetime(2021, 10, 12, 14, 5)),
        ("publié le 3 février 2022", datetime(2022, 2, 3)),
        ("Tuesday, Oct, 8, 2019", datetime(2019, 10, 8)),
        ("Omar 12 2014 was a good year", None),
        ("no date here", None),
    ],
)
def test_metadata_date_from_text(text, expected):
    assert meta.date_from_text(text) == expected


def test_metadata_agency_from_byline_is_a_whole_word():
    assert meta.find_agency("By Staff and Reuters") == "Reuters"
    assert meta.find_agency("By Apolline Martin") is None  # "AP" inside a name is not AP


def test_metadata_byline_without_email():
    assert meta.clean_byline("desk@wire.example (Wire desk)") == "Wire desk"


def test_metadata_publisher_from_footer():
    assert meta.find_publisher(WIRE_DUMP, None) == "Evening Courier"
