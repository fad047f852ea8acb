"""Citizens' concerns, from the visit that logs one until the household has heard the answer."""
