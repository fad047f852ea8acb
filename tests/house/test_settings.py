"""Settings: defaults, .env merging, and one clear line naming the key for each bad value."""

import dataclasses

import pytest

from bot.cli import main
from core.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def test_defaults_without_any_configuration():
    settings = load_settings({}, env_file=None)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_locale == "vi"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.telegram_bot_token is None and settings.zalo_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.zalo_api_base_url == "https://bot-api.zaloplatforms.com"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=debug\nTIMEZONE=Asia/Bangkok\n", encoding="utf-8")
    settings = load_settings({"TIMEZONE": "UTC"}, env_file=env_file)
    assert settings.telegram_bot_token == TOKEN
    assert settings.log_level == "DEBUG"
    assert settings.timezone == "UTC"


def test_postgres_url_is_given_the_async_driver():
    settings = load_settings({"DATABASE_URL": "postgresql://u:p@127.0.0.1/db"}, env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u:p@127.0.0.1/db"


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
        ({"TELEGRAM_WEBHOOK_URL": "http://bot.example.vn/hook", "TELEGRAM_WEBHOOK_SECRET": "s"}, "TELEGRAM_WEBHOOK_URL"),
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.vn/hook"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has spaces in it"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"ZALO_BOT_TOKEN": "short"}, "ZALO_BOT_TOKEN"),
        ({"ZALO_API_BASE_URL": "bot-api"}, "ZALO_API_BASE_URL"),
        ({"ZALO_WEBHOOK_SECRET": "x"}, "ZALO_WEBHOOK_SECRET"),
        ({"DEFAULT_LOCALE": "fr"}, "DEFAULT_LOCALE"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_BOT_USERNAME": "@a"}, "TELEGRAM_BOT_USERNAME"),
        ({"WEB_LISTEN": "8080"}, "WEB_LISTEN"),
        ({"WEB_LISTEN": "127.0.0.1:99999"}, "WEB_LISTEN"),
        ({"WEB_LISTEN": "http://127.0.0.1:8080"}, "WEB_LISTEN"),
    ],
)
def test_bad_values_name_the_key(env, key):
    with pytest.raises(SettingsError) as info:
        load_settings(env, env_file=None)
    assert info.value.key == key
    assert str(info.value).startswith(f"{key}: ")


def test_cli_prints_one_line_and_no_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    (tmp_path / "empty.env").touch()  # an env file that sets nothing (a missing one is an error of its own)
    assert main(["--env-file", str(tmp_path / "empty.env"), "units"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "TIMEZONE" in err and "Mars/Olympus" in err and "Traceback" not in err


def test_cli_speaks_english_when_configured(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    (tmp_path / "empty.env").touch()  # an env file that sets nothing (a missing one is an error of its own)
    assert main(["--env-file", str(tmp_path / "empty.env"), "units"]) == 2
    err = capsys.readouterr().err
    assert "LOG_LEVEL" in err and "must be one of" in err


def test_secrets_are_hidden_from_repr():
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "postgresql://u:pw@h/db"}, env_file=None)
    assert TOKEN not in repr(settings) and "pw" not in repr(settings)


@pytest.mark.parametrize(("value", "address"), [
    (None, ("127.0.0.1", 8080)),
    ("0.0.0.0:8443", ("0.0.0.0", 8443)),
    ("[::1]:8080", ("::1", 8080)),
    ("localhost:0", ("localhost", 0)),
])
def test_web_listen_is_host_and_port(value, address):
    settings = load_settings({"WEB_LISTEN": value} if value else {}, env_file=None)
    assert settings.web_address == address


def test_zalo_webhook_needs_https_and_a_secret():
    with pytest.raises(SettingsError) as info:
        load_settings({"ZALO_WEBHOOK_URL": "https://bot.example.vn/zalo/webhook"}, env_file=None)
    assert info.value.key == "ZALO_WEBHOOK_SECRET"
    with pytest.raises(SettingsError) as info:
        load_settings({"ZALO_WEBHOOK_URL": "http://bot.example.vn/zalo/webhook",
                       "ZALO_WEBHOOK_SECRET": "long-enough-secret"}, env_file=None)
    assert info.value.key == "ZALO_WEBHOOK_URL"


def test_the_zalo_bot_name_is_what_people_mention():
    assert load_settings({}, env_file=None).zalo_bot_name is None
    assert load_settings({"ZALO_BOT_NAME": " @Gần Dân Phúc Sơn "}, env_file=None).zalo_bot_name == "Gần Dân Phúc Sơn"
