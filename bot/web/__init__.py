"""The bot's own web server (`server.py`: webhooks, `/healthz`, `/files`) and the staff console under `/web/`."""

from bot.web.server import (
    DB_TIMEOUT,
    HEALTH_PATH,
    TELEGRAM_PATH,
    TELEGRAM_SECRET_HEADER,
    ZALO_PATH,
    ZALO_SECRET_HEADER,
    ChannelDown,
    Webhook,
    build_app,
    content_disposition,
    database_ok,
    files_handler,
    health_handler,
    read_json,
    secret_matches,
    serve,
    webhook_handler,
)

__all__ = [
    "DB_TIMEOUT", "HEALTH_PATH", "TELEGRAM_PATH", "TELEGRAM_SECRET_HEADER", "ZALO_PATH", "ZALO_SECRET_HEADER",
    "ChannelDown", "Webhook", "build_app", "content_disposition", "database_ok", "files_handler", "health_handler",
    "read_json", "secret_matches", "serve", "webhook_handler",
]
