"""The long fuzz run (`make fuzz`): mutate the seeds of every target for a while and report.

    python tests/fuzz/run.py [--seconds 60] [--target dump ...] [--seed 1]

Prints, per target, the inputs run, the crashes and the slowest input's time; every crashing
input is kept in tests/fuzz/regressions/ (named TARGET-hash.bin), where the test suite replays it.
Exit status 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import TARGETS, keep_regression, mutate, seeds  # noqa: E402


def fuzz(target: str, seconds: float, seed: int) -> dict:
    run, _ = TARGETS[target]
    pool = seeds(target)
    rng = random.Random(f"{seed}-{target}")
    deadline = time.monotonic() + seconds
    inputs = crashes = 0
    slowest = (0.0, b"")
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), rng, pool)
        start = time.perf_counter()
        try:
            run(data)
        except Exception:
            crashes += 1
            kept = keep_regression(target, data)
            print(f"  crash in {target}, kept as {kept}:\n{traceback.format_exc(limit=3)}", file=sys.stderr)
        took = time.perf_counter() - start
        if took > slowest[0]:
            slowest = (took, data)
        inputs += 1
    return {"inputs": inputs, "crashes": crashes, "slowest_s": round(slowest[0], 3), "slowest_bytes": len(slowest[1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="per target")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    total = 0
    for target in args.target or sorted(TARGETS):
        result = fuzz(target, args.seconds, args.seed)
        total += result["crashes"]
        print(f"{target:8} {result['inputs']:7,} inputs, {result['crashes']} crashes, slowest "
              f"{result['slowest_s']} s ({result['slowest_bytes']:,} bytes)", flush=True)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
