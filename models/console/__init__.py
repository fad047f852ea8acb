"""The web console's domain operations: login links and sessions, the overview, the concerns board."""
