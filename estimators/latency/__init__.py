"""Latency per query and per approach, the latency budget, and providers' rate-limit tiers."""
