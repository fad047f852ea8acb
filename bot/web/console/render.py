"""Rendering the console's pages: one Jinja environment, the person's language, Vietnamese numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from babel.numbers import format_decimal, format_percent
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.console.auth import DB_KEY, NAV_KEY, SIGNED_KEY
from bot.web.console.config import PREFIX
from core.i18n import current_locale, format_date, gettext, ngettext
from models.console.login import Signed

TEMPLATES = Path(__file__).parent / "templates"


def number(value: int | float) -> str:
    """1.240 in Vietnamese, 1,240 in English."""
    return format_decimal(value, locale=current_locale())


def percent(part: int, whole: int) -> str:
    """86,5 % in Vietnamese; a dash when there is nothing to divide."""
    return format_percent(part / whole, "#,##0.0 %", locale=current_locale()) if whole else "–"


def signed_change(value: int) -> str:
    return f"+{number(value)}" if value > 0 else (f"−{number(-value)}" if value < 0 else "±0")


def setup(app: web.Application) -> None:
    env = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                               undefined=jinja2.StrictUndefined)
    env.globals.update(_=gettext, ngettext=ngettext, PREFIX=PREFIX, format_date=format_date)
    env.filters.update(number=number, change=signed_change)
    env.globals["percent"] = percent


def db(request: web.Request) -> AsyncSession:
    return request[DB_KEY]


def person(request: web.Request) -> Signed | None:
    return request[SIGNED_KEY]


def page(request: web.Request, template: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    signed = person(request)
    base = {"signed": signed, "csrf": signed.csrf if signed else "", "lang": current_locale(),
            "nav": request.get(NAV_KEY, "")}
    return aiohttp_jinja2.render_template(template, request, {**base, **context}, status=status)
