"""Choosing a household: the picker shared by the visit and concern flows."""
