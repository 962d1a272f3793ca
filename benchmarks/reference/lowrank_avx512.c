/*
 * Hand-written AVX-512 reference for the LoRA forward kernel (rank 2, d = 256): what the JMH
 * numbers of AlignmentBenchmark and LoraForwardBenchmark are compared against. Not part of the
 * build; see docs/benchmarks.md. Build and run:
 *
 *   gcc -O3 -march=native -o /tmp/lowrank benchmarks/reference/lowrank_avx512.c && /tmp/lowrank
 *
 * single: y += scale * B (A x) for one vector, the same loads as the Java kernel (two rows of A
 * against two vectors of x per step, four accumulators; one pass over y for both rows of Bt).
 * batch: 32 vectors, four at a time, each chunk of A and Bt loaded once for the four.
 * Operands start on a 64-byte line, or 16 (or 8) bytes past one; the last two rows keep the
 * adapter's own weights (A, Bt) on a line and move only the caller's vectors (x, y), the case of
 * an adapter that stores its weights in aligned off-heap memory.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define D 256
#define BATCH 32

__attribute__((noinline)) static void single(const float *a, const float *bt, const float *x,
                                             float *y, float scale) {
  __m512 p0 = _mm512_setzero_ps(), p1 = p0, q0 = p0, q1 = p0;
  for (int c = 0; c < D; c += 32) {
    __m512 x0 = _mm512_loadu_ps(x + c), x1 = _mm512_loadu_ps(x + c + 16);
    p0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + c), x0, p0);
    q0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + D + c), x0, q0);
    p1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + c + 16), x1, p1);
    q1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + D + c + 16), x1, q1);
  }
  __m512 v0 = _mm512_set1_ps(scale * _mm512_reduce_add_ps(_mm512_add_ps(p0, p1)));
  __m512 v1 = _mm512_set1_ps(scale * _mm512_reduce_add_ps(_mm512_add_ps(q0, q1)));
  for (int c = 0; c < D; c += 16) {
    __m512 yv = _mm512_loadu_ps(y + c);
    yv = _mm512_fmadd_ps(v0, _mm512_loadu_ps(bt + c), yv);
    yv = _mm512_fmadd_ps(v1, _mm512_loadu_ps(bt + D + c), yv);
    _mm512_storeu_ps(y + c, yv);
  }
}

__attribute__((noinline)) static void batch(const float *a, const float *bt, const float *xs,
                                            float *ys, float scale) {
  for (int b = 0; b < BATCH; b += 4) {
    const float *x[4] = {xs + b * D, xs + (b + 1) * D, xs + (b + 2) * D, xs + (b + 3) * D};
    float *y[4] = {ys + b * D, ys + (b + 1) * D, ys + (b + 2) * D, ys + (b + 3) * D};
    __m512 p[4], q[4];
    for (int i = 0; i < 4; i++) p[i] = q[i] = _mm512_setzero_ps();
    for (int c = 0; c < D; c += 16) {
      __m512 av = _mm512_loadu_ps(a + c), aw = _mm512_loadu_ps(a + D + c);
      for (int i = 0; i < 4; i++) {
        __m512 xv = _mm512_loadu_ps(x[i] + c);
        p[i] = _mm512_fmadd_ps(av, xv, p[i]);
        q[i] = _mm512_fmadd_ps(aw, xv, q[i]);
      }
    }
    __m512 g[4], h[4];
    for (int i = 0; i < 4; i++) {
      g[i] = _mm512_set1_ps(scale * _mm512_reduce_add_ps(p[i]));
      h[i] = _mm512_set1_ps(scale * _mm512_reduce_add_ps(q[i]));
    }
    for (int c = 0; c < D; c += 16) {
      __m512 bv = _mm512_loadu_ps(bt + c), bw = _mm512_loadu_ps(bt + D + c);
      for (int i = 0; i < 4; i++) {
        __m512 yv = _mm512_loadu_ps(y[i] + c);
        _mm512_storeu_ps(y[i] + c, _mm512_fmadd_ps(h[i], bw, _mm512_fmadd_ps(g[i], bv, yv)));
      }
    }
  }
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Median of 7 timings, ns per call. Offsets: floats past a 64-byte line, of A and Bt (w) and of
 * x and y (v). */
static double measure(int use_batch, int w, int v) {
  int n = use_batch ? BATCH : 1;
  float *mem[4];
  size_t len[4] = {2 * D, 2 * D, (size_t)n * D, (size_t)n * D};
  for (int i = 0; i < 4; i++) {
    mem[i] = aligned_alloc(64, sizeof(float) * (len[i] + 64));
    for (size_t j = 0; j < len[i] + 64; j++) mem[i][j] = (float)(j % 7) * (i == 1 ? 1e-6f : 1e-3f);
  }
  float *a = mem[0] + w, *bt = mem[1] + w, *x = mem[2] + v, *y = mem[3] + v;
  long calls = use_batch ? 200000 : 5000000;
  double t[7];
  for (int r = 0; r < 8; r++) {
    double s = now_ns();
    for (long i = 0; i < calls; i++) {
      if (use_batch) batch(a, bt, x, y, 1.0f); else single(a, bt, x, y, 1.0f);
    }
    if (r > 0) t[r - 1] = (now_ns() - s) / calls; /* the first round warms up */
  }
  for (int i = 0; i < 7; i++)
    for (int j = i + 1; j < 7; j++)
      if (t[j] < t[i]) { double u = t[i]; t[i] = t[j]; t[j] = u; }
  for (int i = 0; i < 4; i++) free(mem[i]);
  return t[3];
}

int main(void) {
  printf("rank 2, d = %d, AVX-512, ns per call (median of 7)\n", D);
  printf("%-28s %10s %14s %18s\n", "operands", "single", "batch of 32", "batch per vector");
  int w[5] = {0, 4, 2, 0, 0}, v[5] = {0, 4, 2, 4, 2};
  const char *names[5] = {"on a 64-byte line", "16 bytes past a line", "8 bytes past a line",
                          "A, Bt on a line, x, y +16", "A, Bt on a line, x, y +8"};
  for (int i = 0; i < 5; i++) {
    double s = measure(0, w[i], v[i]), b = measure(1, w[i], v[i]);
    printf("%-28s %10.1f %14.1f %10.1f (%.2fx)\n", names[i], s, b, b / BATCH, b / BATCH / s);
  }
  return 0;
}
