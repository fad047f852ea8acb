"""People and their chat accounts: identities, invites, joining, pausing reminders."""
