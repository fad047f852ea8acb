"""Announcements in the chat: composing, choosing the audience, the delivery report."""
