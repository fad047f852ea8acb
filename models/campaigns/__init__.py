"""Campaigns (cuộc vận động, seed 003 task 3.1): households mobilised for health insurance, the
new-countryside programme, land clearance or hygiene, with an outcome per household and a target.

`create` fixes who a campaign concerns, `outcomes` records what each household decided (from a
visit or a list), `progress` counts them by nhóm, village and commune in grouped SQL, `texts` says
it in the words the flows, the roll-up, the digest and the alerts share, `export` lays it out as a
table for the spreadsheet and the chart, `attributes` keeps the household list's extra columns.
"""
