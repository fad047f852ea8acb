"""Translations: Babel catalogs in `locales/`, the current locale in a ContextVar.

Message ids are Vietnamese (the product speaks Vietnamese first); the `en` catalog translates
them. It lives in `core`, the bottom layer, so models, flows, jobs and channels all use the same one.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.dates import format_date as _babel_format_date

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
LOCALES = ("vi", "en")

_current: ContextVar[str] = ContextVar("gandan_locale", default="vi")


class CatalogMissing(RuntimeError):
    """A compiled catalog is missing: run `pybabel compile -d locales` (see README)."""


@cache
def translations(locale: str) -> _gettext.GNUTranslations:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        raise CatalogMissing(f"no compiled catalog at {path}; run: pybabel compile -d locales")
    with path.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else "vi")


@contextmanager
def use_locale(locale: str | None) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else _current.get())
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


class LazyString:
    """A message translated when it is shown, for module-level constants such as labels."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self).format(*args, **kwargs)

    def __repr__(self) -> str:
        return f"LazyString({self.message!r})"


def lazy_gettext(message: str) -> LazyString:
    return LazyString(message)


_ = gettext
__ = lazy_gettext


def format_date(day: dt.date) -> str:
    """The long form: "ngày 15 tháng 6 năm 2026" in Vietnamese, "15 June 2026" in English."""
    # The CLDR pattern itself is a message, so each language words dates its own way.
    pattern = _("'ngày' d 'tháng' M 'năm' y")
    return _babel_format_date(day, pattern, locale=_current.get())


def format_month(day: dt.date) -> str:
    """The month of `day`: "tháng 10 năm 2026" in Vietnamese, "October 2026" in English."""
    pattern = _("'tháng' M 'năm' y")
    return _babel_format_date(day, pattern, locale=_current.get())


def format_short_date(day: dt.date) -> str:
    """The short form used in lists and buttons: 15/6/2026."""
    return f"{day.day}/{day.month}/{day.year}"
