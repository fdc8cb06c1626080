// Command-line value parsing: times with units, ranges, regions and initiator selectors.
#include "tools/memtrace/parse.h"

#include <catch2/catch.hpp>

using namespace tandem;
using namespace tandem::memtrace;

TEST_CASE("parse_time_ps accepts ps and units", "[parse]") {
    CHECK(parse_time_ps("42") == 42);
    CHECK(parse_time_ps("42ps") == 42);
    CHECK(parse_time_ps("10ns") == 10000);
    CHECK(parse_time_ps("1.5us") == 1500000);
    CHECK(parse_time_ps("2ms") == 2000000000);
    CHECK(parse_time_ps("1s") == 1000000000000);
    for (const char* bad : {"", "abc", "1.2.3us", "-5", "5 ns", "5min", ".", "99999999999999999999"}) {
        CHECK_THROWS_AS(parse_time_ps(bad), std::invalid_argument);
    }
}

TEST_CASE("parse_unsigned accepts decimal and hex", "[parse]") {
    CHECK(parse_unsigned("4096") == 4096);
    CHECK(parse_unsigned("0x1000") == 4096);
    CHECK(parse_unsigned("0XfF") == 255);
    for (const char* bad : {"", "0x", "0xg", "+1", " 1", "1k"})
        CHECK_THROWS_AS(parse_unsigned(bad), std::invalid_argument);
}

TEST_CASE("parse_range reads LO-HI with optional bounds", "[parse]") {
    const Range both = parse_range("0x10-0x20", parse_unsigned);
    CHECK(both.lo == 0x10);
    CHECK(both.hi == 0x20);
    CHECK(parse_range("5-", parse_unsigned).hi == UINT64_MAX);
    CHECK(parse_range("-5", parse_unsigned).lo == 0);
    CHECK(parse_range("1us-2us", parse_time_ps).hi == 2000000);
    for (const char* bad : {"5", "5-5", "6-5", "a-b"})
        CHECK_THROWS_AS(parse_range(bad, parse_unsigned), std::invalid_argument);
}

TEST_CASE("Range overlap counts partial and zero-size accesses", "[parse]") {
    const Range range{0x100, 0x200};
    CHECK(range.overlaps(0xf0, 0x20));
    CHECK(range.overlaps(0x1ff, 100));
    CHECK(range.overlaps(0x100, 0));
    CHECK_FALSE(range.overlaps(0x200, 4));
    CHECK_FALSE(range.overlaps(0xf0, 0x10));
    CHECK(Range{0, UINT64_MAX}.overlaps(UINT64_MAX - 1, 100));
}

TEST_CASE("parse_region and parse_initiator know every name", "[parse]") {
    CHECK(parse_region("host-mapped") == trace::Region::HostMapped);
    CHECK(parse_region("unmapped") == trace::Region::Unmapped);
    CHECK_THROWS_AS(parse_region("dram"), std::invalid_argument);

    const InitiatorSelector aiv3 = parse_initiator("aiv3");
    CHECK(aiv3.matches(trace::make_initiator(trace::InitiatorKind::Aiv, 3)));
    CHECK_FALSE(aiv3.matches(trace::make_initiator(trace::InitiatorKind::Aiv, 2)));
    CHECK_FALSE(aiv3.matches(trace::make_initiator(trace::InitiatorKind::Aic, 3)));
    const InitiatorSelector aicpu = parse_initiator("aicpu");
    CHECK(aicpu.matches(trace::make_initiator(trace::InitiatorKind::Aicpu, 7)));
    CHECK(parse_initiator("aic0").kind == trace::InitiatorKind::Aic);
    CHECK(parse_initiator("dma").kind == trace::InitiatorKind::Dma);
    for (const char* bad : {"gpu0", "aiv-1", "aiv4096", "", "3"})
        CHECK_THROWS_AS(parse_initiator(bad), std::invalid_argument);
}
