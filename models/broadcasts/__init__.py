"""Announcements (thông báo): audience, sending, acknowledgement, follow-up, delivery report."""
