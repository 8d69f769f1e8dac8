# SPDX-License-Identifier: GPL-3.0-or-later
# Writes a text file into a C source file as one string constant, so that
# data the program needs (data/cues.txt) is part of the binary and no
# install path matters. Run as:
#   cmake -DIN=data/cues.txt -DOUT=cues_data.c -DNAME=scriptcast_cues_txt -DFROM=data/cues.txt \
#         -P embed.cmake
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${FROM} by cmake/embed.cmake; do not edit. */\n"
  "extern const char ${NAME}[];\n"
  "const char ${NAME}[] =\n    \"${text}\";\n")
file(RENAME "${OUT}.tmp" "${OUT}")
