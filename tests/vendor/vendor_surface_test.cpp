// The vendor surface against CANN's documented prototypes (cann_prototypes.txt): every function of
// runtime/vendor/acl_functions.h is documented there with the same return and parameter types, and
// the load-option types have CANN's layout and values. Where CANN's headers are installed,
// cann_conformance.cpp checks the same list against them at compile time.
#include "runtime/vendor/acl_surface.h"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string without_spaces(const std::string& text) {
    std::string result;
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) result += c;
    }
    return result;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// "const aclrtBinHandle binHandle" -> "constaclrtBinHandle", "uint32_t * count" -> "uint32_t*":
// the type with the parameter's name dropped, spaces removed.
std::string parameter_type(const std::string& parameter) {
    std::string text = parameter;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    size_t name_start = text.size();
    while (name_start > 0 && identifier_char(text[name_start - 1])) --name_start;
    const std::string before = text.substr(0, name_start);
    // A lone type ("void", "()") has no name: nothing but spaces before the last word.
    if (without_spaces(before).empty() || without_spaces(before) == "const") return without_spaces(text);
    return without_spaces(before);
}

// "(const char* a, int b)" -> {"constchar*", "int"}.
std::vector<std::string> parameter_types(const std::string& list) {
    const size_t open = list.find('('), close = list.rfind(')');
    std::vector<std::string> types;
    const std::string inner = list.substr(open + 1, close - open - 1);
    if (without_spaces(inner).empty()) return types;
    std::stringstream stream(inner);
    std::string parameter;
    while (std::getline(stream, parameter, ',')) types.push_back(parameter_type(parameter));
    return types;
}

struct Prototype {
    std::string return_type;
    std::vector<std::string> parameters;
};

// "aclError aclrtFree(void *devPtr)" -> name aclrtFree, return aclError, parameters {void*}.
std::map<std::string, Prototype> documented_prototypes() {
    std::ifstream file(TANDEM_CANN_PROTOTYPES);
    REQUIRE(file.good());
    std::map<std::string, Prototype> prototypes;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        const size_t open = line.find('(');
        size_t name_start = open;
        while (name_start > 0 && identifier_char(line[name_start - 1])) --name_start;
        prototypes[line.substr(name_start, open - name_start)] =
            Prototype{without_spaces(line.substr(0, name_start)), parameter_types(line.substr(open))};
    }
    return prototypes;
}

}  // namespace

TEST_CASE("every vendor-surface function has CANN's documented prototype", "[vendor]") {
    const std::map<std::string, Prototype> documented = documented_prototypes();
    size_t checked = 0;
#define TANDEM_CHECK_DOCUMENTED(name, returns, parameter_list)            \
    {                                                                     \
        INFO(#name " " #parameter_list);                                  \
        const auto it = documented.find(#name);                           \
        REQUIRE(it != documented.end());                                  \
        CHECK(without_spaces(#returns) == it->second.return_type);        \
        CHECK(parameter_types(#parameter_list) == it->second.parameters); \
        ++checked;                                                        \
    }
    TANDEM_ACL_FUNCTIONS(TANDEM_CHECK_DOCUMENTED)
#undef TANDEM_CHECK_DOCUMENTED
    CHECK(checked == documented.size());
}

TEST_CASE("the comparison sees a wrong parameter type", "[vendor]") {
    CHECK(parameter_types("(uint32_t * count)") == std::vector<std::string>{"uint32_t*"});
    CHECK(parameter_types("(const aclrtBinHandle binHandle, void** x)") ==
          std::vector<std::string>{"constaclrtBinHandle", "void**"});
    CHECK(parameter_types("(int32_t deviceId)") != parameter_types("(uint32_t deviceId)"));
    CHECK(parameter_types("()").empty());
}

TEST_CASE("the binary load options have CANN's values and layout", "[vendor]") {
    // acl_rt.h: option types 1 (lazy load), 2 (magic), 3 (CPU kernel mode); the union of four
    // 32-bit words after a 32-bit enum; the options array then its count.
    STATIC_REQUIRE(ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD == 1);
    STATIC_REQUIRE(ACL_RT_BINARY_LOAD_OPT_MAGIC == 2);
    STATIC_REQUIRE(ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE == 3);
    STATIC_REQUIRE(ACL_RT_BINARY_MAGIC_ELF_AICORE == 0x43554245U);
    STATIC_REQUIRE(ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE == 0x41415246U);
    STATIC_REQUIRE(ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE == 0x41494343U);
    STATIC_REQUIRE(sizeof(aclrtBinaryLoadOptionValue) == 16);
    STATIC_REQUIRE(sizeof(aclrtBinaryLoadOption) == 20);
    STATIC_REQUIRE(offsetof(aclrtBinaryLoadOption, value) == 4);
    STATIC_REQUIRE(sizeof(aclrtBinaryLoadOptions) == 16);
    STATIC_REQUIRE(offsetof(aclrtBinaryLoadOptions, numOpt) == 8);
    STATIC_REQUIRE(ACL_ERROR_RT_FEATURE_NOT_SUPPORT == 207000);
    STATIC_REQUIRE(ACL_ERROR_RT_PARAM_INVALID == 107000);
}
