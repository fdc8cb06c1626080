"""Writes one 20 MiB line to its log, then raises: the log tail kept for it must stay small."""
import os

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    os.write(1, b"x" * (20 << 20) + b"\n")
    raise RuntimeError("deliberate failure after a 20 MiB log line")
