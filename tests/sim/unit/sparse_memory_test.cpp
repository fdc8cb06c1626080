// SparseMemory: zero until written, pages counted on first touch, accesses across pages,
// placed at its preferred host address when that range is free.
#include "sim/model/memory/sparse_memory.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <numeric>
#include <vector>

using tandem::sim::SparseMemory;

namespace {
constexpr uint64_t kCapacity = uint64_t(1) << 36;  // 64 GiB of address space, as an a2a3 HBM
}

TEST_CASE("SparseMemory: untouched bytes read as zero and cost no pages", "[unit][sparse]") {
    SparseMemory memory(kCapacity);
    std::vector<uint8_t> bytes(100, 0xAA);
    memory.read(kCapacity - 100, bytes.data(), bytes.size());
    CHECK(bytes == std::vector<uint8_t>(100, 0));
    CHECK(memory.resident_bytes() == 0);
}

TEST_CASE("SparseMemory: a write across a page boundary reads back and touches two pages", "[unit][sparse]") {
    SparseMemory memory(kCapacity);
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
    CHECK(memory.resident_bytes() == 2 * SparseMemory::kPageBytes);
}

TEST_CASE("SparseMemory: at its preferred host address its offsets are host pointers", "[unit][sparse]") {
    const uint64_t preferred = uint64_t(0x2100) << 32;
    SparseMemory memory(uint64_t(1) << 30, preferred);
    REQUIRE(memory.at_preferred_address());
    const uint32_t word = 0x5EED;
    memory.write(0x1000, &word, sizeof word);
    uint32_t through_pointer = 0;
    std::memcpy(&through_pointer, reinterpret_cast<const void*>(preferred + 0x1000), sizeof through_pointer);
    CHECK(through_pointer == word);
    // A second memory wanting the same range goes elsewhere and says so.
    SparseMemory second(uint64_t(1) << 30, preferred);
    CHECK_FALSE(second.at_preferred_address());
    second.write(0x1000, &word, sizeof word);
    uint32_t back = 0;
    second.read(0x1000, &back, sizeof back);
    CHECK(back == word);
}
