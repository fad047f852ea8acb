"""argparse's own words ("usage:", "options", its error texts) in the configured language.

argparse asks gettext for its English texts; while the command line is parsed its `_` and
`ngettext` are pointed at this table, which names our Vietnamese message for each of them, so
the texts go through our catalogs like every other message (the `en` catalog gives English back).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from core.i18n import LazyString, __

# argparse 3.11's user-facing texts; its %-placeholders are kept as they are.
_TEXTS: dict[str, LazyString] = {
    "usage: ": __("cách dùng: "),
    "options": __("tùy chọn"),
    "positional arguments": __("tham số"),
    "subcommands": __("lệnh con"),
    "show this help message and exit": __("in hướng dẫn này rồi thoát"),
    "%(prog)s: error: %(message)s\n": __("%(prog)s: lỗi: %(message)s\n"),
    "argument %(argument_name)s: %(message)s": __("tham số %(argument_name)s: %(message)s"),
    "the following arguments are required: %s": __("thiếu tham số bắt buộc: %s"),
    "unrecognized arguments: %s": __("không hiểu tham số: %s"),
    "invalid choice: %(value)r (choose from %(choices)s)": __("lựa chọn không hợp lệ: %(value)r (chọn một trong "
                                                              "%(choices)s)"),
    "invalid %(type)s value: %(value)r": __("giá trị %(type)s không hợp lệ: %(value)r"),
    "expected one argument": __("cần một giá trị"),
    "expected at most one argument": __("cần nhiều nhất một giá trị"),
    "expected at least one argument": __("cần ít nhất một giá trị"),
    "ambiguous option: %(option)s could match %(matches)s": __("tùy chọn chưa rõ: %(option)s có thể là "
                                                               "%(matches)s"),
    "not allowed with argument %s": __("không dùng được cùng với %s"),
    "ignored explicit argument %r": __("không cần giá trị: %r"),
    "one of the arguments %s is required": __("cần một trong các tham số %s"),
    "can't open '%(filename)s': %(error)s": __("không mở được “%(filename)s”: %(error)s"),
    "unexpected option string: %s": __("tùy chọn không mong đợi: %s"),
}
# ngettext's (singular, plural) pairs, by argparse's singular.
_PLURALS: dict[str, LazyString] = {
    "expected %s argument": __("cần %s giá trị"),
}


def translate(message: str | None) -> str | None:
    """argparse's text in the current language; anything not in the table (our own help) as it is."""
    if message is None:
        return None
    text = _TEXTS.get(message)
    return str(text) if text is not None else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    text = _PLURALS.get(singular)
    if text is not None:
        return str(text)
    return singular if n == 1 else plural


@contextmanager
def argparse_in_our_language() -> Iterator[None]:
    """Points argparse's gettext at our catalogs for the block, then restores it (pytest uses argparse too)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]

