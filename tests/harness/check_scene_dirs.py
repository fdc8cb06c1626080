"""-DTANDEM_SCENE_DIRS: the kernels of scenes kept outside the tree are built with tandem's.

Configures the project (configure only, no build) into a temporary directory three times: with an
outside scene directory (its kernel becomes a build target), with one whose scene name repeats
one of tandem's scenes that has kernels (a configure error naming both), and with a path that is
not a directory (a configure error naming it).

Usage: check_scene_dirs.py <cmake> <source dir> <work dir>
"""
import os
import shutil
import subprocess
import sys

from harness_driver import expect, finish

cmake, source, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)


def scene_with_kernel(root, scene, kernel):
    kernels = os.path.join(root, scene, "kernels")
    os.makedirs(kernels)
    for name in ("add_scalar.cpp", "chunked_elementwise.h"):
        shutil.copy(os.path.join(source, "scenes", "vector_example", "kernels", name), kernels)
    os.rename(os.path.join(kernels, "add_scalar.cpp"), os.path.join(kernels, kernel + ".cpp"))
    with open(os.path.join(root, scene, "scene.py"), "w") as f:
        f.write('ARCHES = ["a2a3"]\nLEVEL = "L2"\n\n\ndef run(ctx):\n    pass\n')


def configure(scene_dirs):
    build = os.path.join(work, "build")
    shutil.rmtree(build, ignore_errors=True)
    command = [cmake, "-S", source, "-B", build, "-G", "Ninja", "-DTANDEM_SCENE_DIRS=" + scene_dirs]
    process = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", timeout=300)
    print("$", " ".join(command), "->", process.returncode)
    output = process.stdout + process.stderr
    print(output[-3000:])
    return process.returncode, " ".join(output.split()), build


outside = os.path.join(work, "their_scenes")
scene_with_kernel(outside, "their_scene", "their_kernel")
code, output, build = configure(outside)
expect(code == 0, "an outside scene directory configures")
expect(f"scene kernels of {outside}" in output, "configure names the directory")
with open(os.path.join(build, "build.ninja"), encoding="utf-8") as f:
    expect("their_scene/their_kernel.so" in f.read(), "the outside scene's kernel is a build target")

clashing = os.path.join(work, "clashing_scenes")
scene_with_kernel(clashing, "vector_example", "other")
code, output, _ = configure(clashing)
expect(code != 0 and "scene 'vector_example' has kernels in" in output and clashing in output,
       "a scene name with kernels in two directories is refused, naming both")

code, output, _ = configure(os.path.join(work, "missing"))
expect(code != 0 and "is not a directory" in output, "a path that is not a directory is refused")
shutil.rmtree(work, ignore_errors=True)
finish()
