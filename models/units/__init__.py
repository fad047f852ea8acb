"""The org-unit tree: provinces, communes, villages, teams and nhóm, and counts per unit."""
