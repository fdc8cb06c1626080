"""Writes a byte that is not UTF-8 to its log, then raises: the results files must still be written."""
import os

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    os.write(1, b"a byte that is not UTF-8: \xff\xfe end\n")
    raise RuntimeError("deliberate failure after a non-UTF-8 log line")
