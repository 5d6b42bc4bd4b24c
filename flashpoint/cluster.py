"""Reading and extraction on a Ray cluster: `flashpoint ingest|extract ... --ray ADDRESS`.

    pip install "flashpoint[ray]"
    flashpoint extract crawl/ --ray local -o events/          # a Ray started here, on this machine's cores
    flashpoint ingest shards/ --ray ray://head:10001 --db postgresql://...

How the work is split (and why the events are the same as one process's):

1. The inputs are listed here (directories walked in the reader's order; URLs and stdin are
   for single-machine runs). Ray Data reads them in parallel, one file or WARC/JSONL shard a
   task, into raw documents keyed by (input, position).
2. They come back in input order and are grouped as one process groups them (64 at a time,
   with each group's repeated text-dump lines), then sent in small parts to Ray actors, each
   holding one copy of the parsing model, gazetteer and typing model, which clean the pages
   into articles and extract their events.
3. Results come back in input order. Syndicated copies are recognised here, in that order,
   by the run's one shingle index: a story copied across two shards is a copy whichever
   worker read it, exactly as in one process (a second pass over the shingles, done where
   all the shards meet). The store, when there is one, is written here too (PostgreSQL for
   a cluster: an SQLite file lives on this machine only).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from flashpoint.ingest.reader import DUMP_BATCH, ReadOptions, ReadReport, Syndication, group_furniture
from flashpoint.model import Failure, RawDoc
from flashpoint.workers import IN_FLIGHT_PER_WORKER, PART_SIZE, Done

#: `--ray local`: start a Ray on this machine instead of joining a cluster.
LOCAL = "local"


class ClusterError(Exception):
    """Ray is missing, unreachable, or given inputs it cannot share out, in words a user can act on."""


def input_files(sources: Iterable[str]) -> list[str]:
    """Every input file, in the order one process reads them."""
    from pathlib import Path

    from flashpoint.ingest.sources import is_url, iter_files

    files = []
    for source in sources:
        if source == "-" or is_url(source):
            raise ClusterError(f"{source}: URLs and standard input are read on one machine; give files, "
                               "directories, WARC or JSONL shards with --ray")
        files.extend(str(p) for p in iter_files(Path(source))) if os.path.isdir(source) else files.append(source)
    return files


#: Raw documents per block a reading task hands on: a WARC of thousands of pages streams in
#: blocks, never held whole by one task.
READ_BLOCK = 64


def read_input(batch: dict, options: ReadOptions) -> Iterator[dict]:
    """One input file's raw documents (a Ray Data task), streamed in blocks of READ_BLOCK rows
    keyed by (input, position); a document is its fields, and hints as JSON."""
    import json

    from flashpoint.ingest.sources import Expander

    columns = ("input", "n", "doc", "failure", "kind", "text", "url", "hints")
    for index, path in zip(batch["input"], batch["path"]):
        expander = Expander(options.source_options())
        rows: dict[str, list] = {c: [] for c in columns}
        try:
            for n, item in enumerate(expander.from_file(str(path))):
                failed = isinstance(item, Failure)
                values = (int(index), n, item.doc, item.reason if failed else None, None if failed else item.kind,
                          None if failed else item.text, None if failed else item.url,
                          None if failed else json.dumps(item.hints, ensure_ascii=False, default=str))
                for column, value in zip(columns, values):
                    rows[column].append(value)
                if len(rows["n"]) >= READ_BLOCK:
                    yield rows
                    rows = {c: [] for c in columns}
        finally:
            expander.close()
        if rows["n"]:
            yield rows


def raw_doc(row: dict) -> RawDoc:
    import json

    return RawDoc(row["doc"], row["kind"], row["text"], row["url"], json.loads(row["hints"] or "{}"))


class Extractor:
    """A Ray actor: one copy of the models, cleaning and extracting parts of groups."""

    def __init__(self, include_plover: bool):
        from flashpoint import workers

        workers._include_plover = include_plover
        workers.load_models()

    def extract(self, raws: list[RawDoc], furniture: frozenset[str]) -> list[Done]:
        from flashpoint.workers import extract_part

        return extract_part(raws, furniture)


_remote: dict = {}


def remote_extractor(ray):
    """Extractor as a Ray actor class taking one CPU (the readers take none: they wait on files)."""
    if "extractor" not in _remote:
        _remote["extractor"] = ray.remote(num_cpus=1)(Extractor)
    return _remote["extractor"]


def start_ray(address: str):
    """Join the cluster at `address`, or start a Ray on this machine for `local`."""
    try:
        import ray
    except ImportError:
        raise ClusterError('Ray is not installed: pip install "flashpoint[ray]"') from None
    import logging

    if not ray.is_initialized():
        join_or_start(ray, address)
    from ray.data import DataContext

    logging.getLogger("ray.data").setLevel(logging.ERROR)  # its INFO lines would drown the run's summary
    context = DataContext.get_current()
    context.execution_options.preserve_order = True  # the rows come back in input order, whoever started Ray
    context.enable_progress_bars = False
    return ray


def join_or_start(ray, address: str) -> None:
    import logging

    try:
        if address == LOCAL:
            ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, logging_level=logging.ERROR,
                     log_to_driver=False)
        else:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
    except Exception as exc:  # Ray raises several kinds for an unreachable or wrong address
        raise ClusterError(f"--ray {address}: cannot join the Ray cluster ({type(exc).__name__}: {exc})") from None


def raw_groups(ray, files: list[str], options: ReadOptions, report: ReadReport,
               progress: Callable[[str], None] | None) -> Iterator[list[RawDoc]]:
    """The raw documents of every input, read by Ray Data, regrouped here in input order as one
    process groups them."""
    cpus = int(ray.cluster_resources().get("CPU", 1))
    # A few blocks per core: enough to read in parallel without a task (and its start) per small file.
    dataset = ray.data.from_items([{"input": i, "path": p} for i, p in enumerate(files)],
                                  override_num_blocks=max(1, min(len(files), 4 * cpus)))
    # Readers ask for no CPU: the actors hold every core, and reading mostly waits on the disk.
    rows = dataset.map_batches(read_input, fn_kwargs={"options": options}, batch_size=1, batch_format="default",
                               num_cpus=0)
    group: list[RawDoc] = []
    for row in rows.iter_rows():
        if progress:
            progress(row["doc"])
        if row["failure"] is not None:
            report.failures.append(Failure(row["doc"], row["failure"]))
            continue
        group.append(raw_doc(row))
        if len(group) >= DUMP_BATCH:
            yield group
            group = []
    if group:
        yield group


def extract_on_actors(ray, actors: list, groups: Iterable[list[RawDoc]], include_plover: bool) -> Iterator[list[Done]]:
    """Each part's results in input order, a few parts in flight per actor; an actor that dies is
    replaced and its part run again page by page, the page that kills it reported."""
    from ray.exceptions import RayActorError

    flight: deque = deque()

    def parts():
        for raws in groups:
            furniture = group_furniture(raws)
            for i in range(0, len(raws), PART_SIZE):
                yield raws[i:i + PART_SIZE], furniture

    todo = parts()
    exhausted = False
    turn = 0
    while True:
        while not exhausted and len(flight) < len(actors) * IN_FLIGHT_PER_WORKER:
            part = next(todo, None)
            if part is None:
                exhausted = True
                break
            index = turn % len(actors)
            turn += 1
            flight.append((part, index, actors[index], actors[index].extract.remote(*part)))
        if not flight:
            return
        part, index, actor, ref = flight.popleft()
        try:
            yield ray.get(ref)
        except RayActorError:
            if actors[index] is actor:  # its other parts in flight fail too: replace it once
                actors[index] = remote_extractor(ray).remote(include_plover)
            yield run_alone(ray, actors, index, part, include_plover)


def run_alone(ray, actors: list, index: int, part, include_plover: bool) -> list[Done]:
    from ray.exceptions import RayActorError

    raws, furniture = part
    out: list[Done] = []
    for raw in raws:
        try:
            out.extend(ray.get(actors[index].extract.remote([raw], furniture)))
        except RayActorError:
            actors[index] = remote_extractor(ray).remote(include_plover)
            out.append(Done(Failure(raw.doc, "its Ray worker died while reading or extracting it; the others went on")))
    return out


def read_and_extract_on_ray(sources: Iterable[str] | str, address: str, options: ReadOptions | None = None,
                            report: ReadReport | None = None, include_plover: bool = True,
                            progress: Callable[[str], None] | None = None) -> Iterator[Done]:
    """`workers.read_and_extract` on a Ray cluster: every article with its events, in input order."""
    options = options or ReadOptions()
    report = report if report is not None else ReadReport()
    sources = [sources] if isinstance(sources, str) else list(sources)
    files = input_files(sources)
    ray = start_ray(address)
    cpus = int(ray.cluster_resources().get("CPU", 1))
    actors = [remote_extractor(ray).remote(include_plover) for _ in range(max(1, cpus))]
    syndication = Syndication(options, report)
    try:
        for results in extract_on_actors(ray, actors, raw_groups(ray, files, options, report, progress), include_plover):
            for done in results:
                article = syndication.admit(done.item, done.shingles)
                if article is None:
                    continue
                if article.duplicate_of:
                    done.events, done.error = None, None
                yield done
    finally:
        for actor in actors:
            ray.kill(actor)
