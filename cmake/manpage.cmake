# cmake/manpage.cmake - writes OUTPUT, alignsim's man page: help2man's page from `alignsim --help` and
# `--version`, with a COMMANDS section holding every command's own --help.
#   cmake -DALIGNSIM=... -DHELP2MAN=... -DOUTPUT=... -P cmake/manpage.cmake
execute_process(COMMAND "${ALIGNSIM}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "alignsim --help failed (${rc})")
endif()
execute_process(COMMAND "${ALIGNSIM}" --version OUTPUT_VARIABLE version)
string(REGEX MATCH "^alignsim ([^\n]*)" version "${version}") # the first line only: no build paths
set(version "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "\n  [a-z-]+ " lines "${help}")
set(include "[COMMANDS]\n")
foreach(line IN LISTS lines)
  string(STRIP "${line}" cmd)
  execute_process(COMMAND "${ALIGNSIM}" ${cmd} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "alignsim ${cmd} --help failed (${rc})")
  endif()
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" text "${text}") # a line starting with . or ' is not a request
  string(APPEND include ".SS ${cmd}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND include "[ENVIRONMENT]\n.TP\n.B ALIGNSIM_DATA\nfolder of the data tables (default: share/alignsim/data beside the program)\n"
       ".TP\n.B ALIGNSIM_SCENARIOS\nfolder of the scenario library that a bare \"extends\" name finds\n"
       "[EXIT STATUS]\n0 success, 1 a failure to write or another error, 2 bad input (a message names the file and the JSON path), 128+N killed by signal N.\n"
       "[SEE ALSO]\nThe model (ODD protocol), results format, sweeps and reliability notes: share/doc/alignsim and the docs/ folder of the source.\n")
file(WRITE "${OUTPUT}.h2m" "${include}")
execute_process(COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1 "--version-string=${version}"
                        "--name=labor-market alignment simulator" "--include=${OUTPUT}.h2m" --output=${OUTPUT} "${ALIGNSIM}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
