// StoreHistory: a reader at an earlier time sees what memory held then; entries go once the
// kernel's time passes them.
#include "sim/model/memory/store_history.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

using tandem::sim::StoreHistory;

namespace {
// Memory of one 8-byte word and its history, as a core's scalar store makes them.
struct Word {
    uint64_t memory = 0;
    StoreHistory history;
    void store(uint64_t value, uint64_t at_ps, uint64_t kernel_ps) {
        history.record(0x1000, &memory, sizeof memory, at_ps, kernel_ps);
        memory = value;
    }
    uint64_t load(uint64_t at_ps, uint64_t kernel_ps) {
        uint64_t value = memory;
        history.rewind(0x1000, &value, sizeof value, at_ps, kernel_ps);
        return value;
    }
};
}  // namespace

TEST_CASE("StoreHistory: a reader behind a store sees the value before it", "[unit][store_history]") {
    Word word;
    word.store(1, 500, 0);
    word.store(2, 900, 0);
    CHECK(word.load(100, 0) == 0);
    CHECK(word.load(500, 0) == 1);  // a store is visible at its own time
    CHECK(word.load(899, 0) == 1);
    CHECK(word.load(900, 0) == 2);
    CHECK(word.load(5000, 0) == 2);
}

TEST_CASE("StoreHistory: entries go once the kernel's time passes them", "[unit][store_history]") {
    Word word;
    word.store(1, 500, 0);
    word.store(2, 900, 0);
    CHECK(word.history.pending() == 2);
    CHECK(word.load(600, 500) == 1);
    CHECK(word.history.pending() == 1);
    CHECK(word.load(900, 900) == 2);
    CHECK(word.history.pending() == 0);
    // A store at or before the kernel's time needs no entry: no core can be earlier.
    word.store(3, 1000, 1000);
    CHECK(word.history.pending() == 0);
}

TEST_CASE("StoreHistory: only the overlapping bytes are rewound", "[unit][store_history]") {
    StoreHistory history;
    uint8_t memory[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    const uint8_t overwritten[2] = {2, 3};
    history.record(0x2002, overwritten, 2, 700, 0);
    memory[2] = 0xAA;
    memory[3] = 0xBB;
    uint8_t read[4];
    std::memcpy(read, memory + 1, 4);
    history.rewind(0x2001, read, 4, 600, 0);
    CHECK(read[0] == 1);
    CHECK(read[1] == 2);
    CHECK(read[2] == 3);
    CHECK(read[3] == 4);
    // A read that does not overlap is untouched.
    uint8_t other = 0x55;
    history.rewind(0x3000, &other, 1, 0, 0);
    CHECK(other == 0x55);
}
