// Helpers for the provider tests. The tests use libtandem_acl_sim.so exactly as the
// runtime will: dlopen by path and dlsym of every ACL function, never by linking.
// Each TEST_CASE runs in its own process (catch_discover_tests): one simulated chip
// per process.
#pragma once

#include "runtime/platform/device_abi.h"
#include "runtime/vendor/acl_surface.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::provider_test {

struct Acl {
#define TANDEM_TEST_FIELD(name, return_type, parameters) return_type(*name) parameters = nullptr;
    TANDEM_ACL_FUNCTIONS(TANDEM_TEST_FIELD)
    TANDEM_SIM_EXTRAS(TANDEM_TEST_FIELD)
#undef TANDEM_TEST_FIELD
};

// The provider, loaded once per process; every symbol must resolve.
const Acl& acl();
// The names that did not resolve (empty when all did).
std::vector<std::string> missing_symbols();

// The calling thread's recent error messages ("" when none).
std::string recent_error();

// Pins the environment the provider reads (arch, device count, no trace) and calls
// aclInit + aclrtSetDevice(0).
void init_device(const std::string& arch = "a2a3");
void set_environment(const std::string& arch);

#define ACL_CHECK(expression)                                                    \
    do {                                                                         \
        const aclError acl_check_code = (expression);                            \
        INFO(#expression << " -> " << acl_check_code << ": " << recent_error()); \
        REQUIRE(acl_check_code == ACL_SUCCESS);                                  \
    } while (false)

// The test device programs, loaded as CANN requires: AIV code (provider_test_kernels.cpp) as a
// vector-core ELF, AICPU code (provider_test_aicpu.cpp) from data in CPU kernel mode 2.
struct Kernels {
    aclrtBinHandle binary = nullptr, aicpu_binary = nullptr;
    aclrtFuncHandle add_one = nullptr, outside_ub = nullptr, report_env_aiv = nullptr;
    aclrtFuncHandle write_value = nullptr, store_unmapped = nullptr, poll_forever = nullptr, report_env_aicpu = nullptr;
};
Kernels load_kernels();
std::string kernels_path();
std::string aicpu_program_path();
// The bytes of a file (aclrtBinaryLoadFromData's input).
std::vector<char> file_bytes(const std::string& path);
// Load options holding one option.
struct LoadOptions {
    aclrtBinaryLoadOption option{};
    aclrtBinaryLoadOptions options{&option, 1};
};
LoadOptions magic_option(uint32_t magic);
LoadOptions cpu_kernel_mode_option(int32_t mode);

// An argument list built with aclrtKernelArgsInit / Append / Finalize.
class Args {
public:
    explicit Args(aclrtFuncHandle function);
    template <typename T>
    Args& add(T value) {
        append(&value, sizeof(T));
        return *this;
    }
    aclrtArgsHandle finalize();
    aclrtArgsHandle handle() const { return handle_; }

private:
    void append(const void* data, size_t size);
    aclrtArgsHandle handle_ = nullptr;
};

aclError launch(aclrtFuncHandle function, uint32_t block_dim, aclrtStream stream, aclrtArgsHandle args);

void* device_malloc(size_t bytes);
void copy_to_device(void* device, const void* host, size_t bytes);
void copy_to_host(void* host, const void* device, size_t bytes);
template <typename T>
std::vector<T> read_device(const void* device, size_t count) {
    std::vector<T> values(count);
    copy_to_host(values.data(), device, count * sizeof(T));
    return values;
}
inline uint64_t address_of(const void* device) { return reinterpret_cast<uintptr_t>(device); }

std::string last_fault();

}  // namespace tandem::provider_test
