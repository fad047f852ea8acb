"""Commands for reporting: deadlines, the official reports and their figures, the yearly evaluation."""
