/*
 * dirs.h - where alignsim finds its data tables (data/) and its scenario
 * library (scenarios/), decided at run time so an installed copy can be
 * moved (a relocatable prefix) and a build tree still uses its sources.
 *
 * In order, the first that applies:
 *   1. the environment: $ALIGNSIM_DATA, $ALIGNSIM_SCENARIOS;
 *   2. beside the program, as installed: BIN/../share/alignsim/{data,scenarios}
 *      (BIN: the folder of the running executable, /proc/self/exe);
 *   3. the source tree the library was built from, when it is still there;
 *   4. the install prefix the library was configured with.
 * When none exists the last is returned, and the first file opened there
 * names it in its error.
 */
#ifndef AS_DIRS_H
#define AS_DIRS_H

/* Folder of the data tables ("data:" names resolve in it), decided at the first call of either
 * function (the environment is read then).  Thread-safe. */
const char *as_dirs_data(void);

/* Folder of the scenario library (bare "extends" names). */
const char *as_dirs_scenarios(void);

#endif
