"""Tables of the organisation: units, people and their roles, invites and the audit log."""
