"""Household visits: recording one, and undoing it within the grace period."""
