import streamlit as st

for key in ("p", "peak_sigma"):
    st.number_input(key, 0.0, 1000.0, 0.5, key=key)
