# SPDX-License-Identifier: MIT
# The ARM builds the host build drives: the microvisor and the cells for MV_PLAT in arm/,
# and the microvisor alone for every other board in arm-<board>/ (the boards booted through
# U-Boot, docs/boards.md). Each is this tree again with cmake/arm-none-eabi.cmake, as an
# external project given the host build's configuration (MV_ARM_CONFIG_ARGS).
find_program(MV_QEMU qemu-system-arm REQUIRED)
include(ExternalProject)
set(MV_ARM_DIR ${CMAKE_BINARY_DIR}/arm)

# Every cell binary a system description names is a product of the ARM build.
file(GLOB MV_SYSTEMS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/systems/*.dts)
set(MV_CELL_BINS)
foreach(dts ${MV_SYSTEMS})
  file(STRINGS ${dts} lines REGEX "image *= *\"[^\"]+\"")
  foreach(line ${lines})
    string(REGEX REPLACE ".*image *= *\"([^\"]+)\".*" "\\1" bin "${line}")
    list(APPEND MV_CELL_BINS ${MV_ARM_DIR}/cells/${bin})
  endforeach()
endforeach()
list(REMOVE_DUPLICATES MV_CELL_BINS)
ExternalProject_Add(arm_build
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${MV_ARM_DIR}
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/arm-none-eabi.cmake
             -DCMAKE_BUILD_TYPE=Release -DMV_PLAT=${MV_PLAT} ${MV_ARM_CONFIG_ARGS}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${MV_ARM_DIR}/arch/arm/microvisor.bin ${MV_CELL_BINS})

# A board is its data file: every arch/arm/plat/<board>.c but MV_PLAT's gets a build.
foreach(board ${MV_BOARDS})
  if(board STREQUAL MV_PLAT)
    continue()
  endif()
  ExternalProject_Add(arm_build_${board}
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/arm-${board}
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/cmake/arm-none-eabi.cmake
               -DCMAKE_BUILD_TYPE=Release -DMV_PLAT=${board} -DMV_CELLS=OFF ${MV_ARM_CONFIG_ARGS}
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${CMAKE_BINARY_DIR}/arm-${board}/arch/arm/microvisor.bin)
endforeach()
