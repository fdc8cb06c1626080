"""No run(ctx): status error naming the file."""
ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
