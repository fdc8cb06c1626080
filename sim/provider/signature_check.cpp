// Compile-time proof that every exported function has exactly the C signature the
// runtime's loader expects (runtime/vendor/acl_surface.h): the runtime resolves these
// names with dlsym and casts to these types, so a mismatch would be silent otherwise.
#include "sim/provider/acl_exports.h"

#include <type_traits>

#define TANDEM_PROVIDER_CHECK_SIGNATURE(name, return_type, parameters)          \
    static_assert(std::is_same_v<decltype(&::name), return_type(*) parameters>, \
                  #name " does not have the signature listed in runtime/vendor/acl_surface.h");

TANDEM_ACL_FUNCTIONS(TANDEM_PROVIDER_CHECK_SIGNATURE)
TANDEM_SIM_EXTRAS(TANDEM_PROVIDER_CHECK_SIGNATURE)
