#include "market.h"

#include <math.h>
#include <stdlib.h>

void as_market_free(as_market *m)
{
    if (!m)
        return;
    free(m->link_first);
    free(m->link_occupation);
    free(m->link_weight);
    free(m->trade_wage);
    free(m->in_field);
    free(m->source);
    free(m);
}

void as_market_supply(const as_market *m, as_results *res)
{
    size_t n_occ = res->dims[AS_D_OCCUPATION].len;
    for (int r = 0; r < res->replications; r++) {
        for (int y = 0; y < res->years; y++) {
            const double *entrants = as_results_at(res, AS_V_LABOR_ENTRANTS, r, y);
            const double *shifted = as_results_at(res, AS_V_ENTRANTS_WITH_EXPERIENCE, r, y);
            const double *in_field = as_results_at(res, AS_V_IN_FIELD_WITH_EXPERIENCE, r, y);
            double *supply = as_results_at(res, AS_V_SUPPLY, r, y);
            double *by_source = as_results_at(res, AS_V_SUPPLY_BY_SOURCE, r, y); /* [o][source] */
            for (size_t o = 0; o < n_occ; o++)
                supply[o] = 0;
            for (size_t i = 0; i < n_occ * AS_SUP_COUNT; i++)
                by_source[i] = 0;
            for (size_t k = 0; k < m->n_credentials; k++)
                for (size_t l = m->link_first[k]; l < m->link_first[k + 1]; l++) {
                    double add = shifted[k] == 0
                        ? entrants[k] * m->in_field[k] * m->link_weight[l]
                        : ((entrants[k] - shifted[k]) * m->in_field[k] + in_field[k]) * m->link_weight[l];
                    supply[m->link_occupation[l]] += add;
                    by_source[m->link_occupation[l] * AS_SUP_COUNT + m->source[k]] += add;
                }
            double earnings = 0;
            for (size_t o = 0; o < n_occ; o++)
                if (isfinite(res->occupation_wage[o]))
                    earnings += supply[o] * res->occupation_wage[o];
            *as_results_at(res, AS_V_EARNINGS, r, y) = earnings;
        }
    }
}
