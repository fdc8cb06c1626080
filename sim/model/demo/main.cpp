// The chip model's own demo: boot a chip, DMA data in, have every AIV core transform
// its slice (MTE load, vector op, MTE store), DMA the result back, check it, and say
// what was simulated.
#include "sim/model/chip/chip.h"
#include "sim/model/core/time.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <numeric>
#include <vector>

using namespace tandem::sim;

int main(int argc, char** argv) {
    CLI::App app{"tandem_sim_demo: boots the simulated chip, moves data by DMA through the AIV cores, writes a trace"};
    std::string arch = "a2a3";
    std::string trace_path = "tandem_demo.trace";
    uint32_t elements_per_core = 4096;
    app.add_option("--arch", arch, "a2a3, a5, or a path to an arch config .json")->capture_default_str();
    app.add_option("--trace", trace_path, "memory trace output file ('' for none)")->capture_default_str();
    app.add_option("--elements-per-core", elements_per_core, "float32 elements each AIV core processes")
        ->capture_default_str()
        ->check(CLI::Range(1u, 16384u));
    CLI11_PARSE(app, argc, argv);

    try {
        Chip chip("chip", load_arch_config(arch));
        if (!trace_path.empty()) chip.start_trace(trace_path);

        const uint32_t cores = chip.aiv_count();
        const uint64_t count = uint64_t(cores) * elements_per_core;
        std::vector<float> input(count), output(count);
        std::iota(input.begin(), input.end(), 0.0f);
        const uint64_t bytes = count * sizeof(float);
        const uint64_t in_dev = chip.malloc(bytes), out_dev = chip.malloc(bytes);
        chip.copy(DmaEndpoint::device(in_dev), DmaEndpoint::pageable_host(input.data()), bytes);

        std::vector<std::pair<DeviceCore*, DeviceProgram>> programs;
        const uint32_t slice = elements_per_core * sizeof(float);
        for (uint32_t i = 0; i < cores; ++i) {
            programs.emplace_back(&chip.aiv(i), [=](DeviceContext& context) {
                auto& core = dynamic_cast<VectorCoreContext&>(context);
                core.task_begin(0, i, 0);
                core.mte_gm_to_ub(0, in_dev + uint64_t(i) * slice, slice);
                auto* values = reinterpret_cast<float*>(core.ub(0, slice));
                for (uint32_t e = 0; e < elements_per_core; ++e) values[e] = values[e] * 2.0f + 1.0f;
                core.vector_op(slice);
                core.mte_ub_to_gm(out_dev + uint64_t(i) * slice, 0, slice);
                core.task_end(i);
            });
        }
        const uint64_t launched = chip.now_ps();
        chip.launch(programs);
        chip.wait_idle();
        const uint64_t kernel_ps = chip.now_ps() - launched;
        if (!chip.faults().empty()) {
            std::fprintf(stderr, "%s\n", chip.faults().front().describe().c_str());
            return 1;
        }
        chip.copy(DmaEndpoint::pageable_host(output.data()), DmaEndpoint::device(out_dev), bytes);
        uint64_t wrong = 0;
        for (uint64_t e = 0; e < count; ++e) wrong += output[e] != input[e] * 2.0f + 1.0f;
        const uint64_t records = chip.stop_trace();

        std::printf("tandem chip model demo (%s, config %s)\n", chip.config().arch.c_str(),
                    chip.config().source_path.c_str());
        std::printf("  cores          %u AIV, %u AICPU threads\n", cores, chip.aicpu_count());
        std::printf("  sim time       %.3f us total, %.3f us in the kernel\n", chip.now_ps() / 1e6, kernel_ps / 1e6);
        std::printf("  DMA            %llu transfers, %llu bytes moved\n",
                    static_cast<unsigned long long>(chip.dma().transfers()),
                    static_cast<unsigned long long>(chip.dma().bytes_copied()));
        std::printf("  HBM            %llu bytes served, %llu bytes resident\n",
                    static_cast<unsigned long long>(chip.hbm().channels().bytes_served()),
                    static_cast<unsigned long long>(chip.hbm().resident_bytes()));
        if (!trace_path.empty()) {
            std::printf("  trace          %s (%llu records)\n", trace_path.c_str(),
                        static_cast<unsigned long long>(records));
        }
        std::printf("  result         %s (%llu of %llu elements wrong)\n", wrong ? "FAIL" : "ok",
                    static_cast<unsigned long long>(wrong), static_cast<unsigned long long>(count));
        return wrong ? 1 : 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "tandem_sim_demo: %s\n", error.what());
        return 2;
    }
}
