"""The monthly digest on demand (/tonghop)."""
