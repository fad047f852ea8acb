"""Scheduled jobs: plain async functions that read what is due from the database and enqueue.

A job keeps no state of its own: it is called with `now` and the zone, works out what is due
from the tables, and enqueues each message under an idempotency key, so a restart loses
nothing and a second or late run is harmless. `scheduler.app.build_scheduler` runs them every
15 minutes inside `gandan run`; tests call the job functions directly with a chosen `now`.
"""
