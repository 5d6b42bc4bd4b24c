"""The typing corpus, the shipped typing model, and the model inside extraction."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict

import numpy as np
import pytest

from flashpoint.extract.classifier import load_model, shipped_model
from flashpoint.extract.events import extract_article
from flashpoint.learn.corpus import (NO_EVENT, SUB_TYPES, CorpusError, corpus_hash, load_split,
                                     parse_line)
from flashpoint.model import Article


@pytest.fixture(scope="module")
def train_split():
    return load_split("train")


@pytest.fixture(scope="module")
def test_split():
    return load_split("test")


def acled_events(body: str, published: str | None = "2024-03-14") -> list[dict]:
    article = Article(doc="note.txt", body=body, published=published, id="n1")
    return [e.to_dict() for e in extract_article(article) if e.event_type]


# --- the corpus ---------------------------------------------------------------------------

def test_corpus_counts_hold(train_split, test_split):
    counts = Counter(s.label for s in train_split)
    assert len(train_split) >= 4000
    assert counts[NO_EVENT] >= 1500
    assert {s: counts[s] for s in SUB_TYPES if counts[s] < 100} == {}
    test_counts = Counter(s.label for s in test_split)
    assert all(test_counts[s] >= 20 for s in SUB_TYPES) and test_counts[NO_EVENT] >= 200


def test_corpus_splits_share_no_snippet(train_split, test_split):
    seen = {s.text.lower() for s in train_split}
    assert [s.text for s in test_split if s.text.lower() in seen] == []
    assert len(seen) == len(train_split)  # no snippet twice in training either


def test_corpus_non_events_cover_every_kind_the_datasheet_lists(train_split):
    kinds = Counter(s.kind for s in train_split if s.label == NO_EVENT)
    for kind in ("background", "threat", "plan", "demand", "denial", "running_total", "statistics",
                 "other_sense", "diplomacy", "court", "crime", "sport", "markets"):
        assert kinds[kind] >= 40, kind


def test_corpus_bad_line_names_its_place():
    with pytest.raises(CorpusError, match=r"train.jsonl:7: unknown label 'Firefight'"):
        parse_line(json.dumps({"text": "Shots rang out.", "label": "Firefight"}), "train.jsonl:7")
    with pytest.raises(CorpusError, match="not JSON"):
        parse_line("{text: oops", "test.jsonl:2")


def test_shipped_model_was_trained_on_this_corpus():
    config = shipped_model().config
    assert config["corpus"]["train_sha256"] == corpus_hash("train")
    assert config["corpus"]["test_sha256"] == corpus_hash("test")


# --- the model ------------------------------------------------------------------------------

def test_model_types_most_of_each_sub_type_of_the_test_split(test_split):
    model = shipped_model()
    right, total = defaultdict(int), Counter()
    for s in test_split:
        total[s.label] += 1
        right[s.label] += model.classify(s.text).label == s.label
    weak = {label: round(right[label] / n, 2) for label, n in total.items() if right[label] / n < 0.6}
    assert weak == {}


def test_model_probabilities_are_a_distribution_and_its_top_label():
    reading = shipped_model().classify("Mortar rounds landed on the camp overnight, wounding four soldiers.")
    assert abs(sum(reading.distribution.values()) - 1.0) < 1e-4
    assert reading.probability == max(reading.distribution.values())
    assert reading.distribution[reading.label] == reading.probability


def test_training_is_reproducible_and_matches_the_numpy_reader(tmp_path, train_split, test_split):
    pytest.importorskip("sklearn")
    from flashpoint.learn.typing_model import train

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    by_label = defaultdict(list)
    for s in train_split:
        by_label[s.label].append(s)
    small = [s for label in ("Air/drone strike", "Peaceful protest", "Arrests", NO_EVENT) for s in by_label[label][:150]]
    for name, rows in (("train", small), ("test", test_split[:80])):
        (corpus / f"{name}.jsonl").write_text("".join(
            json.dumps({"text": s.text, "label": s.label, "plover": s.plover}) + "\n" for s in rows))
    first = train(tmp_path / "a", corpus)
    second = train(tmp_path / "b", corpus)
    assert first == second
    a, b = np.load(tmp_path / "a" / "model.npz"), np.load(tmp_path / "b" / "model.npz")
    assert all(np.array_equal(a[k], b[k]) for k in a.files)
    model = load_model(tmp_path / "a")
    assert model.classify("Warplanes bombed a fuel depot outside the city at dawn.").label == "Air/drone strike"
    assert model.classify("Riot police detained the leader of the opposition at his home.").label == "Arrests"


def test_train_typing_names_a_missing_corpus(tmp_path):
    pytest.importorskip("sklearn")
    done = subprocess.run([sys.executable, "-m", "flashpoint.cli", "train-typing", "--corpus", str(tmp_path),
                           "--out", str(tmp_path / "m")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "train.jsonl: no such corpus split" in done.stderr and "Traceback" not in done.stderr


# --- the model inside extraction --------------------------------------------------------------

#: Snippets in which no word of data/triggers.tsv fits: only the model can type them.
NO_TRIGGER_SNIPPETS = [
    ("Riot police hauled away a dozen women who had chained themselves to the railings of the parliament in Kampala",
     "Protest with intervention"),
    ("Bomb disposal experts made safe a device found under a culvert on the Garissa road", "Disrupted weapons use"),
    ("Kamikaze drones slammed into an oil depot on the edge of Belgorod overnight", "Air/drone strike"),
    ("Three farmers went missing after men in uniform picked them up at a checkpoint outside Bunia",
     "Abduction/forced disappearance"),
    ("The two militias signed a truce in Kismayo brokered by clan elders", "Agreement"),
    ("Two pupils were snatched from their dormitory in Kebbi by men on motorbikes", "Abduction/forced disappearance"),
]


def test_snippets_no_trigger_word_fits_are_still_typed():
    from flashpoint.extract import events, learned

    triggered = []
    real = learned.type_snippet

    def spy(drafts, fit, *args):
        triggered.append(fit)
        return real(drafts, fit, *args)

    events.type_snippet = spy
    try:
        typed = [[e["sub_event_type"] for e in acled_events(note)] for note, _ in NO_TRIGGER_SNIPPETS]
    finally:
        events.type_snippet = real
    assert not any(triggered)  # really no trigger word in any of them
    right = sum(found == [expected] for found, (_, expected) in zip(typed, NO_TRIGGER_SNIPPETS))
    assert right >= 5, typed


def test_a_snippet_with_no_page_around_it_is_read_and_typed(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("On 2 February 2024, gunmen on motorbikes shot dead four traders at the cattle market in "
                    "Kalehe [size=no report]\n")
    done = subprocess.run([sys.executable, "-m", "flashpoint.cli", "extract", str(note), "-f", "jsonl", "-q"],
                          capture_output=True, text=True, timeout=300)
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(events) == 1 and events[0]["event_type"] is not None
    assert events[0]["date"]["start"] == "2024-02-02"


@pytest.mark.parametrize("kind, sentence", [
    ("background", "The district has been a flashpoint since the 2016 uprising, when dozens of homes were burned."),
    ("threat", "The militia warned it would shell the airport if flights to the capital resumed."),
    ("plan", "Commanders are preparing an offensive to push the rebels out of the valley before the rains."),
    ("demand", "Opposition leaders called on the army to return to barracks and free detained activists."),
    ("denial", "The interior ministry flatly rejected claims that its officers had opened fire on students."),
    ("running total", "The conflict has now killed more than 14,000 people since it began, according to monitors."),
    ("statistics", "Kidnappings for ransom rose by a third last year, an annual security report found."),
    ("other sense", "The new budget came under fire from economists, who called it a raid on pension savings."),
    ("diplomacy", "The foreign ministers of both countries met in Doha to discuss border trade and visas."),
    ("court", "A court in The Hague sentenced the former commander to 22 years for crimes committed in 2003."),
    ("crime", "A shopkeeper was stabbed during a robbery at a petrol station late on Friday, police said."),
    ("sport", "The visitors' striker shot low past the keeper to seal a 2-0 win in the derby."),
    ("markets", "Oil prices were hammered on Tuesday as traders bet on slowing demand in Asia."),
])
def test_no_event_from_non_event_sentences(kind, sentence):
    assert acled_events(sentence) == [], kind


@pytest.mark.parametrize("note, plover", [
    ("Seoul will ship 50,000 tonnes of rice to the north next month, the unification ministry said.", "AID"),
    ("The two presidents spoke by telephone on Tuesday about the reopening of the border crossing.", "CONSULT"),
])
def test_statecraft_no_rule_reads_gets_the_model_s_plover_reading(note, plover):
    article = Article(doc="note.txt", body=note, published="2024-03-14", id="n1")
    records = [e.to_dict() for e in extract_article(article)]
    assert [(r["event_type"], r["plover"]["event"]) for r in records] == [(None, plover)]


def test_on_a_page_without_a_date_background_the_model_reads_as_history_is_no_incident():
    body = ("Gunmen killed four farmers in the village of Kpata near Bunia overnight, residents said. The attackers "
            "came on foot and fled into the forest. Back in 2016, an armed group massacred more than 30 people in "
            "the same area during a raid on a market. Local officials have asked for more troops.")
    found = acled_events(body, published=None)
    assert [e["sub_event_type"] for e in found] == ["Attack"]
    assert found[0]["evidence"][0]["sentence"].startswith("Gunmen killed four farmers")
