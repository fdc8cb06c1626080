// AddressSanitizer builds only: after SystemC switched through its coroutines, ASan must
// still know the host thread's stack, or every exception thrown on the host (a failed
// ACL call, a device fault reported to the host) leaves poisoned frames behind and later
// calls get false stack-buffer-overflow reports (docs/reliability.md, "Sanitizer build").
#include "sim_test_support.h"

#if TANDEM_ASAN
#include <sanitizer/common_interface_defs.h>

#include <pthread.h>

using namespace tandem::sim;
using namespace tandem::sim::test;

namespace {

// The stack ASan believes the calling thread runs on: a switch to the stack it is on
// already reports the previous bounds and changes nothing else.
std::pair<const char*, size_t> stack_asan_believes() {
    pthread_attr_t attributes;
    REQUIRE(pthread_getattr_np(pthread_self(), &attributes) == 0);
    void* bottom = nullptr;
    size_t size = 0;
    pthread_attr_getstack(&attributes, &bottom, &size);
    pthread_attr_destroy(&attributes);
    void* fake_stack = nullptr;
    const void* believed_bottom = nullptr;
    size_t believed_size = 0;
    __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
    __sanitizer_finish_switch_fiber(fake_stack, &believed_bottom, &believed_size);
    return {static_cast<const char*>(believed_bottom), believed_size};
}

bool on_believed_stack() {
    const auto [bottom, size] = stack_asan_believes();
    const auto* here = static_cast<const char*>(__builtin_frame_address(0));
    INFO("ASan believes the stack is [" << static_cast<const void*>(bottom) << ", +" << size << "), the frame is at "
                                        << static_cast<const void*>(here));
    return here >= bottom && here < bottom + size;
}

}  // namespace

TEST_CASE("regress 28 ASan knows the host thread's stack after the simulation ran", "[sanitizer][regress]") {
    Chip chip("chip", load_arch_config("a2a3"));
    chip.host_delay(1000);  // the kernel runs: the host thread switches through the coroutines
    run(chip, {{&chip.aiv(0), [](DeviceContext& core) { core.compute(1000); }}});
    CHECK(on_believed_stack());
}
#endif
