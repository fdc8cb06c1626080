#include "tests/board/register_page.h"

#include <sched.h>
#include <chrono>
#include <cstring>
#include <thread>

using namespace tandem::protocol;

namespace tandem::board_test {

RegisterPage::RegisterPage(const ArchRegisters& registers)
    : registers_(registers), words_(new uint32_t[kBytes / sizeof(uint32_t)]()) {}

uint32_t RegisterPage::load(uint32_t offset) const {
    return __atomic_load_n(&words_[offset / sizeof(uint32_t)], __ATOMIC_ACQUIRE);
}

void RegisterPage::store(uint32_t offset, uint32_t value) {
    __atomic_store_n(&words_[offset / sizeof(uint32_t)], value, __ATOMIC_RELEASE);
}

void RegisterPage::launch() {
    store(registers_.dmb_offset, 0);
    if (registers_.has_fast_path) store(registers_.fast_path_offset, registers_.fast_path_close);
    dmb_seen_ = dmb_latched_ = 0;
    lost_dmb_writes_ = 0;
    cond_written_ = load(registers_.cond_offset);  // COND keeps the last run's value
    cond_foreign_write_ = false;
}

uint32_t RegisterPage::core_read_dmb() {
    const uint32_t in_memory = load(registers_.dmb_offset);
    if (in_memory != dmb_seen_) {
        dmb_seen_ = in_memory;
        const bool open = !registers_.has_fast_path || load(registers_.fast_path_offset) == registers_.fast_path_open;
        if (open) {
            dmb_latched_ = in_memory;
        } else {
            ++lost_dmb_writes_;
        }
    }
    return dmb_latched_;
}

void RegisterPage::reset_dmb(uint32_t value) { dmb_latched_ = value; }

void RegisterPage::core_write_cond(uint32_t value) {
    if (load(registers_.cond_offset) != cond_written_) cond_foreign_write_ = true;
    store(registers_.cond_offset, value);
    cond_written_ = value;
}

std::string RegisterPage::violations() const {
    std::string found;
    if (cond_foreign_write_ || load(registers_.cond_offset) != cond_written_) found += "COND written by the AICPU; ";
    if (lost_dmb_writes_) found += std::to_string(lost_dmb_writes_) + " DMB write(s) while FAST_PATH was closed; ";
    return found;
}

namespace {

constexpr uint32_t kSpinsBeforeSleep = 64;
constexpr auto kIdleSleep = std::chrono::microseconds(20);

AivTestCore& test_core(void* core) { return *static_cast<AivTestCore*>(core); }

uint64_t now_ns(void*) {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

void compute_ns(void* core, uint64_t ns) {
    const uint64_t end = now_ns(core) + ns;
    while (now_ns(core) < end) sched_yield();
}

void load(void*, uint64_t address, void* dst, uint64_t bytes) {
    std::memcpy(dst, reinterpret_cast<const void*>(address), bytes);
}
void store(void*, uint64_t address, const void* src, uint64_t bytes) {
    std::memcpy(reinterpret_cast<void*>(address), src, bytes);
}
void copy(void*, uint64_t dst, uint64_t src, uint64_t bytes) {
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
}

// The core reads only its own DMB and writes only its own COND (special registers).
bool is_own(AivTestCore& self, uint32_t aicore, uint32_t offset, uint32_t allowed_offset) {
    if (aicore == self.physical_id && offset == allowed_offset) return true;
    self.foreign_accesses.fetch_add(1);
    return false;
}

uint32_t reg_read(void* core, uint32_t aicore, uint32_t offset) {
    AivTestCore& self = test_core(core);
    return is_own(self, aicore, offset, self.registers->dmb_offset) ? self.page->core_read_dmb() : 0;
}

void reg_write(void* core, uint32_t aicore, uint32_t offset, uint32_t value) {
    AivTestCore& self = test_core(core);
    if (is_own(self, aicore, offset, self.registers->cond_offset)) self.page->core_write_cond(value);
}

// After a failed run the test resets the "device": a waiting core is handed the AICPU idle
// id, then the exit signal, so its executor leaves as the protocol says.
uint32_t reset_value(uint32_t waiting_for_change_from) {
    return waiting_for_change_from == 0 ? kAicpuIdleTaskId : kExitSignal;
}

int reg_poll(void* core, uint32_t aicore, uint32_t offset, uint32_t mask, uint32_t expected, int until_not_equal,
             uint64_t timeout_ns, uint32_t* value) {
    AivTestCore& self = test_core(core);
    if (!is_own(self, aicore, offset, self.registers->dmb_offset)) return 0;
    const uint64_t start = now_ns(core);
    uint32_t idle_polls = 0;
    for (;;) {
        const uint32_t seen = self.page->core_read_dmb();
        if (((seen & mask) == expected) != (until_not_equal != 0)) {
            *value = seen;
            return 1;
        }
        if (self.device_reset->load() && until_not_equal) {
            *value = reset_value(expected);
            self.page->reset_dmb(*value);
            return 1;
        }
        if (timeout_ns != UINT64_MAX && now_ns(core) - start > timeout_ns) return 0;
        // A waiting core sleeps after a short spin: under qemu on a few host CPUs, a dozen
        // spinning cores would starve the scheduler threads that have work to do.
        if (++idle_polls > kSpinsBeforeSleep) std::this_thread::sleep_for(kIdleSleep);
    }
}

void fence(void*) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
// The test's GM is ordinary coherent memory: cache maintenance reduces to ordering.
void cache_op(void*, uint64_t, uint64_t) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void task_begin(void*, uint64_t, uint32_t, uint64_t) {}
void task_end(void*, uint32_t) {}

// The kernels here use no pipes: the PTO and cube ops stay null. (clang-format would put every
// entry on a line of its own.)
// clang-format off
const tandem_device_ops kAivTestOps = {
    TANDEM_DEVICE_ABI_VERSION, now_ns, now_ns, compute_ns, compute_ns, nullptr, nullptr, load, store, copy, reg_read,
    reg_write, reg_poll, fence, cache_op, cache_op, task_begin, task_end,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
// clang-format on

}  // namespace

const tandem_device_ops& aiv_test_ops() { return kAivTestOps; }

}  // namespace tandem::board_test
