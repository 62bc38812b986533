/*
 * choice.h - choosing one alternative among several from one uniform draw.
 *
 * Internal to model/.  Both functions are pure and thread-safe; w holds n
 * weights >= 0 and u is in [0, 1).
 */
#ifndef AS_CHOICE_H
#define AS_CHOICE_H

#include <stddef.h>

/* Chooses among n options with weights w (probabilities, summing to at most 1
 * after capping): returns the index, or -1 for "none". */
static inline int choose(const double *w, size_t n, double u)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    double scale = total > 1 ? 1 / total : 1;
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += w[i] * scale;
        if (u < acc)
            return (int)i;
    }
    return -1;
}

/* Like choose, but the weights are relative (always picks one when any is positive). */
static inline int choose_relative(const double *w, size_t n, double u)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    double target = u * total, acc = 0; /* u < acc / total, without a division per option */
    for (size_t i = 0; i < n; i++) {
        acc += w[i];
        if (target < acc)
            return (int)i;
    }
    for (size_t i = n; i-- > 0;)
        if (w[i] > 0)
            return (int)i;
    return -1;
}

#endif
