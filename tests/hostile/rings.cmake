# SPDX-License-Identifier: MIT
# Ring races (cells/hostile/ring_race.c): a ring producer alone on CPU 1 rewrites the
# record length the reader on CPU 0 is reading and the producer index, while it reads. Two
# CPUs in real time: host load decides how many races hit (each run prints its counts),
# never the verdict, since every check holds for any interleaving.

# 1. Against the cell runtime's ring library (cells/hostile/ring_victim.c): 400,000 reads
# after a peek or a TOO_BIG into buffers of exactly the promised size, canaries after them.
# No canary overwritten, no read longer or shorter than promised; every corrupt ring seen
# (at least the racer's held impossible lengths, each reported back) is re-attached.
# Against the library before the read kept the peeked length (31b8dd6), the reads after a
# peek take the rewritten length: canaries overwritten in every run, hundreds of times.
mv_hostile_test(hostile_ring_race_reader hostile-ring-race SMP 2 TIMEOUT 60
  EXPECT "\\[victim\\] 400000 reads \\([0-9]+ longer than 4 bytes\\), [0-9]+ lengths rewritten between check and read, [0-9]+ TOO_BIG"
         "\\[victim\\] [1-9][0-9]* corrupt rings at [0-9]+ places re-attached"
         "\\[victim\\] 0 canaries overwritten, 0 reads past the buffer, 0 reads of another length than checked$"
         "\\[victim\\] 8 passed, 0 failed"
         "\\[racer\\] the victim took [0-9]+ bytes in [0-9]+ moves and read 400000 records"
         "\\[racer\\] ([1-9][0-9]*) impossible lengths held, \\1 reported by the victim"
         "\\[racer\\] 7 passed, 0 failed")
