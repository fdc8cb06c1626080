"""A syntax error on line 6: status error naming the file and the line."""
ARCHES = ["a2a3", "a5"]
LEVEL = "L2"


def run(ctx)
    pass
