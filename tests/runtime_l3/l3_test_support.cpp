#include "l3_test_support.h"

#include "runtime/host/l3/shared_memory.h"

#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tandem::test {

std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> children;
    DIR* proc = opendir("/proc");
    if (!proc) return children;
    while (const dirent* entry = readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0) continue;
        std::ifstream stat_file("/proc/" + std::string(entry->d_name) + "/stat");
        std::string stat;
        std::getline(stat_file, stat);
        // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
        const size_t close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 1));
        char state = 0;
        pid_t ppid = 0;
        rest >> state >> ppid;
        if (ppid == parent) children.push_back(pid);
    }
    closedir(proc);
    return children;
}

std::vector<std::string> shared_memory_leftovers() {
    std::vector<std::string> leftovers;
    const std::string marker = std::string("memfd:") + runtime::l3::kSharedMemoryPrefix;
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        if (line.find(marker) != std::string::npos) leftovers.push_back("mapped: " + line);
    }
    if (DIR* fds = opendir("/proc/self/fd")) {
        while (const dirent* entry = readdir(fds)) {
            char target[256] = {};
            const std::string link = std::string("/proc/self/fd/") + entry->d_name;
            if (readlink(link.c_str(), target, sizeof(target) - 1) > 0 &&
                std::string(target).find(marker) != std::string::npos) {
                leftovers.push_back("open: " + std::string(target));
            }
        }
        closedir(fds);
    }
    if (DIR* shm = opendir("/dev/shm")) {
        while (const dirent* entry = readdir(shm)) {
            if (std::string(entry->d_name).find("tandem") != std::string::npos)
                leftovers.push_back("/dev/shm/" + std::string(entry->d_name));
        }
        closedir(shm);
    }
    return leftovers;
}

L3LeakCheck::~L3LeakCheck() {
    const std::vector<pid_t> children = children_of(getpid());
    CHECK(children.empty());
    const std::vector<std::string> leftovers = shared_memory_leftovers();
    for (const std::string& leftover : leftovers) UNSCOPED_INFO(leftover);
    CHECK(leftovers.empty());
}

std::unique_ptr<runtime::Worker> make_worker(const char* arch, const std::vector<int32_t>& devices,
                                             runtime::L3Options options) {
    setenv("TANDEM_SIM_ARCH", arch, 1);  // read by each child's provider at aclInit
    options.chip.provider = "sim";
    auto worker = std::make_unique<runtime::Worker>(3, devices, options);
    for (const char* kernel : kVectorKernels)
        worker->register_kernel(kernel, vector_kernel_binary(kernel), kPtoKernelEntry);
    return worker;
}

float* SharedVectorBuffers::a() const { return static_cast<float*>(tensors.a.host); }
float* SharedVectorBuffers::c() const { return static_cast<float*>(tensors.c.host); }
float* SharedVectorBuffers::f() const { return static_cast<float*>(tensors.f.host); }

SharedVectorBuffers create_vector_buffers(runtime::Worker& worker, float a, float b) {
    const runtime::HostBuffer buffer = worker.create_buffer(7 * kTensorBytes);
    const auto view = [&](int index) { return worker.view(buffer, index * kTensorBytes, kTileShape, DType::Float32); };
    SharedVectorBuffers buffers{buffer, VectorTensors{view(0), view(1), view(2), view(3), view(4), view(5), view(6)}};
    std::fill_n(static_cast<float*>(buffers.tensors.a.host), kElements, a);
    std::fill_n(static_cast<float*>(buffers.tensors.b.host), kElements, b);
    return buffers;
}

bool all_equal(const float* data, uint64_t count, float expected) {
    for (uint64_t i = 0; i < count; ++i) {
        if (data[i] != expected) {
            UNSCOPED_INFO("element " << i << " = " << data[i] << ", expected " << expected);
            return false;
        }
    }
    return true;
}

}  // namespace tandem::test
