"""Numbers as the report writes them and as people type them: 1.240 and 86,5 % in Vietnamese."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from core.i18n import current_locale


def number(value: int | Decimal | float) -> str:
    """"1.240", "12,5": the reader's thousands and decimal marks, at most two decimals."""
    return format_decimal(value, format="#,##0.##", locale=current_locale())


def percent(part: int, whole: int) -> str | None:
    """"86,5 %" to a tenth; None when there is nothing to divide by (a blank, never "0 %")."""
    if not whole:
        return None
    return percent_value(Decimal(100 * part) / Decimal(whole))


def percent_value(value: Decimal | float) -> str:
    return format_decimal(round(Decimal(value), 1), format="#,##0.#", locale=current_locale()) + " %"


def parse_number(text: str) -> Decimal | None:
    """A number typed the reader's way ("1.240", "86,5", "86,5 %"); None when it is not one."""
    cleaned = text.strip().removesuffix("%").strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    try:
        return parse_decimal(cleaned, locale=current_locale(), strict=True)
    except (NumberFormatError, InvalidOperation):
        return None
