"""Never returns: killed with its process group at --timeout, status error."""
import time

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    while True:
        time.sleep(0.1)
