"""Tests of uncertainty."""
