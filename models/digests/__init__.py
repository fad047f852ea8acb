"""The monthly digest and the daily roll-up: grouped figures, their words, chart and spreadsheet."""
