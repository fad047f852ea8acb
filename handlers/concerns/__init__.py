"""Concerns in the chat: logging one, the inbox, the detail screen, its actions, time limits."""
