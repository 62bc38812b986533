# cmake/version.cmake - writes OUTPUT (git_version.h) with the version and commit of the source tree,
# at every build (a custom target runs it; the header is rewritten only when they change).
#
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -DFALLBACK_VERSION=0.2.0 -P cmake/version.cmake
#
# In a git clone: the version is `git describe` of the newest v* tag ("0.2.0", or "0.2.0-3-gabc1234"
# three commits later; "-dirty" with uncommitted changes) and the commit is the full hash.  In a
# tarball made by `git archive`, .git_archival.txt holds both (export-subst in .gitattributes).
# Elsewhere: FALLBACK_VERSION (CMake's project version) and commit "unknown".
set(version "")
set(commit "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --tags --match "v[0-9]*" --dirty
                  OUTPUT_VARIABLE version RESULT_VARIABLE rc_describe ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse HEAD
                  OUTPUT_VARIABLE commit RESULT_VARIABLE rc_commit ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc_commit EQUAL 0)
    set(commit "")
  elseif(NOT rc_describe EQUAL 0) # no tag reachable: the project version and the short commit
    string(SUBSTRING "${commit}" 0 7 short)
    set(version "${FALLBACK_VERSION}-g${short}")
  endif()
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE changes ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(commit AND changes) # built from a tree with uncommitted changes: say so in both
    string(APPEND commit "-dirty")
    if(NOT version MATCHES "-dirty$")
      string(APPEND version "-dirty")
    endif()
  endif()
elseif(EXISTS "${SOURCE_DIR}/.git_archival.txt")
  file(STRINGS "${SOURCE_DIR}/.git_archival.txt" lines)
  foreach(line IN LISTS lines)
    if(line MATCHES "^commit: ([0-9a-f]+)$")
      set(commit "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^describe: (v[0-9].*)$")
      set(version "${CMAKE_MATCH_1}")
    endif()
  endforeach()
endif()
string(REGEX REPLACE "^v" "" version "${version}")
if(NOT version)
  set(version "${FALLBACK_VERSION}")
endif()
if(NOT commit)
  set(commit "unknown")
endif()
set(text "/* Generated at build time by cmake/version.cmake; do not edit. */
#ifndef AS_GIT_VERSION_H
#define AS_GIT_VERSION_H
#define AS_VERSION \"${version}\"
#define AS_GIT_COMMIT \"${commit}\"
#endif
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
