#include "harness/python/python_types.h"

#include <pybind11/stl.h>

#include <array>
#include <map>
#include <string>

namespace py = pybind11;

namespace tandem::harness {
namespace {

std::vector<uint32_t> shape_of(const py::array& array) {
    if (array.ndim() < 1 || array.ndim() > static_cast<py::ssize_t>(kMaxDims)) {
        throw py::value_error("tandem.Tensor: arrays need 1.." + std::to_string(kMaxDims) + " dimensions, got " +
                              std::to_string(array.ndim()));
    }
    std::vector<uint32_t> shape;
    for (py::ssize_t axis = 0; axis < array.ndim(); ++axis) {
        const py::ssize_t extent = array.shape(axis);
        // Tensor extents are 32-bit (the tensor ABI); a larger one must not wrap around.
        if (static_cast<uint64_t>(extent) > UINT32_MAX) {
            throw py::value_error("tandem.Tensor: dimension " + std::to_string(axis) + " of the array is " +
                                  std::to_string(extent) + "; tensor dimensions must be below 2^32 (split the array)");
        }
        shape.push_back(static_cast<uint32_t>(extent));
    }
    return shape;
}

// The memory of the array `array` views (following .base to the array that owns it), so
// that slices of one array are staged in one device buffer.
runtime::HostSpan allocation_of(const py::array& array) {
    py::array root = array;
    for (py::object base = root.attr("base"); py::isinstance<py::array>(base); base = root.attr("base")) {
        root = py::reinterpret_borrow<py::array>(base);
    }
    auto low = reinterpret_cast<uint64_t>(root.data()), high = low;
    for (py::ssize_t dim = 0; dim < root.ndim(); ++dim) {
        if (root.shape(dim) == 0)
            return {reinterpret_cast<uint64_t>(array.data()), static_cast<uint64_t>(array.nbytes())};
        const py::ssize_t reach = (root.shape(dim) - 1) * root.strides(dim);
        (reach < 0 ? low : high) += reach;
    }
    return {low, high + root.itemsize() - low};
}

}  // namespace

DType dtype_of(const py::dtype& dtype) {
    // By kind and size, so np.int64 and np.longlong are one type here; numpy writes the machine's
    // byte order as '=' ('|' where there is none), a foreign one as '<' or '>'. The kinds and
    // sizes are read once: every tandem.Tensor asks.
    struct KindAndSize {
        char kind;
        py::ssize_t itemsize;
    };
    static const std::array<KindAndSize, kDTypeCount> taken = [] {
        std::array<KindAndSize, kDTypeCount> types{};
        for (uint32_t code = 0; code < kDTypeCount; ++code) {
            const py::dtype type = numpy_dtype(static_cast<DType>(code));
            types[code] = {type.kind(), type.itemsize()};
        }
        return types;
    }();
    if (dtype.byteorder() == '=' || dtype.byteorder() == '|') {
        for (uint32_t code = 0; code < kDTypeCount; ++code) {
            if (dtype.kind() == taken[code].kind && dtype.itemsize() == taken[code].itemsize) {
                return static_cast<DType>(code);
            }
        }
    }
    throw py::type_error("tandem: unsupported numpy dtype " + py::str(py::handle(dtype)).cast<std::string>() +
                         "; use float32, float16, int8/16/32/64 or uint8/16/32/64 in the machine's byte order "
                         "(bfloat16 data as its uint16 bits)");
}

py::dtype numpy_dtype(DType dtype) {
    switch (dtype) {
        case DType::Float32: return py::dtype::of<float>();
        case DType::Float16: return py::dtype("float16");
        case DType::Int32: return py::dtype::of<int32_t>();
        case DType::Int8: return py::dtype::of<int8_t>();
        case DType::Int16: return py::dtype::of<int16_t>();
        case DType::Int64: return py::dtype::of<int64_t>();
        case DType::Uint8: return py::dtype::of<uint8_t>();
        case DType::Uint16: return py::dtype::of<uint16_t>();
        case DType::Uint32: return py::dtype::of<uint32_t>();
        case DType::Uint64: return py::dtype::of<uint64_t>();
    }
    throw py::value_error("tandem: unknown dtype");
}

DType dtype_from_python(const py::object& dtype) {
    if (py::isinstance<DType>(dtype)) return dtype.cast<DType>();
    return dtype_of(py::dtype::from_args(dtype));
}

py::array view_memory(void* data, uint64_t nbytes, const py::object& dtype, const std::vector<uint32_t>& shape,
                      uint64_t offset, const py::object& base, const char* what) {
    const DType type = dtype_from_python(dtype);
    uint64_t bytes = dtype_bytes(type);
    for (uint32_t dim : shape) bytes *= dim;
    if (shape.empty() || offset > nbytes || bytes > nbytes - offset) {
        throw py::index_error(std::string(what) + ": " + std::to_string(bytes) + " bytes at offset " +
                              std::to_string(offset) + " lie outside the " + std::to_string(nbytes) +
                              "-byte buffer (or the shape is empty)");
    }
    const std::vector<py::ssize_t> extents(shape.begin(), shape.end());
    return py::array(numpy_dtype(type), extents, static_cast<uint8_t*>(data) + offset, base);
}

PyTensor tensor_from_array(const py::array& array) {
    if (!array.writeable()) throw py::value_error("tandem.Tensor: the array must be writeable");
    void* const data = const_cast<void*>(array.data());
    if (array.flags() & py::array::c_style) {
        return PyTensor{runtime::Tensor::on_host(data, shape_of(array), dtype_of(array.dtype()), allocation_of(array)),
                        array};
    }
    // A strided view (a column block, every other row): its strides in elements reach the
    // runtime, which stages the array it views once and copies back only its elements.
    std::vector<uint64_t> strides;
    for (py::ssize_t dim = 0; dim < array.ndim(); ++dim) {
        const py::ssize_t stride = array.strides(dim);
        if (array.shape(dim) == 1) {
            strides.push_back(1);  // never stepped: numpy's value for it does not matter
        } else if (stride <= 0 || stride % array.itemsize() != 0) {
            throw py::value_error("tandem.Tensor: dimension " + std::to_string(dim) + " of the view steps " +
                                  std::to_string(stride) +
                                  " bytes; a strided view needs positive strides that are "
                                  "whole elements (reversed and byte-offset views are not supported): copy it with "
                                  "numpy.ascontiguousarray");
        } else {
            strides.push_back(static_cast<uint64_t>(stride / array.itemsize()));
        }
    }
    try {
        return PyTensor{runtime::Tensor::on_host_view(data, shape_of(array), std::move(strides),
                                                      dtype_of(array.dtype()), allocation_of(array)),
                        array};
    } catch (const std::invalid_argument& error) {
        throw py::value_error(std::string("tandem.Tensor: ") + error.what());
    }
}

py::list timeline_to_python(const runtime::RunResult& result) {
    // The keys, and the few kernel and core-type names, are made once rather than once per task:
    // a 100k-task timeline took ~0.3 s of a run's return to Python with a new string for each.
    const py::str task_key("task"), kernel_key("kernel"), core_key("core"), core_type_key("core_type"),
        dispatch_key("dispatch_ns"), start_key("start_ns"), end_key("end_ns");
    std::map<std::string, py::str> kernels;
    std::map<runtime::KernelCore, py::str> core_types;
    py::list timeline(result.timeline.size());
    for (size_t index = 0; index < result.timeline.size(); ++index) {
        const runtime::TaskTiming& t = result.timeline[index];
        auto kernel = kernels.find(t.kernel);
        if (kernel == kernels.end()) kernel = kernels.emplace(t.kernel, py::str(t.kernel)).first;
        auto core_type = core_types.find(t.core_type);
        if (core_type == core_types.end()) {
            core_type = core_types.emplace(t.core_type, py::str(runtime::kernel_core_name(t.core_type))).first;
        }
        py::dict task;
        task[task_key] = t.task;
        task[kernel_key] = kernel->second;
        task[core_key] = t.core;
        task[core_type_key] = core_type->second;
        task[dispatch_key] = t.dispatch_ns;
        task[start_key] = t.start_ns;
        task[end_key] = t.end_ns;
        timeline[index] = std::move(task);
    }
    return timeline;
}

runtime::KernelCore kernel_core_from_python(const std::string& core) {
    try {
        return runtime::kernel_core_from_name(core);
    } catch (const std::invalid_argument& error) {
        throw py::value_error(std::string("register_kernel: ") + error.what());
    }
}

int32_t run_timeout_from_python(const std::optional<int32_t>& timeout_ms, const char* what) {
    if (!timeout_ms) return 0;
    if (*timeout_ms <= 0) {
        throw py::value_error(std::string(what) +
                              ": run_timeout_ms must be a positive number of ms (None: the default, "
                              "scaled to the graph), got " +
                              std::to_string(*timeout_ms));
    }
    return *timeout_ms;
}

std::pair<void*, uint64_t> bytes_of(const py::array& array, const char* what) {
    if (!(array.flags() & py::array::c_style))
        throw py::value_error(std::string(what) + ": the array must be C-contiguous");
    return {const_cast<void*>(array.data()), static_cast<uint64_t>(array.nbytes())};
}

std::pair<void*, uint64_t> writable_bytes_of(const py::array& array, const char* what) {
    if (!array.writeable()) {
        throw py::value_error(
            std::string(what) +
            ": the array is read-only (not writeable); pass a writeable array, e.g. numpy.empty_like(it)");
    }
    return bytes_of(array, what);
}

}  // namespace tandem::harness
