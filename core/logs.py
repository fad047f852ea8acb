"""Logging, redacted: bot tokens and phone numbers are personal or secret and never reach the logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Telegram bot tokens appear inside API URLs logged by HTTP libraries.
TOKEN_PATTERN = re.compile(r"\d{6,}:[A-Za-z0-9_-]{30,}")
# Wider than the phone pattern of group posts: a log line may hold a phone glued to a word
# ("tel0912345678", "sdt:0912…"), a bracketed country code ("(+84) 912345678") or full-width
# digits (matched on a copy mapped to ASCII, see `_ASCII_FORMS`).
_LOG_PHONE = re.compile(r"(?<!\d)(?:\(\s*\+?84\s*\)|\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
# Full-width forms (U+FF01–FF5E) to their ASCII twins, one character for one, so spans found in
# the copy are the spans of the original.
_ASCII_FORMS = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def _mask_phones(text: str) -> str:
    plain = text.translate(_ASCII_FORMS)
    parts, end = [], 0
    for match in _LOG_PHONE.finditer(plain):
        parts += [text[end:match.start()], "***", match.group(0)[-3:]]
        end = match.end()
    return "".join(parts) + text[end:] if parts else text


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = TOKEN_PATTERN.sub("***", text)
    return _mask_phones(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message, exception text and stack with secrets and phone numbers masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self._secrets)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        # A formatter prints exc_text when it is set, so the traceback is rendered once, here, redacted.
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


def configure_logging(level: str, secrets: Iterable[str] = (), *, sql_parameters: bool = False) -> None:
    """Plain one-line logs; the redaction filter keeps `secrets`, tokens and phone numbers out of them.

    SQL parameters and rows hold names and concern texts: they are logged only at DEBUG with
    `sql_parameters` (LOG_SQL_PARAMETERS=1), never by LOG_LEVEL=DEBUG alone."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    handler.set_name("gandan")
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if h.get_name() != "gandan"] + [handler]
    root.setLevel(level)
    # Migration, per-request and per-update chatter (URLs, update ids) is noise unless someone is debugging.
    if level != "DEBUG":
        for name in ("alembic", "aiogram.event", "httpx"):
            logging.getLogger(name).setLevel(logging.WARNING)
    # aiosqlite logs each call with its arguments at DEBUG; SQLAlchemy logs statements with their
    # parameters at INFO and rows at DEBUG once its logger is set.
    showing = level == "DEBUG" and sql_parameters
    logging.getLogger("aiosqlite").setLevel(logging.NOTSET if showing else logging.INFO)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if showing else logging.WARNING)
