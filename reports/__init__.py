"""Reports as files: charts (PNG) and spreadsheets (XLSX) made from neutral, translated tables.

Nothing here knows the database or a chat platform; callers pass figures and labels already in
the reader's language.
"""
