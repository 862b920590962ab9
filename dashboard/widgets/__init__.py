"""Input groups of the Describe page and the sidebar; each `show(...)` owns its session keys."""
