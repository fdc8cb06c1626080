// Chip children that fail: a crash or a hang is reported with the device id (and the
// signal) instead of hanging the parent; a device that does not initialise fails the
// start-up barrier by name; children die with their parent; shared memory is released
// whatever happened to a child.
#include "l3_test_support.h"

#include <catch2/catch.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace tandem;
using namespace tandem::test;
using Catch::Matchers::Contains;

namespace {

// Runs the vector example on `device`, which must fail with a ChildError; returns it.
runtime::ChildError expect_child_error(runtime::Worker& worker, int32_t device, const SharedVectorBuffers& buffers,
                                       int32_t timeout_ms) {
    worker.submit(device, vector_graph(buffers.tensors));
    try {
        worker.wait(device, timeout_ms);
    } catch (const runtime::ChildError& error) {
        return error;
    }
    FAIL("wait should have reported the child's failure");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("L3 a child that crashes is reported with its device id and signal", "[l3][failure]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0, 1});
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    const int32_t pid = worker->chip_info(1).pid;
    worker->arm_child_fault(1, runtime::ChildFault::Abort);
    const runtime::ChildError error = expect_child_error(*worker, 1, buffers, 60'000);
    INFO(error.what());
    CHECK(error.device_id == 1);
    CHECK(error.pid == pid);
    CHECK(error.signal == SIGABRT);
    CHECK_FALSE(error.timed_out);
    CHECK_THAT(error.what(), Contains("device 1") && Contains("signal 6") && Contains("SIGABRT"));
    // The device stays unusable with the same explanation; the other chip works on.
    CHECK_THROWS_AS(worker->submit(1, vector_graph(buffers.tensors)), runtime::ChildError);
    worker->run(0, vector_graph(buffers.tensors));
    CHECK(all_equal(buffers.f(), kElements, 194.0f));
    worker->close();
}

TEST_CASE("L3 a child that kills itself or exits is reported", "[l3][failure]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a5", {0});
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    SECTION("SIGKILL") {
        worker->arm_child_fault(0, runtime::ChildFault::KillSelf);
        const runtime::ChildError error = expect_child_error(*worker, 0, buffers, 60'000);
        CHECK(error.signal == SIGKILL);
        CHECK_THAT(error.what(), Contains("device 0") && Contains("SIGKILL"));
    }
    SECTION("exit") {
        worker->arm_child_fault(0, runtime::ChildFault::Exit);
        const runtime::ChildError error = expect_child_error(*worker, 0, buffers, 60'000);
        CHECK(error.signal == 0);
        CHECK(error.exit_code == 93);
        CHECK_THAT(error.what(), Contains("device 0") && Contains("exited with code 93"));
    }
}

TEST_CASE("L3 a child that hangs is bounded by the wait timeout and killed", "[l3][failure]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    const SharedVectorBuffers buffers = create_vector_buffers(*worker, 5.0f, 7.0f);
    worker->arm_child_fault(0, runtime::ChildFault::Hang);
    const auto start = std::chrono::steady_clock::now();
    const runtime::ChildError error = expect_child_error(*worker, 0, buffers, 500);
    const auto waited = std::chrono::steady_clock::now() - start;
    INFO(error.what());
    CHECK(waited >= std::chrono::milliseconds(500));
    CHECK(waited < std::chrono::seconds(5));
    CHECK(error.timed_out);
    CHECK(error.device_id == 0);
    CHECK(error.signal == SIGKILL);
    CHECK_THAT(error.what(), Contains("device 0") && Contains("did not answer in time") && Contains("picked up"));
    CHECK(children_of(getpid()).empty());  // killed and reaped at once
}

TEST_CASE("L3 a device that does not initialise fails start-up naming it and its error", "[l3][failure]") {
    L3LeakCheck leak_check;
    setenv("TANDEM_SIM_DEVICES", "2", 1);
    try {
        make_worker("a2a3", {0, 5});
        FAIL("the worker should not have started");
    } catch (const runtime::ChildError& error) {
        INFO(error.what());
        CHECK(error.device_id == 5);
        CHECK_THAT(error.what(), Contains("init failed") && Contains("device 5") && Contains("out of range"));
    }
    unsetenv("TANDEM_SIM_DEVICES");
}

TEST_CASE("L3 unregistering releases the parent's shared memory even when the child is gone", "[l3][failure]") {
    L3LeakCheck leak_check;
    auto worker = make_worker("a2a3", {0});
    VectorBuffers host(5.0f, 7.0f);
    std::vector<runtime::HostBuffer> registrations;
    for (std::vector<float>* v : {&host.a, &host.b, &host.c, &host.d, &host.e, &host.g, &host.f}) {
        registrations.push_back(worker->register_host_buffer(v->data(), kTensorBytes));
    }
    worker->arm_child_fault(0, runtime::ChildFault::KillSelf);
    worker->submit(0, vector_graph(host_tensor(host.a), host_tensor(host.b), host));
    // Without waiting: once the child is dead its pending submission holds nothing. Until
    // then the registrations are in use (std::logic_error); the retry is bounded.
    for (int attempt = 0;; ++attempt) {
        try {
            worker->unregister_host_buffer(registrations[0]);
            break;
        } catch (const std::logic_error& error) {
            INFO(error.what());
            REQUIRE(attempt < 500);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    for (size_t i = 1; i < registrations.size(); ++i) worker->unregister_host_buffer(registrations[i]);
    for (const std::string& leftover : shared_memory_leftovers()) CHECK_THAT(leftover, Contains("mailbox"));
    CHECK_THROWS_AS(worker->wait(0), runtime::ChildError);
}

TEST_CASE("L3 children die with their parent and leave no shared memory", "[l3][failure]") {
    L3LeakCheck leak_check;
    // This process adopts orphans, so it sees the children of the killed parent end.
    REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t parent = fork();
    REQUIRE(parent >= 0);
    if (parent == 0) {
        // The stand-in parent: never returns into the test framework.
        close(pipe_fds[0]);
        try {
            auto worker = make_worker("a2a3", {0, 1});
            const pid_t pids[2] = {worker->chip_info(0).pid, worker->chip_info(1).pid};
            if (write(pipe_fds[1], pids, sizeof(pids)) != sizeof(pids)) _exit(1);
            for (;;) pause();  // killed by the test
        } catch (...) {
            _exit(2);
        }
    }
    close(pipe_fds[1]);
    pid_t pids[2] = {0, 0};
    const bool got = read(pipe_fds[0], pids, sizeof(pids)) == sizeof(pids);
    close(pipe_fds[0]);
    kill(parent, SIGKILL);
    int status = 0;
    waitpid(parent, &status, 0);
    REQUIRE(got);
    for (pid_t pid : pids) {
        INFO("chip child " << pid);
        // Bounded: PDEATHSIG delivers SIGKILL as soon as the parent is gone.
        int child_status = 0;
        pid_t reaped = 0;
        for (int i = 0; i < 500 && reaped == 0; ++i) {
            reaped = waitpid(pid, &child_status, WNOHANG);
            if (reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(reaped == pid);
        CHECK(WIFSIGNALED(child_status));
        CHECK(WTERMSIG(child_status) == SIGKILL);
    }
    prctl(PR_SET_CHILD_SUBREAPER, 0);
}
