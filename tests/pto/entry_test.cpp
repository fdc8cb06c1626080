// A kernel written only against <pto/pto-inst.hpp> (kernels/online_softmax_update.cpp),
// built by tandem_add_pto_kernel into its own library and called through its entry
// adapter as the AIV executor calls it: arguments come from a task-args blob, results
// match a double-precision reference, the kernel ends with its pipes drained, and two
// cores interleaved on one thread (as SystemC runs them) each keep their own env.
#include "tests/pto/support.h"

#include "runtime/platform/tensor_descriptor.h"

#include <dlfcn.h>
#include <ucontext.h>

#include <cmath>
#include <cstring>
#include <memory>

using namespace tandem::pto_test;

namespace {

constexpr int M = 16, N = 16;

tandem_kernel_entry load_kernel_entry() {
    void* library = dlopen(TANDEM_PTO_ONLINE_SOFTMAX_KERNEL, RTLD_NOW | RTLD_LOCAL);
    INFO("dlopen " << TANDEM_PTO_ONLINE_SOFTMAX_KERNEL << ": " << (library ? "" : dlerror()));
    REQUIRE(library != nullptr);
    auto entry = reinterpret_cast<tandem_kernel_entry>(dlsym(library, "tandem_sim_entry__kernel_entry"));
    REQUIRE(entry != nullptr);
    return entry;
}

// One task of the kernel: its tensors in host memory and its task-args blob.
struct SoftmaxTask {
    std::vector<float> s, m, l, o;
    std::vector<pto::bfloat16_t> p;
    std::vector<float> m_new, l_new, o_new;
    float scale;
    std::vector<uint8_t> blob;

    explicit SoftmaxTask(uint32_t seed)
        : s(sample_values<float>(M * N, seed)),
          m(M),
          l(M),
          o(sample_values<float>(M * N, seed + 1)),
          p(M * N),
          m_new(M, NAN),
          l_new(M, NAN),
          o_new(M * N, NAN),
          scale(0.125f) {
        for (int r = 0; r < M; ++r) {
            m[r] = float(r % 5) - 2.0f;
            l[r] = 1.0f + float(r) / 4.0f;
        }
        const uint64_t tensors[] = {address(s), address(m),     address(l),     address(o),
                                    address(p), address(m_new), address(l_new), address(o_new)};
        tandem::TaskArgsHeader header{8, 1};
        uint32_t scale_bits;
        std::memcpy(&scale_bits, &scale, sizeof(scale_bits));
        const uint64_t scalar = scale_bits;
        blob.resize(tandem::task_args_words_offset(header) + tandem::task_args_word_count(header) * 8);
        std::memcpy(blob.data(), &header, sizeof(header));
        for (int t = 0; t < 8; ++t) {  // descriptors: only the data address matters to the kernel
            tandem::TensorDescriptor descriptor{};
            descriptor.data = tensors[t];
            std::memcpy(blob.data() + sizeof(header) + t * sizeof(descriptor), &descriptor, sizeof(descriptor));
        }
        std::memcpy(blob.data() + sizeof(header) + 8 * sizeof(tandem::TensorDescriptor), &scalar, 8);
        uint8_t* words = blob.data() + tandem::task_args_words_offset(header);
        std::memcpy(words, tensors, sizeof(tensors));
        std::memcpy(words + sizeof(tensors), &scalar, 8);
    }
    template <typename T>
    static uint64_t address(const std::vector<T>& values) {
        return reinterpret_cast<uint64_t>(values.data());
    }
    uint64_t blob_address() const { return reinterpret_cast<uint64_t>(blob.data()); }

    // Checks the outputs against the update computed in double. p is bf16, so it is
    // checked to bf16 precision, and l / o are checked given the p the kernel produced.
    void check_outputs() const {
        int wrong = 0;
        for (int r = 0; r < M; ++r) {
            double row_max = -INFINITY;
            for (int c = 0; c < N; ++c) row_max = std::max(row_max, double(s[r * N + c]) * scale);
            const double m_ref = std::max(double(m[r]), row_max);
            const double alpha = std::exp(double(m[r]) - m_ref);
            double p_sum = 0;
            for (int c = 0; c < N; ++c) {
                const double p_ref = std::exp(double(s[r * N + c]) * scale - m_ref);
                const double p_kernel = double(float(p[r * N + c]));
                if (std::fabs(p_kernel - p_ref) > 0x1p-8 * p_ref + 1e-30) ++wrong;
                p_sum += p_kernel;
            }
            const double l_ref = double(l[r]) * alpha + p_sum;
            if (m_new[r] != float(m_ref)) ++wrong;
            if (std::fabs(l_new[r] - l_ref) > 1e-5 * l_ref) ++wrong;
            for (int c = 0; c < N; ++c) {
                const double o_ref = (double(o[r * N + c]) * alpha + double(float(p[r * N + c]))) / l_ref;
                if (std::fabs(o_new[r * N + c] - o_ref) > 1e-5 * std::max(1.0, std::fabs(o_ref))) ++wrong;
            }
        }
        CHECK(wrong == 0);
    }
};

}  // namespace

TEST_CASE("pto: a kernel written against <pto/pto-inst.hpp> runs through its entry adapter", "[pto]") {
    const tandem_kernel_entry entry = load_kernel_entry();
    FakeCore core;
    SoftmaxTask task(51);
    entry(core.env(), task.blob_address());
    task.check_outputs();
    // The header and the nine argument words, read as charged scalar GM loads.
    CHECK(core.loaded_bytes == sizeof(tandem::TaskArgsHeader) + 9 * 8);
    // The model is told the task's blob first, to check every transfer against its tensors.
    CHECK(core.declared_task_args == std::vector<uint64_t>{task.blob_address()});
    CHECK(core.transfers.size() == 4 + 4);
    CHECK(core.vectors.size() == 15);
    REQUIRE_FALSE(core.syncs.empty());
    CHECK(core.syncs.front().kind == "set_flag");
    CHECK(core.syncs.front().source_pipe == TANDEM_PIPE_MTE2);
    CHECK(core.syncs.front().destination_pipe == TANDEM_PIPE_V);
    CHECK(core.syncs.back().kind == "pipe_barrier");  // a kernel ends when its pipes drained
    CHECK(core.syncs.back().source_pipe == TANDEM_PIPE_ALL);
}

namespace {

// Two cores as coroutines on this thread: every vector op yields to the scheduler,
// which resumes the other core, whose kernel code makes its own env current meanwhile.
struct InterleavedCores {
    static constexpr size_t kStackBytes = 512 * 1024;
    struct Coroutine {
        FakeCore core;
        ucontext_t context{};
        std::unique_ptr<char[]> stack{new char[kStackBytes]};
        tandem_kernel_entry entry = nullptr;
        uint64_t blob = 0;
        bool done = false;
    };
    ucontext_t scheduler{};
    Coroutine cores[2];

    static void run(unsigned high, unsigned low) {
        auto* coroutine = reinterpret_cast<Coroutine*>((uint64_t(high) << 32) | low);
        coroutine->entry(coroutine->core.env(), coroutine->blob);
        coroutine->done = true;
    }
    static void yield(FakeCore& core) {
        auto* self = static_cast<InterleavedCores*>(core.on_vector_context);
        for (Coroutine& coroutine : self->cores)
            if (&coroutine.core == &core) swapcontext(&coroutine.context, &self->scheduler);
    }
    void start(int index, tandem_kernel_entry entry, uint64_t blob) {
        Coroutine& coroutine = cores[index];
        coroutine.entry = entry;
        coroutine.blob = blob;
        coroutine.core.on_vector = &InterleavedCores::yield;
        coroutine.core.on_vector_context = this;
        getcontext(&coroutine.context);
        coroutine.context.uc_stack.ss_sp = coroutine.stack.get();
        coroutine.context.uc_stack.ss_size = kStackBytes;
        coroutine.context.uc_link = &scheduler;
        const auto pointer = reinterpret_cast<uint64_t>(&coroutine);
        makecontext(&coroutine.context, reinterpret_cast<void (*)()>(&InterleavedCores::run), 2,
                    unsigned(pointer >> 32), unsigned(pointer & 0xffffffffu));
    }
    void run_to_completion() {
        while (!cores[0].done || !cores[1].done)
            for (Coroutine& coroutine : cores)
                if (!coroutine.done) swapcontext(&scheduler, &coroutine.context);
    }
};

}  // namespace

TEST_CASE("pto: interleaved cores of one kernel binary each keep their own env across ops calls", "[pto]") {
    const tandem_kernel_entry entry = load_kernel_entry();
    auto cores = std::make_unique<InterleavedCores>();
    SoftmaxTask first(61), second(71);
    cores->start(0, entry, first.blob_address());
    cores->start(1, entry, second.blob_address());
    cores->run_to_completion();
    first.check_outputs();
    second.check_outputs();
    for (const auto& coroutine : cores->cores) {
        CHECK(coroutine.core.vectors.size() == 15);
        CHECK(coroutine.core.transfers.size() == 8);
        CHECK(coroutine.core.loaded_bytes == sizeof(tandem::TaskArgsHeader) + 9 * 8);
    }
}

TEST_CASE("pto: ffts_cross_core_sync decodes the FFTS message; wait_flag_dev waits in both forms", "[pto]") {
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    set_ffts_base_addr(0x1000);  // a board's FFTS table; nothing on the simulator
    ffts_cross_core_sync(PIPE_FIX, 1 | (2 << 4) | (7 << 8));
    ffts_cross_core_sync(PIPE_MTE3, 1 | (1 << 4) | (15 << 8));
    wait_flag_dev(7);
    wait_flag_dev(PIPE_S, 9);
    REQUIRE(core.syncs.size() == 4);
    const auto check = [&](size_t i, const char* kind, uint32_t pipe, uint32_t mode, uint32_t flag) {
        INFO("sync " << i);
        CHECK(core.syncs[i].kind == kind);
        CHECK(core.syncs[i].source_pipe == pipe);
        CHECK(core.syncs[i].destination_pipe == mode);
        CHECK(core.syncs[i].event_id == flag);
    };
    check(0, "cross_core_set", PIPE_FIX, 2, 7);
    check(1, "cross_core_set", PIPE_MTE3, 1, 15);
    check(2, "cross_core_wait", 0, 0, 7);
    check(3, "cross_core_wait", 0, 0, 9);
}

TEST_CASE("pto: get_subblockid is an AIV's place in its cluster", "[pto]") {
    FakeCore core;
    const pto::sim::ScopedEnv current(core.env());
    core.mutable_env().physical_id = 5;
    CHECK(get_subblockid() == 1);
    CHECK(get_subblockdim() == 2);
    core.mutable_env().physical_id = 4;
    CHECK(get_subblockid() == 0);
    core.mutable_env().core_type = TANDEM_CORE_AIC;
    core.mutable_env().physical_id = 50;
    CHECK(get_subblockid() == 0);
    CHECK(get_subblockdim() == 1);
}

TEST_CASE("pto: get_block_idx and get_block_num come from the current core", "[pto]") {
    FakeCore core;
    core.mutable_env().block_idx = 3;
    core.mutable_env().block_dim = 8;
    const pto::sim::ScopedEnv current(core.env());
    CHECK(get_block_idx() == 3);
    CHECK(get_block_num() == 8);
}
