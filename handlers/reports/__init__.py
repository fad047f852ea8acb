"""Flows of the official reports: the figures only people know."""
