"""Runs the seed scenes on the simulator with memory traces and checks, through
`memtrace stats --json` and `memtrace filter`, the facts each seed capability promises:

- child_memory_weights: the weight's allocation got exactly one DMA host-to-device write,
  yet the AIV cores read it in more than one run;
- shared_host_memory: the kernels' traffic went through the host-mapped region, and no DMA
  touched it (the host sees the result without a copy); on a5, which lacks host registration,
  the scene is skipped (NEEDS) and leaves no trace;
- l3_post_fork_host_buffers: every chip wrote its own trace and the first one shows AIV work.
"""
import argparse
import json
import pathlib
import subprocess
import sys

NBYTES = 128 * 128 * 4


def stats(memtrace, trace):
    out = subprocess.run([memtrace, "stats", "--json", str(trace)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def check_child_memory(memtrace, trace):
    j = stats(memtrace, trace)
    weights = [a for a in j["allocations"]
               if a["by_initiator_kind"]["dma"]["writes"] == 1 and a["by_initiator_kind"]["aiv"]["read_bytes"] >= 2 * NBYTES]
    assert len(weights) == 1, f"expected one allocation uploaded once and read by several runs, found {len(weights)}"
    dma = weights[0]["by_initiator_kind"]["dma"]
    assert dma["write_bytes"] == NBYTES, dma
    # Three run() calls: each run's tasks keep the graph's 0-based ids and name their kernel,
    # and same-numbered tasks of different runs stay apart.
    tasks = [(t["run"], t["id"], t["kernel"]) for t in j["tasks"]]
    # PTO kernels (one binary each, entry kernel_entry) are named by their source file.
    kernels = ["add", "add_scalar", "add_scalar", "mul", "add"]
    expected = [(run, i, k) for run in (0, 1) for i, k in enumerate(kernels)] + [(2, 0, "weighted")]
    assert tasks == expected, tasks


def check_shared_memory(memtrace, trace, work):
    j = stats(memtrace, trace)
    mapped = j["regions"]["host-mapped"]
    assert mapped["read_bytes"] >= NBYTES and mapped["write_bytes"] >= NBYTES, mapped
    dma_on_mapped = work / "dma_on_mapped.trace"
    subprocess.run([memtrace, "filter", str(trace), "--region", "host-mapped", "--core", "dma", "-o", str(dma_on_mapped)],
                   check=True)
    assert stats(memtrace, dma_on_mapped)["totals"]["bytes"] == 0, "a DMA copied the mapped buffer"


def check_shared_memory_skipped(results_path, trace):
    results = json.loads(results_path.read_text())["results"]
    shared = [r for r in results if r["scene"] == "shared_host_memory"]
    assert len(shared) == 1 and shared[0]["status"] == "skipped" and "host_register" in shared[0]["reason"], shared
    assert not trace.exists(), f"{trace.name}: a skipped scene wrote a trace"


def check_l3(memtrace, trace):
    for chip in (trace, trace.with_name(trace.stem + ".dev1.trace")):
        assert chip.exists(), f"no trace for {chip.name}"
    assert stats(memtrace, trace)["initiator_kinds"]["aiv"]["bytes"] > 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--memtrace", required=True)
    parser.add_argument("--arch", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    scenes = ["child_memory_weights", "shared_host_memory", "l3_post_fork_host_buffers"]
    run = subprocess.run([args.harness, "run", *scenes, "--arch", args.arch, "--trace", str(work),
                          "--json", str(work / "results.json")])
    assert run.returncode == 0, f"harness exited {run.returncode}"
    trace = lambda scene: work / f"{scene}.{args.arch}.trace"
    check_child_memory(args.memtrace, trace("child_memory_weights"))
    if args.arch == "a5":
        check_shared_memory_skipped(work / "results.json", trace("shared_host_memory"))
    else:
        check_shared_memory(args.memtrace, trace("shared_host_memory"), work)
    check_l3(args.memtrace, trace("l3_post_fork_host_buffers"))
    print(f"seed traces on {args.arch}: ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"seed trace check failed: {failure}", file=sys.stderr)
        sys.exit(1)
