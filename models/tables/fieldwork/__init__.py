"""Tables of the field work: households and visits, concerns, meetings, campaigns, \"Dân vận khéo\" models."""
