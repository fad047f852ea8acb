"""Logging, redacted: bot tokens and phone numbers are personal or secret and never reach the logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from core.text import mask_phones_in

# Telegram bot tokens appear inside API URLs logged by HTTP libraries.
TOKEN_PATTERN = re.compile(r"\d{6,}:[A-Za-z0-9_-]{30,}")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = TOKEN_PATTERN.sub("***", text)
    return mask_phones_in(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets and phone numbers masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self._secrets)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Plain one-line logs; the redaction filter keeps `secrets`, tokens and phone numbers out of them."""
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
