"""Settings read once from the environment and `.env` into a frozen object.

A bad value stops the program early with a one-line message that names the key, so an operator
never has to read a traceback to find a typo in `.env`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from core.i18n import _

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./gandan.db"
DEFAULT_TELEGRAM_API = "https://api.telegram.org"
DEFAULT_ZALO_API = "https://bot-api.zaloplatforms.com"
DEFAULT_WEB_LISTEN = "127.0.0.1:8080"
DEFAULT_DAILY_ROLLUP_TIME = dt.time(19, 0)
# The daily roll-up must leave room for a few 15-minute scheduler runs before quiet hours (21:00).
ROLLUP_EARLIEST, ROLLUP_LATEST = dt.time(7, 0), dt.time(20, 30)
SUPPORTED_LOCALES = ("vi", "en")

_TELEGRAM_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingsError(Exception):
    """A setting is missing or malformed; carries the key so the message can name it."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    telegram_bot_token: str | None = None
    telegram_bot_username: str | None = None
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    zalo_bot_token: str | None = None
    zalo_api_base_url: str = DEFAULT_ZALO_API
    zalo_webhook_secret: str | None = None
    zalo_webhook_url: str | None = None
    zalo_bot_name: str | None = None  # the name people mention in groups ("@Gần Dân Phúc Sơn")
    default_locale: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"
    log_sql_parameters: bool = False  # SQL parameters and rows (names, concern texts) in DEBUG logs
    web_listen: str = DEFAULT_WEB_LISTEN
    public_url: str | None = None  # where the web server is reached from outside: links to stored files
    daily_rollup_time: dt.time = DEFAULT_DAILY_ROLLUP_TIME
    web_secret: str | None = None  # signs the web console's cookies; unset: a new key (and new logins) each start

    @property
    def web_address(self) -> tuple[str, int]:
        """WEB_LISTEN as (host, port); the brackets of an IPv6 host are removed."""
        host, port = self.web_listen.rsplit(":", 1)
        return host.strip("[]"), int(port)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The tokens and webhook secrets that are set: values no log line may show."""
        values = (self.telegram_bot_token, self.zalo_bot_token, self.telegram_webhook_secret, self.zalo_webhook_secret,
                  self.web_secret)
        return tuple(v for v in values if v)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def __repr__(self) -> str:
        # Tokens and secrets must never reach a log line, even through a debug repr.
        hidden = {"telegram_bot_token", "telegram_webhook_secret", "zalo_bot_token",
                  "zalo_webhook_secret", "database_url", "web_secret"}
        parts = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            parts.append(f"{name}={'***' if name in hidden and value else value!r}")
        return f"Settings({', '.join(parts)})"


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _url(key: str, value: str, *, https_only: bool = False) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(key, _("phải là địa chỉ http(s), nhận được “{value}”").format(value=value))
    if https_only and not value.startswith("https://"):
        raise SettingsError(key, _("phải bắt đầu bằng https:// (webhook chỉ được gọi qua HTTPS)"))
    return value.rstrip("/")


def _database_url(value: str) -> str:
    if value.startswith(("postgres://", "postgresql://")):
        value = "postgresql+asyncpg://" + value.split("://", 1)[1]
    if value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://"):
        return value
    raise SettingsError(
        "DATABASE_URL",
        _("phải bắt đầu bằng sqlite+aiosqlite:/// hoặc postgresql+asyncpg:// (hoặc postgresql://)"),
    )


def _listen(value: str) -> str:
    match = re.match(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$", value)
    if not match or int(match.group(2)) > 65535:
        raise SettingsError("WEB_LISTEN", _("phải có dạng máy:cổng, ví dụ 127.0.0.1:8080, nhận được “{value}”"
                                            ).format(value=value))
    return value


def _flag(key: str, value: str | None) -> bool:
    """An on/off setting: 1, true, yes or on; 0, false, no, off or unset."""
    if value is None or value.lower() in ("0", "false", "no", "off"):
        return False
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(key, _("phải là một trong {choices}, nhận được “{value}”").format(
        choices="0, 1", value=value))


def _rollup_time(value: str | None) -> dt.time:
    if value is None:
        return DEFAULT_DAILY_ROLLUP_TIME
    match = re.match(r"^([01]?\d|2[0-3])[:hH]([0-5]\d)?$", value)  # 19:00, 19h, 19h30
    at = dt.time(int(match.group(1)), int(match.group(2) or 0)) if match else None
    if at is None or not ROLLUP_EARLIEST <= at <= ROLLUP_LATEST:
        raise SettingsError("DAILY_ROLLUP_TIME", _("phải là giờ:phút từ 07:00 đến 20:30 (trước giờ yên lặng "
                                                   "21:00), nhận được “{value}”").format(value=value))
    return at


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Merge `.env` under the real environment (the environment wins) and validate every key."""
    merged: dict[str, str | None] = {}
    if env_file is not None and Path(env_file).is_file():
        merged.update(dotenv_values(env_file))
    merged.update(os.environ if environ is None else environ)

    def get(key: str) -> str | None:
        return _blank_to_none(merged.get(key))

    database_url = _database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)

    telegram_token = get("TELEGRAM_BOT_TOKEN")
    if telegram_token and not _TELEGRAM_TOKEN.match(telegram_token):
        raise SettingsError("TELEGRAM_BOT_TOKEN", _("không giống mã do @BotFather cấp "
                                                  "(chữ số, dấu hai chấm, rồi ít nhất 30 chữ, số, _ hoặc -)"))
    telegram_username = get("TELEGRAM_BOT_USERNAME")
    if telegram_username:
        telegram_username = telegram_username.lstrip("@")
        if not _USERNAME.match(telegram_username):
            raise SettingsError("TELEGRAM_BOT_USERNAME", _("phải là tên người dùng Telegram "
                                                         "(5–32 chữ, số hoặc _)"))
    telegram_api = _url("TELEGRAM_API_BASE_URL", get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API)
    webhook_url = get("TELEGRAM_WEBHOOK_URL")
    webhook_secret = get("TELEGRAM_WEBHOOK_SECRET")
    if webhook_url:
        webhook_url = _url("TELEGRAM_WEBHOOK_URL", webhook_url, https_only=True)
        if not webhook_secret:
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET", _("bắt buộc khi đã đặt TELEGRAM_WEBHOOK_URL"))
    if webhook_secret and not _SECRET.match(webhook_secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET", _("phải gồm 1–256 ký tự A-Z, a-z, 0-9, _ hoặc -"))

    zalo_token = get("ZALO_BOT_TOKEN")
    if zalo_token and (len(zalo_token) < 20 or re.search(r"\s", zalo_token)):
        raise SettingsError("ZALO_BOT_TOKEN", _("không giống mã bot Zalo "
                                              "(ít nhất 20 ký tự, không có khoảng trắng)"))
    zalo_api = _url("ZALO_API_BASE_URL", get("ZALO_API_BASE_URL") or DEFAULT_ZALO_API)
    zalo_secret = get("ZALO_WEBHOOK_SECRET")
    if zalo_secret and (not 8 <= len(zalo_secret) <= 256 or re.search(r"\s", zalo_secret)):
        raise SettingsError("ZALO_WEBHOOK_SECRET", _("phải gồm 8–256 ký tự, không có khoảng trắng"))
    zalo_webhook = get("ZALO_WEBHOOK_URL")
    if zalo_webhook:
        zalo_webhook = _url("ZALO_WEBHOOK_URL", zalo_webhook, https_only=True)
        if not zalo_secret:
            raise SettingsError("ZALO_WEBHOOK_SECRET", _("bắt buộc khi đã đặt ZALO_WEBHOOK_URL"))

    locale = (get("DEFAULT_LOCALE") or "vi").lower()
    if locale not in SUPPORTED_LOCALES:
        raise SettingsError("DEFAULT_LOCALE", _("phải là một trong {choices}, nhận được “{value}”").format(
            choices=", ".join(SUPPORTED_LOCALES), value=locale))

    timezone = get("TIMEZONE") or "Asia/Ho_Chi_Minh"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError("TIMEZONE", _("“{value}” không phải múi giờ IANA (ví dụ Asia/Ho_Chi_Minh)").format(
                                value=timezone)) from None

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise SettingsError("LOG_LEVEL", _("phải là một trong {choices}, nhận được “{value}”").format(
            choices=", ".join(_LOG_LEVELS), value=log_level))
    log_sql_parameters = _flag("LOG_SQL_PARAMETERS", get("LOG_SQL_PARAMETERS"))

    web_listen = _listen(get("WEB_LISTEN") or DEFAULT_WEB_LISTEN)
    public_url = get("PUBLIC_URL")
    if public_url:
        public_url = _url("PUBLIC_URL", public_url)
    daily_rollup_time = _rollup_time(get("DAILY_ROLLUP_TIME"))

    return Settings(
        database_url=database_url,
        telegram_bot_token=telegram_token,
        telegram_bot_username=telegram_username,
        telegram_api_base_url=telegram_api,
        telegram_webhook_url=webhook_url,
        telegram_webhook_secret=webhook_secret,
        zalo_bot_token=zalo_token,
        zalo_api_base_url=zalo_api,
        zalo_webhook_secret=zalo_secret,
        zalo_webhook_url=zalo_webhook,
        zalo_bot_name=(get("ZALO_BOT_NAME") or "").strip().lstrip("@").strip()[:120] or None,
        default_locale=locale,
        timezone=timezone,
        log_level=log_level,
        log_sql_parameters=log_sql_parameters,
        web_listen=web_listen,
        public_url=public_url,
        daily_rollup_time=daily_rollup_time,
        web_secret=_web_secret(get("WEB_SECRET")),
    )


def _web_secret(value: str | None) -> str | None:
    if value and len(value) < 32:
        raise SettingsError("WEB_SECRET", _("ít nhất 32 ký tự (ví dụ: openssl rand -hex 32)"))
    return value or None

