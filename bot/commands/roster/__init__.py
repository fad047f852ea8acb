"""Commands for the roster: the commune set up, people and households imported, invites, the demo."""
