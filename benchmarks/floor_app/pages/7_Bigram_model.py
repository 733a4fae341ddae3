import os

import streamlit as st

# FLOOR_PAD=N: N plain elements on opening and N more after Train, to price an element alone
# (benchmarks/elements.py --pad N).
PAD = int(os.environ.get("FLOOR_PAD", "0"))
for i in range(PAD):
    st.markdown(f"line {i}")
if st.button("Train", key="train"):
    for i in range(PAD):
        st.markdown(f"after Train, line {i}")
