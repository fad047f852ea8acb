"""The command menu Telegram shows beside the text box, in Vietnamese and English."""

from __future__ import annotations

from aiogram.methods import SetMyCommands
from aiogram.types import BotCommand, BotCommandScopeDefault

from core.i18n import LazyString, __, use_locale

# Vietnamese speakers type the Vietnamese commands, English speakers the English ones; the
# engine accepts both everywhere.
COMMANDS: dict[str, tuple[tuple[str, LazyString], ...]] = {
    "vi": (
        ("menu", __("Trang chính")),
        ("huy", __("Hủy việc đang làm")),
        ("quaylai", __("Quay lại bước trước")),
        ("tieptuc", __("Tiếp tục việc đang làm dở")),
        ("help", __("Trợ giúp")),
        ("tonghop", __("Tổng hợp tháng (tổ trưởng, lãnh đạo xã)")),
        ("pa", __("Xem một ý kiến theo mã: /pa PA-2026-00012")),
        ("ganket", __("Gắn nhóm với đơn vị (trong nhóm)")),
    ),
    "en": (
        ("menu", __("Trang chính")),
        ("cancel", __("Hủy việc đang làm")),
        ("back", __("Quay lại bước trước")),
        ("continue", __("Tiếp tục việc đang làm dở")),
        ("help", __("Trợ giúp")),
        ("digest", __("Tổng hợp tháng (tổ trưởng, lãnh đạo xã)")),
        ("pa", __("Xem một ý kiến theo mã: /pa PA-2026-00012")),
        ("ganket", __("Gắn nhóm với đơn vị (trong nhóm)")),
    ),
}


def command_list(locale: str) -> list[BotCommand]:
    with use_locale(locale):
        return [BotCommand(command=name, description=str(description)) for name, description in COMMANDS[locale]]


def set_commands_methods() -> list[SetMyCommands]:
    """The default list (Vietnamese, for every other language), then one per language."""
    return [
        SetMyCommands(commands=command_list("vi"), scope=BotCommandScopeDefault()),
        SetMyCommands(commands=command_list("vi"), scope=BotCommandScopeDefault(), language_code="vi"),
        SetMyCommands(commands=command_list("en"), scope=BotCommandScopeDefault(), language_code="en"),
    ]
