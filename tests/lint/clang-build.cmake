# SPDX-License-Identifier: MIT
# lint_clang (tests/lint/CMakeLists.txt): configures and builds the ARM side with clang,
# one build directory per board, cells only for PLAT. "|" separates list items.
#   cmake -DSOURCE_DIR=.. -DBINARY_DIR=.. -DGENERATOR=.. -DPLAT=.. -DBOARDS=a|b
#         -DCONFIG_ARGS=-DX=1|-DY=2 -P clang-build.cmake
string(REPLACE "|" ";" boards "${BOARDS}")
string(REPLACE "|" ";" config "${CONFIG_ARGS}")
foreach(board ${boards})
  if(board STREQUAL PLAT)
    set(cells ON)
  else()
    set(cells OFF)
  endif()
  set(dir ${BINARY_DIR}/${board})
  message(STATUS "lint_clang: ${board} (cells ${cells}) in ${dir}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${dir} -G ${GENERATOR}
            -DCMAKE_TOOLCHAIN_FILE=${SOURCE_DIR}/cmake/arm-none-eabi-clang.cmake
            -DCMAKE_BUILD_TYPE=Release -DMV_PLAT=${board} -DMV_CELLS=${cells} ${config}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lint_clang: configuring ${board} with clang failed")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${dir} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lint_clang: ${board} does not build with clang (warnings are errors)")
  endif()
endforeach()
