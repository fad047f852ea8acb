"""Report deadlines in the chat: what a leader owes, marking a report submitted."""
