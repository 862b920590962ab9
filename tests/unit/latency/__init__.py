"""Tests of latency: per-approach latency, budgets and rate limits."""
