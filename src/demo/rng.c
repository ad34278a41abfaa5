/* The demo's deterministic PRNG: xoshiro256** with named streams, and the few
 * distributions the generators need. No libc rand: same seed, same bytes. */
#include "demo_int.h"

#include <math.h>

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void demo_rng_seed(demo_rng *r, uint64_t seed, const char *stream, uint64_t sub) {
    uint64_t x = seed ^ sp_hash_bytes(stream, strlen(stream), 0x5eed5eed5eed5eedULL);
    x ^= sp_hash_u64(sub + 0x632be59bd9b4e019ULL);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t demo_rng_next(demo_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t demo_rng_below(demo_rng *r, uint32_t n) {
    if (n == 0) return 0;
    /* Lemire's multiply-shift; the tiny bias is irrelevant here. */
    return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int demo_rng_range(demo_rng *r, int lo, int hi) {
    if (hi <= lo) return lo;
    return lo + (int)demo_rng_below(r, (uint32_t)(hi - lo + 1));
}

double demo_rng_unit(demo_rng *r) { return (double)(demo_rng_next(r) >> 11) * 0x1.0p-53; }

bool demo_rng_chance(demo_rng *r, double p) { return demo_rng_unit(r) < p; }

int demo_rng_poisson(demo_rng *r, double lambda) {
    if (lambda <= 0) return 0;
    if (lambda > 30) {
        double v = demo_rng_normal(r, lambda, sqrt(lambda));
        return v < 0 ? 0 : (int)(v + 0.5);
    }
    double l = exp(-lambda), p = 1.0;
    int k = 0;
    do {
        k++;
        p *= demo_rng_unit(r);
    } while (p > l);
    return k - 1;
}

double demo_rng_normal(demo_rng *r, double mean, double sd) {
    double u1 = demo_rng_unit(r), u2 = demo_rng_unit(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return mean + sd * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

size_t demo_rng_weighted(demo_rng *r, const double *w, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; i++) total += w[i];
    double x = demo_rng_unit(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n ? n - 1 : 0;
}
