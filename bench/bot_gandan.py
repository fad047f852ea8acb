"""Gần Dân as in production (`gandan run`, long polling), plus a query counter for the bench.

With GANDAN_BENCH_COUNT_QUERIES=1 every statement SQLAlchemy sends to the database is counted
(BEGIN and COMMIT are not: the drivers issue those themselves); SIGUSR1 writes the count to
the file named by GANDAN_BENCH_STATS. Nothing in production code knows about this.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

import bot.app
from bot.cli import main
from core.db import create_engine

COUNTS = {"queries": 0}


def counting_engine(url: str, **kwargs: Any) -> AsyncEngine:
    engine = create_engine(url, **kwargs)

    def count(*_args: Any) -> None:
        COUNTS["queries"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    return engine


def dump(_signum: int, _frame: object) -> None:
    path = os.environ["GANDAN_BENCH_STATS"]
    with open(path + ".tmp", "w") as out:
        json.dump(COUNTS, out)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    if os.environ.get("GANDAN_BENCH_COUNT_QUERIES") == "1":
        bot.app.create_engine = counting_engine  # open_app builds the engine through this name
    signal.signal(signal.SIGUSR1, dump)
    profile = os.environ.get("GANDAN_BENCH_PROFILE")  # for looking into it by hand: pyinstrument
    if not profile:
        sys.exit(main(["--env-file", os.devnull, "run"]))
    from pyinstrument import Profiler

    with Profiler(interval=0.001, async_mode="disabled") as profiler:
        code = main(["--env-file", os.devnull, "run"])
    Path(profile).write_text(profiler.output_text(unicode=True, show_all=False))
    sys.exit(code)
