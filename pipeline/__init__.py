"""mlentory-pipeline: Hugging Face model metadata to FAIR4ML, graph and search, as doit assets."""

import os

# numpy's OpenBLAS starts a thread per core in every process that imports it (pyarrow does) or calls it
# (py3langid's language detection), and each spins for a while after a call: on a 2-core machine running
# two workers that CPU is taken from the other worker. Our numpy work is single small vectors, so one
# thread loses nothing. Set before any numpy import; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
