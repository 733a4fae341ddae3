"""How this one process serves many sessions at once. Imported by ui.frame, so it runs once, at the
first page any visitor opens. benchmarks/rerun_cost.py and benchmarks/load.py measure the effect.
"""
import gc

import pyarrow as pa

# Import up front everything a page may need, so the first visitor of a page does not stall all
# the others on an import (scipy.stats alone takes a second), and so it is all frozen below.
import core.charts.bigram  # noqa: F401
import core.charts.normal  # noqa: F401
import core.training  # noqa: F401

# pyarrow converts a data frame of more than 100 rows per column on a thread pool it starts for
# that one call. Every session already runs in its own thread, so under load those pools only
# add threads fighting for the same two cores.
pa.set_cpu_count(1)

# Python's full garbage collections walk every object alive, and torch, pandas, scipy and
# altair leave hundreds of thousands of them that live as long as the process. Freezing them
# takes them out of every later collection, which then only walks what the reruns made.
gc.freeze()
