"""Tables of what the bot says: the outbox and bound groups, announcements, files, chat state, web sessions."""
