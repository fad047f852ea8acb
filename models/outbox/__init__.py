"""The outbox: messages that are not direct replies, enqueued, claimed and recorded; stored files."""
