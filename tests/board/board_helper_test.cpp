// The board helper (hw/board): the AICore register map over the driver, and what it says
// when there is no driver. Each case loads the helper as the runtime does (dlopen + dlsym).
#include "runtime/vendor/register_map.h"

#include <dlfcn.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct MapResult {
    int code;
    std::vector<uint64_t> bases;
    std::string message;
};

MapResult map_with_driver(const char* driver, int32_t device_id, uint32_t capacity = 72) {
    if (driver) {
        setenv("TANDEM_ASCEND_HAL", driver, 1);
    } else {
        unsetenv("TANDEM_ASCEND_HAL");
    }
    void* helper = dlopen(TANDEM_BOARD_HELPER_PATH, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(helper);
    const auto map = reinterpret_cast<tandem_register_map_fn>(dlsym(helper, TANDEM_REGISTER_MAP_SYMBOL));
    REQUIRE(map);
    MapResult result{0, std::vector<uint64_t>(capacity), ""};
    uint32_t count = 0;
    char message[512] = {};
    result.code = map(device_id, result.bases.data(), capacity, &count, message, sizeof message);
    result.bases.resize(result.code == 0 ? count : 0);
    result.message = message;
    return result;
}

}  // namespace

TEST_CASE("without the driver library the helper fails and says what to do") {
    const MapResult result = map_with_driver("/nonexistent/libascend_hal.so", 0);
    CHECK(result.code != 0);
    CHECK(result.message.find("/nonexistent/libascend_hal.so") != std::string::npos);
    CHECK(result.message.find("Ascend NPU and its driver") != std::string::npos);
    CHECK(result.message.find("--sim") != std::string::npos);
}

TEST_CASE("on a host without the driver the default lookup fails the same way") {
    void* driver = dlopen("libascend_hal.so", RTLD_NOW | RTLD_LOCAL);
    if (driver) {
        dlclose(driver);
        WARN("this host has libascend_hal.so: the absent-driver path is covered by the case with a missing path");
        return;
    }
    const MapResult result = map_with_driver(nullptr, 0);
    CHECK(result.code != 0);
    CHECK(result.message.find("'libascend_hal.so' cannot be loaded") != std::string::npos);
}

TEST_CASE("a library without halMemCtl is named as not the driver") {
    const MapResult result = map_with_driver("libm.so.6", 0);
    CHECK(result.code != 0);
    CHECK(result.message.find("does not export halMemCtl") != std::string::npos);
}

TEST_CASE("the register window is split into AIV blocks, two per AICore") {
    const MapResult result = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0);
    REQUIRE(result.code == 0);
    const uint64_t window = 0x12340000000ull, cluster = 8ull << 20, sub_core = 1ull << 20;
    CHECK(result.bases == std::vector<uint64_t>{window + sub_core, window + 2 * sub_core, window + cluster + sub_core,
                                                window + cluster + 2 * sub_core, window + 2 * cluster + sub_core,
                                                window + 2 * cluster + 2 * sub_core});
}

TEST_CASE("a failing driver call and a table too small are reported") {
    const MapResult refused = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 7);
    CHECK(refused.code != 0);
    CHECK(refused.message.find("driver code 13") != std::string::npos);
    const MapResult small = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 4);
    CHECK(small.code != 0);
    CHECK(small.message.find("room was given for 4") != std::string::npos);
}
