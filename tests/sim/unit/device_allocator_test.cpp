// DeviceAllocator: first fit, alignment, coalescing and the capacity limit.
#include "sim/model/memory/device_allocator.h"

#include <catch2/catch.hpp>

using tandem::sim::DeviceAllocator;

namespace {
constexpr uint64_t kBase = 0x1000'0000;
constexpr uint64_t kCapacity = 1 << 20;
constexpr uint64_t kAlignment = 512;
}  // namespace

TEST_CASE("DeviceAllocator rounds sizes up to the alignment and allocates first fit", "[unit][allocator]") {
    DeviceAllocator allocator(kBase, kCapacity, kAlignment);
    const auto a = allocator.allocate(1);
    const auto b = allocator.allocate(0);  // a zero-byte request still gets its own block
    const auto c = allocator.allocate(kAlignment + 1);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a->address == kBase);
    CHECK(a->size == kAlignment);
    CHECK(b->address == kBase + kAlignment);
    CHECK(c->address == kBase + 2 * kAlignment);
    CHECK(c->size == 2 * kAlignment);
    CHECK(a->id != b->id);
    CHECK(allocator.in_use() == 4 * kAlignment);
    CHECK(allocator.largest_free_block() == kCapacity - 4 * kAlignment);
}

TEST_CASE("DeviceAllocator refuses what does not fit and stays usable", "[unit][allocator]") {
    DeviceAllocator allocator(kBase, kCapacity, kAlignment);
    CHECK_FALSE(allocator.allocate(kCapacity + 1));
    const auto all = allocator.allocate(kCapacity);
    REQUIRE(all);
    CHECK_FALSE(allocator.allocate(1));
    CHECK(allocator.release(all->address));
    CHECK(allocator.in_use() == 0);
    CHECK(allocator.allocate(kCapacity));
}

TEST_CASE("regress 02 DeviceAllocator refuses sizes whose rounding overflows", "[unit][allocator][regress]") {
    DeviceAllocator allocator(kBase, kCapacity, kAlignment);
    for (const uint64_t size : {UINT64_MAX, UINT64_MAX - kAlignment + 2, UINT64_MAX - kAlignment + 1}) {
        INFO("size " << size);
        CHECK_FALSE(allocator.allocate(size));
    }
    CHECK(allocator.in_use() == 0);
    const auto a = allocator.allocate(64);
    const auto b = allocator.allocate(64);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->address != b->address);
}

TEST_CASE("DeviceAllocator coalesces freed neighbours and rejects unknown or double frees", "[unit][allocator]") {
    DeviceAllocator allocator(kBase, 4 * kAlignment, kAlignment);
    const auto a = allocator.allocate(kAlignment);
    const auto b = allocator.allocate(kAlignment);
    const auto c = allocator.allocate(2 * kAlignment);
    REQUIRE(c);
    CHECK(allocator.release(a->address));
    CHECK(allocator.release(c->address));
    CHECK(allocator.largest_free_block() == 2 * kAlignment);
    CHECK(allocator.release(b->address));  // joins both neighbours
    CHECK(allocator.largest_free_block() == 4 * kAlignment);
    CHECK_FALSE(allocator.release(b->address));
    CHECK_FALSE(allocator.release(kBase + 1));
}

TEST_CASE("DeviceAllocator finds the allocation containing a range", "[unit][allocator]") {
    DeviceAllocator allocator(kBase, kCapacity, kAlignment);
    const auto a = allocator.allocate(kAlignment);
    REQUIRE(a);
    CHECK(allocator.find(a->address));
    CHECK_FALSE(allocator.find(a->address + 8));
    CHECK(allocator.containing(a->address + 8, kAlignment - 8));
    CHECK_FALSE(allocator.containing(a->address + 8, kAlignment));
    CHECK_FALSE(allocator.containing(kBase - 1, 1));
}

TEST_CASE("DeviceAllocator: a range whose end wraps past 2^64 lies in no allocation", "[unit][allocator]") {
    DeviceAllocator allocator(kBase, kCapacity, kAlignment);
    const auto a = allocator.allocate(kAlignment);
    REQUIRE(a);
    CHECK_FALSE(allocator.containing(a->address, UINT64_MAX));
    CHECK_FALSE(allocator.containing(a->address + 8, UINT64_MAX - 7));
}
