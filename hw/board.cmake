# cmake -DTANDEM_BOARD=ON (cmake --preset board): the device programs for a board, with
# CANN's compilers where ASCEND_HOME_PATH names an install (docs/board.md). What cannot be
# built here is named, with the reason.

# The AICPU program. CANN's aarch64 compiler lives in tools/hcc/bin (CANN 8.x) or
# toolkit/toolchain/hcc/bin (older ascend-toolkit layouts) under ASCEND_HOME_PATH.
set(hcc_dir "")
if(ASCEND_HOME_PATH)
  foreach(candidate tools/hcc/bin toolkit/toolchain/hcc/bin)
    if(NOT hcc_dir AND EXISTS ${ASCEND_HOME_PATH}/${candidate}/aarch64-target-linux-gnu-g++)
      set(hcc_dir ${ASCEND_HOME_PATH}/${candidate})
    endif()
  endforeach()
endif()
if(hcc_dir)
  tandem_add_aarch64_build(tandem_aicpu_cann cann-hcc.cmake OFF -DTANDEM_CANN_HCC_DIR=${hcc_dir})
  message(STATUS "board AICPU program: CANN's ${hcc_dir}/aarch64-target-linux-gnu-g++ -> "
                 "${CMAKE_BINARY_DIR}/hw/tandem_aicpu_cann/libtandem_aicpu_board.so")
elseif(TANDEM_AARCH64_DIR)
  if(ASCEND_HOME_PATH)
    set(why "ASCEND_HOME_PATH=${ASCEND_HOME_PATH} has no hcc under tools/hcc/bin or toolkit/toolchain/hcc/bin")
  else()
    set(why "ASCEND_HOME_PATH is not set")
  endif()
  message(STATUS "board AICPU program: Debian's aarch64-linux-gnu-g++ (${why}) -> "
                 "${TANDEM_AARCH64_DIR}/libtandem_aicpu_board.so; check its symbol versions against the board "
                 "(docs/board.md)")
else()
  message(STATUS "board AICPU program skipped: neither CANN's compiler (ASCEND_HOME_PATH) nor aarch64-linux-gnu-g++ "
                 "(g++-aarch64-linux-gnu) found")
endif()

# The AIV executor, with CANN's ccec (ascend-facts, "Compilers": dav-c220-vec on a2a3,
# dav-c310-vec on a5). Scene PTO kernels for the board need CANN's pto-isa headers and are not
# built by tandem yet.
if(ASCEND_HOME_PATH)
  find_program(TANDEM_CCEC ccec PATHS ${ASCEND_HOME_PATH}/bin ${ASCEND_HOME_PATH}/compiler/ccec_compiler/bin
               NO_DEFAULT_PATH)
endif()
if(TANDEM_CCEC)
  set(aiv_sources ${CMAKE_CURRENT_LIST_DIR}/aiv/aiv_entry.cpp ${PROJECT_SOURCE_DIR}/runtime/aiv/executor.cpp)
  foreach(arch_flag a2a3:dav-c220-vec a5:dav-c310-vec)
    string(REPLACE ":" ";" arch_flag ${arch_flag})
    list(GET arch_flag 0 arch)
    list(GET arch_flag 1 core_arch)
    foreach(source IN LISTS aiv_sources)
      get_filename_component(stem ${source} NAME_WE)
      set(object ${CMAKE_BINARY_DIR}/hw/aiv/${arch}/${stem}.o)
      add_custom_command(OUTPUT ${object}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/hw/aiv/${arch}
        COMMAND ${TANDEM_CCEC} -c -O2 -std=c++17 -xcce --cce-aicore-arch=${core_arch} --cce-aicore-only
                -I${PROJECT_SOURCE_DIR} ${source} -o ${object}
        DEPENDS ${source} ${CMAKE_CURRENT_LIST_DIR}/aiv/aiv_device_ops.h
        COMMENT "ccec: ${stem} for ${arch} (${core_arch}; verified only on a board)"
        VERBATIM)
      list(APPEND aiv_objects ${object})
    endforeach()
  endforeach()
  add_custom_target(tandem_aiv_board ALL DEPENDS ${aiv_objects})
  message(STATUS "board AIV executor objects: ${TANDEM_CCEC} (dav-c220-vec, dav-c310-vec) -> ${CMAKE_BINARY_DIR}/hw/aiv; "
                 "linking them into the vector-core ELF and the board PTO kernels are skipped: not built against "
                 "CANN's pto-isa yet (docs/board.md)")
else()
  if(ASCEND_HOME_PATH)
    set(why "no ccec under ${ASCEND_HOME_PATH}/bin or ${ASCEND_HOME_PATH}/compiler/ccec_compiler/bin")
  else()
    set(why "ASCEND_HOME_PATH is not set (CANN's ccec compiles AICore code)")
  endif()
  message(STATUS "board AIV executor and PTO kernels skipped: ${why}")
endif()
