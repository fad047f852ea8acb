"""Roster import: units, people and roles from a commune's spreadsheet."""
