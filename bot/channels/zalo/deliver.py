"""The Zalo outbox deliverer: a stored message turned back into a Reply and sent as
`ZaloChannel.send` would, one try per call, speaking the runtime's vocabulary (and Rejected for
a refusal no retry will fix).

Zalo takes photos only by URL and no documents: it gets our own link (`PUBLIC_URL/files/<token>`)
— the photo by URL, the document as a line under the text — or, with no public address, a line
in the reader's language saying where to find it. A Telegram photo is fetched once, stored, and
linked for Zalo.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.convert import to_sends
from bot.outbox.files import File, Files
from bot.outbox.payload import photo_channel, stored_file, to_reply
from bot.outbox.sender import Rejected
from core.i18n import _, use_locale
from handlers.engine.types import Reply
from models.enums import Channel

log = logging.getLogger(__name__)


class ZaloDeliverer:
    """As `ZaloChannel.send` sends a reply: choices as numbered lines, long text in pieces; files by
    our own links (see the module's docstring)."""

    def __init__(self, client: ZaloClient, files: Files | None = None) -> None:
        self.client = client
        self.files = files

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        reply = to_reply(body)
        photo, missing_photo = await self._photo(body, reply)
        lines = await self._lines(chat_id, missing_photo, await self._file(body.get("document_attachment")))
        text = "\n\n".join(part for part in (reply.text.strip(), *lines) if part)
        sends = to_sends(Reply(text, reply.options, photo=photo, columns=reply.columns))
        if not sends:
            raise Rejected("empty message")
        message_id: str | None = None
        try:
            for item in sends:
                if item.photo is not None:
                    message_id = await self._send_photo(chat_id, item.photo, item.text)
                else:
                    message_id = (await self.client.send_message(chat_id, item.text)).message_id or None
        except (ZaloError, ValueError) as error:
            raise Rejected(str(error)) from error
        return message_id

    async def _lines(self, chat_id: str, missing_photo: bool, document: File | None) -> list[str]:
        """Under the text: the document's link, or where to find what could not be sent over Zalo."""
        link = self.files.link(document) if self.files and document else None
        missing_document = document is not None and link is None
        lines: list[str] = []
        if missing_photo or missing_document:
            with use_locale(await self.files.locale(Channel.ZALO, chat_id) if self.files else "vi"):
                if missing_photo:
                    lines.append(_("🖼 Ảnh kèm tin này chưa gửi được qua Zalo: xem trên Telegram hoặc hỏi cán bộ "
                                   "phụ trách."))
                if document is not None and missing_document:
                    lines.append(_("📎 Tệp {name} kèm tin này chưa gửi được qua Zalo: xem trên Telegram hoặc hỏi "
                                   "cán bộ phụ trách.").format(name=document.filename))
        if document is not None and link is not None:
            lines.append(f"📎 {document.filename}: {link}")
        return lines

    async def _send_photo(self, chat_id: str, url: str, caption: str) -> str | None:
        """The photo with its caption; when Zalo refuses the photo (it could not fetch the URL), the
        caption still goes, as a text."""
        try:
            return (await self.client.send_photo(chat_id, url, caption or None)).message_id or None
        except ZaloError as error:
            if not caption:
                raise
            log.warning("outbox: Zalo refused a photo (%s; is PUBLIC_URL reachable?); its text sent alone",
                        error.description)
            return (await self.client.send_message(chat_id, caption)).message_id or None

    async def _photo(self, body: dict[str, Any], reply: Reply) -> tuple[str | None, bool]:
        """The photo's URL for Zalo, and whether a photo was meant but cannot go."""
        stored = await self._file(body.get("photo_attachment"))
        if body.get("photo_attachment") is not None and stored is None:
            return None, False  # expired or gone: logged, nothing to point to
        if stored is None and isinstance(reply.photo, str):
            source = photo_channel(body)
            if source in (None, Channel.ZALO):
                return reply.photo, False
            stored = await self.files.mirror(source, reply.photo) if self.files else None
            if stored is None:
                return None, True
        if stored is None:
            return None, False
        link = self.files.link(stored) if self.files else None
        return link, link is None

    async def _file(self, attachment_id: object) -> File | None:
        return await stored_file(self.files, attachment_id)
