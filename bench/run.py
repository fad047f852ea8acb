"""The benchmark, in one command: `.venv/bin/python -m bench.run`.

Against a lean fake Bot API server on 127.0.0.1 (bench/fake_api.py) it runs, one after the
other and each bot in its own process: a bare aiogram echo bot, then Gần Dân (`gandan run`)
with scripted volunteers logging household visits, on SQLite and on PostgreSQL; each for a
backlog of updates and for a steady rate. It prints one table (and writes it into
bench/RESULTS.md with a description of the machine).

PostgreSQL: the server of GANDAN_BENCH_POSTGRES_URL (its database `gandan_bench` is dropped and
recreated for each run), or else a throwaway one started with .ci/postgres.sh and stopped after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from bench.fake_api import BOT_USERNAME, TOKEN, FakeBotAPI
from bench.script import CHAT_BASE, Script, Volunteer, count_visits, prepare_database, visit_script

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BENCH_DB = "gandan_bench"


@dataclass
class Outcome:
    bot: str
    db: str
    load: str
    updates: int
    seconds: float
    rate: float
    cpu_ms: float
    p50_ms: float
    p99_ms: float
    rss_mb: float
    queries: float | None
    others: float  # cores' worth of CPU used by neither the bot nor the driver and its fake server
    problems: list[str] = field(default_factory=list)
    ratio: float | None = None


# -- the bot process ---------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime, all threads


def machine_busy() -> tuple[float, float]:
    """CPU seconds busy and in total, all cores (from /proc/stat): was anything else running?"""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


async def query_count(pid: int, stats: Path) -> int:
    """Asks the Gần Dân process (SIGUSR1) for its statement count so far."""
    stats.unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR1)
    for _ in range(500):
        if stats.exists():
            return int(json.loads(stats.read_text())["queries"])
        await asyncio.sleep(0.01)
    raise RuntimeError("the bot did not report its query count")


def bot_env(api_url: str, database_url: str, stats: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "GANDAN_", "DATABASE_", "WEB_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api_url, TELEGRAM_BOT_USERNAME=BOT_USERNAME,
               DATABASE_URL=database_url, WEB_LISTEN="127.0.0.1:0", GANDAN_BENCH_COUNT_QUERIES="1",
               GANDAN_BENCH_STATS=str(stats), PYTHONPATH=str(ROOT))
    for knob in ("GANDAN_BENCH_PROFILE",):  # pyinstrument's report of the bot, for looking into it by hand
        if os.environ.get(knob):
            env[knob] = os.environ[knob]
    return env


async def run_bot(bot: str, db: str, load: str, script: Script, *, database_url: str, work: Path,
                  logs: Path, rate: float, warmup: int, timeout: float) -> Outcome:
    """One bot process against one script; throughput and latency from the fake's timestamps."""
    stats, log_path = work / "stats.json", logs / f"{bot}-{db}-{load}.log"
    measure_from = warmup if load == "steady" else 0
    async with FakeBotAPI(script.updates, script.chats, measure_from=measure_from) as api:
        with open(log_path, "w") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", f"bench.bot_{bot}", cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=bot_env(api.url, database_url, stats))
        try:
            await _until(api.ready.wait(), process, 120, "the bot did not start polling")
            if load == "backlog":
                api.release()
            else:
                api.start_steady(rate)

            async def measured() -> None:
                while api.served <= measure_from:
                    await asyncio.sleep(0.002)

            await _until(measured(), process, timeout, "no update was served")
            cpu0, busy0, own0 = cpu_seconds(process.pid), machine_busy(), time.process_time()
            queries0 = await query_count(process.pid, stats) if bot == "gandan" else 0
            await _until(api.done.wait(), process, timeout,
                         f"timed out: {api.replies} of {api.total} updates answered")
            cpu1, busy1, own1 = cpu_seconds(process.pid), machine_busy(), time.process_time()
            queries1 = await query_count(process.pid, stats) if bot == "gandan" else 0
            rss = peak_rss_mb(process.pid)
        except BaseException:
            print(f"--- {log_path} (tail) ---\n" + "".join(open(log_path).readlines()[-30:]), file=sys.stderr)
            raise
        finally:
            await _stop(process)
    counted = script_size = api.total - measure_from
    began = api.measured_served_at if measure_from else api.first_served_at
    assert began is not None and api.last_reply_at is not None
    seconds = api.last_reply_at - began
    latencies = sorted(api.latencies)
    problems = _check(api.texts, bot)
    if bot == "gandan":
        visits = await count_visits(database_url)
        if visits != script.visits:
            problems.append(f"{visits} visits recorded, {script.visits} expected")
    return Outcome(
        bot=bot, db=db, load=load, updates=script_size, seconds=seconds, rate=counted / seconds,
        cpu_ms=(cpu1 - cpu0) * 1000 / counted, p50_ms=_pct(latencies, 0.50) * 1000,
        p99_ms=_pct(latencies, 0.99) * 1000, rss_mb=rss,
        queries=(queries1 - queries0) / counted if bot == "gandan" else None, problems=problems,
        others=max(0.0, (busy1[0] - busy0[0]) - (cpu1 - cpu0) - (own1 - own0)) / max(1e-9, busy1[1] - busy0[1])
        * (os.cpu_count() or 1))


async def _until(awaitable, process: asyncio.subprocess.Process, timeout: float, message: str) -> None:  # noqa: ANN001
    task = asyncio.ensure_future(awaitable)
    exited = asyncio.ensure_future(process.wait())
    done, _pending = await asyncio.wait({task, exited}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    exited.cancel()
    if task not in done:
        task.cancel()
        raise RuntimeError(message if exited not in done else f"the bot exited ({process.returncode})")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def _check(texts: list[str], bot: str) -> list[str]:
    """Every reply was a real answer: no apology, no stale button, a ✅ for every visit."""
    problems = []
    if bot == "gandan":
        for needle, what in (("Có lỗi xảy ra", "apologies"), ("đã cũ", "stale-button replies"),
                             ("Tôi chưa hiểu", "not-understood replies")):
            found = sum(needle in t for t in texts)
            if found:
                problems.append(f"{found} {what}")
    return problems


# -- databases ---------------------------------------------------------------------------------

class Postgres:
    """The server to use: GANDAN_BENCH_POSTGRES_URL's, or a throwaway one from .ci/postgres.sh."""

    def __init__(self) -> None:
        self.server_url = os.environ.get("GANDAN_BENCH_POSTGRES_URL", "")
        self.pgdata = ""
        self.version = ""

    def __enter__(self) -> Postgres:
        if not self.server_url:
            out = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh")], check=True, capture_output=True,
                                 text=True).stdout
            exports = dict(re.findall(r"export (\w+)=(\S+)", out))
            self.server_url, self.pgdata = exports["GANDAN_TEST_POSTGRES_URL"], exports["GANDAN_PGDATA"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pgdata:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop"], check=False,
                           env={**os.environ, "GANDAN_PGDATA": self.pgdata})

    @property
    def url(self) -> str:
        base = self.server_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        return f"{base}/{BENCH_DB}"

    async def fresh(self) -> str:
        import asyncpg

        dsn = self.server_url.rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://") + "/postgres"
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            await conn.execute(f"CREATE DATABASE {BENCH_DB}")
            self.version = await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()
        return self.url


def fresh_sqlite(work: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work / 'bench.db'}{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{work / 'bench.db'}"


# -- the whole run -----------------------------------------------------------------------------

async def main(args: argparse.Namespace) -> int:
    steady_total = int(args.rate * (args.warmup + args.seconds))
    warmup = int(args.rate * args.warmup)
    only = set(args.only.split(",")) if args.only else None
    outcomes: list[Outcome] = []
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="gandan-bench-") as tmp, Postgres() if not args.no_postgres \
            else _NoPostgres() as pg:
        work = Path(tmp)
        plan = [("echo", "-"), ("gandan", "sqlite")] + ([] if args.no_postgres else [("gandan", "postgresql")])
        for bot, db in plan:
            for load in ("backlog", "steady"):
                if only and not selected(only, bot, db, load):
                    continue
                total = args.backlog if load == "backlog" else steady_total
                database_url = ""
                if bot == "gandan":
                    database_url = fresh_sqlite(work) if db == "sqlite" else await pg.fresh()
                    volunteers, sizes = await prepare_database(database_url, args.volunteers)
                else:  # the same chats and button data, no database
                    volunteers = [Volunteer(CHAT_BASE + n + 1, 0, tuple(range(5 * n + 1, 5 * n + 6)))
                                  for n in range(args.volunteers)]
                script = visit_script(volunteers, total, as_text=bot == "echo")
                label = f"{bot:6} {db:10} {load:7}"
                print(f"{label} {total} updates…", flush=True)
                outcome = await run_bot(bot, db, load, script, database_url=database_url, work=work,
                                        logs=Path(args.logs) if args.logs else work, rate=args.rate, warmup=warmup, timeout=args.timeout)
                outcomes.append(outcome)
                print(f"{label} {outcome.rate:8.1f} updates/s  {outcome.cpu_ms:6.2f} CPU ms/update  "
                      f"p50 {outcome.p50_ms:6.1f} ms  p99 {outcome.p99_ms:7.1f} ms  RSS {outcome.rss_mb:5.0f} MB  "
                      f"other CPU {outcome.others:.2f} cores"
                      + (f"  {outcome.queries:.2f} queries/update" if outcome.queries is not None else "")
                      + (f"  PROBLEMS: {'; '.join(outcome.problems)}" if outcome.problems else ""), flush=True)
        echo = {o.load: o for o in outcomes if o.bot == "echo"}
        for o in outcomes:
            if o.bot == "gandan" and o.load == "backlog" and "backlog" in echo:
                o.ratio = o.rate / echo["backlog"].rate
        table = render_table(outcomes)
        machine = describe_machine(pg.version)
    command = shlex.join(["python", "-m", "bench.run", *_shown_args(sys.argv[1:])])
    setup = (f"{args.volunteers} volunteers; the commune has {sizes.get('people', 0)} people and "
             f"{sizes.get('households', 0)} households; backlog {args.backlog} updates; steady "
             f"{args.rate:g} updates/s for {args.seconds:g} s after {args.warmup:g} s of warm-up.")
    print("\n" + table + "\n\n" + setup + "\n\n" + machine)
    if not args.no_write and not only:
        write_results(command, setup, table, machine)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 1 if any(o.problems for o in outcomes) else 0


def _shown_args(argv: list[str]) -> list[str]:
    """The command line as recorded: `--logs DIR` only keeps logs, so it is left out."""
    shown, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--logs":
            skip = True
        elif not arg.startswith("--logs="):
            shown.append(arg)
    return shown


def selected(only: set[str], bot: str, db: str, load: str) -> bool:
    """`--only gandan,sqlite`: within each kind of word given (bot, database, load), the run's must be one."""
    for value, kind in ((bot, {"echo", "gandan"}), (db, {"sqlite", "postgresql"}), (load, {"backlog", "steady"})):
        if only & kind and value not in only and not (bot == "echo" and kind == {"sqlite", "postgresql"}):
            return False
    return True


class _NoPostgres:
    version = ""

    def __enter__(self) -> _NoPostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def render_table(outcomes: list[Outcome]) -> str:
    head = ("| bot | database | load | updates | updates/s | × bare bot | CPU ms/update | p50 ms | p99 ms "
            "| peak RSS MB | queries/update | other CPU (cores) |")
    rows = [head, "|" + "---|" * 12]
    for o in outcomes:
        rows.append(f"| {'bare aiogram echo' if o.bot == 'echo' else 'Gần Dân visit flow'} | {o.db} | "
                    f"{o.load if o.load == 'backlog' else 'steady'} | {o.updates} | {o.rate:.0f} | "
                    f"{'' if o.ratio is None else f'{o.ratio:.2f}'} | {o.cpu_ms:.2f} | {o.p50_ms:.1f} | "
                    f"{o.p99_ms:.1f} | {o.rss_mb:.0f} | {'' if o.queries is None else f'{o.queries:.2f}'} | {o.others:.2f} |")
    return "\n".join(rows)


def describe_machine(pg_version: str) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    lines = [
        f"- CPU: {model.group(1) if model else platform.processor()}, nproc = {os.cpu_count()}",
        f"- memory: {int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "- memory: ?",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, aiogram {version('aiogram')}, aiohttp {version('aiohttp')}, "
        f"SQLAlchemy {version('SQLAlchemy')}, aiosqlite {version('aiosqlite')}, asyncpg {version('asyncpg')}"
        + (f", PostgreSQL {pg_version}" if pg_version else ""),
    ]
    return "\n".join(lines)


def write_results(command: str, setup: str, table: str, machine: str) -> None:
    block = (f"{START}\nCommand: `{command}` (from the repository root, with `.venv/bin/python`), "
             f"{time.strftime('%Y-%m-%d')}.\n\n{setup}\n\n{table}\n\nMachine:\n\n{machine}\n{END}")
    text = RESULTS.read_text() if RESULTS.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    RESULTS.write_text(before + block + after)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--backlog", type=int, default=20_000, help="updates queued up front")
    parser.add_argument("--rate", type=float, default=100.0, help="updates per second in the steady run")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds of the steady run")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before them")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one run may take")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--logs", default="", help="keep the bots' logs in this folder")
    parser.add_argument("--only", default="", help="e.g. gandan,sqlite,backlog (a partial run is not written)")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
