#include "tools/memtrace/traffic_json.h"

namespace tandem::memtrace {

nlohmann::ordered_json traffic_json(const Traffic& traffic) {
    return {
        {"reads", traffic.reads()},
        {"writes", traffic.writes()},
        {"read_bytes", traffic.read_bytes()},
        {"write_bytes", traffic.write_bytes()},
        {"bytes", traffic.total_bytes()},
    };
}

}  // namespace tandem::memtrace
