"""Joining by invite code."""
