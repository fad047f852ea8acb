"""The yearly evaluation and ranking of every team (đánh giá, xếp loại), computed from what was recorded.

`rubric` (criteria, bands and period as data; the sample) and `rubric_sheets` (read back from XLSX);
`period` (1 January to the period's last day, its months and quarters); `queries` (one grouped
statement per measure for every team of a commune or a province) and `measures` (the values and
their evidence); `scoring` (points, bands, the ranking, the model teams) and `compute` (a commune's
or a province's year); `hand` and `hand_sheets` (criteria scored by the khối dân vận head, in the
chat or a sheet); `frozen` (a confirmed year, kept as it was) and `notify` (sent to the teams);
`running` (the score so far and what would raise it); `texts`, `tables` and `numbers` (the words and
the neutral tables every format is made from).
"""
