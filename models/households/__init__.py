"""Households: importing them, and finding the ones a volunteer looks after."""
