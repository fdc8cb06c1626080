// PipeSchedule and the access-hazard shadows: when pipes may start, what flags and barriers
// order, and which unordered accesses are races.
#include "sim/model/pipes/pipe_schedule.h"
#include "sim/model/pipes/access_hazards.h"

#include <catch2/catch.hpp>

using namespace tandem::sim;

namespace {

// Issues one instruction on `pipe` at `issue_ps` for `busy_ps`; returns its index.
uint32_t issue(PipeSchedule& pipes, Pipe pipe, uint64_t issue_ps, uint64_t busy_ps, const char* name = "OP") {
    return pipes.record(pipe, pipes.start_of(pipe, issue_ps) + busy_ps, name);
}

}  // namespace

TEST_CASE("PipeSchedule: pipes run concurrently, each in order", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(1000);
    issue(pipes, Pipe::Mte2, 1000, 500);
    CHECK(pipes.start_of(Pipe::Mte2, 1010) == 1500);  // queued behind the first load
    CHECK(pipes.start_of(Pipe::V, 1010) == 1010);     // another pipe is free
    CHECK(pipes.barrier_all(1020) == 1500);           // PIPE_ALL waits for the load
}

TEST_CASE("PipeSchedule: a flag delays the waiting pipe until the source's earlier work ends", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    const uint32_t load = issue(pipes, Pipe::Mte2, 0, 800);
    CHECK_FALSE(pipes.ordered(Pipe::V, Pipe::Mte2, load));
    pipes.set_flag(Pipe::Mte2, Pipe::V, 0, 10);
    uint64_t resume = 0;
    REQUIRE(pipes.wait_flag(Pipe::Mte2, Pipe::V, 0, 20, resume));
    CHECK(resume == 20);                        // the scalar unit goes on
    CHECK(pipes.start_of(Pipe::V, 30) == 800);  // the vector pipe waits for the load
    CHECK(pipes.ordered(Pipe::V, Pipe::Mte2, load));
    CHECK_FALSE(pipes.ordered(Pipe::Mte3, Pipe::Mte2, load));  // only V was told
}

TEST_CASE("PipeSchedule: a flag covers only what its source issued before it", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    issue(pipes, Pipe::Mte2, 0, 100);
    pipes.set_flag(Pipe::Mte2, Pipe::V, 1, 0);
    const uint32_t late_load = issue(pipes, Pipe::Mte2, 0, 100);
    uint64_t resume = 0;
    REQUIRE(pipes.wait_flag(Pipe::Mte2, Pipe::V, 1, 0, resume));
    CHECK_FALSE(pipes.ordered(Pipe::V, Pipe::Mte2, late_load));
}

TEST_CASE("PipeSchedule: wait_flag without a pending set_flag would hang", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    uint64_t resume = 0;
    CHECK_FALSE(pipes.wait_flag(Pipe::Mte2, Pipe::V, 0, 0, resume));
    pipes.set_flag(Pipe::Mte2, Pipe::V, 0, 0);
    CHECK(pipes.wait_flag(Pipe::Mte2, Pipe::V, 0, 0, resume));
    CHECK_FALSE(pipes.wait_flag(Pipe::Mte2, Pipe::V, 0, 0, resume));  // one wait per set
}

TEST_CASE("PipeSchedule: a wait on PIPE_S stalls the scalar unit and orders all later issues", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    const uint32_t compute = issue(pipes, Pipe::V, 0, 700);
    pipes.set_flag(Pipe::V, Pipe::S, 0, 5);
    uint64_t resume = 0;
    REQUIRE(pipes.wait_flag(Pipe::V, Pipe::S, 0, 10, resume));
    CHECK(resume == 700);
    CHECK(pipes.ordered(Pipe::Mte3, Pipe::V, compute));
}

TEST_CASE("PipeSchedule: dependent vector instructions need pipe_barrier(PIPE_V)", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    const uint32_t first = issue(pipes, Pipe::V, 0, 100);
    CHECK_FALSE(pipes.ordered(Pipe::V, Pipe::V, first));
    CHECK(pipes.ordered(Pipe::Mte2, Pipe::Mte2, 1));  // an MTE queue is in order with itself
    pipes.barrier(Pipe::V);
    CHECK(pipes.ordered(Pipe::V, Pipe::V, first));
}

TEST_CASE("BufferShadow: a load read by the vector pipe without a flag is a read-after-write race", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    BufferShadow ub(196608);
    ub.begin_task();
    const uint32_t load = issue(pipes, Pipe::Mte2, 0, 100, "TLOAD");
    ub.note(0x1000, 1024, true, {Pipe::Mte2, load});
    const auto hazard = ub.check(0x1200, 64, false, Pipe::V, pipes);
    REQUIRE(hazard);
    CHECK(hazard->kind == HazardKind::ReadAfterWrite);
    CHECK(hazard->earlier.pipe == Pipe::Mte2);
    CHECK(hazard->earlier.index == load);
    CHECK(hazard->begin == 0x1200);
    CHECK(hazard->end == 0x1240);
    CHECK_FALSE(ub.check(0x1400, 64, false, Pipe::V, pipes));  // past the loaded range

    pipes.set_flag(Pipe::Mte2, Pipe::V, 0, 0);
    uint64_t resume = 0;
    pipes.wait_flag(Pipe::Mte2, Pipe::V, 0, 0, resume);
    CHECK_FALSE(ub.check(0x1200, 64, false, Pipe::V, pipes));
}

TEST_CASE("BufferShadow: overwriting a tile a store still reads is a write-after-read race", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    BufferShadow ub(196608);
    ub.begin_task();
    const uint32_t store = issue(pipes, Pipe::Mte3, 0, 100, "TSTORE");
    ub.note(0, 512, false, {Pipe::Mte3, store});
    const auto hazard = ub.check(0, 512, true, Pipe::V, pipes);
    REQUIRE(hazard);
    CHECK(hazard->kind == HazardKind::WriteAfterRead);
    CHECK(hazard->earlier.pipe == Pipe::Mte3);
    CHECK_FALSE(ub.check(0, 512, false, Pipe::V, pipes));  // reading alongside a read is fine
}

TEST_CASE("BufferShadow: a new task forgets the previous task's accesses", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    BufferShadow ub(4096);
    ub.begin_task();
    ub.note(0, 4096, true, {Pipe::Mte2, issue(pipes, Pipe::Mte2, 0, 10)});
    REQUIRE(ub.check(0, 32, false, Pipe::V, pipes));
    pipes.reset(100);
    ub.begin_task();
    CHECK_FALSE(ub.check(0, 4096, false, Pipe::V, pipes));
}

TEST_CASE("GmStoreLog: a load of stored GM needs the store ordered before it", "[unit][pipes]") {
    PipeSchedule pipes;
    pipes.reset(0);
    GmStoreLog gm;
    const uint32_t store = issue(pipes, Pipe::Mte3, 0, 100, "TSTORE");
    gm.note_store(0x100000, 64, {Pipe::Mte3, store});
    CHECK_FALSE(gm.check_load(0x100040, 64, Pipe::Mte2, pipes));  // adjacent, not overlapping
    const auto hazard = gm.check_load(0x100020, 64, Pipe::Mte2, pipes);
    REQUIRE(hazard);
    CHECK(hazard->begin == 0x100020);
    CHECK(hazard->end == 0x100040);
    pipes.set_flag(Pipe::Mte3, Pipe::Mte2, 0, 0);
    uint64_t resume = 0;
    pipes.wait_flag(Pipe::Mte3, Pipe::Mte2, 0, 0, resume);
    CHECK_FALSE(gm.check_load(0x100000, 64, Pipe::Mte2, pipes));
}
