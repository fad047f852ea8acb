"""The Telegram channel: aiogram as transport only."""
