#include "tests/pto/fake_core.h"

#include "runtime/platform/tensor_descriptor.h"

#include <stdexcept>

namespace tandem::pto_test {

namespace {

const char* const kCubeBufferNames[TANDEM_CUBE_BUFFER_COUNT] = {"L1", "L0A", "L0B", "L0C", "BT"};

}  // namespace

FakeCore::FakeCore() : ub_(kUbBytes, 0) {
    for (uint32_t buffer = 0; buffer < TANDEM_CUBE_BUFFER_COUNT; ++buffer)
        cube_[buffer].assign(kCubeBufferBytes[buffer], 0);
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
    ops_.task_argument_words = &FakeCore::task_argument_words;
    ops_.cross_core_set = &FakeCore::cross_core_set;
    ops_.cross_core_wait = &FakeCore::cross_core_wait;
    ops_.cube_buffer_bytes = [](void*, uint32_t buffer) { return kCubeBufferBytes[buffer]; };
    ops_.cube_buffer = &FakeCore::cube_buffer;
    ops_.cube_transfer = &FakeCore::cube_transfer;
    ops_.cube = &FakeCore::cube;
    ops_.fix_to_ub = &FakeCore::fix_to_ub;
    // "GM" here is host memory the tests own: kernel code's pointer accesses are not the core's.
    ops_.gm_window = [](void*, uint64_t* begin, uint64_t* bytes) { *begin = *bytes = 0; };
    for (auto& ub : cluster_ub) ub.assign(kUbBytes, 0);
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
        if (transfer->to_gm)
            std::memcpy(gm_bytes, ub_bytes, transfer->row_bytes);
        else
            std::memcpy(ub_bytes, gm_bytes, transfer->row_bytes);
    }
}

void FakeCore::vector(void* core, const tandem_vector_instruction* instruction) {
    FakeCore& self = of(core);
    self.vectors.push_back(
        {instruction->name, instruction->cost_class, instruction->rows, instruction->bytes,
         std::vector<tandem_ub_range>(instruction->reads, instruction->reads + instruction->read_count),
         std::vector<tandem_ub_range>(instruction->writes, instruction->writes + instruction->write_count)});
    if (self.on_vector) self.on_vector(self);
}

uint8_t* FakeCore::cube_buffer(void* core, uint32_t buffer, uint32_t offset, uint32_t bytes) {
    if (buffer >= TANDEM_CUBE_BUFFER_COUNT)
        throw std::out_of_range("fake core: no cube buffer " + std::to_string(buffer));
    if (uint64_t(offset) + bytes > kCubeBufferBytes[buffer])
        throw std::out_of_range(std::string("fake core: ") + kCubeBufferNames[buffer] + " range [" +
                                std::to_string(offset) + ", +" + std::to_string(bytes) + ") is outside the " +
                                std::to_string(kCubeBufferBytes[buffer]) + "-byte buffer");
    return of(core).cube_[buffer].data() + offset;
}

void FakeCore::fix_to_ub(void* core, const tandem_fix_to_ub* transfer) {
    FakeCore& self = of(core);
    self.fix_to_ubs.push_back({transfer->name, *transfer});
    cube_buffer(core, transfer->tile.buffer, transfer->tile.offset, transfer->tile.bytes);  // bounds check
    if (transfer->subblock > 1)
        throw std::out_of_range("fake core: fix_to_ub to AIV " + std::to_string(transfer->subblock));
    std::vector<uint8_t>& ub = self.cluster_ub[transfer->subblock];
    const auto* staging = static_cast<const uint8_t*>(transfer->staging);
    for (uint32_t row = 0; row < transfer->rows; ++row) {
        const uint64_t at = transfer->ub_offset + uint64_t(row) * transfer->ub_row_stride;
        if (at + transfer->row_bytes > ub.size()) throw std::out_of_range("fake core: fix_to_ub beyond UB");
        std::memcpy(ub.data() + at, staging + uint64_t(row) * transfer->row_bytes, transfer->row_bytes);
    }
}

void FakeCore::cube_transfer(void* core, const tandem_cube_transfer* transfer) {
    FakeCore& self = of(core);
    self.cube_transfers.push_back({transfer->name, *transfer});
    cube_buffer(core, transfer->tile.buffer, transfer->tile.offset, transfer->tile.bytes);  // bounds check
    auto* staging = static_cast<uint8_t*>(transfer->staging);
    for (uint32_t row = 0; row < transfer->rows; ++row) {
        uint8_t* staged = staging + uint64_t(row) * transfer->row_bytes;
        auto* gm_bytes = reinterpret_cast<uint8_t*>(transfer->gm_address + uint64_t(row) * transfer->gm_row_stride);
        if (transfer->to_gm)
            std::memcpy(gm_bytes, staged, transfer->row_bytes);
        else
            std::memcpy(staged, gm_bytes, transfer->row_bytes);
    }
}

void FakeCore::cube(void* core, const tandem_cube_instruction* instruction) {
    for (uint32_t i = 0; i < instruction->read_count; ++i)  // bounds checks
        cube_buffer(core, instruction->reads[i].buffer, instruction->reads[i].offset, instruction->reads[i].bytes);
    for (uint32_t i = 0; i < instruction->write_count; ++i)
        cube_buffer(core, instruction->writes[i].buffer, instruction->writes[i].offset, instruction->writes[i].bytes);
    of(core).cubes.push_back(
        {instruction->name, instruction->cost_class, instruction->element, instruction->m, instruction->k,
         instruction->n, instruction->bytes,
         std::vector<tandem_cube_range>(instruction->reads, instruction->reads + instruction->read_count),
         std::vector<tandem_cube_range>(instruction->writes, instruction->writes + instruction->write_count)});
}

void FakeCore::set_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    of(core).syncs.push_back({"set_flag", source, destination, event});
}
void FakeCore::wait_flag(void* core, uint32_t source, uint32_t destination, uint32_t event) {
    of(core).syncs.push_back({"wait_flag", source, destination, event});
}
void FakeCore::cross_core_set(void* core, uint32_t mode, uint32_t pipe, uint32_t flag) {
    of(core).syncs.push_back({"cross_core_set", pipe, mode, flag});
}
void FakeCore::cross_core_wait(void* core, uint32_t flag) { of(core).syncs.push_back({"cross_core_wait", 0, 0, flag}); }
void FakeCore::pipe_barrier(void* core, uint32_t pipe) { of(core).syncs.push_back({"pipe_barrier", pipe, 0, 0}); }
void FakeCore::declare_task_args(void* core, uint64_t task_args) { of(core).declared_task_args.push_back(task_args); }

int64_t* FakeCore::task_argument_words(void* core, uint64_t task_args) {
    TaskArgsHeader header{};
    load(core, task_args, &header, sizeof header);
    std::vector<int64_t>& words = of(core).argument_words_;
    words.assign(task_args_word_count(header), 0);
    load(core, task_args + task_args_words_offset(header), words.data(), words.size() * sizeof(int64_t));
    return words.data();
}

}  // namespace tandem::pto_test
