"""The concern jobs: overdue nudges and escalation, and the pass-on nudge."""
