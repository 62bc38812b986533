/*
 * words.h - numbers as people read them, for tables and captions: thousands
 * separated, rounded "about" figures, percentages and dollars.
 *
 * Each writes into buf (size bytes, always NUL-terminated) and returns buf;
 * NaN is written as "n/a".  Pure; thread-safe.
 */
#ifndef AS_WORDS_H
#define AS_WORDS_H

#include <stddef.h>

/* x rounded to a whole number, thousands separated: "-12,345". */
const char *as_words_count(char *buf, size_t size, double x);

/* x rounded to three significant figures, for captions ("81,500"; "12";
 * "0.25" below 1). */
const char *as_words_about(char *buf, size_t size, double x);

/* A rate in [0, 1] as a percentage with one decimal: "18.2%". */
const char *as_words_percent(char *buf, size_t size, double rate);

/* Dollars: "$48,200", "$12.3 million" from a million, "$2.88 billion" from a billion. */
const char *as_words_money(char *buf, size_t size, double dollars);

/* x with a fixed number of decimals: "0.8027". */
const char *as_words_fixed(char *buf, size_t size, double x, int decimals);

/* x with a sign, for differences: "+850", "-12" (three significant figures). */
const char *as_words_signed(char *buf, size_t size, double x);

#endif
