// SparseMemory: zero until written, pages on first touch, accesses across pages.
#include "sim/model/memory/sparse_memory.h"

#include <catch2/catch.hpp>

#include <numeric>
#include <vector>

using tandem::sim::SparseMemory;

TEST_CASE("SparseMemory: untouched bytes read as zero and cost no pages", "[unit][sparse]") {
    SparseMemory memory;
    std::vector<uint8_t> bytes(100, 0xAA);
    memory.read(uint64_t(1) << 40, bytes.data(), bytes.size());
    CHECK(bytes == std::vector<uint8_t>(100, 0));
    CHECK(memory.resident_bytes() == 0);
}

TEST_CASE("SparseMemory: a write across a page boundary reads back and touches two pages", "[unit][sparse]") {
    SparseMemory memory;
    std::vector<uint8_t> written(300);
    std::iota(written.begin(), written.end(), uint8_t(1));
    const uint64_t offset = SparseMemory::kPageBytes - 100;
    memory.write(offset, written.data(), written.size());
    CHECK(memory.resident_bytes() == 2 * SparseMemory::kPageBytes);
    std::vector<uint8_t> read(written.size() + 2);
    memory.read(offset - 1, read.data(), read.size());
    CHECK(read.front() == 0);
    CHECK(read.back() == 0);
    CHECK(std::vector<uint8_t>(read.begin() + 1, read.end() - 1) == written);
    // page() gives the same bytes, for DMI.
    CHECK(memory.page(offset)[SparseMemory::kPageBytes - 100] == 1);
    CHECK(memory.page(SparseMemory::kPageBytes)[0] == 101);
}
