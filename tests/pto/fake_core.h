// A test-only core behind the device ops table with both an AIV's and an AIC's resources: a
// 192 KiB unified buffer and the cube's buffers at a2a3's capacities (L1 512 KiB, L0A 64 KiB,
// L0B 64 KiB, L0C 128 KiB); MTE and cube transfers between them and host memory (a test passes
// host pointers as "GM addresses"); and a record of every vector and cube instruction, transfer,
// flag and barrier, so conformance tests check both an instruction's result and what it
// reported to the model.
#pragma once

#include "runtime/platform/device_abi.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tandem::pto_test {

struct RecordedVector {
    std::string name;
    uint32_t cost_class;
    uint32_t rows;
    uint64_t bytes;
    std::vector<tandem_ub_range> reads;
    std::vector<tandem_ub_range> writes;
};

struct RecordedTransfer {
    std::string name;
    tandem_mte_transfer transfer;
};

struct RecordedCubeTransfer {
    std::string name;
    tandem_cube_transfer transfer;  // `staging` points at the caller's (gone) buffer
};

struct RecordedFixToUb {
    std::string name;
    tandem_fix_to_ub transfer;  // `staging` points at the caller's (gone) buffer
};

struct RecordedCube {
    std::string name;
    uint32_t cost_class;
    uint32_t element;
    uint32_t m, k, n;
    uint64_t bytes;
    std::vector<tandem_cube_range> reads;
    std::vector<tandem_cube_range> writes;
};

struct RecordedSync {
    std::string kind;           // "set_flag", "wait_flag", "pipe_barrier", "cross_core_set", "cross_core_wait"
    uint32_t source_pipe;       // cross_core_set: the pipe it is queued on
    uint32_t destination_pipe;  // set_flag / wait_flag only; cross_core_set: its mode
    uint32_t event_id;          // set_flag / wait_flag only; cross_core_set / wait: the flag id
};

class FakeCore {
public:
    static constexpr uint32_t kUbBytes = 192 * 1024;
    static constexpr uint32_t kCubeBufferBytes[TANDEM_CUBE_BUFFER_COUNT] = {512 * 1024, 64 * 1024, 64 * 1024,
                                                                            128 * 1024, 1024};

    FakeCore();
    FakeCore(const FakeCore&) = delete;
    FakeCore& operator=(const FakeCore&) = delete;

    const tandem_device_env* env() const { return &env_; }
    tandem_device_env& mutable_env() { return env_; }

    template <typename T>
    void write_ub(uint32_t offset, const std::vector<T>& values) {
        std::memcpy(ub_.data() + offset, values.data(), values.size() * sizeof(T));
    }
    template <typename T>
    std::vector<T> read_ub(uint32_t offset, size_t count) const {
        std::vector<T> values(count);
        std::memcpy(values.data(), ub_.data() + offset, count * sizeof(T));
        return values;
    }
    void fill_ub(uint8_t byte) { std::memset(ub_.data(), byte, ub_.size()); }

    template <typename T>
    void write_cube(tandem_cube_buffer buffer, uint32_t offset, const std::vector<T>& values) {
        std::memcpy(cube_[buffer].data() + offset, values.data(), values.size() * sizeof(T));
    }
    template <typename T>
    std::vector<T> read_cube(tandem_cube_buffer buffer, uint32_t offset, size_t count) const {
        std::vector<T> values(count);
        std::memcpy(values.data(), cube_[buffer].data() + offset, count * sizeof(T));
        return values;
    }
    void fill_cube(uint8_t byte) {
        for (std::vector<uint8_t>& buffer : cube_) std::memset(buffer.data(), byte, buffer.size());
    }

    std::vector<RecordedVector> vectors;
    std::vector<RecordedTransfer> transfers;
    std::vector<RecordedCubeTransfer> cube_transfers;
    std::vector<RecordedCube> cubes;
    std::vector<RecordedFixToUb> fix_to_ubs;
    // The UBs of the cluster's two AIVs as fix_to_ub writes them (kUbBytes each).
    std::vector<uint8_t> cluster_ub[2];
    std::vector<RecordedSync> syncs;
    std::vector<uint64_t> declared_task_args;  // every declare_task_args call
    uint64_t loaded_bytes = 0;                 // scalar GM reads through `load`
    // Called inside every vector op, after it is recorded (e.g. to switch the current
    // env as another core's coroutine would).
    void (*on_vector)(FakeCore& core) = nullptr;
    void* on_vector_context = nullptr;

private:
    static FakeCore& of(void* core) { return *static_cast<FakeCore*>(core); }
    static void load(void* core, uint64_t address, void* dst, uint64_t bytes);
    static uint8_t* ub(void* core, uint32_t offset, uint32_t bytes);
    static void mte(void* core, const tandem_mte_transfer* transfer);
    static void vector(void* core, const tandem_vector_instruction* instruction);
    static void set_flag(void* core, uint32_t source, uint32_t destination, uint32_t event);
    static void cross_core_set(void* core, uint32_t mode, uint32_t pipe, uint32_t flag);
    static void cross_core_wait(void* core, uint32_t flag);
    static void wait_flag(void* core, uint32_t source, uint32_t destination, uint32_t event);
    static void pipe_barrier(void* core, uint32_t pipe);
    static void declare_task_args(void* core, uint64_t task_args);
    // The header and the words through `load`, as the model reads them, into argument_words_.
    static int64_t* task_argument_words(void* core, uint64_t task_args);
    static uint8_t* cube_buffer(void* core, uint32_t buffer, uint32_t offset, uint32_t bytes);
    static void cube_transfer(void* core, const tandem_cube_transfer* transfer);
    static void cube(void* core, const tandem_cube_instruction* instruction);
    static void fix_to_ub(void* core, const tandem_fix_to_ub* transfer);

    std::vector<uint8_t> ub_;
    std::vector<int64_t> argument_words_;
    std::vector<uint8_t> cube_[TANDEM_CUBE_BUFFER_COUNT];
    tandem_device_ops ops_{};
    tandem_device_env env_{};
};

}  // namespace tandem::pto_test
