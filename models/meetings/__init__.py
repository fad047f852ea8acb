"""Monthly team meetings (họp giao ban): the rule, the occurrences, answers, attendance, minutes."""
