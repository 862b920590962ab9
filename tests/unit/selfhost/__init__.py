"""Tests of selfhost."""
