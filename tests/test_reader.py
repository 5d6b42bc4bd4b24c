"""Reading every input kind through the real pipeline, and every bad input a user hits."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest

import flashpoint
from flashpoint import ReadOptions, ReadReport

from conftest import EXAMPLES, WIRE_BODY, WIRE_DUMP, WIRE_HTML


def read_all(sources, **options):
    report = ReadReport()
    articles = list(flashpoint.read(sources, ReadOptions(**options), report))
    return articles, report


def run_cli(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "flashpoint.cli", *args], input=stdin,
                          capture_output=True, timeout=120)


# --- input kinds -------------------------------------------------------------------

def test_reader_text_dump_gives_body_and_metadata(tmp_path):
    path = tmp_path / "courier.txt"
    path.write_text(WIRE_DUMP)
    [article], report = read_all([str(path)])
    assert article.body.split("\n\n") == WIRE_BODY
    assert article.title == "Clashes Erupt Near Border Crossing as Ceasefire Talks Stall"
    assert article.published == "2023-10-09T19:31"
    assert article.publisher == "Evening Courier"
    assert article.agency == "Agence France-Presse"
    assert article.dateline == "Geneina"
    assert article.language == "en"
    assert report.failed == 0


PAGE_WITHOUT_HEADER_DATE = """Militants Kill Four Guards at Fuel Depot

Regional Desk

Militants killed four guards at a fuel depot outside Kassala on Sunday, a provincial
official said, adding that the attackers fled toward the border before troops arrived.

The official said two other guards were wounded and taken to hospital in the city.

{tail}
"""


@pytest.mark.parametrize(
    "tail, published",
    [
        ("Last updated: 14 March 2023, 08:10", "2023-03-14T08:10"),
        ("2023.03.14", "2023-03-14"),
        ("DESK: 0915 HRS, MAR 14, 2023", "2023-03-14"),
        ("Guards stand at the depot gate near Kassala, Sudan, Tuesday, March 14, 2023. (Photo desk)",
         "2023-03-14"),
        ("Residents posted video of the smoke — Local Monitor (@localmonitor) March 14, 2023",
         "2023-03-14"),
        ("The depot was first attacked in March 2019, residents said.", None),
    ],
)
def test_reader_page_date_printed_away_from_the_headline(tmp_path, tail, published):
    """A page with no date at the top takes one printed in its footer, a caption or an embed;
    a month and year in prose is not a publication date."""
    path = tmp_path / "depot.txt"
    path.write_text(PAGE_WITHOUT_HEADER_DATE.format(tail=tail))
    [article], _ = read_all([str(path)])
    assert article.published == published


def test_reader_a_standfirst_under_the_headline_is_the_lead_of_the_body(tmp_path):
    path = tmp_path / "standfirst.txt"
    path.write_text("World\nTroops Kill Five Protesters in Capital\n"
                    "Security forces on Monday shot dead five protesters during rallies against the junta in the capital\n"
                    "A doctors' union said in a statement that dozens more were wounded by live fire and tear gas canisters.\n"
                    "Witnesses said soldiers chased the marchers into side streets near the central market after noon.\n")
    [article], _ = read_all([str(path)])
    assert article.title == "Troops Kill Five Protesters in Capital"
    assert article.body.startswith("Security forces on Monday shot dead five protesters")


def test_reader_html_page(tmp_path):
    path = tmp_path / "valley.html"
    path.write_text(WIRE_HTML)
    [article], _ = read_all([str(path)])
    assert article.title == "Army retakes hilltop town after week of fighting"
    assert article.body.startswith("DONETSK (Reuters) - Government troops recaptured")
    assert "Home" not in article.body and "Copyright" not in article.body
    assert article.published.startswith("2023-11-02")
    assert article.publisher == "Valley Times"
    assert (article.agency, article.dateline) == ("Reuters", "Donetsk")


def test_reader_gzip_is_read_transparently(tmp_path):
    path = tmp_path / "courier.txt.gz"
    path.write_bytes(gzip.compress(WIRE_DUMP.encode()))
    [article], _ = read_all([str(path)])
    assert article.body.split("\n\n") == WIRE_BODY


def test_reader_jsonl_records_with_text_html_and_metadata(tmp_path):
    path = tmp_path / "records.jsonl"
    rows = [
        {"url": "https://paper.example/a", "published": "2023-10-10T08:00:00", "title": "Given title", "text": WIRE_DUMP},
        {"html": WIRE_HTML, "url": "https://valley.example/b"},
        "not an object",
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken json\n")
    articles, report = read_all([str(path)])
    assert [a.url for a in articles] == ["https://paper.example/a", "https://valley.example/b"]
    assert articles[0].published == "2023-10-10T08:00"
    assert articles[0].body.split("\n\n") == WIRE_BODY
    assert sorted(f.reason.split(" ")[0] for f in report.failures) == ["a", "invalid"]


def test_reader_feed_file_items_become_articles():
    articles, report = read_all([str(EXAMPLES / "feed-wire.xml")], fetch_links=False)
    assert [a.title for a in articles] == [
        "Drone strike hits fuel depot near Hodeidah port",
        "Protesters rally in Khartoum against fuel price rise",
    ]
    assert articles[0].published.startswith("2024-06-11T08:15")
    assert articles[0].agency == "Reuters" and articles[1].agency == "Agence France-Presse"
    assert report.failed == 0


def warc_record(uri: str, html: str, record_type: str = "response") -> bytes:
    payload = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode())
    head = (f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2023-11-02T07:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri))}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(payload)}\r\n\r\n")
    return head.encode() + payload + b"\r\n\r\n"


def test_reader_warc_gz_response_records_are_streamed(tmp_path):
    raw = warc_record("https://valley.example/retake", WIRE_HTML) + warc_record(
        "https://other.example/x", "<html><body><p>" + "Short text about a protest march in the city centre on Sunday. " * 6 + "</p></body></html>")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(raw))
    articles, report = read_all([str(path)])
    assert [a.url for a in articles] == ["https://valley.example/retake", "https://other.example/x"]
    assert articles[0].doc == "https://valley.example/retake"
    assert report.failed == 0


def test_reader_directory_is_read_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(WIRE_DUMP)
    (tmp_path / "a" / "b" / "two.html").write_text(WIRE_HTML)
    articles, _ = read_all([str(tmp_path)])
    assert sorted(a.kind for a in articles) == ["dump", "html"]


def test_reader_stdin_with_dash():
    result = run_cli("read", "-", "--format", "jsonl", stdin=WIRE_DUMP.encode())
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.decode().splitlines()
    assert json.loads(line)["body"].split("\n\n") == WIRE_BODY


def test_reader_syndicated_copy_points_to_first(tmp_path):
    (tmp_path / "1-courier.txt").write_text(WIRE_DUMP)
    other = WIRE_DUMP.replace("Evening Courier", "Morning Post").replace("Markets close higher", "Local team wins")
    (tmp_path / "2-post.txt").write_text(other)
    (tmp_path / "3-html.html").write_text(WIRE_HTML)
    first, copy, unrelated = read_all([str(tmp_path)])[0]
    assert first.duplicate_of is None
    assert copy.duplicate_of == first.id
    assert unrelated.duplicate_of is None


def test_reader_non_english_is_labelled_not_mangled(tmp_path):
    text = ("Les forces gouvernementales ont repris lundi le contrôle de la ville après trois jours "
            "de combats intenses, selon des sources locales qui ont requis l'anonymat. "
            "Des centaines de familles ont fui vers les villages voisins, à pied ou en charrette.")
    (tmp_path / "fr.txt").write_text(f"Accueil\n\n{text}\n\n{text}\n")
    [article], _ = read_all([str(tmp_path / "fr.txt")])
    assert article.language == "fr"
    assert "contrôle" in article.body and "à pied" in article.body


# --- URLs on a real local server ------------------------------------------------------

def test_reader_url_fetched_from_local_server(site):
    state, base = site
    state.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    state.add("/news/retake", WIRE_HTML)
    [article], report = read_all([f"{base}/news/retake"], allow_private=True)
    assert article.url == f"{base}/news/retake"
    assert article.agency == "Reuters"
    assert "/robots.txt" in state.hits


def test_reader_robots_txt_disallow_is_respected(site):
    state, base = site
    state.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    state.add("/private/page", WIRE_HTML)
    articles, report = read_all([f"{base}/private/page"], allow_private=True)
    assert articles == []
    assert "robots.txt disallows" in report.failures[0].reason
    assert "/private/page" not in state.hits


def test_reader_loopback_refused_without_allow_private(site):
    state, base = site
    state.add("/news/retake", WIRE_HTML)
    articles, report = read_all([f"{base}/news/retake"])
    assert articles == [] and "--allow-private" in report.failures[0].reason
    assert state.hits == []


def test_reader_redirect_cap_and_non_http_schemes(site):
    state, base = site
    for i in range(8):
        state.add(f"/r{i}", "", status=302, Location=f"/r{i + 1}")
    _, report = read_all([f"{base}/r0", "ftp://example.org/file"], allow_private=True)
    reasons = [f.reason for f in report.failures]
    assert "redirects" in reasons[0]
    assert "only http and https" in reasons[1]


def test_reader_url_over_size_cap_is_refused(site):
    state, base = site
    state.add("/big", "<p>" + "x" * 5000 + "</p>")
    _, report = read_all([f"{base}/big"], allow_private=True, max_file_bytes=1000)
    assert "over the cap" in report.failures[0].reason


def test_reader_feed_url_with_summaries_fetches_linked_pages(site):
    state, base = site
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Times</title>
    <item><title>Army retakes hilltop town</title><link>{base}/news/retake</link>
    <pubDate>Thu, 02 Nov 2023 06:45:00 GMT</pubDate><description>Troops recaptured a town.</description></item>
    </channel></rss>"""
    state.add("/feed.xml", feed, content_type="application/rss+xml")
    state.add("/news/retake", WIRE_HTML)
    [article], report = read_all([f"{base}/feed.xml"], allow_private=True)
    assert "/news/retake" in state.hits
    assert article.body.startswith("DONETSK (Reuters)")
    assert article.published.startswith("2023-11-02T06:45")


# --- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"\n\n   \n", "empty input"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary content"),
        ("cut.txt.gz", gzip.compress(WIRE_DUMP.encode())[:60], "truncated gzip"),
        ("broken.xml", b"<?xml version='1.0'?><rss><channel><title>x</title><item><title>unclosed", "feed"),
        ("bad.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200", "WARC"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ],
)
def test_reader_bad_input_is_reported_and_the_batch_goes_on(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "zz-good.txt"
    good.write_text(WIRE_DUMP)
    articles, report = read_all([str(bad), str(good)])
    assert [a.doc for a in articles] == [str(good)]
    assert report.failed == 1
    assert report.failures[0].doc.startswith(str(bad))
    assert reason in report.failures[0].reason


def test_reader_missing_file_and_size_cap(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(WIRE_DUMP * 50)
    _, report = read_all([str(tmp_path / "nope.txt"), str(big)], max_file_bytes=10_000)
    assert [f.reason.split(",")[0] for f in report.failures][0] == "no such file or directory"
    assert "over the cap" in report.failures[1].reason


@pytest.mark.parametrize(
    "encoding, bom",
    [("cp1252", b""), ("latin-1", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")],
)
def test_reader_encodings_are_decoded(tmp_path, encoding, bom):
    text = WIRE_DUMP.replace("Fighting broke out", "Fighting broke out in Genéina’s outskirts" if encoding == "cp1252" else "Fighting broke out in Genéina")
    path = tmp_path / f"page-{encoding}.txt"
    path.write_bytes(bom + text.encode(encoding, errors="replace"))
    [article], _ = read_all([str(path)])
    assert "Genéina" in article.body
    if encoding == "cp1252":
        assert "Genéina’s" in article.body


def test_reader_malformed_html_still_yields_text(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><p>" + WIRE_BODY[0] + "<p>" + WIRE_BODY[1] + "<div><b>unclosed")
    [article], _ = read_all([str(page)])
    assert "Fighting broke out" in article.body


def test_reader_directory_of_ten_thousand_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    paragraph = "Police said two men were arrested after a protest outside the ministry turned violent on Friday evening."
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(f"Menu\n\n{paragraph} Case {i}.\n\n{paragraph}\n" if i % 1000 else "")
    report = ReadReport()
    count = sum(1 for _ in flashpoint.read([str(folder)], ReadOptions(detect_syndication=False), report))
    assert count == 9_990
    assert report.failed == 10 and {f.reason for f in report.failures} == {"empty input"}


# --- the command line -----------------------------------------------------------------

def test_cli_exit_codes_and_summary(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(WIRE_DUMP)
    ok = run_cli("read", str(good), "--format", "json")
    assert ok.returncode == 0
    assert json.loads(ok.stdout)[0]["agency"] == "Agence France-Presse"
    mixed = run_cli("read", str(good), str(tmp_path / "missing.txt"), "-f", "jsonl")
    assert mixed.returncode == 1
    assert b"no such file or directory" in mixed.stderr and b"1 failed" in mixed.stderr
    assert len(mixed.stdout.splitlines()) == 1
    nothing = run_cli("read", str(tmp_path / "missing.txt"))
    assert nothing.returncode == 2
    assert b"Traceback" not in nothing.stderr


def test_cli_help_documents_inputs_formats_and_exit_codes():
    result = run_cli("read", "--help")
    text = result.stdout.decode()
    for word in ("jsonl", "--allow-private", "Exit codes", "stdin"):
        assert word in text


def test_public_api_exports_are_importable():
    for name in flashpoint.__all__:
        assert hasattr(flashpoint, name)


def test_reader_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"A" * 30_000_000))
    _, report = read_all([str(bomb)], max_file_bytes=1_000_000)
    assert "over the cap" in report.failures[0].reason


def test_reader_multi_member_gzip_is_read_whole(tmp_path):
    path = tmp_path / "two-members.txt.gz"
    half = len(WIRE_DUMP) // 2
    cut = WIRE_DUMP.rfind("\n", 0, half)
    path.write_bytes(gzip.compress(WIRE_DUMP[:cut].encode()) + gzip.compress(WIRE_DUMP[cut:].encode()))
    [article], _ = read_all([str(path)])
    assert article.body.split("\n\n") == WIRE_BODY


def test_reader_shortened_syndicated_copy_is_still_a_copy(tmp_path):
    (tmp_path / "1-full.txt").write_text(WIRE_DUMP)
    short = WIRE_DUMP.replace(WIRE_BODY[3], "").replace(WIRE_BODY[2], "")
    (tmp_path / "2-short.txt").write_text(short.replace("Evening Courier", "Gazette"))
    first, copy = read_all([str(tmp_path)])[0]
    assert copy.duplicate_of == first.id


def test_reader_html_with_a_wrong_declared_charset_is_still_decoded(tmp_path):
    page = WIRE_HTML.replace("Government troops recaptured", "Government troops in Genéina’s outskirts recaptured")
    path = tmp_path / "lying.html"
    path.write_bytes(page.encode("cp1252"))  # declares utf-8, is cp1252
    [article], _ = read_all([str(path)])
    assert "Genéina’s outskirts" in article.body


def test_a_stray_nul_byte_in_a_page_is_dropped_not_called_binary(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(WIRE_HTML.encode("utf-8").replace(b"<p>", b"<p>\x00", 1))
    articles, report = read_all([str(page)], fetch_links=False)
    assert report.failed == 0 and len(articles) == 1
    assert "\x00" not in articles[0].body


# --- short snippets with no page around them ---------------------------------------------

@pytest.mark.parametrize("snippet", [
    "On 9 August 2024, militiamen stormed a cattle camp outside Bor and drove off the herders [size=no report]",
    "Army retakes hilltop town from insurgents after two-day battle",
    "BREAKING: mortar rounds hit the old market in Gao\nthree traders hurt, residents say",
])
def test_reader_a_short_snippet_without_a_full_stop_is_an_article_body(tmp_path, snippet):
    path = tmp_path / "note.txt"
    path.write_text(snippet + "\n")
    articles, report = read_all([str(path)])
    assert report.failed == 0
    assert " ".join(articles[0].body.split()) == " ".join(snippet.split())


def test_reader_a_few_menu_words_are_still_not_a_snippet(tmp_path):
    path = tmp_path / "menu.txt"
    path.write_text("Home\nWorld\nSport\n")
    articles, report = read_all([str(path)])
    assert articles == [] and report.failed == 1


# --- inputs that never end or never arrive ---------------------------------------------------

def test_a_fifo_alone_or_in_a_directory_is_refused_and_the_batch_goes_on(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "story.txt").write_text(WIRE_DUMP)
    done = run_cli("read", str(folder), str(folder / "pipe.txt"), "-f", "jsonl")
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 1  # the story was read
    assert done.stderr.decode().count("not a regular file") == 2


def test_an_endless_device_is_refused(tmp_path):
    articles, report = read_all(["/dev/zero"])
    assert articles == [] and "not a regular file" in report.failures[0].reason


def test_a_warc_record_with_a_negative_length_is_an_error_not_a_flood(tmp_path):
    import gzip as gz

    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/a\r\n"
              b"Content-Length: -1\r\n\r\n")
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(gz.compress(record + b"\0" * 5_000_000))
    articles, report = read_all([str(path)])
    assert articles == [] and "negative Content-Length" in report.failures[0].reason


# --- the fetch guard -------------------------------------------------------------------------

@pytest.mark.parametrize("address, public", [
    ("100.64.0.1", False), ("100.100.100.200", False), ("192.0.0.1", False), ("169.254.169.254", False),
    ("10.1.2.3", False), ("198.18.0.1", False), ("::ffff:127.0.0.1", False), ("fd00::1", False),
    ("8.8.8.8", True), ("2001:4860:4860::8888", True),
])
def test_only_globally_routable_addresses_are_fetched(address, public):
    import ipaddress

    from flashpoint.ingest.fetch import is_public

    assert is_public(ipaddress.ip_address(address)) is public


def test_a_host_is_resolved_once_and_the_request_goes_to_that_address(site, monkeypatch):
    """A rebinding resolver answers the check with one address and the connection with another:
    the fetch must connect to the address that was checked."""
    import socket as socketlib

    state, base = site
    state.add("/news/retake", WIRE_HTML)
    port = base.rsplit(":", 1)[1]
    real = socketlib.getaddrinfo
    asked = []

    def rebinding(host, *args, **kwargs):
        if host == "rebind.example":
            asked.append(host)
            # First answer: where the test server is. Any later answer: an address nothing listens on.
            target = "127.0.0.1" if len(asked) == 1 else "127.0.0.2"
            return real(target, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socketlib, "getaddrinfo", rebinding)
    [article], report = read_all([f"http://rebind.example:{port}/news/retake"], allow_private=True,
                                 respect_robots=False)
    assert report.failed == 0 and asked == ["rebind.example"]
    assert state.hits == ["/news/retake"]


def test_the_command_line_modules_import_each_other_one_way():
    """cli/options.py imports no command module; command modules import options only; app.py
    alone puts them together. A cycle would make the order of imports matter again."""
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "flashpoint" / "cli"
    siblings = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("flashpoint.cli"):
                found |= {node.module.removeprefix("flashpoint.cli").strip(".") or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name.removeprefix("flashpoint.cli.") for a in node.names if a.name.startswith("flashpoint.cli")}
        siblings[path.stem] = found
    assert siblings["options"] == set()
    for name, imported in siblings.items():
        if name not in ("app", "__init__", "__main__", "options"):
            assert imported <= {"options"}, (name, imported)
    assert {"read", "store", "serve", "train", "gazetteer"} <= siblings["app"]


def test_a_path_with_brackets_is_printed_as_text_not_markup(tmp_path):
    odd = tmp_path / "missing[/x]"
    done = run_cli("read", str(odd), "-f", "jsonl")
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "missing[/x]" in stderr and "Traceback" not in stderr
