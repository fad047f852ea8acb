"""The bottom layer every other package imports: settings, logging, translations, database wiring, text keys.

Nothing here imports another package of ours (tests/house/test_layers.py holds the rule).
"""
