# SPDX-License-Identifier: MIT
# Cross toolchain for the microvisor and the cells: Debian's gcc-arm-none-eabi, ARMv7-A
# with the Virtualization Extensions (armv7ve), freestanding.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# -mgeneral-regs-only: C never touches VFP/NEON (only vfp.S does, for the guests).
set(CMAKE_C_FLAGS_INIT
  "-march=armv7ve -marm -mfloat-abi=soft -mgeneral-regs-only -ffreestanding -fno-builtin -nostdlib")
set(CMAKE_ASM_FLAGS_INIT "-march=armv7ve -marm")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib -nostartfiles -Wl,--build-id=none")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
