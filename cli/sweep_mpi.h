/*
 * sweep_mpi.h - the Open MPI sweep driver (cli/cmd_sweep_mpi.c), present
 * when alignsim is built with MPI (ALIGNSIM_HAVE_MPI).
 */
#ifndef AS_SWEEP_MPI_H
#define AS_SWEEP_MPI_H

#include "sweep.h"

/* 1 when the process was started by mpirun (Open MPI's or PMIx's environment). */
int as_sweep_mpi_wanted(void);
void as_sweep_mpi_init(int *argc, char ***argv);
int as_sweep_mpi_rank(void);
/* Runs the sweep over MPI_COMM_WORLD; only rank 0's err and status count. */
int as_sweep_mpi_run(const as_sweep *sw, as_sweep_options *opt, as_error *err);
/* Finalizes MPI; returns rank 0's exit status on every rank. */
int as_sweep_mpi_finish(int status);

#endif
