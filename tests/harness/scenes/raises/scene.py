"""Raises from run(ctx): status error, the exception and its line in the reason."""
ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx):
    raise ValueError("deliberate failure in the raises scene")
