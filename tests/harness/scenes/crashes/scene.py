"""The scene process dies of a signal: status error naming the signal, no effect on the others."""
import os
import signal

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    os.kill(os.getpid(), signal.SIGSEGV)
