/*
 * fuzz.h - the libFuzzer entry points of alignsim's harnesses, and what they
 * share (tests/fuzz/README.md).
 *
 * Each harness is built twice: with clang's -fsanitize=fuzzer into a fuzzer
 * (ALIGNSIM_FUZZ=ON, tests/fuzz/run.sh), and with driver.c's main into a
 * replayer that ctest runs over the harness's corpus in every build, so
 * every input ever found stays a regression test.
 */
#ifndef AS_FUZZ_H
#define AS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private folder for a harness's files (removed at exit), with a file name in it. */
const char *as_fuzz_dir(void);
void as_fuzz_path(char *buf, size_t n, const char *name);

/* Writes size bytes to path; aborts on failure (the harness, not the code under test, broke). */
void as_fuzz_write(const char *path, const void *data, size_t size);

/* Removes path, and everything in it if it is a folder. */
void as_fuzz_remove(const char *path);

#endif
