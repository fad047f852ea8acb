"""The yearly evaluation and ranking of every team (đánh giá, xếp loại), computed from what was recorded.

`rubric` (criteria and bands as data), `queries` (one grouped statement per measure for every team of
a commune or a province), `measures` (the values and their evidence), `scoring` (points, bands, the
ranking, the model teams), `hand` (criteria scored by the khối dân vận head), `frozen` (a confirmed
year, kept as it was), `running` (the score so far and what would raise it), `texts` and `tables`
(the words and the neutral tables every format is made from).
"""
