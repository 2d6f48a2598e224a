# SPDX-License-Identifier: MIT
# Ring races (cells/hostile/ring_race.c): a ring producer alone on CPU 1 rewrites the
# record length the reader on CPU 0 is reading and the producer index, while it reads. Two
# CPUs in real time: host load decides how many races hit (each run prints its counts),
# never the verdict, since every check holds for any interleaving.

# 1. Against the cell runtime's ring library (cells/hostile/ring_victim.c): 200,000 reads
# after a peek or a TOO_BIG into buffers of exactly the promised size, canaries after them.
# No canary overwritten, no read longer or shorter than promised; every corrupt ring seen
# (at least the racer's held impossible lengths, each reported back) is re-attached.
# Against the library before the read kept the peeked length (31b8dd6), the reads after a
# peek take the rewritten length: canaries are overwritten in every run (over 100 times).
mv_hostile_test(hostile_ring_race_reader hostile-ring-race SMP 2 TIMEOUT 60
  EXPECT "\\[victim\\] 200000 reads \\([0-9]+ longer than 4 bytes\\), [0-9]+ lengths rewritten between check and read, [0-9]+ TOO_BIG"
         "\\[victim\\] [1-9][0-9]* corrupt rings at [0-9]+ places re-attached"
         "\\[victim\\] 0 canaries overwritten, 0 reads past the buffer, 0 reads of another length than checked$"
         "\\[victim\\] 8 passed, 0 failed"
         "\\[racer\\] the victim took [0-9]+ bytes in [0-9]+ moves and read 200000 records"
         "\\[racer\\] ([1-9][0-9]*) impossible lengths held, \\1 reported by the victim"
         "\\[racer\\] 7 passed, 0 failed")

# 2. Against the console cell, for a client whose two output rings are raced (huge
# lengths on one, invalid producer indices on the other, after a phase of lengths that are
# all valid) beside a well-behaved client, the talker (cells/hostile/talker.c). Every one
# of the talker's lines must come out whole: each is computed here, checksum included.
# The console says a raced ring is broken when it catches the racer (almost always; not
# required), and with the UART its own, it ends the run, not the microvisor.
set(TALK_LINES 60)
set(talk_expect)
foreach(n RANGE 1 ${TALK_LINES})
  math(EXPR len "8 + (${n} * 7) % 40")
  math(EXPR last "${len} - 1")
  set(payload "")
  set(sum 2166136261)
  foreach(k RANGE 0 ${last})
    math(EXPR code "97 + (${n} + 3 * ${k}) % 26")
    string(ASCII ${code} ch)
    string(APPEND payload ${ch})
    math(EXPR sum "((${sum} ^ ${code}) * 16777619) & 0xffffffff")
  endforeach()
  math(EXPR sum "${sum} + 0x100000000" OUTPUT_FORMAT HEXADECIMAL)
  string(SUBSTRING ${sum} 3 8 sum) # 0x1........: eight digits with the leading zeros
  list(APPEND talk_expect "\\[talker\\] talk ${n}/${TALK_LINES} ${payload} sum ${sum}$")
endforeach()
mv_hostile_test(hostile_ring_race_console hostile-ring-race-console SMP 2 TIMEOUT 60
  END "console: every client has stopped, stopping"
  EXPECT "console: 4 clients: 1 racer 2 racer 3 racer 4 talker"
         ${talk_expect} "\\[talker\\] 1 passed, 0 failed"
         "\\[racer\\] channel 1, lengths: [0-9]+ refills, the console moved its index [1-9][0-9]* times"
         "\\[racer\\] channel 2, lengths: [0-9]+ refills, the console moved its index [1-9][0-9]* times"
         "\\[racer\\] channel 1, huge lengths: [0-9]+ refills"
         "\\[racer\\] channel 2, invalid indices: [0-9]+ refills"
         "\\[racer\\] 7 passed, 0 failed")
