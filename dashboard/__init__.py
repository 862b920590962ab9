"""The Streamlit dashboard: state, thin views (one per page) and input widgets.

Only this package and `streamlit_app.py` import Streamlit; every figure comes from `estimators`
(costs, decision, risks, dataset) or `report` (charts, PDF).
"""
