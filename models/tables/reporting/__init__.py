"""Tables of reporting: deadlines and submissions, official reports, the yearly evaluation."""
