"""The channels: Telegram, Zalo and the terminal, each behind `protocol.Channel`, all on `runtime`."""
