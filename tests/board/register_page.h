// An AICore's control-register block as the run protocol meets it, in ordinary memory,
// for the aarch64 protocol test under qemu (no board): the AICPU reaches it through the
// board ops (hw/aicpu, plain volatile accesses at the block's address), the AIV core
// through the test's core ops standing in for the special-register instructions.
//
// Behaviour kept from silicon (ascend-facts, "Control registers"): a launch resets DMB
// to 0; on a2a3 a DMB write has no effect until FAST_PATH_ENABLE holds the open value;
// COND is written by the core only; the core reads DMB only.
#pragma once

#include "runtime/platform/device_abi.h"
#include "runtime/platform/run_protocol.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace tandem::board_test {

class RegisterPage {
public:
    explicit RegisterPage(const protocol::ArchRegisters& registers);

    // The block's address in the AICPU's address space (its RunArgs.register_bases entry).
    uint64_t base() const { return reinterpret_cast<uint64_t>(words_.get()); }

    // A kernel launch: DMB = 0, the window closed again (a2a3), the core's view reset.
    void launch();

    // The core's side (MOV from DATA_MAIN_BASE / set_cond on silicon).
    uint32_t core_read_dmb();
    void core_write_cond(uint32_t value);
    // The test's device reset after a failed run: the core sees `value` in DMB.
    void reset_dmb(uint32_t value);

    // After a run: what broke the register rules, or empty.
    std::string violations() const;
    uint32_t cond() const { return load(registers_.cond_offset); }
    uint32_t lost_dmb_writes() const { return lost_dmb_writes_; }

private:
    static constexpr uint32_t kBytes = 0x8000;  // past the a5 COND at 0x5108
    uint32_t load(uint32_t offset) const;
    void store(uint32_t offset, uint32_t value);

    protocol::ArchRegisters registers_;
    std::unique_ptr<uint32_t[]> words_;
    uint32_t dmb_seen_ = 0;     // the last DMB value the core observed in memory
    uint32_t dmb_latched_ = 0;  // the DMB value in effect (writes while the window is closed are lost)
    uint32_t lost_dmb_writes_ = 0;
    uint32_t cond_written_ = 0;  // the last value the core wrote
    bool cond_foreign_write_ = false;
};

// One AIV core of the test: its page, its physical id, and the test's "device reset".
struct AivTestCore {
    RegisterPage* page = nullptr;
    uint32_t physical_id = 0;
    const protocol::ArchRegisters* registers = nullptr;
    const std::atomic<bool>* device_reset = nullptr;  // set after a failed run: cores leave
    std::atomic<uint32_t> foreign_accesses{0};        // accesses to another core's or a non-core register
};

// The AIV core's ops table (the executor's view of its core); `core` is an AivTestCore.
const tandem_device_ops& aiv_test_ops();

}  // namespace tandem::board_test
