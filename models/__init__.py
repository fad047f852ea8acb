"""Tables and domain operations: what a feature does with the database, given a session.

Models import only `core` (settings' values passed in, logs, translations, text keys) and
`reports` (chart and spreadsheet formats), never handlers, scheduler or bot: flows and jobs call
down into models, and the words both of them send live here too (`models/<feature>/texts.py`).
No I/O beyond the session given; tests/house/test_layers.py holds the rule.
"""
