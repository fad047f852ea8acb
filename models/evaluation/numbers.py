"""Numbers as the reader writes them: 1.240 and 86,5 % in Vietnamese, 1,240 and 86.5% in English."""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import format_decimal

from core.i18n import current_locale


@lru_cache(maxsize=4096)
def _decimal(value: float, locale: str) -> str:
    # Cached: a province's scorecards repeat the same few hundred values, and Babel takes ~0.15 ms each.
    return format_decimal(value, format="#,##0.#", locale=locale)


def number_text(value: float) -> str:
    """Points to a tenth at most: "7,5", "12"."""
    return _decimal(round(value, 1), current_locale())


def percent_text(value: float) -> str:
    """"86,5 %" (Vietnamese writes a space before the sign), "86.5%" in English."""
    locale = current_locale()
    text = _decimal(round(value, 1), locale)
    return f"{text} %" if locale == "vi" else f"{text}%"
