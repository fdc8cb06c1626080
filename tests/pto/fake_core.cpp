#include "tests/pto/fake_core.h"

#include <stdexcept>

namespace tandem::pto_test {

FakeCore::FakeCore() : ub_(kUbBytes, 0) {
    ops_.abi_version = TANDEM_DEVICE_ABI_VERSION;
    ops_.load = &FakeCore::load;
    ops_.ub_bytes = [](void*) { return kUbBytes; };
    ops_.ub = &FakeCore::ub;
    ops_.mte = &FakeCore::mte;
    ops_.vector = &FakeCore::vector;
    ops_.set_flag = &FakeCore::set_flag;
    ops_.wait_flag = &FakeCore::wait_flag;
    ops_.pipe_barrier = &FakeCore::pipe_barrier;
    ops_.declare_task_args = &FakeCore::declare_task_args;
    env_.ops = &ops_;
    env_.core = this;
    env_.block_idx = 0;
    env_.block_dim = 1;
    env_.core_type = TANDEM_CORE_AIV;
}

void FakeCore::load(void* core, uint64_t address, void* dst, uint64_t bytes) {
    of(core).loaded_bytes += bytes;
    std::memcpy(dst, reinterpret_cast<const void*>(address), bytes);
}

uint8_t* FakeCore::ub(void* core, uint32_t offset, uint32_t bytes) {
    if (uint64_t(offset) + bytes > kUbBytes)
        throw std::out_of_range("fake core: UB range [" + std::to_string(offset) + ", +" + std::to_string(bytes) +
                                ") is outside the " + std::to_string(kUbBytes) + "-byte UB");
    return of(core).ub_.data() + offset;
}

void FakeCore::mte(void* core, const tandem_mte_transfer* transfer) {
    FakeCore& self = of(core);
    self.transfers.push_back({transfer->name, *transfer});
    for (uint32_t row = 0; row < transfer->rows; ++row) {
        const uint64_t ub_offset = uint64_t(transfer->ub_offset) + uint64_t(row) * transfer->ub_row_stride;
        if (ub_offset + transfer->row_bytes > kUbBytes)
            throw std::out_of_range(std::string("fake core: ") + transfer->name + " burst outside UB");
        uint8_t* ub_bytes = self.ub_.data() + ub_offset;
        auto* gm_bytes = reinterpret_cast<uint8_t*>(transfer->gm_address + uint64_t(row) * transfer->gm_row_stride);
        if (transfer->to_gm) std::memcpy(gm_bytes, ub_bytes, transfer->row_bytes);
        else std::memcpy(ub_bytes, gm_bytes, transfer->row_bytes);
    }
}

void FakeCore::vector(void* core, const tandem_vector_instruction* instruction) {
    FakeCore& self = of(core);
    self.vectors.push_back({instruction->name, instruction->cost_class, instruction->rows, instruction->bytes,
                            std::vector<tandem_ub_range>(instruction->reads, instruction->reads + instruction->read_count),
                            std::vector<tandem_ub_range>(instruction->writes,
                                                         instruction->writes + instruction->write_count)});
    if (self.on_vector) self.on_vector(self);
}

void FakeCore::set_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    of(core).syncs.push_back({"set_flag", source, destination, event});
}
void FakeCore::wait_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    of(core).syncs.push_back({"wait_flag", source, destination, event});
}
void FakeCore::pipe_barrier(void* core, uint32_t pipe) { of(core).syncs.push_back({"pipe_barrier", pipe, 0, 0}); }
void FakeCore::declare_task_args(void* core, uint64_t task_args) { of(core).declared_task_args.push_back(task_args); }

}  // namespace tandem::pto_test
