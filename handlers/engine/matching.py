"""Matching what a person typed to the options offered: by number, by words, by button key."""

from __future__ import annotations

import unicodedata

from core.text import fold_words
from handlers.engine.types import Option


def match_option(options: list[Option], text: str) -> Option | None:
    """"2", "2.", the label or a distinctive part of it, ignoring diacritics, case and punctuation."""
    key = fold_words(text)
    if not key:
        return None
    if key.isdigit():
        index = int(key)
        return options[index - 1] if 1 <= index <= len(options) else None
    labels = [(option, fold_words(_strip_icons(option.label))) for option in options]
    for option, label in labels:
        if label == key:
            return option
    if len(key) < 2:
        return None
    starts = [option for option, label in labels if label.startswith(key)]
    if len(starts) == 1:
        return starts[0]
    words = [option for option, label in labels if f" {key}" in f" {label}"]
    return words[0] if len(words) == 1 else None


def is_label(option: Option, text: str) -> bool:
    """The whole label typed (diacritics, case, punctuation and icons aside), not merely a word of it."""
    return fold_words(_strip_icons(option.label)) == fold_words(text)


def is_number(text: str) -> bool:
    """A bare number ("2", "2."): a position on the screen, not words of an option."""
    return fold_words(text).isdigit()


def _strip_icons(label: str) -> str:
    return "".join(ch for ch in label if unicodedata.category(ch)[0] in "LNZP").strip()


def has_letters(text: str) -> bool:
    """At least two letters: an answer of emoji or punctuation alone says nothing."""
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L")) >= 2
