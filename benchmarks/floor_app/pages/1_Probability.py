import streamlit as st

for key in ("mu", "sigma", "a", "b"):
    st.number_input(key, 0.0, 1000.0, 1.0, key=key)
