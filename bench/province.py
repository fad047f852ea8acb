"""The province digest benchmark: `.venv/bin/python -m bench.province [--database-url URL] [--scale 1.0] [--keep]`.

Builds a province (bench/province_data.py: 2,000 villages, 18,000 members, 500,000 households, a
year of visits and concerns) in a migrated database, then computes every digest of December
2026: for each commune `village_digests` and `commune_digest` (models/digests/compute.py), in one session
a commune. It reports wall and CPU time, the per-commune p50/p95/max, the statements per commune
(a `before_cursor_execute` counter, as bench/bot_gandan.py) and the time of each statement, the
rows of the big tables, the database's size and the build time; the time to draw the charts and
spreadsheets the job attaches (models/digests/media.py, for a sample of communes); and the query
plan of every digest statement, flagging full scans of big tables.

SQLite always (a new file; `--keep` leaves it, `--sqlite FILE --reuse` times an existing one
without rebuilding); PostgreSQL too with `--database-url` or GANDAN_BENCH_POSTGRES_URL — that
database's `public` schema is DROPPED and recreated. At scale 1 the figures are written into
bench/RESULTS.md (`--no-write` not to).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import shlex
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

import models.tables  # noqa: F401  (every table known to the metadata)
from bench.province_data import FULL, NOW, TZ, YEAR, BuildReport, Size, build_province
from core.db import create_engine, serving_options, session_factory, upgrade
from models.enums import UnitKind
from models.tables import Household, OrgUnit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- province:start -->", "<!-- province:end -->"
MONTH = (dt.date(YEAR, 12, 1), dt.date(YEAR + 1, 1, 1))  # the last full month of the year built; end exclusive
BIG_TABLES = ("visits", "households", "concerns", "concern_events", "meeting_attendance", "memberships", "people",
              "meetings", "org_units", "chat_identities", "report_submissions")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Statements:
    """Counts what SQLAlchemy sends (BEGIN/COMMIT are the drivers' own) and can keep it for EXPLAIN."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.kept: list[tuple[str, Any]] | None = None
        self.backends: set[int] = set()  # PostgreSQL server processes serving this engine
        self.seconds: dict[str, float] = defaultdict(float)  # statement → time spent in it (fetch included)
        self.calls: dict[str, int] = defaultdict(int)
        self._started = 0.0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)
        event.listen(engine.sync_engine, "after_cursor_execute", self._done)
        if engine.dialect.name == "postgresql":
            event.listen(engine.sync_engine, "connect", self._backend)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        self.count += 1
        if self.kept is not None:
            self.kept.append((statement, parameters))
        self._started = time.perf_counter()

    def _done(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Both async drivers' adapters fetch every row inside execute: this is the whole statement.
        self.seconds[statement] += time.perf_counter() - self._started
        self.calls[statement] += 1

    def _backend(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        self.backends.add(int(cursor.fetchone()[0]))
        cursor.close()

    def server_cpu(self) -> float | None:
        """CPU seconds of the PostgreSQL processes that served us, when the server runs on this machine."""
        total = 0.0
        for pid in self.backends:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return total if self.backends else None


@dataclass
class Plan:
    statement: str
    lines: list[str]
    full_scans: list[str]
    ms: float | None = None  # PostgreSQL's EXPLAIN ANALYZE execution time


@dataclass
class Outcome:
    database: str
    size: Size
    build_seconds: float | None
    build_cpu: float | None
    phases: dict[str, float]
    rows: dict[str, int]
    db_bytes: int
    communes: int = 0
    villages: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    server_cpu: float | None = None
    others: float = 0.0  # cores' worth of CPU used by other work on the machine meanwhile
    per_commune_ms: list[float] = field(default_factory=list)
    village_ms: list[float] = field(default_factory=list)
    commune_ms: list[float] = field(default_factory=list)
    village_statements: list[int] = field(default_factory=list)
    commune_statements: list[int] = field(default_factory=list)
    render_commune: list[tuple[float, float]] = field(default_factory=list)  # (chart ms, workbook ms) each
    render_village: list[tuple[float, float]] = field(default_factory=list)
    render_note: str = ""
    plans: list[Plan] = field(default_factory=list)
    version: str = ""
    by_statement: list[tuple[str, int, float]] = field(default_factory=list)  # label, calls, seconds
    # The yearly evaluation of every team of the province at once (models/evaluation): teams, s, statements.
    evaluation: tuple[int, float, float, int] | None = None  # teams, wall s, CPU s, statements
    report_ms: list[float] = field(default_factory=list)  # each commune's annual report (models/reports/build.py)
    report_statements: list[int] = field(default_factory=list)
    report_wall: float = 0.0


# -- databases ---------------------------------------------------------------------------------------

async def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def prepare(url: str, scale: float, *, reuse: bool, progress: Callable[[str], None] = print
                  ) -> tuple[BuildReport | None, float, float]:
    """Migrates and builds (unless reusing a database that already holds a province)."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            existing = await conn.scalar(select(func.count()).select_from(Household))
        if reuse and existing:
            progress(f"  reusing the {existing} households already there")
            return None, 0.0, 0.0
        if existing:
            raise SystemExit(f"{url.split('://')[0]}: the database is not empty (use a new one, or --reuse)")
        wall, cpu = time.perf_counter(), time.process_time()
        report = await build_province(engine, scale, progress=progress)
        settled = time.perf_counter()
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:  # what autovacuum does soon after a big load: statistics and the visibility map
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.exec_driver_sql("VACUUM ANALYZE")
        report.seconds["checkpoint" if engine.dialect.name == "sqlite" else "vacuum analyze"] = (
            time.perf_counter() - settled)
        return report, time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await engine.dispose()


async def measure_size(engine: AsyncEngine, url: str) -> tuple[dict[str, int], int, str]:
    """Rows of each big table, the database's bytes and the server's version."""
    async with engine.connect() as conn:
        rows = {name: int(await conn.scalar(text(f"SELECT count(*) FROM {name}"))) for name in BIG_TABLES}
        if engine.dialect.name == "sqlite":
            path = Path(url.split("///", 1)[1])
            size = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
            version = "SQLite " + str(await conn.scalar(text("SELECT sqlite_version()")))
        else:
            size = int(await conn.scalar(text("SELECT pg_database_size(current_database())")))
            version = "PostgreSQL " + str(await conn.scalar(text("SHOW server_version"))).split(" ")[0]
    return rows, size, version


# -- the digests -----------------------------------------------------------------------------------

async def commune_ids(engine: AsyncEngine) -> list[tuple[int, str, int]]:
    """Every commune with its name and villages, in code order."""
    village = OrgUnit.__table__.alias("village")
    async with engine.connect() as conn:
        rows = (await conn.execute(
            select(OrgUnit.id, OrgUnit.name, func.count(village.c.id))
            .join(village, (village.c.parent_id == OrgUnit.id) & (village.c.kind == UnitKind.VILLAGE))
            .where(OrgUnit.kind == UnitKind.COMMUNE).group_by(OrgUnit.id, OrgUnit.name, OrgUnit.code)
            .order_by(OrgUnit.code))).all()
    return [(cid, name, villages) for cid, name, villages in rows]


async def time_digests(engine: AsyncEngine, outcome: Outcome, counter: Statements) -> None:
    """Every digest of the month, commune by commune, each commune in its own session."""
    from models.digests.compute import commune_digest, village_digests

    communes = await commune_ids(engine)
    sessions = session_factory(engine)
    start, end = MONTH
    outcome.communes, outcome.villages = len(communes), sum(v for _, _, v in communes)
    server0 = counter.server_cpu()
    counter.seconds.clear()
    counter.calls.clear()
    busy0, wall0, cpu0 = machine_busy(), time.perf_counter(), time.process_time()
    for cid, _name, _villages in communes:
        async with sessions() as session:
            n0, t0 = counter.count, time.perf_counter()
            await village_digests(session, cid, start, end, TZ)
            n1, t1 = counter.count, time.perf_counter()
            await commune_digest(session, cid, start, end, TZ)
            n2, t2 = counter.count, time.perf_counter()
        outcome.village_ms.append((t1 - t0) * 1000)
        outcome.commune_ms.append((t2 - t1) * 1000)
        outcome.per_commune_ms.append((t2 - t0) * 1000)
        outcome.village_statements.append(n1 - n0)
        outcome.commune_statements.append(n2 - n1)
    outcome.wall, outcome.cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    busy1 = machine_busy()
    server1 = counter.server_cpu()
    if server0 is not None and server1 is not None:
        outcome.server_cpu = server1 - server0
    mine = outcome.cpu + (outcome.server_cpu or 0.0)
    grouped: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for statement, seconds in counter.seconds.items():
        grouped[label(statement)][0] += counter.calls[statement]
        grouped[label(statement)][1] += seconds
    outcome.by_statement = sorted(((k, int(c), s) for k, (c, s) in grouped.items()), key=lambda x: -x[2])
    outcome.others = max(0.0, (busy1[0] - busy0[0]) - mine) / max(1e-9, busy1[1] - busy0[1]) * (os.cpu_count() or 1)


async def time_evaluation(engine: AsyncEngine, outcome: Outcome, counter: Statements) -> None:
    """The year's evaluation and ranking of every team of the province, in one session, as the
    command `gandan evaluation` computes it (one statement a measure for all of them)."""
    from models.evaluation.compute import evaluate_province

    async with session_factory(engine)() as session:
        province = await session.scalar(select(OrgUnit).where(OrgUnit.kind == UnitKind.PROVINCE))
        n0, wall0, cpu0 = counter.count, time.perf_counter(), time.process_time()
        result = await evaluate_province(session, province, YEAR, TZ, NOW)
        outcome.evaluation = (len(result.cards), time.perf_counter() - wall0, time.process_time() - cpu0,
                              counter.count - n0)


def render_evaluation(outcomes: list[Outcome]) -> str:
    lines = ["| database | the year's evaluation of every team: teams | wall s | CPU s (Python) | statements |",
             "|---|---|---|---|---|"]
    lines += [f"| {o.version or o.database} | {o.evaluation[0]:,} | {o.evaluation[1]:.1f} | {o.evaluation[2]:.1f} "
              f"| {o.evaluation[3]} |" for o in outcomes if o.evaluation]
    return "\n".join(lines) if len(lines) > 2 else ""
async def time_reports(engine: AsyncEngine, outcome: Outcome, counter: Statements) -> None:
    """Every commune's annual report of the year (its figures, drafted words and villages' annex),
    each commune in its own session, as `gandan report annual --unit commune` builds it."""
    from models.reports.build import build_report
    from reports.official import ReportKind

    sessions = session_factory(engine)
    wall0 = time.perf_counter()
    for cid, _name, _villages in await commune_ids(engine):
        async with sessions() as session:
            commune = await session.get(OrgUnit, cid)
            n0, t0 = counter.count, time.perf_counter()
            await build_report(session, unit=commune, kind=ReportKind.ANNUAL, year=YEAR, today=dt.date(YEAR, 11, 21),
                               tz=TZ)
            outcome.report_ms.append((time.perf_counter() - t0) * 1000)
            outcome.report_statements.append(counter.count - n0)
    outcome.report_wall = time.perf_counter() - wall0


def render_reports(outcomes: list[Outcome]) -> str:
    """One line per database: the province's annual reports (models/reports/build.py)."""
    lines = [f"{o.database}: {len(o.report_ms)} in {o.report_wall:.1f} s, per commune p50 {pct(o.report_ms, .5):.0f} "
             f"/ p95 {pct(o.report_ms, .95):.0f} / max {max(o.report_ms):.0f} ms, "
             f"{_span(o.report_statements)} statements each" for o in outcomes if o.report_ms]
    return ("Annual reports of every commune (models/reports/build.py, the year to 20/11/"
            f"{YEAR}, with the villages' annex): " + "; ".join(lines) + ".") if lines else ""


def label(statement: str) -> str:
    """A statement's name in the report: the table its outermost FROM reads, and what marks it apart."""
    name = main_table(statement)
    marks = [word for word, needle in (("per-household visit subqueries", "FROM visits"), ("ranked", "row_number()"),
                                       ("events", "FROM concern_events"), ("attendance", "meeting_attendance"))
             if needle in statement and needle.split()[-1] != name]
    return name + (f" ({', '.join(marks)})" if marks else "")


def main_table(sql: str) -> str:
    """The first table named by a FROM outside parentheses (inside a FROM (subquery), that one's)."""
    depth = 0
    for index, char in enumerate(sql):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and sql.startswith("FROM ", index):
            rest = sql[index + 5:].lstrip()
            if not rest.startswith("("):
                return re.match(r"\w+", rest).group(0) if re.match(r"\w+", rest) else rest[:20]
            inner, level = "", 0
            for c in rest:
                level += (c == "(") - (c == ")")
                inner += c
                if level == 0:
                    break
            return main_table(inner[1:-1].strip())
    return sql.split(None, 1)[0]


def machine_busy() -> tuple[float, float]:
    """CPU seconds busy and in total, all cores (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


async def time_rendering(engine: AsyncEngine, outcome: Outcome, sample: int) -> None:
    """The chart and the spreadsheet the job attaches to each digest (models/digests/media.py), drawn
    for the commune and every village of the first `sample` communes; the province's total is
    extrapolated from them (drawing does not depend on the database)."""
    try:
        from core.i18n import use_locale
        from models.digests.media import Media, commune_media, village_media
        from reports.charts import bar_chart
        from reports.spreadsheet import workbook
    except ImportError as missing:
        outcome.render_note = f"not timed: {missing}"
        return
    from models.digests.compute import commune_digest

    def draw(media: Media) -> tuple[float, float]:
        started = time.perf_counter()
        if media.chart is not None:
            bar_chart(media.chart.title, media.chart.categories, media.chart.series, more=media.chart.more)
        drawn = time.perf_counter()
        workbook(media.tables)
        return (drawn - started) * 1000, (time.perf_counter() - drawn) * 1000

    communes = (await commune_ids(engine))[:sample]
    start, end = MONTH
    for cid, _name, _villages in communes:
        async with session_factory(engine)() as session:
            digest = await commune_digest(session, cid, start, end, TZ)
        with use_locale("vi"):
            outcome.render_commune.append(draw(commune_media(digest)))
            outcome.render_village += [draw(village_media(v)) for v in digest.villages]


# -- query plans -----------------------------------------------------------------------------------

async def explain(engine: AsyncEngine, counter: Statements, rows: dict[str, int]) -> list[Plan]:
    """The plan of every statement the digests of the largest commune send; full scans of big tables flagged."""
    from models.digests.compute import commune_digest, village_digests

    async with engine.connect() as conn:
        largest = await conn.scalar(select(Household.commune_id).group_by(Household.commune_id)
                                    .order_by(func.count().desc()).limit(1))
    counter.kept = []
    start, end = MONTH
    async with session_factory(engine)() as session:
        await village_digests(session, largest, start, end, TZ)
        await commune_digest(session, largest, start, end, TZ)
    kept, counter.kept = counter.kept, None
    plans, seen = [], set()
    postgres = engine.dialect.name == "postgresql"
    for statement, parameters in kept:
        if statement in seen or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        seen.add(statement)
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql(prefix + statement, parameters)
            found = [str(r[-1]) for r in result.all()]
        plan = Plan(statement=" ".join(statement.split()), lines=found, full_scans=[])
        for line in found:
            match = (re.search(r"Seq Scan on (\w+)", line) if postgres
                     else re.search(r"\bSCAN (\w+)", line))
            if match and rows.get(match.group(1), 0) > 10_000:
                plan.full_scans.append(f"{match.group(1)} ({rows[match.group(1)]:,} rows): {line.strip()}")
            if postgres and (ms := re.search(r"Execution Time: ([\d.]+) ms", line)):
                plan.ms = float(ms.group(1))
        plans.append(plan)
    return plans


# -- one database ----------------------------------------------------------------------------------

async def run_one(label: str, url: str, scale: float, *, reuse: bool, render: int) -> Outcome:
    print(f"{label}: building the province at scale {scale:g}…", flush=True)
    report, build_wall, build_cpu = await prepare(url, scale, reuse=reuse)
    engine = create_engine(url, **serving_options(url))  # as `gandan run` builds it
    counter = Statements(engine)
    try:
        rows, size, version = await measure_size(engine, url)
        outcome = Outcome(database=label, size=report.size if report else Size.at(scale),
                          build_seconds=build_wall if report else None, build_cpu=build_cpu if report else None,
                          phases=report.seconds if report else {}, rows=rows, db_bytes=size, version=version)
        print(f"{label}: {rows['households']:,} households, {rows['visits']:,} visits, {size / 2**20:,.0f} MiB"
              + (f", built in {build_wall:.0f} s" if report else ""), flush=True)
        try:
            import models.digests.compute  # noqa: F401
        except ImportError:
            outcome.render_note = "models/digests/compute.py is not there yet: nothing timed"
            print(f"{label}: {outcome.render_note}")
            return outcome
        await time_digests(engine, outcome, counter)
        print(f"{label}: every digest of 12/{YEAR} in {outcome.wall:.1f} s", flush=True)
        await time_evaluation(engine, outcome, counter)
        print(f"{label}: the {YEAR} evaluation of every team in {outcome.evaluation[1]:.1f} s", flush=True)
        await time_reports(engine, outcome, counter)
        print(f"{label}: every commune's annual report of {YEAR} in {outcome.report_wall:.1f} s", flush=True)
        if render:
            print(f"{label}: drawing the charts and spreadsheets of {render} communes…", flush=True)
            await time_rendering(engine, outcome, render)
        outcome.plans = await explain(engine, counter, rows)
        return outcome
    finally:
        await engine.dispose()


# -- the report ------------------------------------------------------------------------------------

def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def render(outcomes: list[Outcome]) -> str:
    lines = ["| database | build | size | communes / villages | every digest: wall s | CPU s (Python + SQLite) "
             "| CPU s (PostgreSQL server) | per commune p50 / p95 / max ms | village_digests p50 ms "
             "| commune_digest p50 ms (all `commune_digest`s: s) | statements per commune | other CPU (cores) |",
             "|" + "---|" * 12]
    for o in outcomes:
        if not o.per_commune_ms:
            lines.append(f"| {o.version or o.database} | {_build(o)} | {o.db_bytes / 2**20:,.0f} MiB | "
                         f"{o.render_note} |" + " |" * 8)
            continue
        statements = [a + b for a, b in zip(o.village_statements, o.commune_statements)]
        lines.append(
            f"| {o.version or o.database} | {_build(o)} | {o.db_bytes / 2**20:,.0f} MiB | {o.communes} / {o.villages} "
            f"| {o.wall:.1f} | {o.cpu:.1f} | {'' if o.server_cpu is None else f'{o.server_cpu:.1f}'} "
            f"| {pct(o.per_commune_ms, .5):.0f} / {pct(o.per_commune_ms, .95):.0f} / {max(o.per_commune_ms):.0f} "
            f"| {pct(o.village_ms, .5):.0f} | {pct(o.commune_ms, .5):.0f} ({sum(o.commune_ms) / 1000:.1f}) "
            f"| {_span(statements)} ({_span(o.village_statements)} + {_span(o.commune_statements)}) "
            f"| {o.others:.2f} |")
    return "\n".join(lines)


def _build(o: Outcome) -> str:
    return "" if o.build_seconds is None else f"{o.build_seconds:.0f} s ({o.build_cpu:.0f} s CPU)"


def render_drawing(outcomes: list[Outcome]) -> str:
    o = next((o for o in outcomes if o.render_commune), None)
    if o is None:
        return next((f"Charts and spreadsheets: {o.render_note}." for o in outcomes if o.render_note), "")
    cc, cw = zip(*o.render_commune)
    vc, vw = zip(*o.render_village)
    province = (o.communes * (statistics.mean(cc) + statistics.mean(cw))
                + o.villages * (statistics.mean(vc) + statistics.mean(vw))) / 1000
    return (f"Charts and spreadsheets (models/digests/media.py → reports/, drawn in this process for "
            f"{len(cc)} communes and their {len(vc)} villages, {o.database} run): commune chart p50 "
            f"{pct(cc, .5):.0f} ms, max {max(cc):.0f} ms, workbook p50 {pct(cw, .5):.0f} ms; village chart p50 "
            f"{pct(vc, .5):.0f} ms, max {max(vc):.0f} ms, workbook p50 {pct(vw, .5):.0f} ms. For the whole province "
            f"({o.communes} commune and {o.villages:,} village digests) that is ≈ {province:.0f} s of CPU "
            f"(extrapolated from the means).")


def render_statements(outcomes: list[Outcome]) -> str:
    lines = ["| database | statement (the table its outermost FROM reads) | calls | total s | share of the digests' wall time |",
             "|---|---|---|---|---|"]
    for o in outcomes:
        lines += [f"| {o.database} | {name} | {calls:,} | {seconds:.2f} | {seconds / o.wall:.0%} |"
                  for name, calls, seconds in o.by_statement if o.wall]
    return "\n".join(lines)


def _span(values: Sequence[int]) -> str:
    if not values:
        return "–"
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def render_rows(outcomes: list[Outcome]) -> str:
    first = outcomes[0]
    lines = ["| table | rows |", "|---|---|"]
    lines += [f"| {name} | {count:,} |" for name, count in first.rows.items()]
    return "\n".join(lines)


def render_plans(outcome: Outcome, *, flagged_only: bool) -> str:
    out = []
    for n, plan in enumerate(outcome.plans, 1):
        if flagged_only and not plan.full_scans:
            continue
        timing = f" — {plan.ms:.1f} ms" if plan.ms is not None else ""
        out.append(f"{n}. `{plan.statement[:160]}{'…' if len(plan.statement) > 160 else ''}`{timing}")
        shown = plan.full_scans if flagged_only else plan.lines
        out += [f"   - {line.strip()}" for line in shown]
    return "\n".join(out) if out else "none"


def write_results(command: str, body: str) -> None:
    block = f"{START}\nCommand: `{command}` (from the repository root), {time.strftime('%Y-%m-%d')}.\n\n{body}\n{END}"
    text_ = RESULTS.read_text()
    if START not in text_:
        text_ = text_.rstrip("\n") + f"\n\n## Province digest benchmark\n\n{START}\n{END}\n"
    before, rest = text_.split(START, 1)
    RESULTS.write_text(before + block + rest.split(END, 1)[1])


async def main(args: argparse.Namespace) -> int:
    postgres = args.database_url or os.environ.get("GANDAN_BENCH_POSTGRES_URL", "")
    if postgres and not args.database_url:  # the convention of bench/run.py: the server's `gandan_bench`
        postgres = postgres.rsplit("/", 1)[0] + "/gandan_bench"
    postgres = postgres.replace("postgresql://", "postgresql+asyncpg://", 1)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="gandan-province-") as tmp:
        if not args.no_sqlite:
            path = Path(args.sqlite) if args.sqlite else Path(tmp if not args.keep else tempfile.mkdtemp(
                prefix="gandan-province-")) / "province.db"
            if not args.reuse:
                remove_sqlite(path)
            outcomes.append(await run_one("sqlite", sqlite_url(path), args.scale, reuse=args.reuse,
                                          render=args.render))
            if args.keep or args.sqlite:
                print(f"sqlite: kept {path}")
        if postgres:
            if not args.reuse:
                await reset_postgres(postgres)
            outcomes.append(await run_one("postgresql", postgres, args.scale, reuse=args.reuse,
                                          render=0 if outcomes else args.render))
    if not outcomes:
        return 0
    from bench.run import describe_machine

    pg_version = next((o.version.split(" ", 1)[1] for o in outcomes if o.version.startswith("PostgreSQL")), "")
    size = outcomes[0].size
    dataset = (f"Dataset (scale {args.scale:g}, seed 2026): {size.communes} communes of Bắc Ninh, {size.villages:,} "
               f"villages, {size.members:,} team members (+3 commune people each commune), "
               f"{size.households:,} households, visits and concerns of {YEAR}; digests of 12/{YEAR} "
               f"(November for the month-on-month change).")
    build = "; ".join(f"{o.database} {', '.join(f'{k} {v:.0f} s' for k, v in o.phases.items())}"
                      for o in outcomes if o.phases)
    body = "\n\n".join(filter(None, [
        dataset, render(outcomes), render_evaluation(outcomes), render_reports(outcomes), render_drawing(outcomes),
        render_statements(outcomes), render_rows(outcomes),
        f"Build phases: {build}." if build else "",
        *(f"Full scans of big tables in the digest statements ({o.database}):\n\n{render_plans(o, flagged_only=True)}"
          for o in outcomes if o.plans),
        "Machine (shared with other sessions: figures taken while it was busy; see the last column):\n\n"
        + describe_machine(pg_version)]))
    print("\n" + body)
    for o in outcomes:
        if o.plans:
            print(f"\nQuery plans ({o.database}, the largest commune):\n\n" + render_plans(o, flagged_only=False))
    if args.scale == 1.0 and not args.no_write and not args.reuse:
        shown = ["URL" if a == args.database_url else "--database-url=URL" if a.startswith("--database-url=") else a
                 for a in sys.argv[1:] if a != "--keep"]
        write_results(" ".join([".venv/bin/python", "-m", "bench.province", *map(shlex.quote, shown)]), body)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to use too (its schema is dropped)")
    parser.add_argument("--scale", type=float, default=1.0, help=f"1 = {FULL['villages']:,} villages, "
                        f"{FULL['households']:,} households; 0.01 for a quick check")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file (its path is printed)")
    parser.add_argument("--sqlite", default="", help="build the SQLite database in this file")
    parser.add_argument("--reuse", action="store_true", help="time the databases already built, do not rebuild")
    parser.add_argument("--render", type=int, default=5, metavar="N",
                        help="draw the charts and spreadsheets of N communes and their villages (0: none)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
