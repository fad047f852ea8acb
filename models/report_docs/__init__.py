"""Official reports as Word documents: a commune's template, the drafts made and sent, and their words.

The figures and sentences come from `models/reports/` (`build_report`); the layout from
`reports/word.py`. Here: which template a commune uses, each version of a draft as it went out
(and which one was submitted), who receives it, and the message that goes with it.
"""
