"""The platform's floor: a nearly empty app with the same page names and widget keys as the
dashboard, for `python benchmarks/load.py --floor`. Whatever load costs this app, Streamlit and
its agent API cost any app on this machine; the rest of the dashboard's figure is its own."""
import streamlit as st

st.write("Home")
