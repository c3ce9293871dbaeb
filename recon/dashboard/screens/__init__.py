"""Dashboard pages: each file is run by Streamlit as a script (st.Page), top to bottom, on every interaction."""
