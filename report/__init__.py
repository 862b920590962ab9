"""Presentations of an Estimate outside Streamlit: Altair charts, tables and the PDF summary.

Depends on `estimators` only; never imports Streamlit, so the CLI and tests can use it headless.
"""
