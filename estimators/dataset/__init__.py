"""The fine-tuning dataset check: stream the JSONL, validate, count tokens, bill, judge the data."""
