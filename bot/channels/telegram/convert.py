"""Telegram objects to neutral messages and back: the only place that knows both shapes."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.engine.commands import read_command
from handlers.engine.types import Incoming, Option, Reply
from models.enums import Channel

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64  # bytes of UTF-8
LABEL_LIMIT = 64
MAX_BUTTONS = 100
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)


def addressed_to(text: str, username: str) -> bool | None:
    """For a command, whether it is ours (`/cmd` or `/cmd@us`, never `/cmd@other`); None for plain text."""
    command = read_command(text)
    if command is None:
        return None
    return command.mention is None or command.mention.lower() == username.lower()


def is_group(message: Message) -> bool:
    return message.chat.type in GROUP_TYPES


def from_message(message: Message) -> Incoming:
    """Text or a photo's caption, the largest photo's file id, the sender and the chat."""
    user = message.from_user
    photo = message.photo[-1].file_id if message.photo else None
    return Incoming(
        channel=Channel.TELEGRAM,
        chat_id=str(message.chat.id),
        user_id=str(user.id if user else message.chat.id),
        text=message.text or message.caption or "",
        photo=photo,
        message_id=str(message.message_id),
        display_name=user.full_name if user else None,
        is_group=is_group(message),
        chat_title=message.chat.title,
    )


def from_callback(callback: CallbackQuery) -> Incoming:
    """A pressed button: its callback data is the option's key (or "#n", the n-th option offered)."""
    chat = callback.message.chat if callback.message else None
    return Incoming(
        channel=Channel.TELEGRAM,
        chat_id=str(chat.id if chat else callback.from_user.id),
        user_id=str(callback.from_user.id),
        choice=callback.data or "",
        message_id=f"cb{callback.id}",
        display_name=callback.from_user.full_name,
        is_group=bool(chat and chat.type in GROUP_TYPES),
        chat_title=getattr(chat, "title", None),
    )


def callback_data(option: Option, index: int) -> str:
    """The key when it fits Telegram's 64 bytes, else its position among the options offered."""
    if 0 < len(option.key.encode("utf-8")) <= CALLBACK_LIMIT:
        return option.key
    return f"#{index}"


def button_label(label: str) -> str:
    label = " ".join(label.split())
    if len(label) > LABEL_LIMIT:
        label = label[:LABEL_LIMIT - 1].rstrip() + "…"
    return label or "·"


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's options as inline buttons, `reply.columns` per row; at most 100 buttons."""
    if not reply.options:
        return None
    columns = max(1, min(reply.columns, 8))
    buttons = [InlineKeyboardButton(text=button_label(option.label), callback_data=callback_data(option, index))
               for index, option in enumerate(reply.options[:MAX_BUTTONS])]
    rows = [buttons[start:start + columns] for start in range(0, len(buttons), columns)]
    return InlineKeyboardMarkup(inline_keyboard=rows)
