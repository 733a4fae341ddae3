import streamlit as st

st.button("Train", key="train")
