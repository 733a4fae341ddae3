"""Every chart of the dashboard, each built by a function that returns an altair chart.

Chart functions return unconfigured charts; `style.themed` applies fonts and sizes once,
at the top level, so the same chart reads well on a laptop and on a projector.
"""
