"""The Zalo Bot Platform channel: a thin HTTP client, the update/reply conversion, and the channel."""

from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient, ZaloError

__all__ = ["ZaloChannel", "ZaloClient", "ZaloError"]
