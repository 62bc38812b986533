/*
 * cmd_sweep_mpi.c - `mpirun -np K alignsim sweep ...`: the points of a sweep
 * spread over K processes with Open MPI (built when CMake finds MPI).
 *
 * Manager and workers: rank 0 keeps the journal and writes the file (one
 * writer); ranks 1..K-1 run points.  Rank 0 hands each worker one point at
 * a time and the next as soon as its result comes back, so a worker that
 * finishes early takes more points (dynamic distribution: points of a sweep
 * can differ tenfold in cost).  A point's outputs do not depend on which
 * rank ran it or when (the engine is bit-identical; the file is written from
 * the journal in point order), so the file is the same for any K.  With
 * K = 1 the one process runs every point itself.
 *
 * Every rank reads the sweep and its scenario; they agree (MPI_Allreduce)
 * that all did before any point runs, so a bad sweep file stops every rank
 * with one message from rank 0 and exit status 2.
 */
#include "sweep_mpi.h"
#include "alloc.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_POINT = 1, TAG_STOP, TAG_RESULT, TAG_FAILED };

int as_sweep_mpi_wanted(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL;
}

/* Waits for the next message to rank 0 without holding a core: Open MPI's
 * MPI_Probe polls, so a manager waiting on points of a second or more kept
 * one core busy for nothing (2 ranks, one worker: 6.2 s of CPU for 3.5 s of
 * wall time).  Polls with MPI_Iprobe, at first without pause (points of a
 * test model take microseconds), then sleeping between polls, twice as
 * long each time up to a millisecond: at most 1 ms late for a point. */
static void wait_message(MPI_Status *st)
{
    long pause_ns = 0;
    for (int spins = 0;; spins++) {
        int ready = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, st);
        if (ready)
            return;
        if (spins < 1000)
            continue;
        pause_ns = pause_ns ? (pause_ns < 500000 ? 2 * pause_ns : 1000000) : 1000;
        struct timespec ts = {0, pause_ns};
        nanosleep(&ts, NULL);
    }
}

/* Rank 0: hands out the points and records the results. */
static int manage(as_sweep_job *job, int size, as_error *err)
{
    size_t n_points = as_sweep_points_of(job), values = as_sweep_values(job);
    size_t *todo = as_malloc((n_points + 1) * sizeof *todo), n = todo ? as_sweep_todo(job, todo) : 0, next = 0, busy = 0;
    double *msg = as_malloc((values + 2) * sizeof *msg);
    int rc = todo && msg ? AS_OK : as_error_set(err, AS_ENOMEM, "sweep", "out of memory");
    for (int w = 1; w < size; w++) { /* every worker gets a point, or is told to stop */
        if (rc == AS_OK && next < n) {
            double p = (double)todo[next++];
            MPI_Send(&p, 1, MPI_DOUBLE, w, TAG_POINT, MPI_COMM_WORLD);
            busy++;
        } else {
            MPI_Send(NULL, 0, MPI_DOUBLE, w, TAG_STOP, MPI_COMM_WORLD);
        }
    }
    while (busy > 0) {
        MPI_Status st;
        wait_message(&st);
        if (st.MPI_TAG == TAG_FAILED) {
            char text[AS_ERROR_TEXT];
            int len;
            MPI_Get_count(&st, MPI_CHAR, &len);
            MPI_Recv(text, len < (int)sizeof text ? len : (int)sizeof text, MPI_CHAR, st.MPI_SOURCE, TAG_FAILED,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            text[sizeof text - 1] = '\0';
            if (rc == AS_OK)
                rc = as_error_set(err, AS_EINPUT, NULL, "%s", text);
        } else {
            MPI_Recv(msg, (int)values + 1, MPI_DOUBLE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (rc == AS_OK)
                rc = as_sweep_record(job, (size_t)msg[0], msg + 1, err);
        }
        if (rc == AS_OK && next < n) {
            double p = (double)todo[next++];
            MPI_Send(&p, 1, MPI_DOUBLE, st.MPI_SOURCE, TAG_POINT, MPI_COMM_WORLD);
        } else {
            MPI_Send(NULL, 0, MPI_DOUBLE, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            busy--;
        }
    }
    free(todo);
    free(msg);
    return rc == AS_OK ? as_sweep_finish(job, err) : rc;
}

/* Ranks 1..K-1: run the points rank 0 sends until told to stop. */
static void work(as_sweep_job *job)
{
    size_t values = as_sweep_values(job);
    double *msg = as_malloc((values + 2) * sizeof *msg);
    for (;;) {
        MPI_Status st;
        double p;
        MPI_Recv(&p, 1, MPI_DOUBLE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP)
            break;
        static as_error err;
        as_error_clear(&err);
        if (msg && as_sweep_point(job, (size_t)p, msg + 1, &err) == AS_OK) {
            msg[0] = p;
            MPI_Send(msg, (int)values + 1, MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
        } else {
            if (!msg)
                as_error_set(&err, AS_ENOMEM, "sweep", "out of memory on a worker");
            MPI_Send(err.text, (int)strlen(err.text) + 1, MPI_CHAR, 0, TAG_FAILED, MPI_COMM_WORLD);
        }
    }
    free(msg);
}

int as_sweep_mpi_run(const as_sweep *sw, as_sweep_options *opt, as_error *err)
{
    int rank, size, mine, all;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size == 1)
        return as_sweep_run(sw, opt, err);
    opt->progress = 0;
    as_sweep_job *job = NULL;
    mine = as_sweep_begin(sw, opt, rank == 0, &job, err);
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    int rc = all;
    if (all == AS_OK) {
        if (rank == 0)
            rc = manage(job, size, err);
        else
            work(job);
    } else if (rank == 0 && mine == AS_OK) {
        rc = as_error_set(err, all, "sweep", "a worker process could not read the sweep (see its messages)");
    }
    as_sweep_end(job);
    if (rank != 0) /* one writer, one voice: workers' errors went to rank 0 */
        as_error_clear(err);
    return rank == 0 ? rc : AS_OK;
}

void as_sweep_mpi_init(int *argc, char ***argv)
{
    MPI_Init(argc, argv);
}

int as_sweep_mpi_rank(void)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int as_sweep_mpi_finish(int status)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD); /* every rank exits with rank 0's status */
    MPI_Finalize();
    return status;
}
