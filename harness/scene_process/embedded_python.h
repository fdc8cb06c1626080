// The embedded interpreter of a scene process, pinned to the Python the build found.
#pragma once

#include <pybind11/embed.h>

namespace tandem::harness {

// Starts the interpreter as the build's Python (TANDEM_PYTHON_EXECUTABLE) whatever
// python3 comes first on the caller's PATH: Python derives sys.prefix -- and so its
// standard library and site-packages (numpy) -- from its program name, which it
// otherwise looks up on PATH (a pyenv python3 there would bring its own prefix).
pybind11::scoped_interpreter start_interpreter();

}  // namespace tandem::harness
