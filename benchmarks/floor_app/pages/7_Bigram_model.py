import streamlit as st

st.button("Train", key="train")
# The caption the load scenario reads its counters from; nothing is trained here.
st.caption("Training cache on this server: 1 computed, 0 answered from the cache")
