// The npu-smi parsers on recorded outputs (tests/boards/data/README.md) and the SoC -> arch table.
#include "hw/board/npu_smi.h"
#include "hw/board/npu_smi_tool.h"
#include "runtime/platform/soc_arch.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace tandem::hw;

namespace {

std::string recorded(const std::string& name) {
    std::ifstream in(std::string(TANDEM_BOARDS_DATA_DIR) + "/" + name);
    REQUIRE(in);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("an A2 table has one chip per NPU, numbered as devices in order") {
    const std::vector<NpuChip> chips = parse_npu_smi_info(recorded("a2_info.txt"));
    REQUIRE(chips.size() == 2);
    for (int32_t i = 0; i < 2; ++i) {
        CHECK(chips[i].device == i);
        CHECK(chips[i].npu == i);
        CHECK(chips[i].chip == 0);
        CHECK(chips[i].phy_id == -1);
        CHECK(chips[i].name == "910B4");
        CHECK(chips[i].health == "OK");
        CHECK(chips[i].hbm_used_mb == 0);
        CHECK(chips[i].hbm_total_mb == 32768);
    }
    CHECK(chips[0].bus_id == "0000:C1:00.0");
    CHECK(chips[1].bus_id == "0000:01:00.0");
}

TEST_CASE("the header gives the driver's version") {
    CHECK(parse_npu_smi_version(recorded("a2_info.txt")) == "24.1.0");
    CHECK(parse_npu_smi_version(recorded("a3_info.txt")) == "24.1.rc3");
    CHECK(parse_npu_smi_version("| npu-smi 24.1.0 |\n| NPU Name | Health |\n").empty());
}

TEST_CASE("an A3 table has two chips per NPU with their Phy-IDs") {
    const std::vector<NpuChip> chips = parse_npu_smi_info(recorded("a3_info.txt"));
    REQUIRE(chips.size() == 4);
    const int32_t expected[4][3] = {{0, 0, 0}, {0, 1, 1}, {1, 0, 2}, {1, 1, 3}};  // npu, chip, phy
    for (size_t i = 0; i < 4; ++i) {
        CHECK(chips[i].device == static_cast<int32_t>(i));
        CHECK(chips[i].npu == expected[i][0]);
        CHECK(chips[i].chip == expected[i][1]);
        CHECK(chips[i].phy_id == expected[i][2]);
        CHECK(chips[i].name == "Ascend910");
        CHECK(chips[i].hbm_total_mb == 65536);
    }
    CHECK(chips[3].bus_id == "0000:9B:00.0");
}

TEST_CASE("a Health Warning and HBM in use are read as printed") {
    const std::vector<NpuChip> chips = parse_npu_smi_info(recorded("warning_busy_info.txt"));
    REQUIRE(chips.size() == 2);
    CHECK(chips[0].health == "Warning");
    CHECK(chips[0].hbm_used_mb == 0);
    CHECK(chips[1].health == "OK");
    CHECK(chips[1].hbm_used_mb == 12288);  // "12288/ 32768": spacing around '/' varies
    CHECK(chips[1].hbm_total_mb == 32768);
}

TEST_CASE("truncated output names the NPU whose chip row is missing") {
    REQUIRE_THROWS_WITH(parse_npu_smi_info(recorded("truncated_info.txt")),
                        Catch::Contains("line 10") && Catch::Contains("NPU 1 has no chip row"));
}

TEST_CASE("malformed output names the line and the value") {
    REQUIRE_THROWS_WITH(parse_npu_smi_info(recorded("malformed_info.txt")),
                        Catch::Contains("line 8") && Catch::Contains("HBM used 'lots' is not a number"));
}

TEST_CASE("output without a chip table is refused") {
    REQUIRE_THROWS_AS(parse_npu_smi_info(""), NpuSmiFormatError);
    REQUIRE_THROWS_WITH(parse_npu_smi_info("dcmi module initialize failed. ret is -8005\n"),
                        Catch::Contains("no NPU in the output"));
}

TEST_CASE("board info gives the SoC name, which maps to the arch") {
    CHECK(soc_name_from_board(parse_npu_smi_board(recorded("a2_board.txt"))) == "Ascend910B4");
    CHECK(soc_name_from_board(parse_npu_smi_board(recorded("a3_board.txt"))) == "Ascend910_9382");
    CHECK(soc_name_from_board(parse_npu_smi_board(recorded("a5_board.txt"))) == "Ascend950PR");
    CHECK(parse_npu_smi_board(recorded("a3_board.txt")).at("NPU Name") == "Ascend910");
    CHECK(soc_name_from_board(parse_npu_smi_board("NPU ID : 0\n")).empty());
    CHECK(std::string(tandem::runtime::arch_for_soc("Ascend910B4")) == "a2a3");
    CHECK(std::string(tandem::runtime::arch_for_soc("Ascend910_9382")) == "a2a3");
    CHECK(std::string(tandem::runtime::arch_for_soc("Ascend950PR")) == "a5");
    CHECK(tandem::runtime::arch_for_soc("Ascend910") == nullptr);  // A3's NPU Name alone is not a SoC
    CHECK(tandem::runtime::arch_for_soc("Ascend310P3") == nullptr);
}

TEST_CASE("missing device nodes are named") {
    const std::filesystem::path dev =
        std::filesystem::temp_directory_path() / ("tandem-dev-" + std::to_string(getpid()));
    std::filesystem::create_directories(dev);
    for (const char* node : {"davinci_manager", "devmm_svm", "davinci0"}) std::ofstream(dev / node).put('\n');
    const std::vector<std::string> missing = missing_device_nodes(dev.string(), {0, 1});
    std::filesystem::remove_all(dev);
    CHECK(missing == std::vector<std::string>{(dev / "hisi_hdc").string(), (dev / "davinci1").string()});
}
