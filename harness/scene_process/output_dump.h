// The checked outputs a scene process dumps for `harness run --both`: each
// ctx.check's actual array as raw C-order bytes in DIR/<check index>.bin, its
// numpy dtype name and shape recorded in the check. The parent reads them back to
// compare the two providers' outputs element by element, without numpy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::harness {

// DIR/<check index>.bin
std::string output_dump_path(const std::string& dump_dir, size_t check_index);

// Writes `bytes` at `data`; throws std::runtime_error if the file cannot be written.
void write_output_dump(const std::string& path, const void* data, uint64_t bytes);

// A dumped array: its elements as raw bytes plus how to read them.
class DumpedArray {
public:
    // Reads the file; throws std::runtime_error naming it if it is missing, the dtype
    // is not one of bool, int8..int64, uint8..uint64, float16, float32, float64, or the
    // size does not match the shape.
    DumpedArray(const std::string& path, const std::string& dtype, const std::vector<uint64_t>& shape);

    uint64_t elements() const { return elements_; }
    bool is_float() const { return kind_ == 'f'; }
    // Whether element i has the same bytes in both arrays (same dtype expected).
    bool same_bits(const DumpedArray& other, uint64_t i) const;
    double as_double(uint64_t i) const;
    // The element as text: integers exactly, floats with enough digits to round-trip.
    std::string text(uint64_t i) const;

private:
    char kind_;  // 'b' bool, 'i' signed, 'u' unsigned, 'f' float
    size_t item_size_;
    uint64_t elements_;
    std::vector<unsigned char> bytes_;
};

// Significant digits that write any float of `item_size` bytes so that it reads back the same
// (max_digits10 of half, float, double).
int round_trip_digits(size_t item_size);

// The multi-dimensional index of flat (C-order) element `flat` in `shape`, and as text: "[3, 17]".
std::vector<uint64_t> element_index(uint64_t flat, const std::vector<uint64_t>& shape);
std::string index_text(const std::vector<uint64_t>& index);
std::string index_text(uint64_t flat, const std::vector<uint64_t>& shape);

}  // namespace tandem::harness
