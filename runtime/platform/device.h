// Device code's view of its core: a thin C++ face over the platform ABI
// (device_abi.h), so the scheduler and the executor read like code for the real chip.
// Kernels reach the AIV pipes through the PTO subset instead (runtime/kernel/pto). A
// board build provides the same class over the CANN toolchain.
#pragma once

#include "runtime/platform/device_abi.h"

#include <cstdint>

namespace tandem::device {

inline constexpr uint64_t kForever = UINT64_MAX;

class Device {
public:
    explicit Device(const tandem_device_env* env) : env_(env), ops_(env->ops), core_(env->core) {}

    const tandem_device_env& env() const { return *env_; }
    uint32_t block_idx() const { return env_->block_idx; }
    uint32_t block_dim() const { return env_->block_dim; }

    uint64_t now_ns() const { return ops_->now_ns(core_); }
    void compute_ns(uint64_t ns) const { ops_->compute_ns(core_, ns); }
    void pause_ns(uint64_t ns) const { ops_->pause_ns(core_, ns); }
    void idle_wait(uint64_t period_ns, uint64_t since_ns, uint64_t until_ns) const {
        ops_->idle_wait(core_, period_ns, since_ns, until_ns);
    }
    void announce_change() const { ops_->announce_change(core_); }
    // The chip's system counter: what silicon timestamps are (ascend-facts: 50 MHz a2a3, 1 GHz a5).
    uint64_t counter_ticks() const { return ops_->system_counter(core_); }

    void load(uint64_t address, void* dst, uint64_t bytes) const { ops_->load(core_, address, dst, bytes); }
    void store(uint64_t address, const void* src, uint64_t bytes) const { ops_->store(core_, address, src, bytes); }
    template <typename T>
    T load_value(uint64_t address) const {
        T value;
        load(address, &value, sizeof(T));
        return value;
    }
    template <typename T>
    void store_value(uint64_t address, const T& value) const {
        store(address, &value, sizeof(T));
    }

    uint32_t reg_read(uint32_t aicore, uint32_t offset) const { return ops_->reg_read(core_, aicore, offset); }
    void reg_write(uint32_t aicore, uint32_t offset, uint32_t value) const {
        ops_->reg_write(core_, aicore, offset, value);
    }
    // Polls until (value & mask) == expected; false on timeout.
    bool reg_wait_equal(uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_ns,
                        uint32_t* value) const {
        return ops_->reg_poll(core_, aicore, offset, mask, expected, 0, timeout_ns, value) != 0;
    }
    // Polls until value != previous; false on timeout.
    bool reg_wait_change(uint32_t aicore, uint32_t offset, uint32_t previous, uint64_t timeout_ns,
                         uint32_t* value) const {
        return ops_->reg_poll(core_, aicore, offset, UINT32_MAX, previous, 1, timeout_ns, value) != 0;
    }

    void barrier() const { ops_->barrier(core_); }
    void cache_clean(uint64_t address, uint64_t bytes) const { ops_->cache_clean(core_, address, bytes); }
    void cache_invalidate(uint64_t address, uint64_t bytes) const { ops_->cache_invalidate(core_, address, bytes); }
    void task_begin(uint64_t run, uint32_t task, uint64_t kernel) const { ops_->task_begin(core_, run, task, kernel); }
    void task_end(uint32_t task) const { ops_->task_end(core_, task); }

private:
    const tandem_device_env* env_;
    const tandem_device_ops* ops_;
    void* core_;
};

}  // namespace tandem::device
