/*
 * sweep.h - running a sweep (docs/sweeps.md): every point of the design is
 * the base scenario with the sweep's parameters set to the point's values,
 * run with the base's seed and replications, so replication r of every
 * point uses the same keyed random streams (common random numbers) and
 * differences between points are the parameters' doing, not the noise's.
 *
 * Points are independent: any subset may run in any process (--slice) and
 * in any order, and each point's outputs are the same bits wherever it
 * runs (the engine is bit-identical for any number of threads).  Finished
 * points go to the journal (io/sweep_journal.h) as they finish; when all
 * points of the slice are done the results file is written (io/h5sweep.h).
 */
#ifndef AS_SWEEP_H
#define AS_SWEEP_H

#include <stddef.h>
#include "error.h"
#include "h5sweep.h"
#include "sweep_file.h"

typedef struct as_sweep_options {
    const char *output;          /* sweep results file */
    int threads;                 /* engine threads per point (0: OpenMP's default) */
    int resume;                  /* 1: keep the journal's finished points */
    size_t slice, n_slices;      /* run the points p with p % n_slices == slice (n_slices 0 or 1: all) */
    const char *command_line;
    const char *keep_results;    /* a folder for every point's whole results (point-NNNNNN.h5), or NULL */
    int progress;                /* 1: a progress line on stderr */
    size_t kept, ran;            /* out: points of the slice kept from the journal, and run now */
} as_sweep_options;

/* Checks the sweep against its scenario (every parameter names number-valued
 * keys; the values at both ends of every range are valid; every output is a
 * metric path of the scenario's results) and returns the design: *data gets
 * names, the design and the values, with no point done.  Errors name the
 * sweep file and the key. */
int as_sweep_prepare(const as_sweep *sw, as_sweep_data *data, as_error *err);

/* Runs the points of the slice that the journal lacks, then writes
 * opt->output.  AS_EINPUT for a bad sweep (nothing run), AS_EIO when the
 * journal or the file cannot be written. */
int as_sweep_run(const as_sweep *sw, as_sweep_options *opt, as_error *err);

/* The steps of as_sweep_run, for drivers that spread the points over
 * processes (cli/cmd_sweep_mpi.c): every process begins the job (writer 1
 * only in the one that keeps the journal and writes the file), the writer
 * lists the points to run (as_sweep_todo: the slice's points that the
 * journal lacks, into points[as_sweep_points_of(job)]), any process runs a
 * point into as_sweep_values(job) doubles, the writer records each and
 * finally writes the file. */
typedef struct as_sweep_job as_sweep_job;
int as_sweep_begin(const as_sweep *sw, as_sweep_options *opt, int writer, as_sweep_job **job, as_error *err);
size_t as_sweep_points_of(const as_sweep_job *job);
size_t as_sweep_values(const as_sweep_job *job);
size_t as_sweep_todo(as_sweep_job *job, size_t *points);
int as_sweep_point(as_sweep_job *job, size_t p, double *values, as_error *err);
int as_sweep_record(as_sweep_job *job, size_t p, const double *values, as_error *err);
int as_sweep_finish(as_sweep_job *job, as_error *err);
void as_sweep_end(as_sweep_job *job);

/* For fitting (analysis/calibrate.h): runs the scenario at any parameter
 * values (not a design point) into as_sweep_values(job) doubles: the
 * outputs, replication by replication, then the seconds of the run and of
 * its simulation; as_sweep_replications gives their number. */
int as_sweep_evaluate(as_sweep_job *job, const double *values, double *out, as_error *err);
/* as_sweep_evaluate for n sets of parameter values (values[i * k + j], k
 * the sweep's parameters) into out[i * as_sweep_values(job) ...]: side by
 * side, one engine thread each, while at least as many remain as threads
 * (as as_sweep_run's points); the same values as n calls one after another.
 * On failure, the error of the first set (in order) that failed. */
int as_sweep_evaluate_many(as_sweep_job *job, const double *values, size_t n, double *out, as_error *err);
int as_sweep_replications(const as_sweep_job *job);
/* The "PATH=JSON" overrides that parameter values make, one per line (free it). */
char *as_sweep_scenario_sets(const as_sweep_job *job, const double *values);

/* The analytic test functions (Ishigami and Homma 1990; Sobol' G, Saltelli
 * and Sobol' 1995) at x[0..k). */
double as_sweep_ishigami(const double *x, double a, double b);
double as_sweep_sobol_g(const double *x, const double *a, size_t k);

#endif
