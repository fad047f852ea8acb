"""The outbox sender: delivering queued messages within each platform's limits."""
