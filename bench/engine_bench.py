"""The per-update cost without the platform: `.venv/bin/python -m bench.engine_bench`.

Scripted volunteers (bench/script.py) log household visits straight through
`handlers.engine.gateway.Gateway.reply` — the engine in its own session, committed — one update at a
time, on a fresh SQLite file and, with `--database-url`, on PostgreSQL. It reports, per step of
the visit flow and overall, the CPU milliseconds (`time.process_time()`: every thread of this
process, so aiosqlite's thread is in, the PostgreSQL server is not) and the statements sent.

CPU time and statement counts hold still on a machine shared with other work; wall-clock
throughput does not, which is why this measures no rate. `--profile FILE` writes a
pyinstrument report of the first measured round.

`--database-url` names a PostgreSQL database whose `public` schema is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.script import STEPS, Volunteer, count_visits, prepare_database
from core.db import create_engine, serving_options, session_factory
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming
from models.enums import Channel


def incoming(volunteer: Volunteer, step: str, round_: int, serial: int) -> Incoming:
    """The update as the Telegram channel would make it: a message, or a pressed button."""
    chat = str(volunteer.chat_id)
    if step.startswith(("/", "1")):
        return Incoming(Channel.TELEGRAM, chat, chat, text=step, message_id=str(serial), display_name="V")
    data = f"h:{volunteer.households[round_ % len(volunteer.households)]}" if step == "household" else step
    return Incoming(Channel.TELEGRAM, chat, chat, choice=data, message_id=f"cb{serial}", display_name="V")


class Counter:
    """Statements sent to the database (BEGIN and COMMIT are the driver's, not counted)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.shown: list[str] | None = None  # while a list: the statements' SQL goes in it
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.count += 1
        if self.shown is not None:
            self.shown.append(" ".join(statement.split()))


async def run(url: str, volunteers: int, rounds: int, profile: str, show_sql: bool = False
              ) -> dict[str, tuple[float, float, float]]:
    """{step: (median CPU ms per update, best CPU ms per update, statements per update)}, plus "all".

    Each round is one visit per volunteer; the median and the best are over the rounds, which
    keeps a burst of other work on the machine out of the figure."""
    people, _size = await prepare_database(url, volunteers)
    engine = create_engine(url, **serving_options(url))
    counter = Counter(engine)
    sessions = session_factory(engine)
    gateway = Gateway(sessions, Env(tz=ZoneInfo("Asia/Ho_Chi_Minh")))
    cpu: dict[str, list[float]] = defaultdict(list)  # per round: CPU ms per update
    statements: dict[str, int] = defaultdict(int)
    serial = 0
    try:
        for round_ in range(rounds + 1):  # round 0 warms up caches and is not counted
            measured = round_ > 0
            with profiling(profile) if measured and round_ == 1 else nullcontext():
                for step in STEPS:
                    spent = 0.0
                    for volunteer in people:
                        serial += 1
                        update = incoming(volunteer, step, round_, serial)
                        last = show_sql and round_ == rounds and volunteer is people[-1]
                        counter.shown = [] if last else None
                        before, count0 = time.process_time(), counter.count
                        replies = await gateway.reply(update)
                        spent += time.process_time() - before
                        if last:
                            print(f"-- {step}: " + "".join(f"\n   {sql[:240]}" for sql in counter.shown or []))
                        if measured:
                            statements[step] += counter.count - count0
                        if not replies or "Có lỗi" in replies[0].text or "đã cũ" in replies[0].text:
                            raise RuntimeError(f"{step}: unexpected reply {replies!r}")
                    if measured:
                        cpu[step].append(spent * 1000 / len(people))
    finally:
        await engine.dispose()
    expected = (rounds + 1) * len(people)
    if (visits := await count_visits(url)) != expected:
        raise RuntimeError(f"{visits} visits recorded, {expected} expected")
    per_round = [statistics.mean(cpu[s][r] for s in STEPS) for r in range(rounds)]
    result = {s: (statistics.median(cpu[s]), min(cpu[s]), statements[s] / (rounds * len(people))) for s in STEPS}
    result["all"] = (statistics.median(per_round), min(per_round),
                     sum(statements.values()) / (rounds * len(people) * len(STEPS)))
    return result


@contextmanager
def profiling(path: str) -> Iterator[None]:
    """pyinstrument over one measured round (the first), written to `path` as text."""
    if not path:
        yield
        return
    from pyinstrument import Profiler

    with Profiler(interval=0.0005, async_mode="enabled") as profiler:
        yield
    Path(path).write_text(profiler.output_text(unicode=True, show_all=False))


async def fresh_postgres(url: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    return url


def show(db: str, volunteers: int, rounds: int, result: dict[str, tuple[float, float, float]]) -> None:
    print(f"{db}: {volunteers} volunteers × {rounds} visits ({volunteers * rounds * len(STEPS)} updates measured)")
    print(f"  {'step':12} {'CPU ms/update':>14} {'(best round)':>13} {'statements/update':>18}")
    for step, (median, best, sent) in result.items():
        print(f"  {step:12} {median:14.2f} {best:13.2f} {sent:18.2f}")


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="gandan-engine-bench-") as tmp:
        targets = [] if args.no_sqlite else [("sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")]
        if args.database_url:
            targets.append(("postgresql", args.database_url))
        for db, url in targets:
            if db == "postgresql":
                await fresh_postgres(url)
            profile = f"{args.profile}.{db}.txt" if args.profile else ""
            result = await run(url, args.volunteers, args.rounds, profile, args.show_sql)
            show(db, args.volunteers, args.rounds, result)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.engine_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=8, help="measured visits per volunteer (after one warm-up)")
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL (postgresql+asyncpg://…); its public schema is dropped and recreated")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--show-sql", action="store_true", help="print the statements of the last visit")
    parser.add_argument("--profile", default="", help="pyinstrument reports to FILE.sqlite.txt, FILE.postgresql.txt")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
