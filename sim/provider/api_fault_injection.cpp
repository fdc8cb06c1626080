// tandem_sim_inject_fault: arms a deliberate fault in the chip model
// (sim/model/fault/fault_injection.h), e.g. "mte-store-bitflip:3". Works before aclInit.
// Returns 0, or an aclError with the reason in aclGetRecentErrMsg.
// tandem_sim_fault_counts: how often the armed fault fired and how many stores it
// could have hit, so a fault that never fired is not mistaken for one that changed nothing.
#include "sim/model/fault/fault_injection.h"
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

extern "C" int tandem_sim_fault_counts(uint64_t* fired, uint64_t* stores) {
    return guarded("tandem_sim_fault_counts", [&]() -> aclError {
        if (!fired || !stores) fail(ACL_ERROR_INVALID_PARAM, "fired and stores must not be NULL");
        const tandem::sim::FaultInjectionCounts counts = tandem::sim::fault_injection_counts();
        *fired = counts.fired;
        *stores = counts.stores;
        return ACL_SUCCESS;
    });
}
