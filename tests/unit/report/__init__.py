"""Tests of report/: the CLI, charts, the PDF and the formatters."""
