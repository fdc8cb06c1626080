#!/usr/bin/env python3
"""Golden timelines (issue 17, item 7): every seed scene's per-task timelines and the
`memtrace stats --json` summary of its memory traces, checked in as tests/goldens/<run>.json
(<run> = <scene>[.<case>].<arch>) and compared exactly: the simulator is deterministic, so any
change of a cost, a mechanism or a scene shows up here and is taken on purpose by regenerating
the goldens (`tests/goldens/update`) and reviewing the diff.

Usage:
  goldens.py check   --harness H --memtrace M [--goldens DIR] [--work DIR] [--arch A] [--scene S]...
  goldens.py update  --harness H --memtrace M [--goldens DIR] [--work DIR]
  goldens.py quantum --harness H --memtrace M --quantum NS [--quantum NS]... [--arch A] [--scene S]...

All scenes run in one `harness run --trace` (-j2 by default). `check` exits 0 when every golden matches,
1 on a difference (naming the run, task and field, golden and actual value and the delta) and
writes the actual documents to WORK/actual/ for `diff -u`. What a golden holds, and why big
timelines are digests: docs/fidelity.md, "Golden timelines".

`quantum` (issue 17, quantum invariance) runs the scenes again at each temporal-decoupling quantum
given (`--set sim.quantum_ns=NS`) and requires their timelines and API device times to stay within
2 % of the goldens made at the shipped quantum: a run's first dispatch, its makespan, its per-kernel
busy and queued sums and the API device times within 2 % of their own value; each task's times
(dispatch, start, end), counted from the run's first dispatch, within 2 % of the run's makespan,
the scale of a timeline (a relative error of a time near zero means nothing). A run whose tasks
went to other cores than in its golden has another schedule (a quantum dependence left in the
scheduler path, docs/fidelity.md): it must stay within 10 % and is named as such, except the seed
project's four scenes, which must stay within 2 % on any cores.
"""
import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys

SCHEMA = "tandem.golden/1"
HERE = pathlib.Path(__file__).resolve().parent
SCENES_DIR = HERE.parent.parent / "scenes"
# A timeline longer than this is stored as a digest (per-kernel sums and a sha256 of the whole
# timeline): a 4,000-task timeline is ~700 KiB of JSON nobody reviews line by line.
FULL_TIMELINE_TASKS = 200
# memtrace stats keys not stored as they are: `file` names this checkout's path and the config
# text's hash (not what the run did), `tasks` and `allocations` become sums and a sha256.
STATS_KEYS_SUMMARIZED = ("file", "tasks", "allocations")
MAX_DIFFERENCES_SHOWN = 25
UPDATE_COMMAND = "tests/goldens/update [BUILD_DIR]"
QUANTUM_TOLERANCE = 0.02
OTHER_SCHEDULE_TOLERANCE = 0.10  # a run whose task -> core assignment differs from its golden
# The seed project's scenes (ascend-facts, "Seed scenes") stay within QUANTUM_TOLERANCE on any cores.
SEED_SCENES = ("vector_example", "child_memory_weights", "l3_post_fork_host_buffers", "shared_host_memory")
TASK_TIME_FIELDS = ("dispatch_ns", "start_ns", "end_ns")


def sha256(document):
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def formatted(value, indent=""):
    """JSON with one line per small object (a task, an initiator), so a golden's diff is per task."""
    flat = json.dumps(value)
    if len(flat) <= 160 or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {formatted(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    return "[\n" + ",\n".join(inner + formatted(item, inner) for item in value) + "\n" + indent + "]"


def run_name(result):
    name = result["scene"] + ("." + result["case"] if result["case"] else "")
    return f"{name}.{result['arch']}"


def timeline_digest(timeline):
    kernels = {}
    for task in timeline:
        k = kernels.setdefault(task["kernel"], {"tasks": 0, "busy_ns": 0, "queued_ns": 0, "cores": set()})
        k["tasks"] += 1
        k["busy_ns"] += task["end_ns"] - task["start_ns"]
        k["queued_ns"] += task["start_ns"] - task["dispatch_ns"]
        k["cores"].add(f"{task['core_type']}{task['core']}")
    for k in kernels.values():
        k["cores"] = len(k["cores"])
    return {"tasks": len(timeline),
            "first_dispatch_ns": min(t["dispatch_ns"] for t in timeline),
            "last_end_ns": max(t["end_ns"] for t in timeline),
            "kernels": dict(sorted(kernels.items())),
            "sha256": sha256(timeline)}


def tasks_summary(tasks):
    """memtrace's per-task rows as per-kernel sums, plus a sha256 of all of them."""
    kernels = {}
    for task in tasks:
        k = kernels.setdefault(task["kernel"] or "?", {"tasks": 0, "duration_ps": 0, "read_bytes": 0, "write_bytes": 0})
        k["tasks"] += 1
        k["duration_ps"] += task["duration_ps"] or 0
        k["read_bytes"] += task["read_bytes"]
        k["write_bytes"] += task["write_bytes"]
    return {"count": len(tasks), "kernels": dict(sorted(kernels.items())), "sha256": sha256(tasks)}


def allocations_summary(allocations):
    return {"count": len(allocations), "bytes": sum(a["size"] for a in allocations), "sha256": sha256(allocations)}


def stats_summary(memtrace, trace):
    out = subprocess.run([memtrace, "stats", "--json", trace], check=True, capture_output=True, text=True).stdout
    stats = json.loads(out)
    summary = {key: value for key, value in stats.items() if key not in STATS_KEYS_SUMMARIZED}
    summary["file"] = {"arch": stats["file"]["arch"], "records": stats["file"]["records"],
                       "complete": stats["file"]["complete"]}
    summary["tasks"] = tasks_summary(stats["tasks"])
    summary["allocations"] = allocations_summary(stats["allocations"])
    return summary


def golden_of(result, memtrace):
    """The golden document of one result; its memtrace summary only when the run was traced."""
    runs = []
    for run in result["runs"]:
        timeline = run["timeline"]
        record = {"timeline": timeline} if len(timeline) <= FULL_TIMELINE_TASKS else {"timeline_digest": timeline_digest(timeline)}
        if "staging" in run:
            record["staging"] = run["staging"]
        runs.append(record)
    api = {call: {"calls": t["calls"], "device_ns": t["device_ns"]} for call, t in sorted(result["api_timings"].items())}
    traces = {f"device{t['device'] - result['device']}": stats_summary(memtrace, t["path"])
              for t in sorted(result["traces"], key=lambda t: t["device"])}
    return {"schema": SCHEMA, "scene": result["scene"], "case": result["case"], "arch": result["arch"],
            "status": result["status"], "runs": runs, "api_device_ns": api, "memtrace": traces}


def run_scenes(harness, memtrace, work, arches, scenes, jobs, quantum_ns=None):
    """The golden documents of every run; at another quantum without traces (no memtrace summary)."""
    work.mkdir(parents=True, exist_ok=True)
    results_path = work / "results.json"
    command = [harness, "run", *scenes, "--arch", arches, "--scenes-dir", str(SCENES_DIR), "-j", str(jobs),
               "--json", str(results_path)]
    if quantum_ns is None:
        trace_dir = work / "traces"
        trace_dir.mkdir(exist_ok=True)
        for stale in trace_dir.glob("*.trace"):
            stale.unlink()
        command += ["--trace", str(trace_dir)]
    else:
        command += ["--set", f"sim.quantum_ns={quantum_ns}"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"goldens: `{' '.join(command)}` exited {run.returncode}; the scenes must pass before their "
                 f"timelines are compared:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    results = json.loads(results_path.read_text())["results"]
    return {run_name(r): golden_of(r, memtrace) for r in results if r["status"] != "skipped"}


def describe_number(golden, actual):
    if isinstance(golden, (int, float)) and isinstance(actual, (int, float)) and not isinstance(golden, bool):
        delta = actual - golden
        relative = f", {delta / golden:+.2%}" if golden else ""
        return f"{golden} -> {actual} ({delta:+}{relative})"
    return f"{json.dumps(golden)} -> {json.dumps(actual)}"


def item_label(item, index):
    if isinstance(item, dict) and "task" in item and "kernel" in item:
        return f"task {item['task']} ({item['kernel']})"
    return str(index)


def differences(golden, actual, path=""):
    """(path, description) of every leaf where the two documents differ."""
    if isinstance(golden, dict) and isinstance(actual, dict):
        found = []
        for key in list(golden) + [k for k in actual if k not in golden]:
            where = f"{path}.{key}" if path else key
            if key not in actual:
                found.append((where, "missing now (was " + json.dumps(golden[key])[:120] + ")"))
            elif key not in golden:
                found.append((where, "new (" + json.dumps(actual[key])[:120] + ")"))
            else:
                found += differences(golden[key], actual[key], where)
        return found
    if isinstance(golden, list) and isinstance(actual, list):
        found = []
        if len(golden) != len(actual):
            found.append((path, f"{len(golden)} entries -> {len(actual)}"))
        for index, (g, a) in enumerate(zip(golden, actual)):
            found += differences(g, a, f"{path}[{item_label(g, index)}]")
        return found
    return [] if golden == actual else [(path, describe_number(golden, actual))]


def check(goldens_dir, actual, actual_dir):
    actual_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name, document in sorted(actual.items()):
        (actual_dir / f"{name}.json").write_text(formatted(document) + "\n")
        golden_path = goldens_dir / f"{name}.json"
        if not golden_path.exists():
            print(f"MISSING {name}: no golden {golden_path}")
            failures += 1
            continue
        found = differences(json.loads(golden_path.read_text()), document)
        if not found:
            print(f"same    {name}")
            continue
        failures += 1
        print(f"DIFFER  {name}: {len(found)} field(s) changed")
        for where, what in found[:MAX_DIFFERENCES_SHOWN]:
            print(f"    {where}: {what}")
        if len(found) > MAX_DIFFERENCES_SHOWN:
            print(f"    ... and {len(found) - MAX_DIFFERENCES_SHOWN} more")
    return failures


def summarize(failures, runs, goldens_dir, actual_dir):
    if not failures:
        print(f"{runs} runs match their goldens")
        return 0
    print(f"\n{failures} difference(s) from the goldens in {goldens_dir}. The actual documents are in {actual_dir}"
          f" (`diff -u {goldens_dir}/<run>.json {actual_dir}/<run>.json`).\nIf the change is intended (a cost, a"
          f" mechanism or a scene changed on purpose), regenerate the goldens with `{UPDATE_COMMAND}` and commit the"
          f" reviewed diff of tests/goldens/.")
    return 1


def timeline_bounds(run):
    """(first dispatch, last end) of a run's timeline."""
    if "timeline" in run:
        timeline = run["timeline"]
        if not timeline:
            return 0, 0
        return min(t["dispatch_ns"] for t in timeline), max(t["end_ns"] for t in timeline)
    digest = run["timeline_digest"]
    return digest["first_dispatch_ns"], digest["last_end_ns"]


def assignment(document):
    """Which core ran each task of each run (digests: how many cores each kernel used)."""
    return [[(t["core_type"], t["core"]) for t in run["timeline"]] if "timeline" in run
            else {k: v["cores"] for k, v in run["timeline_digest"]["kernels"].items()} for run in document["runs"]]


def timeline_figures(golden, actual):
    """(what, golden, actual, scale) of every timeline figure the quantum check compares; a figure
    may be `scale` * tolerance away from its golden. Structural differences (runs, tasks) have scale 0."""
    figures = []
    if len(golden["runs"]) != len(actual["runs"]):
        return [("runs", len(golden["runs"]), len(actual["runs"]), 0)]
    for index, (g, a) in enumerate(zip(golden["runs"], actual["runs"])):
        (g_first, g_last), (a_first, a_last) = timeline_bounds(g), timeline_bounds(a)
        span = g_last - g_first
        figures.append((f"run {index} first dispatch", g_first, a_first, g_first))
        figures.append((f"run {index} makespan", span, a_last - a_first, span))
        if "timeline" in g:
            if len(g["timeline"]) != len(a.get("timeline", [])):
                figures.append((f"run {index} tasks", len(g["timeline"]), len(a.get("timeline", [])), 0))
                continue
            for gt, at in zip(g["timeline"], a["timeline"]):
                for field in TASK_TIME_FIELDS:
                    figures.append((f"run {index} task {gt['task']} ({gt['kernel']}) {field} after the first dispatch",
                                    gt[field] - g_first, at[field] - a_first, span))
        else:
            for kernel, gk in g["timeline_digest"]["kernels"].items():
                ak = a["timeline_digest"]["kernels"].get(kernel, {"busy_ns": 0, "queued_ns": 0})
                for field in ("busy_ns", "queued_ns"):
                    figures.append((f"run {index} {kernel} {field}", gk[field], ak[field], gk[field]))
    for call, timing in golden["api_device_ns"].items():
        actual_ns = actual["api_device_ns"].get(call, {"device_ns": 0})["device_ns"]
        figures.append((f"{call} device time", timing["device_ns"], actual_ns, timing["device_ns"]))
    return figures


def quantum_deviations(figures, tolerance):
    """(what, golden, actual, allowed) of every timeline figure further from its golden than allowed."""
    return [(what, g, a, tolerance * abs(scale)) for what, g, a, scale in figures
            if abs(a - g) > tolerance * abs(scale)]


def largest_deviation(figures):
    """(fraction of its scale, what) of the figure furthest from its golden; (0, "") if none moved."""
    worst = (0.0, "")
    for what, g, a, scale in figures:
        if a != g:
            worst = max(worst, (abs(a - g) / abs(scale) if scale else float("inf"), what))
    return worst


def is_seed_scene(run):
    return run.split(".")[0] in SEED_SCENES


def check_quantum(goldens_dir, quantum_ns, actual):
    failures = 0
    for name, document in sorted(actual.items()):
        golden_path = goldens_dir / f"{name}.json"
        if not golden_path.exists():
            print(f"MISSING {name}: no golden {golden_path}")
            failures += 1
            continue
        golden = json.loads(golden_path.read_text())
        other_schedule = assignment(golden) != assignment(document)
        tolerance = OTHER_SCHEDULE_TOLERANCE if other_schedule and not is_seed_scene(name) else QUANTUM_TOLERANCE
        figures = timeline_figures(golden, document)
        found = quantum_deviations(figures, tolerance)
        what = "tasks on other cores than in the golden, " if other_schedule else ""
        largest, figure = largest_deviation(figures)
        share = f"{largest:.2%}" if largest >= 0.0001 else "< 0.01%"
        worst = f"; largest {share}, {figure}" if largest else "; identical"
        if not found:
            print(f"within  {name} at {quantum_ns} ns ({what}{tolerance:.0%}{worst})")
            continue
        failures += 1
        print(f"OUTSIDE {name} at {quantum_ns} ns ({what}{tolerance:.0%}): {len(found)} figure(s) further away")
        for what, golden_value, actual_value, allowed in found[:MAX_DIFFERENCES_SHOWN]:
            print(f"    {what}: {golden_value} -> {actual_value} (allowed +-{allowed:.0f})")
    return failures


def update(goldens_dir, actual):
    goldens_dir.mkdir(parents=True, exist_ok=True)
    for stale in goldens_dir.glob("*.json"):
        stale.unlink()
    for name, document in sorted(actual.items()):
        (goldens_dir / f"{name}.json").write_text(formatted(document) + "\n")
    print(f"wrote {len(actual)} goldens to {goldens_dir}; review `git diff {goldens_dir}` before committing")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["check", "update", "quantum"])
    parser.add_argument("--harness", required=True)
    parser.add_argument("--memtrace", required=True)
    parser.add_argument("--goldens", default=str(HERE), help="directory of the golden documents")
    parser.add_argument("--work", default=None, help="scratch directory (traces, results, actual documents)")
    parser.add_argument("--arch", default="all", choices=["a2a3", "a5", "all"], help="check: only this arch's runs")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="scene processes at a time")
    parser.add_argument("--scene", action="append", default=[], help="check: only this scene (repeatable)")
    parser.add_argument("--quantum", action="append", type=int, default=[],
                        help="quantum: a temporal-decoupling quantum in ns to compare at (repeatable)")
    args = parser.parse_args()
    if args.mode == "quantum" and not args.quantum:
        parser.error("quantum needs at least one --quantum NS")
    if args.mode == "update" and (args.arch != "all" or args.scene):
        parser.error("update regenerates every golden: no --arch or --scene")
    goldens_dir = pathlib.Path(args.goldens)
    work = pathlib.Path(args.work or os.path.join(os.environ.get("TMPDIR", "/tmp"), f"tandem-goldens-{os.getpid()}"))
    if args.mode == "quantum":
        failures = sum(check_quantum(goldens_dir, quantum, run_scenes(args.harness, args.memtrace, work / f"q{quantum}",
                                                                      args.arch, args.scene, args.jobs, quantum))
                       for quantum in args.quantum)
        print(f"{failures} run(s) outside {QUANTUM_TOLERANCE:.0%}" if failures else
              f"every timeline within {QUANTUM_TOLERANCE:.0%} at quanta {', '.join(map(str, args.quantum))} ns")
        return 1 if failures else 0
    actual = run_scenes(args.harness, args.memtrace, work, args.arch, args.scene, args.jobs)
    if args.mode == "update":
        update(goldens_dir, actual)
        return 0
    stale = []
    if not args.scene:  # a golden whose run no longer exists is a difference too
        stale = [path.stem for path in sorted(goldens_dir.glob("*.json"))
                 if path.stem not in actual and args.arch in ("all", path.stem.rsplit(".", 1)[-1])]
        for name in stale:
            print(f"STALE   {name}: the golden has no run any more (scene, case or arch removed, or now skipped)")
    failures = check(goldens_dir, actual, work / "actual") + len(stale)
    return summarize(failures, len(actual), goldens_dir, work / "actual")

if __name__ == "__main__":
    sys.exit(main())
