"""The main menu and the small screens behind it: overview lists, language, pausing reminders."""
