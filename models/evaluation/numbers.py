"""Numbers as the reader writes them: 1.240 and 86,5 % in Vietnamese, 1,240 and 86.5% in English."""

from __future__ import annotations

from babel.numbers import format_decimal

from core.i18n import current_locale


def number_text(value: float) -> str:
    """Points to a tenth at most: "7,5", "12"."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=current_locale())


def percent_text(value: float) -> str:
    """"86,5 %" (Vietnamese writes a space before the sign), "86.5%" in English."""
    text = format_decimal(round(value, 1), format="#,##0.#", locale=current_locale())
    return f"{text} %" if current_locale() == "vi" else f"{text}%"
