"""The official-report jobs: a unit's draft delivered to who answers for it before the deadline."""
