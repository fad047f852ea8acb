"""Logging a household visit."""
