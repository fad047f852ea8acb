"""Group chats: binding one to a unit, and what the bot answers there."""
