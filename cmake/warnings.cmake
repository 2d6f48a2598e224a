# SPDX-License-Identifier: MIT
# The warning set of docs/style.md rule 18, applied to every target of ours.
set(MV_WARNINGS
  -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wshadow -Wstrict-prototypes
  -Wmissing-prototypes -Wundef -Wvla -fno-common)
