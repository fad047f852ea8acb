"""The staff console under `/web/`: server-rendered pages (aiohttp-jinja2), plain forms, one stylesheet.

Every page asks `models/access/` through the domain operations in `models/console/`; the request
handlers here only read the form, call them and render. Pages still to come (households and
coverage, roster, reports, announcements) get their own module and a line in `routes()`.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.web.console import concerns, pages
from bot.web.console.auth import CONSOLE_KEY, console_middleware
from bot.web.console.config import PREFIX, Console
from bot.web.console.render import setup

STATIC = Path(__file__).parent / "static"

__all__ = ["PREFIX", "Console", "add_console"]


def add_console(app: web.Application, console: Console) -> None:
    """Mounts the console's routes, templates and stylesheet on the bot's web server."""
    app[CONSOLE_KEY] = console
    app.middlewares.append(console_middleware)
    setup(app)
    router = app.router
    router.add_get(PREFIX, pages.to_home)
    router.add_get(PREFIX + "/", pages.home)
    router.add_get(PREFIX + "/login/{token}", pages.login_form)
    router.add_post(PREFIX + "/login/{token}", pages.login_submit)
    router.add_post(PREFIX + "/logout", pages.logout)
    router.add_get(PREFIX + "/concerns", concerns.board)
    router.add_get(PREFIX + "/concerns.xlsx", concerns.export)
    router.add_get(PREFIX + "/concerns/{id}", concerns.concern)
    router.add_post(PREFIX + "/concerns/{id}/{action}", concerns.act)
    router.add_static(PREFIX + "/static", STATIC, append_version=True)
