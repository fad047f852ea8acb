"""The bottom layer every other package imports: settings, logging, translations, database wiring, text keys."""
