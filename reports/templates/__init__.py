"""The Word templates official reports are rendered from: the default one is built by `build_default.py`."""
