# CANN's aarch64 compiler for AICPU code (ascend-facts, "Compilers"). Assumed places, the
# first that exists wins (docs/board.md): ${ASCEND_HOME_PATH}/tools/hcc/bin (CANN 8.x) and
# ${ASCEND_HOME_PATH}/toolkit/toolchain/hcc/bin (older ascend-toolkit layouts).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
if(NOT TANDEM_CANN_HCC_DIR)
  message(FATAL_ERROR "cann-hcc.cmake: TANDEM_CANN_HCC_DIR (the directory of aarch64-target-linux-gnu-g++) is not set")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES TANDEM_CANN_HCC_DIR)  # compiler checks read this file again
set(CMAKE_C_COMPILER ${TANDEM_CANN_HCC_DIR}/aarch64-target-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER ${TANDEM_CANN_HCC_DIR}/aarch64-target-linux-gnu-g++)
