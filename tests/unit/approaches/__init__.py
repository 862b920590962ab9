"""Tests of approaches."""
