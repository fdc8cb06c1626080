// BandwidthServer: latency, bandwidth, channel interleaving and contention.
#include "sim/model/memory/bandwidth_server.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using tandem::sim::BandwidthServer;

TEST_CASE("BandwidthServer: one transfer costs its occupancy plus the latency", "[unit][bandwidth]") {
    BandwidthServer server(1, 1.0, 100, 256);  // 1 GB/s = 1 byte per ns
    CHECK(server.transfer_ps(1000) == 1'000'000);
    CHECK(server.complete_at(0, 0, 1000) == 1'000'000 + 100);
    CHECK(server.bytes_served() == 1000);
    CHECK(server.busy_ps() == 1'000'000);
}

TEST_CASE("BandwidthServer: concurrent transfers on one channel queue behind each other", "[unit][bandwidth]") {
    BandwidthServer server(1, 1.0, 0, 256);
    CHECK(server.complete_at(0, 0, 100) == 100'000);
    CHECK(server.complete_at(0, 0, 100) == 200'000);        // waits for the first
    CHECK(server.complete_at(500'000, 0, 100) == 600'000);  // the channel is free again
}

TEST_CASE("BandwidthServer: interleaving spreads a transfer over the channels", "[unit][bandwidth]") {
    BandwidthServer server(4, 1.0, 0, 256);
    // One granule: one channel only.
    CHECK(server.complete_at(0, 0, 256) == 256'000);
    // The next granule lands on the next channel, which is still idle.
    CHECK(server.complete_at(0, 256, 256) == 256'000);
    // A long transfer is shared by all four channels.
    BandwidthServer fresh(4, 1.0, 0, 256);
    CHECK(fresh.complete_at(0, 0, 8 * 1024) == 2 * 1024 * 1000);
    // A transfer straddling a granule boundary uses both channels.
    BandwidthServer straddle(4, 1.0, 0, 256);
    CHECK(straddle.complete_at(0, 128, 256) == 128'000);
}

TEST_CASE("BandwidthServer: a server without channels or bandwidth is refused", "[unit][bandwidth]") {
    CHECK_THROWS_AS(BandwidthServer(0, 1.0, 0, 256), std::invalid_argument);
    CHECK_THROWS_AS(BandwidthServer(1, 0.0, 0, 256), std::invalid_argument);
    CHECK_THROWS_AS(BandwidthServer(1, -1.0, 0, 256), std::invalid_argument);
}

TEST_CASE("BandwidthServer: a request for an earlier time uses the gap before a later reservation",
          "[unit][bandwidth]") {
    BandwidthServer server(1, 1.0, 0, 256);
    CHECK(server.complete_at(1'000'000, 0, 100) == 1'100'000);  // reserved for later first
    CHECK(server.complete_at(0, 0, 100) == 100'000);            // fits before it
    CHECK(server.complete_at(950'000, 0, 100) == 1'200'000);    // does not fit: after it
}

TEST_CASE("ChannelCalendar: reservations fill gaps and merge", "[unit][bandwidth]") {
    tandem::sim::ChannelCalendar channel;
    CHECK(channel.reserve(100, 50, 0) == 100);
    CHECK(channel.reserve(300, 50, 0) == 300);
    CHECK(channel.reserve(120, 50, 0) == 150);  // after the first, still before the second
    CHECK(channel.reserve(0, 120, 0) == 350);   // no gap of 120 before 350
    CHECK(channel.reserve(0, 100, 0) == 0);     // the gap at the start
    CHECK(channel.reserve(200, 0, 0) == 200);   // nothing to reserve
}
