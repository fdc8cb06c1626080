#include "harness/scene_process/embedded_python.h"

#include <stdexcept>
#include <string>

namespace tandem::harness {

pybind11::scoped_interpreter start_interpreter() {
    PyConfig config;
    // pybind11's own defaults (an isolated configuration that still reads the
    // environment, with signal handlers) plus the program name.
    PyConfig_InitIsolatedConfig(&config);
    config.isolated = 0;
    config.use_environment = 1;
    config.install_signal_handlers = 1;
    // A scene's prints reach its log at once, in order with the harness's own output,
    // and are kept if the scene crashes.
    config.buffered_stdio = 0;
    const PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, TANDEM_PYTHON_EXECUTABLE);
    if (PyStatus_Exception(status)) {
        PyConfig_Clear(&config);
        throw std::runtime_error(std::string("cannot configure the embedded Python as ") + TANDEM_PYTHON_EXECUTABLE);
    }
    return pybind11::scoped_interpreter(&config);
}

}  // namespace tandem::harness
