"""Fakes of the platforms' HTTP APIs, served on 127.0.0.1 for end-to-end tests."""
