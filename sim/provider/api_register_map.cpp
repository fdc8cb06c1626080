// The register-map seam (runtime/vendor/register_map.h) on the model: each AICore's
// control-register block is its MMIO window in the model's address map, by physical id (the
// AIV cores, then the AIC cores). On a board the
// same function comes from tandem's board helper, over the driver.
#include "runtime/vendor/register_map.h"
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <algorithm>
#include <cstring>
#include <string>

using namespace tandem::provider;

extern "C" TANDEM_PROVIDER_EXPORT int tandem_aicore_register_bases(int32_t device_id, const char* arch, uint64_t* bases,
                                                                   uint32_t capacity, uint32_t* count, char* message,
                                                                   uint32_t message_capacity) {
    const aclError code = with_provider("tandem_aicore_register_bases", [&](Provider& provider) {
        provider.check_device_id(device_id);
        require_output(bases, "bases");
        require_output(count, "count");
        const tandem::sim::ArchConfig& config = provider.config();
        // A board's driver maps the blocks per arch, so a caller that takes the chip for another
        // arch would get wrong addresses there: refused here too.
        if (!arch || config.arch != arch) {
            fail(ACL_ERROR_INVALID_PARAM, std::string("the register map was asked for an ") + (arch ? arch : "(null)") +
                                              " chip; this simulator models " + config.arch + " (" +
                                              config.source_path + ")");
        }
        // By physical id: the AIV cores, then the AIC cores (aiv count + i).
        const uint32_t cores = config.aicore_count();
        if (capacity < cores) {
            fail(ACL_ERROR_INVALID_PARAM, "room for " + std::to_string(capacity) + " register bases, the device has " +
                                              std::to_string(cores) + " AICores (" + std::to_string(config.cores.aiv) +
                                              " AIV + " + std::to_string(config.cores.aic) + " AIC)");
        }
        for (uint32_t core = 0; core < cores; ++core) bases[core] = config.mmio_window_base(core);
        *count = cores;
    });
    if (code != ACL_SUCCESS && message && message_capacity) {
        const char* recent = take_recent_errors();
        const std::string why = recent ? recent : "no detail";
        const size_t copied = std::min<size_t>(why.size(), message_capacity - 1);
        std::memcpy(message, why.data(), copied);
        message[copied] = '\0';
    }
    return code;
}
