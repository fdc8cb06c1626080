#!/usr/bin/env python3
"""ci/lint fails on a planted violation of .clang-format and of .clang-tidy, and passes on clean code.

Usage: check_lint_test.py CI_LINT REPOSITORY
Each case builds a small git tree in a temp dir (the repository's .clang-format and .clang-tidy, one
source file and a compile_commands.json naming it) and runs the lint step on it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CLEAN = """#include <string>
#include <utility>

std::string taken(std::string text) {
    std::string kept = std::move(text);
    return kept;
}
"""
MISFORMATTED = CLEAN.replace("    return kept;", "  return kept;")
USE_AFTER_MOVE = CLEAN.replace("return kept;", "return kept + text;")

# (file, its text, must fail, what the output must name)
CASES = [
    ("harness/cli/a.cpp", CLEAN, False, "lint ok"),
    ("harness/cli/a.cpp", MISFORMATTED, True, "clang-format"),
    ("harness/cli/a.cpp", USE_AFTER_MOVE, True, "bugprone-use-after-move"),
    # the style holds in every room, the clang-tidy checks only in ci/lint's TIDIED rooms
    ("sim/model/core/a.cpp", MISFORMATTED, True, "clang-format"),
    ("scenes/a/kernels/a.cpp", MISFORMATTED, True, "clang-format"),
    ("sim/model/core/a.cpp", USE_AFTER_MOVE, False, "lint ok"),
]


def run(lint, repository, source, text):
    with tempfile.TemporaryDirectory(prefix="tandem-lint-") as root:
        for config in (".clang-format", ".clang-tidy"):
            shutil.copy(os.path.join(repository, config), root)
        path = os.path.join(root, source)
        os.makedirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        build = os.path.join(root, "build")
        os.makedirs(build)
        with open(os.path.join(build, "compile_commands.json"), "w", encoding="utf-8") as f:
            json.dump([{"directory": root, "file": source, "command": f"c++ -std=c++17 -c {source} -o /dev/null"}], f)
        subprocess.run(["git", "init", "-q", root], check=True)
        subprocess.run(["git", "-C", root, "add", source], check=True)
        result = subprocess.run([lint, build, root], capture_output=True, text=True)
        return result.returncode, result.stdout + result.stderr


def main():
    lint, repository = sys.argv[1], sys.argv[2]
    failures = 0
    for source, text, must_fail, named in CASES:
        code, out = run(lint, repository, source, text)
        kind = {CLEAN: "clean", MISFORMATTED: "misformatted", USE_AFTER_MOVE: "use after move"}[text]
        if (code != 0) != must_fail or named not in out or (must_fail and source not in out):
            print(f"BAD {source} ({kind}): exit {code}, expected {'failure' if must_fail else 'success'} naming {named!r}\n{out}")
            failures += 1
        else:
            print(f"ok  {source} ({kind}): {'refused' if must_fail else 'passed'}")
    print(f"{len(CASES)} cases, {failures} wrong")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
