#include "tools/memtrace/json_output.h"

namespace tandem::memtrace {

nlohmann::ordered_json traffic_json(const Traffic& traffic) {
    return {
        {"reads", traffic.reads()},           {"writes", traffic.writes()},
        {"read_bytes", traffic.read_bytes()}, {"write_bytes", traffic.write_bytes()},
        {"bytes", traffic.total_bytes()},
    };
}

std::string json_text(const nlohmann::ordered_json& json, int indent) {
    return json.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace tandem::memtrace
