"""Tokens, phone numbers and SQL parameters never reach the logs."""

import io
import logging
import re
import unicodedata

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.db import create_engine
from core.logs import RedactingFilter, configure_logging, redact
from core.settings import SettingsError, load_settings

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


@pytest.mark.parametrize("written", [
    "(+84) 912345678", "(84) 912 345 678", "tel0912345678", "sdt:0912.345.678",
    "\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",  # full-width digits
    "\uff08\uff0b\uff18\uff14\uff09\u3000\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
])
def test_redact_masks_phones_written_as_people_type_them(written):
    cleaned = redact(f"người dân để lại {written} trong góp ý")
    assert cleaned.startswith("người dân để lại ") and cleaned.endswith(" trong góp ý") and "***" in cleaned
    assert not re.search(r"\d{4}", unicodedata.normalize("NFKC", cleaned))


def test_exception_text_and_traceback_are_redacted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(RedactingFilter(["zalo-secret-token-1234567890"]))
    logger = logging.getLogger("gandan.test.exc")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError(f"POST /bot{TOKEN}/send to 0912345678 with zalo-secret-token-1234567890")
        except RuntimeError as error:
            logger.exception("sending failed")
            logger.error(error, stack_info=True)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and "RuntimeError" in text and "***678" in text
    assert TOKEN not in text and "0912345678" not in text and "zalo-secret-token" not in text


@pytest.fixture
def logging_state():
    """configure_logging changes process-wide loggers: put them back afterwards."""
    names = ("", "aiosqlite", "sqlalchemy.engine", "alembic", "aiogram.event", "httpx")
    levels = {name: logging.getLogger(name).level for name in names}
    handlers = list(logging.getLogger().handlers)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    logging.getLogger().handlers[:] = handlers


async def _insert_a_name(path, **options) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{path}", **options)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS people (name TEXT UNIQUE)"))
            await conn.execute(text("INSERT INTO people (name) VALUES (:name)"), {"name": "Phạm Văn Long"})
        with pytest.raises(IntegrityError) as caught:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO people (name) VALUES (:name)"), {"name": "Phạm Văn Long"})
        logging.getLogger("gandan.test.sql").error("write failed: %s", caught.value)
    finally:
        await engine.dispose()


async def test_debug_logs_show_no_sql_parameters_unless_asked(tmp_path, caplog, logging_state):
    configure_logging("DEBUG")
    with caplog.at_level(logging.DEBUG):
        await _insert_a_name(tmp_path / "hidden.db")
    assert "INSERT INTO people" in caplog.text  # the statement is there, the failure too
    assert "Phạm Văn Long" not in caplog.text  # neither in aiosqlite's calls nor in the error text
    caplog.clear()
    configure_logging("DEBUG", sql_parameters=True)
    with caplog.at_level(logging.DEBUG):
        await _insert_a_name(tmp_path / "shown.db", hide_parameters=False)
    assert "Phạm Văn Long" in caplog.text


def test_log_sql_parameters_is_its_own_setting():
    assert load_settings({"LOG_LEVEL": "debug"}, env_file=None).log_sql_parameters is False
    assert load_settings({"LOG_SQL_PARAMETERS": "1"}, env_file=None).log_sql_parameters is True
    with pytest.raises(SettingsError) as caught:
        load_settings({"LOG_SQL_PARAMETERS": "maybe"}, env_file=None)
    assert caught.value.key == "LOG_SQL_PARAMETERS"
