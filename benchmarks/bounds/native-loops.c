// A native bound for the wasm engine's cheapest kernels (docs/wasm.md, "Speed: where the time goes").
// SGD, Momentum and Nesterov (lr placement 'inside') as plain C loops with the core's operation order,
// no FMA (-ffp-contract=off); float32 arrays are computed in double and rounded once per stored value,
// as the core does. Prints elements/s per kernel at one n. Not part of npm test.
//   gcc -O3 -march=native -ffp-contract=off -o /tmp/native-loops benchmarks/bounds/native-loops.c
//   /tmp/native-loops 1000000 1.5 f64      (n, seconds per kernel, f64 | f32)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define KERNELS(T)                                                                                  \
  static void run_##T(long n, double seconds) {                                                     \
    T *p = aligned_alloc(64, n * sizeof(T)), *g = aligned_alloc(64, n * sizeof(T)),                 \
      *v = aligned_alloc(64, n * sizeof(T));                                                        \
    for (long i = 0; i < n; i++) p[i] = (T)(i * 1e-6), g[i] = (T)(1e-3 * (i % 7)), v[i] = 0;         \
    const double lr = 0.01, mom = 0.9;                                                              \
    for (int k = 0; k < 3; k++) {                                                                   \
      long steps = 0;                                                                               \
      double t0 = now(), t;                                                                         \
      do {                                                                                          \
        if (k == 0)                                                                                 \
          for (long i = 0; i < n; i++) p[i] = (T)((double)p[i] - lr * (double)g[i]);                \
        else if (k == 1)                                                                            \
          for (long i = 0; i < n; i++) {                                                            \
            double vi = mom * (double)v[i] + lr * (double)g[i];                                     \
            v[i] = (T)vi;                                                                           \
            p[i] = (T)((double)p[i] - vi);                                                          \
          }                                                                                         \
        else                                                                                        \
          for (long i = 0; i < n; i++) {                                                            \
            double gi = lr * (double)g[i], vi = mom * (double)v[i] + gi;                            \
            v[i] = (T)vi;                                                                           \
            p[i] = (T)((double)p[i] - mom * vi - gi);                                               \
          }                                                                                         \
        steps++;                                                                                    \
        t = now() - t0;                                                                             \
      } while (t < seconds);                                                                        \
      printf("%-8s %s n = %ld: %.0f M elements/s (p[n/2] = %g)\n", k == 0 ? "sgd" : k == 1 ? "momentum" : "nesterov", \
             #T, n, steps * (double)n / t / 1e6, (double)p[n / 2]);                                 \
    }                                                                                               \
    free(p), free(g), free(v);                                                                      \
  }
KERNELS(double)
KERNELS(float)

int main(int argc, char **argv) {
  if (argc != 4 || (strcmp(argv[3], "f64") && strcmp(argv[3], "f32"))) {
    fprintf(stderr, "usage: native-loops N SECONDS f64|f32\n");
    return 2;
  }
  long n = atol(argv[1]);
  double s = atof(argv[2]);
  if (n < 1 || !(s > 0)) {
    fprintf(stderr, "native-loops: N = %s, SECONDS = %s; allowed: N >= 1, SECONDS > 0\n", argv[1], argv[2]);
    return 2;
  }
  if (!strcmp(argv[3], "f64")) run_double(n, s);
  else run_float(n, s);
  return 0;
}
