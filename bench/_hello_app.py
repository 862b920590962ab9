"""The baseline for bench/app.py: a hello-world Streamlit app with one input and one figure.

bench/app.py serves it from an empty temporary folder (Streamlit's default settings, none of
ours) beside the dashboard in the same run, and reports the dashboard's figures as ratios to it.
"""

import streamlit as st

st.title("Hello world")
queries = st.number_input("Queries per day", value=1000, step=100)
st.metric("Total", f"${queries * 2:,}")
