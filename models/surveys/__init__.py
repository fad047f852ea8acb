"""Surveys of daily life (seed 003 §III.3): forms as data, answers kept as the person goes, results by village."""
