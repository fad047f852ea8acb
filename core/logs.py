"""Log redaction: bot tokens and phone numbers are personal or secret and never reach the logs."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

# Vietnamese mobile and landline numbers, national (0…) or international (+84 / 84…) form,
# with optional spaces, dots or dashes between digit groups.
PHONE_PATTERN = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\w])")
# Telegram bot tokens appear inside API URLs logged by HTTP libraries.
TOKEN_PATTERN = re.compile(r"\d{6,}:[A-Za-z0-9_-]{30,}")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = TOKEN_PATTERN.sub("***", text)
    return PHONE_PATTERN.sub(lambda m: "***" + m.group(0)[-3:], text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets and phone numbers masked."""

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        values = ()
        if settings is not None:
            values = tuple(v for v in (settings.telegram_bot_token, settings.zalo_bot_token,
                                       settings.telegram_webhook_secret, settings.zalo_webhook_secret) if v)
        self._secrets = values

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self._secrets)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
