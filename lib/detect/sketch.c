/*
 * Fixed-size sketches: HyperLogLog distinct counters, the approximately
 * sliding window counter, and a small median.
 */
#include <math.h>
#include <string.h>

#include "detect_int.h"

void
dt_hll_add(uint8_t *reg, unsigned p, uint64_t hash)
{
	size_t i = (size_t)(hash >> (64 - p));
	uint64_t w = hash << p;
	uint8_t rank;

	/* Rank of the first 1 bit in the remaining 64 - p bits. */
	rank = w == 0 ? (uint8_t)(64 - p + 1) :
	    (uint8_t)(__builtin_clzll(w) + 1);
	if (rank > reg[i])
		reg[i] = rank;
}

double
dt_hll_count(const uint8_t *reg, unsigned p)
{
	size_t m = (size_t)1 << p, i, zeros = 0;
	double sum = 0, alpha, e;

	for (i = 0; i < m; i++) {
		sum += ldexp(1.0, -(int)reg[i]);
		if (reg[i] == 0)
			zeros++;
	}
	if (m >= 128)
		alpha = 0.7213 / (1.0 + 1.079 / (double)m);
	else if (m == 64)
		alpha = 0.709;
	else if (m == 32)
		alpha = 0.697;
	else
		alpha = 0.673;
	e = alpha * (double)m * (double)m / sum;
	/* Small range: linear counting is the better estimate. */
	if (e <= 2.5 * (double)m && zeros != 0)
		e = (double)m * log((double)m / (double)zeros);
	return e;
}

static void
roll(struct dt_window *w, int64_t now, int64_t len)
{
	if (w->start == 0 && w->cur == 0 && w->prev == 0) {
		w->start = now;
		return;
	}
	if (now < w->start + len)
		return;
	if (now < w->start + 2 * len) {
		w->prev = w->cur;
		w->start += len;
	} else {
		w->prev = 0;
		w->start = now;
	}
	w->cur = 0;
}

void
dt_window_add(struct dt_window *w, int64_t now, int64_t len, uint32_t n)
{
	roll(w, now, len);
	w->cur = w->cur > UINT32_MAX - n ? UINT32_MAX : w->cur + n;
}

double
dt_window_count(const struct dt_window *w, int64_t now, int64_t len)
{
	double frac;

	if (now >= w->start + 2 * len)
		return 0;
	if (now >= w->start + len) {
		/* The current window is over: it is now the previous one. */
		frac = 1.0 - (double)(now - w->start - len) / (double)len;
		return (double)w->cur * frac;
	}
	frac = now <= w->start ? 1.0 :
	    1.0 - (double)(now - w->start) / (double)len;
	return (double)w->cur + (double)w->prev * frac;
}

double
dt_median(double *v, size_t n)
{
	size_t i, j;
	double t;

	if (n == 0)
		return 0;
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
