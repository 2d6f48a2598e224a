# SPDX-License-Identifier: MIT
# mv_qemu_system_test(<name> <system> LABEL <label> [SMP n] [MACHINE m] [ICOUNT shift|off]
#                     [MEMORY m] [TIMEOUT s] [SERIAL] [END <regex>] EXPECT <regex>...):
# a CTest test that boots images/<system>.img with tests/qemu/run-qemu.py on its machine m
# (default vexpress-hyp) and passes if every EXPECT line and the END line appear and the
# board powers off within TIMEOUT seconds (default 120); run-qemu.py also fails a run on a
# panic line or a failing "N passed, M failed" line. ICOUNT defaults to run-qemu.py's
# choice (-icount with one CPU: guest time counts instructions, so timing checks do not
# depend on host load; real time with several). SERIAL runs it alone.
function(mv_qemu_system_test name system)
  cmake_parse_arguments(T "SERIAL" "LABEL;SMP;MACHINE;ICOUNT;MEMORY;TIMEOUT;END" "EXPECT" ${ARGN})
  if(NOT T_SMP)
    set(T_SMP 1)
  endif()
  if(NOT T_MACHINE)
    set(T_MACHINE vexpress-hyp)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set(args --machine ${T_MACHINE} --smp ${T_SMP} --timeout ${T_TIMEOUT} --poweroff)
  if(DEFINED T_ICOUNT) # "0" is a shift, and false to if(T_ICOUNT)
    list(APPEND args --icount ${T_ICOUNT})
  endif()
  if(T_MEMORY)
    list(APPEND args --memory ${T_MEMORY})
  endif()
  foreach(e ${T_EXPECT} ${T_END})
    list(APPEND args --expect ${e})
  endforeach()
  add_test(NAME ${name}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/qemu/run-qemu.py --qemu ${MV_QEMU}
            ${args} ${MV_IMAGES_DIR}/${system}.img)
  math(EXPR ctest_timeout "${T_TIMEOUT} + 60")
  set_tests_properties(${name} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${ctest_timeout})
  if(T_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL ON)
  endif()
endfunction()
