// The provider's exported C surface, declared from the X-macro lists of
// runtime/vendor/acl_surface.h themselves: a definition whose signature drifts from
// the list is a compile error ("conflicting declaration of C function"), and
// signature_check.cpp asserts each function's type against the list as well.
#pragma once

#include "runtime/vendor/acl_surface.h"

#define TANDEM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define TANDEM_PROVIDER_DECLARE(name, return_type, parameters) TANDEM_PROVIDER_EXPORT return_type name parameters;

extern "C" {
TANDEM_ACL_FUNCTIONS(TANDEM_PROVIDER_DECLARE)
TANDEM_SIM_EXTRAS(TANDEM_PROVIDER_DECLARE)
}

#undef TANDEM_PROVIDER_DECLARE
