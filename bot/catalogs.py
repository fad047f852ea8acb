"""Maintaining the Babel catalogs: `python -m bot.catalogs update|check`.

`update` extracts every `_()` message from the source, merges it into `locales/*/messages.po`,
fills the Vietnamese catalog (message ids are Vietnamese) and compiles the `.mo` files.
`check` lists what is missing, untranslated, stale or mismatched; the test suite runs it.
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
SOURCE_DIRS = ("core", "bot", "handlers", "models", "scheduler", "reports")
KEYWORDS = {"_": None, "__": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
_FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def extract() -> Catalog:
    template = Catalog(project="gandan", charset="utf-8")
    for folder in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
            keywords=KEYWORDS
        ):
            template.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments,
                         context=context)
    return template


def _po_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / "messages.po"


def _read(locale: str) -> Catalog:
    with _po_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def _write(catalog: Catalog, locale: str) -> None:
    with _po_path(locale).open("wb") as fh:
        write_po(fh, catalog, width=0, include_lineno=False, sort_output=True)
    with _po_path(locale).with_suffix(".mo").open("wb") as fh:
        write_mo(fh, catalog)


def update() -> None:
    template = extract()
    with (LOCALES / "messages.pot").open("wb") as fh:
        write_po(fh, template, width=0, include_lineno=False, sort_output=True)
    for locale in ("vi", "en"):
        catalog = _read(locale)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if locale == "vi":  # message ids are Vietnamese: the catalog is the identity
            for message in catalog:
                if message.id:
                    message.string = message.id
        _write(catalog, locale)


def problems() -> list[str]:
    """Everything that would make a user see an untranslated or wrong message."""
    found: list[str] = []
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    for locale in ("vi", "en"):
        catalog = _read(locale)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        found += [f"{locale}: missing {mid!r}" for mid in sorted(wanted - ids)]
        found += [f"{locale}: stale {mid!r}" for mid in sorted(ids - wanted)]
        mo_path = _po_path(locale).with_suffix(".mo")
        compiled = None
        if mo_path.is_file():
            with mo_path.open("rb") as fh:
                compiled = gettext.GNUTranslations(fh)
        else:
            found.append(f"{locale}: no compiled catalog {mo_path.name}")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            ids_ = message.id if isinstance(message.id, tuple) else (message.id,)
            # A copy is an oversight unless the message is only placeholders and punctuation ("• {a}: {b}").
            copied = (locale != "vi" and strings[0] == ids_[0] and not ids_[0].isascii()
                      and any(ch.isalpha() for ch in _FIELD.sub("", ids_[0])))
            if not all(strings) or message.fuzzy or copied:
                found.append(f"{locale}: untranslated {ids_[0]!r}")
                continue
            if set(_FIELD.findall(ids_[0])) != set(_FIELD.findall(strings[0])):
                found.append(f"{locale}: placeholders differ in {ids_[0]!r}")
            if compiled is not None and isinstance(message.id, str) and compiled.gettext(message.id) != message.string:
                found.append(f"{locale}: compiled catalog out of date for {message.id!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
    issues = problems()
    for line in issues:
        print(line)
    return 1 if issues and argv[:1] == ["check"] else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
