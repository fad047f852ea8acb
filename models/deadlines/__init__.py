"""Report deadlines: the commune's calendar, who owes which report, the words of the nudges."""
