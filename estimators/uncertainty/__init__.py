"""Ranges: a seeded Monte Carlo over the assumptions and price classes, and the tornado sweep."""
