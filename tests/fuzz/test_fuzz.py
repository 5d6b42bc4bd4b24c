"""A short fuzz run of every reader and of extraction (the long run: `make fuzz`), and every input
that ever crashed one, replayed."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import TARGETS, mutate, regression_inputs, seeds  # noqa: E402

#: Inputs per target in the test run (CI); `make fuzz` runs for minutes instead.
EXAMPLES_PER_TARGET = int(os.environ.get("FLASHPOINT_FUZZ_EXAMPLES", "200"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_short_run_finds_no_crash(target):
    run, _ = TARGETS[target]
    pool = seeds(target)
    rng = random.Random(f"fuzz-{target}")
    for _ in range(EXAMPLES_PER_TARGET):
        data = mutate(rng.choice(pool), rng, pool)
        try:
            run(data)
        except Exception as exc:  # a crash: show the input that made it
            pytest.fail(f"{target} crashed with {type(exc).__name__}: {exc} on input {data[:300]!r}")


@pytest.mark.parametrize("target, path", regression_inputs(), ids=lambda v: getattr(v, "name", v))
def test_inputs_that_once_crashed_stay_fixed(target, path):
    TARGETS[target][0](path.read_bytes())


def test_every_target_has_seeds_of_its_kind():
    for target in TARGETS:
        assert seeds(target) != [b""], target
