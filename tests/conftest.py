"""Shared fixtures: self-written pages and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "flashpoint" / "examples"

# A wire report flattened to text, in the shape of real page dumps: navigation, other
# stories' headlines, a caption, a teaser of another story inside the article, a share
# bar, readers' comments and a footer. Written for these tests.
WIRE_DUMP = """ date 2023-10-09 Monday, October 9th

Skip to content
  • Home
  • World
  • Politics
  • Sport

Markets close higher as oil prices ease

Storm warning issued for coastal towns

October 9, 2023 7:31 pm

Clashes Erupt Near Border Crossing as Ceasefire Talks Stall

By Desk Reporters and AFP

Smoke rises over the crossing after overnight fighting, Oct. 9, 2023. Photo: AFP / File.

GENEINA, Sudan (AFP) - Fighting broke out on Monday between the army and a paramilitary force near a border crossing in West Darfur, witnesses said, as talks on a ceasefire stalled for a third week.

Residents reported heavy gunfire and artillery from early morning, and said hundreds of families had fled toward the frontier, carrying what they could on donkey carts.

Related coverage

October 9, 2023 5:02 pm

Port Reopens After Two-Week Closure

Shipping resumed on Monday at the country's main port after a closure that stranded dozens of vessels...

A spokesman for the paramilitary force said its fighters had repelled an army attack and denied that they had shelled residential areas.

The army did not respond to a request for comment. Aid groups said access to the area had been cut since Saturday.

Share this Story: Share On Facebook Share On Twitter

12 Comments

Mark T. on October 9, 2023 at 8:01 pm said:

This conflict gets less attention than it deserves, and the people there are paying the price every day.

Sam on October 9, 2023 at 9:14 pm said:

Is anyone tracking how many people have crossed the border this month? The numbers in the report seem far too low.

Copyright © 2023 Evening Courier. All Rights Reserved.

Evening Courier
"""

WIRE_BODY = [
    "GENEINA, Sudan (AFP) - Fighting broke out on Monday between the army and a paramilitary force near a border crossing in West Darfur, witnesses said, as talks on a ceasefire stalled for a third week.",
    "Residents reported heavy gunfire and artillery from early morning, and said hundreds of families had fled toward the frontier, carrying what they could on donkey carts.",
    "A spokesman for the paramilitary force said its fighters had repelled an army attack and denied that they had shelled residential areas.",
    "The army did not respond to a request for comment. Aid groups said access to the area had been cut since Saturday.",
]

WIRE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Army retakes hilltop town after week of fighting</title>
<meta property="article:published_time" content="2023-11-02T06:45:00+00:00">
<meta property="og:site_name" content="Valley Times"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Army retakes hilltop town after week of fighting</h1>
<p>DONETSK (Reuters) - Government troops recaptured a hilltop town on Thursday after a week of street fighting, a military spokesman said, in the first notable advance of the autumn.</p>
<p>The spokesman said sappers were clearing mines from the main road and that civilians who had sheltered in basements were being moved to safer areas by bus.</p>
<p>The other side said its units had withdrawn in good order to prepared positions to the east and had inflicted heavy losses on the advancing forces.</p>
</article><footer>Copyright 2023 Valley Times</footer></body></html>"""


class Site:
    """Routes for the local server: path -> (status, headers, body bytes)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: list[str] = []

    def add(self, path: str, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)


@pytest.fixture
def site():
    """A real HTTP server on 127.0.0.1 serving `site.routes`; yields (site, base_url)."""
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            state.hits.append(self.path)
            status, headers, body = state.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def run_cli():
    """Run the `flashpoint` command in-process (the spaCy model stays loaded between calls)."""
    from typer.testing import CliRunner

    from flashpoint.cli import app

    runner = CliRunner()
    return lambda args: runner.invoke(app, args, catch_exceptions=False)


TEASER_DUMP = """ date 2024-03-14
Home
World
Politics
Subscribe
Sahel Ledger
March 14, 2024 8:02 am
Gunmen Kill Nine Villagers in Central Mali Raid
By Staff and Agence France-Presse
Gunmen killed nine villagers in an overnight raid on the village of Diallassagou in central Mali, local officials said on Thursday, the latest in a string of attacks on civilians in the Mopti region.
The attackers arrived on motorbikes shortly after midnight and set fire to granaries before fleeing, a local official told AFP by telephone.
Related coverage
March 14, 2024 7:40 am
Cholera Outbreak Kills 40 in Camps Near Lake Chad
A cholera outbreak has killed 40 people in displacement camps near Lake Chad, health officials said on Wednesday, as...
Residents said the army had not yet reached the village, which lies about 30 km from the nearest military post.
The region has been hit by repeated raids by armed groups linked to al Qaeda and Islamic State since 2015.
Share this story: Facebook Twitter
Sign up for our newsletter
Copyright 2024 Sahel Ledger
"""


@pytest.fixture
def wire_dump_with_teaser(tmp_path):
    path = tmp_path / "sahel-ledger-diallassagou.txt"
    path.write_text(TEASER_DUMP, encoding="utf-8")
    return path


# ---- stores ---------------------------------------------------------------------------------

import os  # noqa: E402

STORY = EXAMPLES / "story"
#: PostgreSQL for the store tests, e.g. postgresql://flashpoint:flashpoint@127.0.0.1/flashpoint_test.
#: `.ci/run` starts a server and sets it; FLASHPOINT_REQUIRE_PG=1 makes its absence a failure.
PG_URL = os.environ.get("FLASHPOINT_TEST_PG")


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from flashpoint.store.db import engine_url
    from flashpoint.store.schema import metadata

    engine = create_engine(engine_url(url))
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {', '.join(metadata.tables)} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database: an SQLite file, then the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    if not PG_URL:
        if os.environ.get("FLASHPOINT_REQUIRE_PG") == "1":
            pytest.fail("FLASHPOINT_TEST_PG is not set but FLASHPOINT_REQUIRE_PG=1")
        pytest.skip("no PostgreSQL server: set FLASHPOINT_TEST_PG=postgresql://... (.ci/run does)")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def story_store(db_url):
    """The example story ingested into a fresh store."""
    from flashpoint.ingest.reader import ReadOptions
    from flashpoint.pipeline import ingest
    from flashpoint.store import Store

    store = Store(db_url)
    counts = ingest([str(STORY)], store, ReadOptions(fetch_links=False))
    yield store, counts
    store.close()
