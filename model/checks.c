/*
 * checks.c - the engine's invariants (checks.h).
 */
#include "checks.h"
#include "alloc.h"
#include "entry.h"

#include <math.h>

int as_check_seats(const run *R, const int64_t *stayed, as_error *err)
{
    const as_params *p = R->p;
    size_t np = R->n_prog + 1;
    int64_t *held = as_calloc(np * AS_GRADES + p->dual_enrollment.n + 1, sizeof *held);
    if (!held)
        return as_error_set(err, AS_ENOMEM, "engine", "out of memory checking seats"), -1;
    int64_t *dual = held + np * AS_GRADES;
    for (int gi = 0; gi < R->n_groups; gi++)
        for (size_t k = R->groups[gi].first; R->groups[gi].active && k < R->groups[gi].first + R->groups[gi].n; k++) {
            if (R->s.status[k] != ST_HS)
                continue;
            if (R->s.program[k] != NONE8)
                held[R->s.program[k] * AS_GRADES + R->s.grade[k]]++;
            if (R->s.year_dual1[k])
                dual[opt_get(R->s.year_dual1, k)]++;
        }
    int rc = 0;
    for (size_t j = 0; j < R->n_prog && rc == 0; j++)
        for (int g = 0; g < AS_GRADES && rc == 0; g++)
            if (R->prog_seats[j] >= 0 &&
                held[j * AS_GRADES + g] > fmax(R->prog_seats[j], (double)stayed[j * AS_GRADES + g]))
                rc = -1, as_error_set(err, AS_EINTERNAL, "engine", "programs.%s: %lld students in grade %d over %g seats in year %d",
                                      p->programs.items[j].id, (long long)held[j * AS_GRADES + g], g + 9,
                                      R->prog_seats[j], R->year);
    for (size_t j = 0; j < p->dual_enrollment.n && rc == 0; j++) {
        const as_dual_enrollment *de = &p->dual_enrollment.items[j];
        double seats = R->dual_seats[j];
        double cap = de->courses_per_year > 0 ? floor(seats / de->courses_per_year) : seats;
        if (seats >= 0 && dual[j] > cap)
            rc = -1, as_error_set(err, AS_EINTERNAL, "engine", "dual_enrollment.%s: %lld students over %g in year %d",
                                  de->id, (long long)dual[j], cap, R->year);
    }
    free(held);
    return rc;
}

int as_check_state(const run *R, const int64_t *year_count, as_error *err)
{
    const as_params *p = R->p;
    const as_results *res = R->res;
    for (int gi = 0; gi < R->n_groups; gi++) { /* groups entered so far (the others are not active) */
        const group *g = &R->groups[gi];
        for (size_t k = g->first; g->active && k < g->first + g->n; k++) { /* (inactive: slots reused) */
            if (R->s.status[k] >= ST_COUNT || R->s.status[k] == ST_PENDING) {
                as_error_set(err, AS_EINTERNAL, "engine", "person %zu in state %d after year %d", k,
                             R->s.status[k], R->year);
                return -1;
            }
        }
    }
    if (as_entry_check_zero(R, err) != 0)
        return -1;
    for (size_t j = 0; j < p->wbl.n; j++)
        if (R->wbl_slots[j] >= 0 && year_count[res->offset[AS_V_WBL_PLACED] + j] > R->wbl_slots[j]) {
            as_error_set(err, AS_EINTERNAL, "engine", "wbl.%s: %lld placements over %g slots in year %d",
                         p->wbl.items[j].id, (long long)year_count[res->offset[AS_V_WBL_PLACED] + j],
                         R->wbl_slots[j], R->year);
            return -1;
        }
    for (size_t j = 0; j < p->apprenticeships.n; j++)
        if (year_count[res->offset[AS_V_APPRENTICE_STARTS] + j] > R->trade_slots[j]) {
            as_error_set(err, AS_EINTERNAL, "engine", "apprenticeships.%s: starts over slots in year %d",
                         p->apprenticeships.items[j].id, R->year);
            return -1;
        }
    return 0;
}
