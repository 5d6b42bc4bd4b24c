"""Reading and extraction on every core: worker processes, results in input order.

    for done in read_and_extract(["crawl.warc.gz"], workers=2):
        done.article, done.events          # in the order of the inputs, as one process gives them

The main process opens the inputs, groups their raw documents as one process would
(ingest/reader.py `raw_batches`) and finds each group's repeated dump lines; the group then
goes out in small parts, each to a worker process, which cleans its pages into articles
and extracts their events with the model and gazetteer it loaded once. Results come back
in input order, and the main process applies the run's syndication check to them in that
order, so the articles, the copies found and the events are those of a single process.

A worker that dies (a page that crashes a native parser, a kill) takes the parts it held
with it: they are run again, one part at a time in a fresh pool, and in the part that kills
its worker again each page alone, so that the page that does it is reported as a failure
and everything else goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from flashpoint.ingest.reader import ReadOptions, ReadReport, Syndication, build_articles, group_furniture, raw_batches
from flashpoint.model import Article, Event, Failure, RawDoc

#: Pages per part sent to a worker: small, so that the cores share even a short run evenly, and
#: enough that one parse of all their sentences saves spaCy's cost per call (8 measured best).
PART_SIZE = 8
#: Parts in flight per worker: enough to keep every core busy while the main process reads ahead.
IN_FLIGHT_PER_WORKER = 4
#: A test hook: a worker given a page containing this text kills itself, as a crashing page would.
FAULT_ENV = "FLASHPOINT_FAULT_KILL_ON"


@dataclass
class Done:
    """One article (or a page that failed) with its events: None when they were not extracted."""

    item: Article | Failure
    events: list[Event] | None = None
    error: str | None = None  # why extraction failed, for an article
    shingles: set[int] | None = None  # the body's sampled shingles, for the syndication checks


def default_workers() -> int:
    return os.cpu_count() or 1


# ---- inside a worker process --------------------------------------------------------------

_include_plover = True


def load_models() -> None:
    """The parsing model, the gazetteer, the actor catalog and the typing model, loaded once."""
    from flashpoint.extract.classifier import shipped_model
    from flashpoint.nlp import load_nlp
    from flashpoint.resolve.actors import ActorCatalog
    from flashpoint.resolve.gazetteer import Gazetteer

    load_nlp()
    Gazetteer.open()
    ActorCatalog.load()
    shipped_model()


def exit_with_parent(every_s: float = 1.0) -> None:
    """A worker whose main process was killed (kill -9 gives it no chance to stop its pool) exits
    too, instead of waiting for work forever."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def start_worker(include_plover: bool) -> None:
    """A forked worker has the main process's models already (shared pages, no second load) but
    opens the gazetteer's database itself: an SQLite connection must not cross a fork."""
    global _include_plover
    _include_plover = include_plover
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    exit_with_parent()
    from flashpoint.resolve import gazetteer

    gazetteer._opened.clear()
    load_models()
    # What is loaded now lives as long as the worker: the garbage collector need not walk it again
    # (and a forked worker's pages shared with the main process stay shared).
    gc.freeze()


def extract_part(raws: list[RawDoc], furniture: frozenset[str]) -> list[Done]:
    """Clean raw documents into articles (with their group's repeated lines) and extract the events of each."""
    from flashpoint.extract.events import extract_each
    from flashpoint.ingest.dedup import sampled_shingles
    from flashpoint.resolve.gazetteer import Gazetteer

    kill_on = os.environ.get(FAULT_ENV)
    if kill_on and any(kill_on in raw.text for raw in raws):
        os.kill(os.getpid(), signal.SIGKILL)
    out = [Done(item) for item in build_articles(raws, furniture)]
    done = [d for d in out if not isinstance(d.item, Failure)]
    # One parse for the whole part: the same events as article by article, a sixth less time.
    for d, (events, error) in zip(done, extract_each([d.item for d in done], Gazetteer.open(), _include_plover)):
        d.events, d.error = events, error
        d.shingles = sampled_shingles(d.item.body)  # here, not in the main process that all workers wait on
    return out


# ---- in the main process ------------------------------------------------------------------

class WorkerPool:
    """Worker processes that take parts of groups of raw documents, replaced when one dies."""

    def __init__(self, workers: int, include_plover: bool):
        self.workers, self.include_plover = workers, include_plover
        self.pool: ProcessPoolExecutor | None = None
        self.deaths = 0

    def executor(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # Fork where there is fork: the workers start with the models this process loaded.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            if context.get_start_method() == "fork":
                load_models()
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=start_worker,
                                            initargs=(self.include_plover,))
        return self.pool

    def submit(self, raws: list[RawDoc], furniture: frozenset[str]) -> Future:
        return self.executor().submit(extract_part, raws, furniture)

    def replace(self) -> None:
        """Drop a pool one of whose workers died; the next submit starts a fresh one."""
        self.deaths += 1
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def run_alone(self, raws: list[RawDoc], furniture: frozenset[str]) -> list[Done]:
        """A part whose worker died, run again by itself; if it kills its worker again, each page
        alone, and the page that kills it is reported."""
        try:
            return self.submit(raws, furniture).result()
        except BrokenProcessPool:
            self.replace()
        out: list[Done] = []
        for raw in raws:
            try:
                out.extend(self.submit([raw], furniture).result())
            except BrokenProcessPool:
                self.replace()
                out.append(Done(Failure(raw.doc, "its worker process died while reading or extracting it "
                                                 "(killed, or a crash in native code); the others went on")))
        return out

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def parts(groups: Iterable[list[RawDoc]]) -> Iterator[tuple[list[RawDoc], frozenset[str]]]:
    """Each group's pages in parts of PART_SIZE, with the group's repeated dump lines."""
    for raws in groups:
        furniture = group_furniture(raws)
        for i in range(0, len(raws), PART_SIZE):
            yield raws[i:i + PART_SIZE], furniture


def extract_in_order(pool: WorkerPool, groups: Iterable[list[RawDoc]]) -> Iterator[list[Done]]:
    """Each part's results, in input order, with a few parts in flight per worker."""
    flight: deque[tuple[list[RawDoc], frozenset[str], Future]] = deque()
    todo = parts(groups)
    exhausted = False
    while True:
        while not exhausted and len(flight) < pool.workers * IN_FLIGHT_PER_WORKER:
            part = next(todo, None)
            if part is None:
                exhausted = True
                break
            flight.append((*part, pool.submit(*part)))
        if not flight:
            return
        raws, furniture, future = flight.popleft()
        try:
            yield future.result()
        except BrokenProcessPool:
            # Every part in flight went down with the pool: run each again by itself, in order.
            pool.replace()
            yield pool.run_alone(raws, furniture)
            while flight:
                raws, furniture, _ = flight.popleft()
                yield pool.run_alone(raws, furniture)


def read_and_extract(sources: Iterable[str] | str, options: ReadOptions | None = None,
                     report: ReadReport | None = None, workers: int | None = None, include_plover: bool = True,
                     progress: Callable[[str], None] | None = None) -> Iterator[Done]:
    """Every article of `sources` with its events, in input order, extracted by `workers` processes.
    A later copy of a syndicated story comes with `duplicate_of` set and no events (as `read`
    and `extract` give it); pages that fail go to `report.failures`, as with `read`."""
    options = options or ReadOptions()
    report = report if report is not None else ReadReport()
    syndication = Syndication(options, report)
    pool = WorkerPool(workers or default_workers(), include_plover)
    try:
        for results in extract_in_order(pool, raw_batches(sources, options, report, progress)):
            for done in results:
                article = syndication.admit(done.item, done.shingles)
                if article is None:
                    continue
                if article.duplicate_of:
                    done.events, done.error = None, None  # its events are the first copy's
                yield done
    finally:
        pool.close()
