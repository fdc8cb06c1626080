"""Runs `harness run` with --json and --junit and reads both back (shared by the harness tests)."""
import json
import os
import subprocess
import xml.etree.ElementTree as ET


class Driver:
    def __init__(self, harness, work_dir, name):
        os.makedirs(work_dir, exist_ok=True)
        self.harness = harness
        self.json_path = os.path.join(work_dir, name + ".json")
        self.junit_path = os.path.join(work_dir, name + ".xml")

    def command(self, *args):
        return [self.harness, "run", *args, "--json", self.json_path, "--junit", self.junit_path]

    def run(self, *args, output=None, env=None, timeout=120, **popen):
        """Runs the harness to its end; returns the exit code and appends stdout + stderr to `output`."""
        for path in (self.json_path, self.junit_path):
            if os.path.exists(path):
                os.remove(path)  # a stale file must not pass for this run's
        command = self.command(*args)
        process = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", timeout=timeout,
                                 env=env, **popen)
        print("$", " ".join(command), "->", process.returncode)
        print(process.stdout[-20000:], process.stderr[-20000:])
        if output is not None:
            output.append(process.stdout + process.stderr)
        return process.returncode

    def load(self):
        """The JSON document, its results by (scene, arch) and the JUnit test cases by (name, arch); a scene
        with CASES is named scene[case] in both."""
        with open(self.json_path, encoding="utf-8") as f:
            document = json.load(f)
        results = {(r["scene"] + (f"[{r['case']}]" if r.get("case") else ""), r["arch"]): r
                   for r in document["results"]}
        cases = {(c.get("name"), c.get("classname").split(".")[-1]): c
                 for c in ET.parse(self.junit_path).getroot().iter("testcase")}
        return document, results, cases


def junit_status(case):
    for status in ("failure", "error", "skipped"):
        if case.find(status) is not None:
            return {"failure": "fail"}.get(status, status)
    return "pass"


failures = []


def expect(condition, message):
    """Records a failed expectation; finish() reports them all."""
    if not condition:
        failures.append(message)


def finish():
    for failure in failures:
        print("FAILED:", failure)
    raise SystemExit(1 if failures else 0)
