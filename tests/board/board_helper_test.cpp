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

MapResult map_with_driver(const char* driver, int32_t device_id, uint32_t capacity = 72, const char* arch = "a2a3") {
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
    result.code = map(device_id, arch, result.bases.data(), capacity, &count, message, sizeof message);
    result.bases.resize(result.code == 0 ? count : 0);
    result.message = message;
    return result;
}

// The stand-in driver's mappings not undone. The test keeps the driver loaded from its first
// question on, so that the count outlives the helper's unloading it after a failure.
int live_mappings() {
    static void* const driver = dlopen(TANDEM_FAKE_DRIVER_PATH, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(driver);
    const auto live = reinterpret_cast<int (*)()>(dlsym(driver, "fake_hal_live_mappings"));
    REQUIRE(live);
    return live();
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

TEST_CASE("a2a3: the register window is split into two AIV blocks per AICore then the AIC blocks") {
    const MapResult result = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0);
    REQUIRE(result.code == 0);
    const uint64_t window = 0x12340000000ull, cluster = 8ull << 20, sub_core = 1ull << 20;
    CHECK(result.bases == std::vector<uint64_t>{window + sub_core, window + 2 * sub_core, window + cluster + sub_core,
                                                window + cluster + 2 * sub_core, window + 2 * cluster + sub_core,
                                                window + 2 * cluster + 2 * sub_core, window, window + cluster,
                                                window + 2 * cluster});
}

TEST_CASE("a2a3: a failing driver call and a table too small are reported") {
    const MapResult refused = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 7);
    CHECK(refused.code != 0);
    CHECK(refused.message.find("driver code 13") != std::string::npos);
    const int live_before = live_mappings();
    const MapResult small = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 8);
    CHECK(small.code != 0);
    CHECK(small.message.find("has 3 AICores, 9 register blocks") != std::string::npos);
    CHECK(small.message.find("room was given for 8") != std::string::npos);
    CHECK(live_mappings() == live_before);  // the window it could not use is unmapped
}

TEST_CASE("a5: each AICore is mapped on its own until the driver has no more") {
    const MapResult result = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 72, "a5");
    REQUIRE(result.code == 0);
    const uint64_t sub_core = 1ull << 20;
    const auto aicore = [](uint64_t index) { return 0x56780000000ull + index * (16ull << 20); };
    std::vector<uint64_t> expected;
    for (uint64_t i = 0; i < 4; ++i) {
        expected.push_back(aicore(i) + sub_core);
        expected.push_back(aicore(i) + 2 * sub_core);
    }
    for (uint64_t i = 0; i < 4; ++i) expected.push_back(aicore(i));
    CHECK(result.bases == expected);
}

TEST_CASE("a5: a failing driver call, short mappings and a table too small are reported") {
    const MapResult refused = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 7, 72, "a5");
    CHECK(refused.code != 0);
    CHECK(refused.message.find("halResMap(RES_AICORE, AICore 0) for a5 device 7 failed (driver code 13)") !=
          std::string::npos);
    const int live_before = live_mappings();
    const MapResult short_mapping = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 5, 72, "a5");
    CHECK(short_mapping.code != 0);
    CHECK(short_mapping.message.find("less than its 3 blocks of 1 MiB") != std::string::npos);
    // Room for 2 AICores and a device with more: asked for one more, then refused.
    const MapResult small = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 6, "a5");
    CHECK(small.code != 0);
    CHECK(small.message.find("has at least 3 AICores") != std::string::npos);
    CHECK(small.message.find("room was given for 6") != std::string::npos);
    CHECK(live_mappings() == live_before);  // the AICores mapped before each failure are unmapped
    // Room for exactly the 4 the device has.
    CHECK(map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 12, "a5").bases.size() == 12);
}

TEST_CASE("an arch the helper does not know is refused, naming it") {
    const MapResult result = map_with_driver(TANDEM_FAKE_DRIVER_PATH, 0, 72, "a9");
    CHECK(result.code != 0);
    CHECK(result.message.find("arch a9") != std::string::npos);
}

TEST_CASE("a library without halResMap is named as not the driver on a5") {
    const MapResult result = map_with_driver("libm.so.6", 0, 72, "a5");
    CHECK(result.code != 0);
    CHECK(result.message.find("does not export halResMap") != std::string::npos);
}
