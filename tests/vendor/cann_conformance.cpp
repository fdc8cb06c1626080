// Compiled only where CANN's headers are installed (ASCEND_HOME_PATH): every function of tandem's
// vendor surface must have exactly CANN's type. CANN's header and tandem's private surface cannot
// share a translation unit, so this one sees only CANN's declarations and tandem's function list.
#include <acl/acl.h>

#include "runtime/vendor/acl_functions.h"

#include <type_traits>

#define TANDEM_CHECK_AGAINST_CANN(name, return_type, parameters)                \
    static_assert(std::is_same_v<decltype(&::name), return_type(*) parameters>, \
                  #name ": tandem's vendor surface differs from CANN's acl_rt.h");
TANDEM_ACL_FUNCTIONS(TANDEM_CHECK_AGAINST_CANN)
