"""Tokens and phone numbers never reach the logs."""

import logging

from core.logs import RedactingFilter, redact
from core.settings import load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def test_redact_masks_phones_and_tokens():
    text = f"POST https://api.telegram.org/bot{TOKEN}/sendMessage for 0912 345 678 and +84987654321"
    cleaned = redact(text)
    assert TOKEN not in cleaned
    assert "0912 345 678" not in cleaned and "+84987654321" not in cleaned
    assert cleaned.endswith("***678 and ***321")


def test_filter_rewrites_records_with_arguments(caplog):
    settings = load_settings({"ZALO_BOT_TOKEN": "zalo-secret-token-1234567890"}, env_file=None)
    logger = logging.getLogger("gandan.test")
    logger.addFilter(RedactingFilter(settings.secrets))
    with caplog.at_level(logging.INFO, logger="gandan.test"):
        logger.info("calling %s for %s", "https://zalo/botzalo-secret-token-1234567890/sendMessage", "0987654321")
    assert "zalo-secret-token" not in caplog.text and "0987654321" not in caplog.text
    assert "***321" in caplog.text
