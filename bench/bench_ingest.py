"""Ingest throughput and peak memory: N articles (JSONL built from ../shared/data) into a fresh SQLite.

    .venv/bin/python bench/bench_ingest.py [--articles 10000] [--workers N] [--profile]

    .venv/bin/python bench/bench_ingest.py --workers 0 --no-reference   # one process only

Prints, for the whole pipeline (parse, clean, quotes in worker processes; store and cluster in
one ordered writer): articles/s, peak RSS of the ingesting process and its workers (each ingest
runs in a fresh process, as `storydesk ingest` does; each process's own peak too), where the time
goes per stage, and the ratio to the floor (reading the files and splitting the texts into words).
Then the same articles ingested in one process (workers=0): the stories must be the same
(B-cubed 1.000, same story ids in the same order).
The articles are the shared labelled sets replicated with shifted dates and a marker line, so
every one is new content; their texts stay in ../shared and in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pickle
import pstats
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
SETS = ["basil_stories", "pac_story_pairs", "newswcl50_stories", "polnear_quotes"]


def source_records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for name in SETS:
        files = (
            [DATA / name / "articles.jsonl"]
            if name != "polnear_quotes"
            else sorted((DATA / name).glob("*.jsonl"))
        )
        for f in files:
            for line in f.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                out.append(
                    {
                        "title": r.get("title"),
                        "text": r["text"],
                        "source": r.get("source") or r.get("publisher"),
                        "date": r.get("date"),
                        "url": r.get("url"),
                    }
                )
    return out


def build_jsonl(folder: Path, n: int, per_file: int = 500) -> None:
    """Files of `per_file` records (a drop folder of JSONL batches, each under the size limit)."""
    base = source_records()
    folder.mkdir()
    fh = None
    for i in range(n):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = (folder / f"batch-{i // per_file:04d}.jsonl").open("w", encoding="utf-8")
        if True:
            r = dict(base[i % len(base)])
            copy = i // len(base)
            if copy:
                try:
                    d = datetime.fromisoformat(str(r["date"])) if r["date"] else None
                except ValueError:
                    d = None
                r["date"] = (d + timedelta(days=30 * copy)).isoformat() if d else None
                r["text"] = f"{r['text']}\n\n(Edition {copy}.)"
            r["id"] = f"bench-{i}"
            fh.write(json.dumps(r) + "\n")
    if fh:
        fh.close()


class MemoryWatch:
    """Peak memory of this process and its children (the ingest workers), sampled in a thread.

    RSS counts pages shared between processes once per process; PSS splits them, so the PSS sum
    is what the processes together really hold. USS is what a process holds alone. Each process's
    own peaks are kept too, the ingesting process as "main" and the workers by pid."""

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.peak_rss = 0.0
        self.peak_pss = 0.0
        self.each: dict[str, tuple[float, float, float]] = {}  # name: peak RSS, PSS, USS (MB)
        self.when: dict[str, float] = {}  # name: seconds into the watch of its peak RSS ("sum": of the sum's)
        self.at_sum_peak: dict[str, float] = {}  # name: its RSS (MB) when the sum peaked
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        started = time.perf_counter()
        while True:
            rss = pss = 0.0
            now: dict[str, float] = {}
            for p in [me, *me.children(recursive=True)]:
                try:
                    info = p.memory_full_info()
                except (psutil.Error, OSError):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                name = "main" if p.pid == me.pid else f"worker {p.pid}"
                old = self.each.get(name, (0.0, 0.0, 0.0))
                mine = (info.rss, getattr(info, "pss", info.rss), getattr(info, "uss", info.rss))
                self.each[name] = tuple(max(a, b / 2**20) for a, b in zip(old, mine, strict=True))  # type: ignore[assignment]
                now[name] = info.rss / 2**20
                if now[name] >= old[0]:
                    self.when[name] = time.perf_counter() - started
            if rss / 2**20 >= self.peak_rss:
                self.when["sum"] = time.perf_counter() - started
                self.at_sum_peak = now
            self.peak_rss = max(self.peak_rss, rss / 2**20)
            self.peak_pss = max(self.peak_pss, pss / 2**20)
            if self._stop.wait(self.every):
                return


def floor_seconds(folder: Path) -> tuple[float, int]:
    """The floor: read every file, parse its JSON lines and split each text into words."""
    t0 = time.perf_counter()
    words = 0
    for f in sorted(folder.iterdir()):
        for line in f.read_text(encoding="utf-8").splitlines():
            words += len(json.loads(line)["text"].split())
    return time.perf_counter() - t0, words


def reader_stages(folder: Path, files: int) -> dict[str, float]:
    """CPU ms per article of a worker's work, measured in-process on the first files, and what its
    answer costs: its bytes (as the pool pickles it) and the ingesting process's time to unpickle
    it (the pool's unpickling, then the articles' when the writer takes the file)."""
    from bot.news.ingest._dropfolder import with_items
    from bot.news.ingest._frames import unpack_item
    from bot.news.ingest._worker import read_pickled
    from bot.news.settings import ClusteringSettings

    settings = ClusteringSettings()
    read_pickled(str(folder), next(folder.iterdir()), 50_000_000, settings)  # warm the caches
    cpu, size, unpickle, n = 0.0, 0, 0.0, 0
    for f in sorted(folder.iterdir())[:files]:
        c0 = time.process_time()
        answer = read_pickled(str(f), f, 50_000_000, settings)
        cpu += time.process_time() - c0
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        c1 = time.process_time()
        done, packed = pickle.loads(payload)
        result = with_items(done, [unpack_item(b) for b in packed])
        unpickle += time.process_time() - c1
        size += len(payload)
        n += len(result.items)
    return {
        "worker ms/article": 1000 * cpu / n,
        "payload bytes/article": size / n,
        "unpickle ms/article": 1000 * unpickle / n,
    }


class WriterClock:
    """Time spent in the writer's stages during the run (wrapping the desk's collaborators): wall
    time, and CPU time of this process (the writer's own, as the workers are other processes;
    threads the writer starts, aiosqlite's and the clusterer's, count in it)."""

    def __init__(self, desk: object, profile_assign: cProfile.Profile | None = None) -> None:
        self.spent: dict[str, tuple[float, float]] = {}
        self.profile_assign = profile_assign  # the clusterer's thread is not the event loop's
        keeper, articles = desk.keeper, desk.store.articles  # type: ignore[attr-defined]
        self._wrap(desk.ingestor, "store_items", "writer (all)")  # type: ignore[attr-defined]
        # Every placement goes through `place_many` (`place` is one article of it).
        self._wrap(keeper, "place_many", "  clustering (place)")
        # A batch's plain placements are written together when it ends (stories/_records.py).
        self._wrap(keeper.records, "flush", "  records (batch)")
        self._wrap(articles, "known", "  store: known (batch)")
        self._wrap(articles, "insert_many", "  store: insert (batch)")
        self._wrap(articles, "lookup", "  store: lookup (alone)")
        self._wrap(articles, "insert", "  store: insert (alone)")
        self._wrap_assign()

    def _wrap_assign(self) -> None:
        """The clusterer's own share of `place` (it runs in a thread while the writer waits)."""
        from bot.news.stories import StoryClusterer

        inner = StoryClusterer.assign
        label = "    of which assign"

        def timed(clusterer: StoryClusterer, doc: object) -> object:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                if self.profile_assign is not None:
                    return self.profile_assign.runcall(inner, clusterer, doc)  # type: ignore[arg-type]
                return inner(clusterer, doc)  # type: ignore[arg-type]
            finally:
                wall, cpu = self.spent.get(label, (0.0, 0.0))
                self.spent[label] = (wall + time.perf_counter() - t0, cpu + time.process_time() - c0)

        StoryClusterer.assign = timed  # type: ignore[assignment,method-assign]
        self._restore = (StoryClusterer, inner)

    def restore(self) -> None:
        """Unwrap the clusterer class (the next run measures afresh)."""
        cls, inner = self._restore
        cls.assign = inner  # type: ignore[method-assign]

    def _wrap(self, owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name)

        async def timed(*args: object, **kwargs: object) -> object:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return await inner(*args, **kwargs)
            finally:
                wall, cpu = self.spent.get(label, (0.0, 0.0))
                self.spent[label] = (wall + time.perf_counter() - t0, cpu + time.process_time() - c0)

        setattr(owner, name, timed)


def stories_of(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT ref, story_id FROM articles ORDER BY id"))


def bcubed(pred: dict[str, int], gold: dict[str, int]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `pred` against `gold` (same articles)."""
    by_pred: dict[int, set[str]] = {}
    by_gold: dict[int, set[str]] = {}
    for ref, story in pred.items():
        by_pred.setdefault(story, set()).add(ref)
    for ref, story in gold.items():
        by_gold.setdefault(story, set()).add(ref)
    refs = [r for r in pred if r in gold]
    p = sum(len(by_pred[pred[r]] & by_gold[gold[r]]) / len(by_pred[pred[r]]) for r in refs) / len(refs)
    r_ = sum(len(by_pred[pred[r]] & by_gold[gold[r]]) / len(by_gold[gold[r]]) for r in refs) / len(refs)
    return p, r_, 2 * p * r_ / (p + r_)


async def ingest(src: Path, db: Path, workers: int | None, profile: bool) -> dict[str, object]:
    from bot.news.desk import NewsDesk
    from bot.news.settings import IngestSettings

    desk = await NewsDesk.open(
        f"sqlite+aiosqlite:///{db}", ingest=IngestSettings(workers=workers), clock=lambda: datetime.now(UTC)
    )
    prof = cProfile.Profile() if profile else None
    clock = WriterClock(desk, cProfile.Profile() if profile else None)
    with MemoryWatch() as memory:
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        report = await desk.ingest_paths([str(src)])
        if prof:
            prof.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        stories = await desk.store.stories.count()
        await desk.close()
    # The workers' CPU: they have exited (stopped when idle, or by the close) and been waited for.
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = used.ru_utime + used.ru_stime
    clock.restore()
    if prof:
        print("the ingesting process's event loop (the clusterer runs in a thread: below)", file=sys.stderr)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    if clock.profile_assign:
        print("the clusterer (StoryClusterer.assign, in its thread)", file=sys.stderr)
        pstats.Stats(clock.profile_assign, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    return {
        "report": report.summary(),
        "stories": stories,
        "wall": wall,
        "cpu": cpu,
        "children_cpu": children,
        "rss": memory.peak_rss,
        "pss": memory.peak_pss,
        "each": memory.each,
        "when": memory.when,
        "at_sum_peak": memory.at_sum_peak,
        "spent": clock.spent,
        "workers": desk.ingestor.reader.workers,
    }


def ingest_apart(src: Path, db: Path, workers: int | None, profile: bool) -> dict[str, object]:
    """`ingest` in a fresh process, as `storydesk ingest` runs: its memory is then that of the
    ingest alone, not of this process's building and sampling (~55 MB more, freed but kept)."""
    cmd = [sys.executable, __file__, "--child", str(src), str(db), "" if workers is None else str(workers)]
    done = subprocess.run(
        [*cmd, *(["--profile"] if profile else [])], capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"the ingest process failed ({done.returncode})")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def child(args: list[str]) -> None:
    """The ingesting process of `ingest_apart`: the results as JSON on the last line."""
    src, db, workers = Path(args[0]), Path(args[1]), (int(args[2]) if args[2] else None)
    from bot.news import collect_less

    collect_less()  # as the `storydesk` command sets its process up
    result = asyncio.run(ingest(src, db, workers, "--profile" in args))
    print(json.dumps(result))


def show(name: str, n: int, r: dict[str, object]) -> None:
    wall = float(r["wall"])  # type: ignore[arg-type]
    print(f"{name}: workers={r['workers']} ingested {r['report']}, stories {r['stories']}")
    print(
        f"  wall {wall:.1f}s  cpu main {r['cpu']:.1f}s + workers {r['children_cpu']:.1f}s  "
        f"throughput {n / wall:.1f} articles/s  peak RSS {r['rss']:.0f} MB (PSS {r['pss']:.0f} MB), children included"
    )
    when: dict[str, float] = r["when"]  # type: ignore[assignment]
    for proc, (rss, pss, uss) in r["each"].items():  # type: ignore[attr-defined]
        print(
            f"  peak of {proc:<14} RSS {rss:4.0f} MB  PSS {pss:4.0f} MB  USS {uss:4.0f} MB"
            f"  (at {when.get(proc, 0):.0f}s)"
        )
    parts = ", ".join(f"{proc} {mb:.0f}" for proc, mb in r["at_sum_peak"].items())  # type: ignore[attr-defined]
    print(f"  the sum peaked at {when.get('sum', 0):.0f}s of {wall:.0f}s: RSS {parts} MB")
    for label, (wall_s, cpu_s) in r["spent"].items():  # type: ignore[attr-defined]
        print(
            f"  {label:<24} {1000 * cpu_s / n:6.2f} ms/article CPU, {1000 * wall_s / n:6.2f} wall (in the writer)"
        )


async def run(args: argparse.Namespace) -> None:
    n = args.articles
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "inbox"
        build_jsonl(src, n)
        size = sum(f.stat().st_size for f in src.iterdir())
        floor, words = floor_seconds(src)
        from bot import ENGINE_MODE

        print(f"engine: {ENGINE_MODE} (setup.py; STORYDESK_PURE_PYTHON=1 for the Python)")
        print(f"built {n} records ({size / 1e6:.1f} MB, {words:,} words)")
        print(f"floor (read + JSON + word split): {floor:.2f}s, {1000 * floor / n:.3f} ms/article")
        stages = reader_stages(src, args.sample_files)
        print(
            "  a worker (sampled in-process): {worker ms/article:.2f} ms/article CPU (parse, clean, quotes,"
            " features); its answer {payload bytes/article:,.0f} bytes/article pickled, unpickled by the"
            " ingesting process in {unpickle ms/article:.3f} ms/article".format(**stages)
        )
        pooled = ingest_apart(src, Path(tmp) / "pooled.sqlite3", args.workers, args.profile)
        show("whole pipeline", n, pooled)
        print(f"  ratio whole pipeline / floor: {float(pooled['wall']) / floor:.0f}x")  # type: ignore[arg-type]
        if args.dump:
            table = stories_of(Path(tmp) / "pooled.sqlite3")
            Path(args.dump).write_text(json.dumps(list(table.items())), encoding="utf-8")
            print(f"  article -> story table of the pipeline run written to {args.dump}")
        if args.no_reference:
            return
        single = ingest_apart(src, Path(tmp) / "single.sqlite3", 0, False)
        show("one process (workers=0)", n, single)
        a, b = stories_of(Path(tmp) / "pooled.sqlite3"), stories_of(Path(tmp) / "single.sqlite3")
        p, r, f = bcubed(a, b)
        same = list(a.items()) == list(b.items())
        print(f"B-cubed of the pooled stories against the one-process run: P {p:.3f} R {r:.3f} F1 {f:.3f}")
        print(f"  same articles, same story ids, same order: {'yes' if same else 'NO'}")
        print(f"  speed-up over one process: {float(single['wall']) / float(pooled['wall']):.2f}x")  # type: ignore[arg-type]


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument(
        "--workers", type=int, default=None, help="ingest worker processes (default: one per core)"
    )
    ap.add_argument(
        "--sample-files", type=int, default=2, help="files timed in-process for the reader stages"
    )
    ap.add_argument("--no-reference", action="store_true", help="skip the one-process run and the comparison")
    ap.add_argument("--profile", action="store_true", help="cProfile the ingesting process")
    ap.add_argument(
        "--dump", metavar="FILE", help="write the pipeline run's [ref, story id] rows (article order) as JSON"
    )
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
