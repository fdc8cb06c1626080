// A provider library that lacks one capability, for `harness doctor`'s test: it links the
// simulator provider and exports only aclrtLaunchKernelWithConfig (refused) and
// aclGetRecentErrMsg. dlsym on this library's handle finds those two here and every other
// ACL function in the simulator provider it depends on, so everything but a kernel launch works.
#include "runtime/vendor/acl_surface.h"

#include <dlfcn.h>

namespace {

bool launch_refused = false;

}  // namespace

extern "C" __attribute__((visibility("default"))) aclError aclrtLaunchKernelWithConfig(aclrtFuncHandle, uint32_t,
                                                                                       aclrtStream,
                                                                                       aclrtLaunchKernelCfg*,
                                                                                       aclrtArgsHandle, void*) {
    launch_refused = true;
    return ACL_ERROR_RT_FEATURE_NOT_SUPPORT;
}

extern "C" __attribute__((visibility("default"))) const char* aclGetRecentErrMsg() {
    if (launch_refused) return "test provider: this provider cannot launch kernels";
    using Function = const char* (*)();
    static const auto simulator = reinterpret_cast<Function>(dlsym(RTLD_NEXT, "aclGetRecentErrMsg"));
    return simulator ? simulator() : nullptr;
}
