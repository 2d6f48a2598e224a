# SPDX-License-Identifier: MIT
# The same ARM build with clang (tests/lint, lint_clang): Debian's clang for
# --target=arm-none-eabi, armv7ve, freestanding, assembling with clang's integrated
# assembler and linking with arm-none-eabi-ld and the libgcc of cmake/arm-none-eabi.cmake.
# Only a second opinion on the code: the images the tests boot come from gcc.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
find_program(MV_CLANG NAMES clang clang-14 REQUIRED)
find_program(MV_ARM_LD arm-none-eabi-ld REQUIRED)
find_program(MV_ARM_GCC arm-none-eabi-gcc REQUIRED)
set(CMAKE_C_COMPILER ${MV_CLANG})
set(CMAKE_ASM_COMPILER ${MV_CLANG})
set(CMAKE_C_COMPILER_TARGET arm-none-eabi)
set(CMAKE_ASM_COMPILER_TARGET arm-none-eabi)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# gcc's arm-none-eabi ABI: short enums (AAPCS "variable-size enums"), so that the layouts
# match the gcc build's and libgcc's objects link without complaint.
# -mfpu=none is what gcc's -mgeneral-regs-only does there (clang has that flag for AArch64
# only): C never touches VFP/NEON.
set(MV_ARCH_FLAGS "-march=armv7ve -marm -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${MV_ARCH_FLAGS} -mfpu=none -fshort-enums -ffreestanding -fno-builtin")
set(CMAKE_ASM_FLAGS_INIT "${MV_ARCH_FLAGS}")
# libgcc (64-bit division) as gcc would pick it for these flags.
execute_process(COMMAND ${MV_ARM_GCC} -march=armv7ve -marm -mfloat-abi=soft -print-libgcc-file-name
  OUTPUT_VARIABLE MV_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
get_filename_component(MV_LIBGCC_DIR ${MV_LIBGCC} DIRECTORY)
# clang marks its objects' stacks non-executable, gcc's arm-none-eabi and libgcc do not, and
# ld warns about the mix: it means nothing for a raw binary (HYP's stage-1 does W^X).
# Any other linker warning fails the build.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib --ld-path=${MV_ARM_LD} -L${MV_LIBGCC_DIR} \
-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--fatal-warnings")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
