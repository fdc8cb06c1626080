# Included by CTest when it starts (TEST_INCLUDE_FILES, written by tandem_add_scene_tests):
# one test per case of a scene that declares CASES, as `harness run <scene> --list`
# names them (scene[case]). Expects TANDEM_HARNESS, TANDEM_SCENE, TANDEM_SCENES_ROOT,
# TANDEM_SCENE_ARCHES and TANDEM_SCENE_SKIPPED_OUTPUT. If the harness cannot list them (not
# built yet, malformed CASES), the scene is one test, whose run reports why.
execute_process(COMMAND "${TANDEM_HARNESS}" run "${TANDEM_SCENE}" --list --scenes-dir "${TANDEM_SCENES_ROOT}"
                OUTPUT_VARIABLE listed ERROR_QUIET RESULT_VARIABLE listing_status)
if(NOT listing_status EQUAL 0)
  set(listed "${TANDEM_SCENE}")
endif()
string(REGEX MATCHALL "[^\n]+" scene_runs "${listed}")
foreach(scene_run IN LISTS scene_runs)
  set(test_stem "scene.${TANDEM_SCENE}")
  if(scene_run MATCHES "\\[(.+)\\]$")
    set(test_stem "${test_stem}.${CMAKE_MATCH_1}")
  endif()
  foreach(arch IN LISTS TANDEM_SCENE_ARCHES)
    add_test("${test_stem}.${arch}" "${TANDEM_HARNESS}" run "${scene_run}" --arch "${arch}"
             --scenes-dir "${TANDEM_SCENES_ROOT}")
    set_tests_properties("${test_stem}.${arch}" PROPERTIES SKIP_REGULAR_EXPRESSION "${TANDEM_SCENE_SKIPPED_OUTPUT}")
  endforeach()
endforeach()
