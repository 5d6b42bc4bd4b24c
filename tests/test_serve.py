"""The HTTP API (in-process) and the dashboard in headless Chromium against a real server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flashpoint.serve.app import create_app


@pytest.fixture
def client(story_store):
    store, _ = story_store
    return TestClient(create_app(store, token="s3cret"))


def test_api_lists_filters_and_explains_bad_input(client):
    assert client.get("/api/health").json()["incident"] > 0
    battles = client.get("/api/incidents", params={"country": "SD", "type": "Battles"}).json()
    assert battles and all(r["event_type"] == "Battles" for r in battles)
    events = client.get("/api/events", params={"since": "2025-03-12", "until": "2025-03-12"}).json()
    assert events and all(e["date"]["start"] == "2025-03-12" for e in events)
    near = client.get("/api/incidents", params={"near": "13.18,30.22:20km"}).json()
    assert near and {r["place"] for r in near} == {"El Obeid"}
    assert client.get("/api/events", params={"since": "March"}).status_code == 422
    assert "radius" in client.get("/api/events", params={"near": "Bara:far"}).json()["detail"]
    assert client.get("/api/incidents/nope").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "flashpoint"


def test_api_incident_article_places_geojson(client):
    capture = next(r for r in client.get("/api/incidents").json() if r["sub_event_type"] == "Non-state actor overtakes territory")
    detail = client.get(f"/api/incidents/{capture['id']}").json()
    assert detail["claims"][0]["reported_by"] == "Rapid Support Forces"
    article = client.get(f"/api/articles/{detail['articles'][0]['id']}").json()
    assert any("captured the town of Bara" in article["body"][s["start"]:s["end"]] for s in article["evidence"])
    bara = client.get("/api/places/Bārah/control").json()
    assert [e["holder"] for e in bara["entries"]] == ["Rapid Support Forces", "Military Forces of Sudan"]
    assert bara["matched"] is None  # the stored name itself
    spelled = client.get("/api/places/Bara/control").json()  # a name the gazetteer knows for it
    assert spelled["entries"] == bara["entries"] and "Bārah" in spelled["matched"]
    assert client.get("/api/places", params={"place": "Bara"}).json()[0]["place"] == "Bārah"
    geo = client.get("/api/geojson", params={"country": "SD"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert geo.json()["features"]
    assert client.get("/api/search", params={"q": "drone"}).json()
    assert client.get("/api/timeline").json()[0]["incidents"] >= 1


def test_country_outlines_for_a_map_without_tiles_come_compressed(client):
    response = client.get("/api/outlines", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    features = response.json()["features"]
    sudan = next(f for f in features if f["properties"]["iso2"] == "SD")
    assert sudan["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert len(features) > 150


def test_ingest_endpoint_needs_the_token(client, story_store):
    store, _ = story_store
    record = [{"url": "https://example.org/a", "title": "Clashes in Kadugli", "published": "2025-03-13T09:00:00Z",
               "text": "Fighters of the Rapid Support Forces clashed with the Sudanese army in Kadugli on Thursday, "
                       "killing 6 soldiers, a military source said.\n\nResidents said the fighting lasted hours."}]
    assert client.post("/api/ingest", json=record).status_code == 401
    assert client.post("/api/ingest", json=record, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/ingest", json=[{"title": "no text"}], headers={"Authorization": "Bearer s3cret"}).status_code == 422
    done = client.post("/api/ingest", json=record, headers={"Authorization": "Bearer s3cret"}).json()
    assert done["articles"] == 1 and done["events"] >= 1
    again = client.post("/api/ingest", json=record, headers={"Authorization": "Bearer s3cret"}).json()
    assert again["articles"] == 0 and again["already_stored"] == 1
    read_only = TestClient(create_app(store))
    assert read_only.post("/api/ingest", json=record, headers={"Authorization": "Bearer s3cret"}).status_code == 403


def test_an_undated_incident_keeps_the_timeline_and_the_dashboard_data_up(client):
    record = [{"url": "https://example.org/homs", "title": "Market strike",
               "text": "An air strike on a market in Homs killed 6 people on Monday, rescuers said."}]
    done = client.post("/api/ingest", json=record, headers={"Authorization": "Bearer s3cret"}).json()
    assert done["events"] >= 1
    undated = [r for r in client.get("/api/incidents").json() if r["date_start"] is None]
    assert undated  # the strike is stored, with no day
    timeline = client.get("/api/timeline")
    assert timeline.status_code == 200
    assert all(day["date"] is not None for day in timeline.json()) and timeline.json()



def test_answers_are_kept_until_another_writer_changes_the_store(story_store, tmp_path, monkeypatch):
    import flashpoint.serve.app as app_module
    from flashpoint.ingest.reader import ReadOptions
    from flashpoint.pipeline import ingest
    from flashpoint.store import Store

    store, _ = story_store
    computed = []
    real = app_module.find_incidents
    monkeypatch.setattr(app_module, "find_incidents", lambda conn, f: computed.append(f) or real(conn, f))
    client = TestClient(create_app(store))
    first = client.get("/api/incidents", params={"country": "SD"}).json()
    assert client.get("/api/incidents", params={"country": "SD"}).json() == first
    assert len(computed) == 1  # the second answer came from the cache
    assert client.get("/api/incidents", params={"country": "SD", "limit": 5}).status_code == 200
    assert len(computed) == 2  # another query is another answer

    # Another process (its own Store on the same database) ingests a new report.
    report = tmp_path / "kadugli.txt"
    report.write_text("Kadugli clashes\n\nKADUGLI, Sudan, March 14 (Wire) - Fighters of the Rapid Support Forces "
                      "attacked an army base in Kadugli on Friday, killing 9 soldiers, a military source said.\n",
                      encoding="utf-8")
    other = Store(store.url)
    assert ingest([str(report)], other, ReadOptions(fetch_links=False)).events >= 1
    other.close()
    after = client.get("/api/incidents", params={"country": "SD"}).json()
    assert len(computed) == 3 and len(after) > len(first)
    assert any(r["place"] == "Kadugli" for r in after)


def test_a_store_made_before_the_generation_number_is_migrated(tmp_path):
    from sqlalchemy import text

    from flashpoint.store import Store

    db = str(tmp_path / "old.db")
    with Store(db).begin() as conn:  # what a store of schema version 2 looked like
        conn.execute(text("DROP TABLE store_generation"))
        conn.execute(text("DELETE FROM schema_migration WHERE version = 3"))
    reopened = Store(db)
    assert reopened.version() == 3 and reopened.generation() == 0

# ---- the dashboard in a real browser -------------------------------------------------------

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HOSTILE_TITLE = '<img src=x onerror="document.body.dataset.pwned=1">Gunmen attack convoy near Kadugli'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(tmp_path):
    import uvicorn

    from conftest import STORY
    from flashpoint.ingest.reader import ReadOptions
    from flashpoint.pipeline import ingest
    from flashpoint.store import Store

    store = Store(str(tmp_path / "dash.db"))
    ingest([str(STORY)], store, ReadOptions(fetch_links=False))
    hostile = tmp_path / "hostile.jsonl"
    import json

    hostile.write_text(json.dumps({"url": "https://example.org/h", "title": HOSTILE_TITLE, "published": "2025-03-12T08:00:00Z",
                                   "text": "Gunmen attacked an aid convoy near Kadugli on Wednesday, killing 3 drivers, "
                                           "the aid agency said in a statement on its website.\n\n"
                                           "The agency said the trucks were carrying food and medicine to camps for "
                                           "displaced families <script>document.body.dataset.pwned=2</script> and that "
                                           "two of them were burned.\n\nThe agency suspended its convoys on the road "
                                           "until further notice, a spokeswoman said."}) + "\n")
    ingest([str(hostile)], store, ReadOptions(fetch_links=False))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def browser(offline: bool = False):
    """Headless Chromium; `offline` makes every host but 127.0.0.1 unresolvable, as on a machine
    without internet."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if os.environ.get("FLASHPOINT_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium / chromium-driver are not installed but FLASHPOINT_REQUIRE_BROWSER=1")
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    if offline:
        options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def test_api_docs_render_without_internet(live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser(offline=True)
    try:
        driver.get(live_server + "/docs")
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .info .title"))
        assert "flashpoint" in driver.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) >= 10)
        paths = {e.get_attribute("data-path") for e in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert {"/api/incidents", "/api/places/{place}/control"} <= paths
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, errors  # no blocked script, no failed fetch
    finally:
        driver.quit()


def test_dashboard_filters_opens_an_incident_and_highlights_its_evidence(live_server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser()
    try:
        from selenium.common.exceptions import StaleElementReferenceException

        wait = WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,))  # the list re-renders
        driver.get(live_server + "/")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#incidents button")) > 3)
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-interactive")  # incidents drawn on the map
        # No tiles configured: country outlines are drawn beneath them.
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path:not(.leaflet-interactive)")) > 150)
        Select(driver.find_element(By.NAME, "type")).select_by_visible_text("Battles")
        driver.find_element(By.NAME, "country").send_keys("SD")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        battle_types = ("Armed clash", "territory")

        def only_battles(d):
            texts = [b.get_attribute("textContent") for b in d.find_elements(By.CSS_SELECTOR, "#incidents button")]
            return texts and all(any(t in text for t in battle_types) for text in texts)

        wait.until(only_battles)
        buttons = driver.find_elements(By.CSS_SELECTOR, "#incidents button")
        capture = next(b for b in buttons if "Non-state actor overtakes territory" in b.get_attribute("textContent"))
        capture.send_keys(Keys.ENTER)  # the keyboard opens it, as a click would
        mark = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#panel mark.current")))
        assert "captured the town of Bara" in mark.text
        panel = driver.find_element(By.ID, "panel").text
        assert "Rapid Support Forces" in panel and "claimant only" in panel and "Nile Daily Post" in panel
        shot = Path(os.environ.get("FLASHPOINT_SCREENSHOT_DIR", tmp_path)) / "dashboard.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000

        # Article text is shown as text: a hostile headline or body runs nothing.
        driver.get(live_server + "/")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#incidents button")) > 3)
        driver.find_element(By.NAME, "q").send_keys("convoy", Keys.ENTER)
        wait.until(lambda d: all("Kadugli" in b.get_attribute("textContent")
                                 for b in d.find_elements(By.CSS_SELECTOR, "#incidents button")))
        driver.find_element(By.CSS_SELECTOR, "#incidents button").click()
        wait.until(lambda d: "onerror" in d.find_element(By.ID, "panel").get_attribute("textContent"))
        assert driver.execute_script("return document.body.dataset.pwned") is None
        assert not driver.find_elements(By.CSS_SELECTOR, "#panel img, #panel script")
    finally:
        driver.quit()


def test_every_response_carries_security_headers(client):
    for path in ("/", "/api/health", "/api/incidents", "/static/app.js", "/api/incidents/nope"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path


def test_api_edge_cases_are_refused_or_taken_literally(client):
    assert client.get("/api/incidents", params={"offset": 2 ** 63}).status_code == 422
    for odd in ("20250312", "2025-W11-3", "2025-03-12T00:00"):
        assert client.get("/api/events", params={"since": odd}).status_code == 422, odd
    assert client.get("/api/incidents", params={"type": "%"}).json() == []
    assert client.get("/api/incidents", params={"type": "Battle_"}).json() == []
    assert client.get("/api/incidents", params={"actor": "%"}).json() == []
    assert client.get("/api/incidents", params={"admin1": "_%"}).json() == []
    assert client.get("/api/incidents", params={"type": "battles"}).json()  # case still does not matter
    record = [{"url": "https://example.org/b", "title": "t", "published": "2025-03-13T09:00:00Z",
               "text": "Fighters clashed with the army in Kadugli on Thursday, a military source said."}]
    assert client.post("/api/ingest", json=record, headers={"Authorization": "s3cret"}).status_code == 401
    assert client.post("/api/ingest", json=record, headers={"Authorization": "Basic s3cret"}).status_code == 401


def test_serve_names_an_unreadable_token_file(tmp_path):
    import subprocess
    import sys

    empty = tmp_path / "token"
    empty.write_text("\n")
    for path in (str(tmp_path / "missing"), str(empty)):
        done = subprocess.run([sys.executable, "-c", "from flashpoint.cli import main; main()", "serve",
                               "--db", str(tmp_path / "s.db"), "--token-file", path],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and path in done.stderr and "Traceback" not in done.stderr


def test_serve_on_a_busy_port_says_so_before_claiming_to_serve(story_store):
    import subprocess
    import sys

    store, _ = story_store
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "flashpoint.cli", "serve", "--db", store.url, "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"port {port} on 127.0.0.1 is in use" in done.stderr
    assert "serving" not in done.stderr and "Traceback" not in done.stderr


def test_ingest_checks_the_token_and_the_size_before_reading_the_body(story_store, monkeypatch):
    import flashpoint.serve.app as served

    store, _ = story_store
    monkeypatch.setattr(served, "MAX_INGEST_BYTES", 10_000)
    gated = TestClient(served.create_app(store, token="s3cret"))
    big = b"[" + b'{"text": "x"},' * 2_000 + b'{"text": "x"}]'
    assert gated.post("/api/ingest", content=big, headers={"Content-Type": "application/json"}).status_code == 401
    too_big = gated.post("/api/ingest", content=big, headers={"Content-Type": "application/json",
                                                              "Authorization": "Bearer s3cret"})
    assert too_big.status_code == 413 and "over" in too_big.json()["detail"]

    def chunks():
        for _ in range(50):
            yield b" " * 1_000

    chunked = gated.post("/api/ingest", content=chunks(), headers={"Content-Type": "application/json",
                                                                   "Authorization": "Bearer s3cret"})
    assert chunked.status_code == 413


def test_serve_with_several_workers_answers_from_each(tmp_path, story_store):
    import subprocess
    import sys

    import httpx

    store, _ = story_store
    if store.dialect != "sqlite":
        pytest.skip("the worker processes open the same SQLite file; PostgreSQL is covered by the API tests")
    port = free_port()
    (tmp_path / "t").write_text("s3cret\n")
    proc = subprocess.Popen([sys.executable, "-c", "from flashpoint.cli import main; main()", "serve", "--db",
                             store.url, "--port", str(port), "--workers", "2", "--token-file", str(tmp_path / "t")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and health is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()
            except httpx.HTTPError:
                time.sleep(0.3)
        assert health and health["incident"] > 0
        answers = [httpx.get(f"http://127.0.0.1:{port}/api/incidents", timeout=10).status_code for _ in range(20)]
        assert answers == [200] * 20
        denied = httpx.post(f"http://127.0.0.1:{port}/api/ingest", json=[], timeout=10)
        assert denied.status_code == 401  # the token reached the workers without the command line
    finally:
        proc.terminate()
        proc.wait(timeout=30)
