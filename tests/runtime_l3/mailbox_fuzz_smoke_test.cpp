// Runs the mailbox codec's libFuzzer entry (fuzz_mailbox_codec.cpp) on inputs derived
// from valid messages of every kind by seeded random mutations, so every build exercises
// the decoders briefly: the entry must return for every input.
#include "runtime/host/l3/mailbox_codec.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <iterator>
#include <memory>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace tandem::runtime::l3;
using tandem::DType;

namespace {

SubmitMessage sample_submit() {
    SubmitMessage m;
    TensorRecord tensor{};
    tensor.location = uint32_t(TensorLocation::Mapped);
    tensor.token = 1;
    tensor.dtype = uint32_t(DType::Float32);
    tensor.ndims = 2;
    tensor.shape[0] = tensor.shape[1] = 64;
    TensorRecord device = tensor;
    device.location = uint32_t(TensorLocation::Device);
    device.token = 0;
    device.address = 0x100040000;
    m.maps.push_back(MapRecord{1, 65536});
    m.releases = {7};
    m.tensors = {tensor, device};
    m.scalars = {42, 43};
    m.after = {0};
    m.tasks.push_back(TaskRecord{0, 0, 1, 0, 1, 0, 0, 0});
    m.tasks.push_back(TaskRecord{1, 1, 1, 1, 1, 0, 1, 0});
    m.kernels = {"add_scalar", "mul"};
    return m;
}

// A valid message of every kind, prefixed with the entry's kind byte.
std::vector<std::vector<uint8_t>> seed_inputs() {
    const uint8_t data[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const std::vector<std::pair<uint8_t, std::vector<uint8_t>>> messages = {
        {0, encode_submit(sample_submit())},
        {1, encode_kernel(
                KernelMessage{"add", "/path/kernels.so", "tandem_kernel_add", tandem::runtime::KernelCore::Aic})},
        {2, encode_boot_reply(BootReply{"a2a3", 48})},
        {2 * 10 + 3, encode_timeline({TimingRecord{0, 1, 1, 0, 2, 3, 4}, TimingRecord{1, 2, 2, 0, 3, 4, 5}})},
        {4, encode_fault(tandem::runtime::ChildFault::Hang)},
        {5, encode_memory(MemoryRecord{0x100000000, 4096})},
        {6, encode_copy_to(0x100000000, data, sizeof(data))},
        {16 * 10 + 7, encode_bytes(std::vector<uint8_t>(data, data + 16))},
        {8, encode_text("the child failed")},
        {9, encode_empty()},
    };
    std::vector<std::vector<uint8_t>> seeds;
    for (const auto& [kind, payload] : messages) {
        std::vector<uint8_t> input{kind};
        input.insert(input.end(), payload.begin(), payload.end());
        seeds.push_back(std::move(input));
    }
    return seeds;
}

// Values on the edges the decoders check.
constexpr uint64_t kInteresting[] = {0,
                                     1,
                                     2,
                                     7,
                                     8,
                                     16,
                                     64,
                                     4096,
                                     4097,
                                     0x7fffffff,
                                     0xffffffff,
                                     uint64_t(1) << 48,
                                     (uint64_t(1) << 48) + 1,
                                     UINT64_MAX,
                                     UINT64_MAX - 7};

class Mutator {
public:
    explicit Mutator(uint64_t seed) : random_(seed) {}

    std::vector<uint8_t> mutate(std::vector<uint8_t> bytes) {
        for (uint64_t n = 1 + below(4); n > 0; --n) mutate_once(bytes);
        return bytes;
    }

    uint64_t below(uint64_t bound) {
        return bound == 0 ? 0 : std::uniform_int_distribution<uint64_t>(0, bound - 1)(random_);
    }

private:
    void mutate_once(std::vector<uint8_t>& bytes) {
        const uint64_t interesting = kInteresting[below(std::size(kInteresting))];
        // Payload fields are 4- or 8-byte aligned after the kind byte.
        const size_t field = 1 + below(bytes.size() / 4 + 1) * 4;
        switch (below(7)) {
            case 0:
                if (bytes.size() > 1) bytes[1 + below(bytes.size() - 1)] ^= static_cast<uint8_t>(1u << below(8));
                break;
            case 1: bytes.resize(1 + below(bytes.size())); break;
            case 2:
                for (uint64_t n = below(40); n > 0; --n) bytes.push_back(static_cast<uint8_t>(below(256)));
                break;
            case 3: poke(bytes, field, static_cast<uint32_t>(interesting)); break;
            case 4: poke(bytes, field, interesting); break;
            case 5: bytes[0] = static_cast<uint8_t>(below(256)); break;  // decoded as another kind
            default:
                if (bytes.size() > 1) bytes[1 + below(bytes.size() - 1)] = static_cast<uint8_t>(below(256));
                break;
        }
    }

    template <typename T>
    void poke(std::vector<uint8_t>& bytes, size_t offset, T value) {
        if (offset + sizeof(T) <= bytes.size()) std::memcpy(bytes.data() + offset, &value, sizeof(T));
    }

    std::mt19937_64 random_;
};

// An exactly sized buffer, so that AddressSanitizer builds catch reads past the end.
void run_entry(const std::vector<uint8_t>& input) {
    const std::unique_ptr<uint8_t[]> exact(new uint8_t[input.size() + (input.empty() ? 1 : 0)]);
    if (!input.empty()) std::memcpy(exact.get(), input.data(), input.size());
    REQUIRE(LLVMFuzzerTestOneInput(exact.get(), input.size()) == 0);
}

// Whether the entry's decoder accepts the input (the seeds' kinds).
bool accepted(const std::vector<uint8_t>& input) {
    const std::vector<uint8_t> payload(input.begin() + 1, input.end());
    try {
        switch (input[0] % 10) {
            case 0: decode_submit(payload); break;
            case 1: decode_kernel(payload); break;
            case 5: decode_memory(payload); break;
            case 6: decode_copy_to(payload); break;
            case 8: decode_text(payload); break;
            default: return false;
        }
        return true;
    } catch (const MailboxError&) {
        return false;
    }
}

}  // namespace

TEST_CASE("L3 mailbox fuzz smoke - the codec fuzz entry survives seeded random inputs", "[l3][mailbox][fuzz]") {
    const auto seeds = seed_inputs();
    for (const auto& seed : seeds) run_entry(seed);
    Mutator mutator(20261129);
    constexpr int kInputs = 20000;
    for (int i = 0; i < kInputs; ++i) {
        const std::vector<uint8_t> input = mutator.mutate(seeds[mutator.below(seeds.size())]);
        INFO("input " << i << " of " << input.size() << " bytes");
        run_entry(input);
    }
}

TEST_CASE("L3 mailbox fuzz smoke - the mutations reach past the section checks", "[l3][mailbox][fuzz]") {
    // Guards the smoke test's value: some mutated inputs must still decode.
    const auto seeds = seed_inputs();
    for (const auto& seed : seeds) {
        if (seed[0] % 10 <= 1) CHECK(accepted(seed));
    }
    Mutator mutator(11);
    int decoded = 0;
    constexpr int kInputs = 2000;
    for (int i = 0; i < kInputs; ++i) decoded += accepted(mutator.mutate(seeds[mutator.below(2)])) ? 1 : 0;
    CHECK(decoded > kInputs / 20);
    CHECK(decoded < kInputs);
}
