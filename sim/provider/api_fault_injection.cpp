// tandem_sim_inject_fault: arms a deliberate fault in the chip model
// (sim/fault/fault_injection.h), e.g. "mte-store-bitflip:3". Works before aclInit.
// Returns 0, or an aclError with the reason in aclGetRecentErrMsg.
#include "sim/fault/fault_injection.h"
#include "sim/provider/acl_exports.h"
#include "sim/provider/provider.h"

#include <stdexcept>

using namespace tandem::provider;

extern "C" int tandem_sim_inject_fault(const char* spec) {
    return guarded("tandem_sim_inject_fault", [&]() -> aclError {
        if (!spec) fail(ACL_ERROR_INVALID_PARAM, "spec is NULL (use \"none\" to disarm)");
        Provider& provider = Provider::instance();
        std::lock_guard<std::recursive_mutex> lock(provider.mutex());
        try {
            tandem::sim::arm_fault_injection(spec);
        } catch (const std::invalid_argument& error) {
            fail(ACL_ERROR_INVALID_PARAM, error.what());
        }
        return ACL_SUCCESS;
    });
}
