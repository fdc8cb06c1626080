#include "harness/scene_process/output_dump.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace tandem::harness {
namespace {

struct ElementType {
    char kind;
    size_t size;
};

ElementType element_type(const std::string& dtype) {
    if (dtype == "bool") return {'b', 1};
    for (const auto& [prefix, kind] : {std::pair<const char*, char>{"uint", 'u'}, {"int", 'i'}, {"float", 'f'}}) {
        const std::string p = prefix;
        if (dtype.rfind(p, 0) != 0) continue;
        const std::string bits = dtype.substr(p.size());
        const bool supported = kind == 'f' ? (bits == "16" || bits == "32" || bits == "64")
                                           : (bits == "8" || bits == "16" || bits == "32" || bits == "64");
        if (supported) return {kind, std::stoul(bits) / 8};
    }
    throw std::runtime_error("cannot compare dumped outputs of dtype '" + dtype +
                             "' (bool, int8..int64, uint8..uint64, float16, float32, float64)");
}

double half_to_double(uint16_t half) {
    const int sign = half >> 15, exponent = (half >> 10) & 0x1f, mantissa = half & 0x3ff;
    double value;
    if (exponent == 0)
        value = std::ldexp(mantissa, -24);  // subnormal
    else if (exponent == 0x1f)
        value = mantissa ? std::numeric_limits<double>::quiet_NaN() : HUGE_VAL;
    else
        value = std::ldexp(mantissa + 1024, exponent - 25);
    return sign ? -value : value;
}

template <typename T>
T load(const unsigned char* at) {
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

}  // namespace

std::string output_dump_path(const std::string& dump_dir, size_t check_index) {
    return dump_dir + "/" + std::to_string(check_index) + ".bin";
}

void write_output_dump(const std::string& path, const void* data, uint64_t bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    out.close();
    if (!out) throw std::runtime_error("cannot write the output dump " + path);
}

DumpedArray::DumpedArray(const std::string& path, const std::string& dtype, const std::vector<uint64_t>& shape) {
    const ElementType type = element_type(dtype);
    kind_ = type.kind;
    item_size_ = type.size;
    elements_ = 1;
    for (const uint64_t extent : shape) elements_ *= extent;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("no output dump " + path);
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (bytes_.size() != elements_ * item_size_) {
        throw std::runtime_error("output dump " + path + " has " + std::to_string(bytes_.size()) + " bytes, expected " +
                                 std::to_string(elements_ * item_size_) + " (" + dtype + ", " +
                                 std::to_string(elements_) + " elements)");
    }
}

bool DumpedArray::same_bits(const DumpedArray& other, uint64_t i) const {
    return item_size_ == other.item_size_ &&
           std::memcmp(&bytes_[i * item_size_], &other.bytes_[i * item_size_], item_size_) == 0;
}

double DumpedArray::as_double(uint64_t i) const {
    const unsigned char* at = &bytes_[i * item_size_];
    switch (kind_) {
        case 'f':
            if (item_size_ == 2) return half_to_double(load<uint16_t>(at));
            if (item_size_ == 4) return load<float>(at);
            return load<double>(at);
        case 'i':
            if (item_size_ == 1) return load<int8_t>(at);
            if (item_size_ == 2) return load<int16_t>(at);
            if (item_size_ == 4) return load<int32_t>(at);
            return static_cast<double>(load<int64_t>(at));
        default:
            if (item_size_ == 1) return load<uint8_t>(at);
            if (item_size_ == 2) return load<uint16_t>(at);
            if (item_size_ == 4) return load<uint32_t>(at);
            return static_cast<double>(load<uint64_t>(at));
    }
}

std::string DumpedArray::text(uint64_t i) const {
    const unsigned char* at = &bytes_[i * item_size_];
    if (kind_ == 'b') return at[0] ? "True" : "False";
    if (kind_ == 'i' && item_size_ == 8) return std::to_string(load<int64_t>(at));
    if (kind_ == 'u' && item_size_ == 8) return std::to_string(load<uint64_t>(at));
    std::ostringstream out;
    out.precision(kind_ == 'f' ? round_trip_digits(item_size_) : 20);
    out << as_double(i);
    return out.str();
}

int round_trip_digits(size_t item_size) { return item_size == 8 ? 17 : item_size == 4 ? 9 : 5; }

std::vector<uint64_t> element_index(uint64_t flat, const std::vector<uint64_t>& shape) {
    std::vector<uint64_t> index(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        const uint64_t extent = shape[d] ? shape[d] : 1;
        index[d] = flat % extent;
        flat /= extent;
    }
    return index;
}

std::string index_text(const std::vector<uint64_t>& index) {
    std::string out = "[";
    for (size_t d = 0; d < index.size(); ++d) out += (d ? ", " : "") + std::to_string(index[d]);
    return out + "]";
}

std::string index_text(uint64_t flat, const std::vector<uint64_t>& shape) {
    return index_text(element_index(flat, shape));
}

}  // namespace tandem::harness
