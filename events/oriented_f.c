/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* The iodide tracer correlation factor of the oriented split pair.
 *
 * Derivation (units h = a/2, Gamma = 1, kappa = k_r / Gamma; R = 4 + kappa
 * is the total event rate of the pair in every state).
 *
 * f = 1 + 2 <v_0 . H> / |v|^2, with v_0 a jump of a tagged iodide T
 * (|v|^2 = 2) and H its expected displacement over all later events, given
 * the configuration just after v_0.
 *
 * (1) T in the pair. By the lattice's symmetry (axis permutations,
 * reflections) the state "T in a pair on a site of axis s, the pair along
 * p, T on the side sign e along p" has H = e u e_p with one scalar u for all
 * s, p. Its next event is
 *   - T's own jump (2 paths, probability 2/R): +e along p, and T arrives in
 *     the new pair (site axis p, pair along s) on a side along s: its later
 *     H is along s, so the p-component it adds is the jump's e;
 *   - a re-orientation (kappa/R): T on either side of the new axis with
 *     probability 1/2: H = 0;
 *   - its partner's jump (2/R), by -e e_p +- e_s: T stays behind on its
 *     lattice site; what follows is (2).
 * (2) T left behind. The pair walks as a lone defect until it first comes
 * back to T's site (if ever), by a hop v' from a neighbour site of axis p'
 * (p' is p or the third axis t). T is then the resident, on the side
 * +sign(v'_p') along p', so its H is u sign(v'_p') e_p', whose p-component
 * is u v'_p (zero when p' = t). So the p-component of H after the partner's
 * jump is g u with
 *   g = E[ v'_p at the first return ] = q_plus - q_minus,
 * q_plus (q_minus) the probability that the first return arrives from a
 * site of axis p by a hop along +p (-p), for e = +1.
 * Hence u = (2/R)(1 + g u), u = 2 / (R - 2 g), and, T having arrived on the
 * side opposite to its jump (v_0 . H = -u),
 *   f = 1 - u = (2 + kappa - 2 g) / (4 + kappa - 2 g).
 * g = 0 (an atom left behind never taken up again) gives f_pair =
 * (2 + kappa)/(4 + kappa); kappa -> infinity gives 1 (the plain pattern).
 *
 * (3) g from the pair's walk. The walk's states are (site, orientation):
 * 6 internal states (a, o), a the site axis, o != a the orientation; a hop
 * by v = +-e_a +-e_o (rate 1 each) goes to (o, a) at site + v, a
 * re-orientation (rate kappa) to (a, 3 - a - o). The generator is
 * symmetric, its stationary state uniform. Let G(x, y) be the expected
 * time in state y from x; with T's site s0 absorbing (its two states S),
 *   G_A(x, y) = G(x, y) - G(x, S) G(S, S)^-1 G(S, y)       (transient)
 * and, where the walk is recurrent (a periodic box, or kappa = 0), with Z
 * the generator's pseudo-inverse (any Z + c J gives the same), r_x =
 * Z(S, x), X = Z(S, S)^-1 1, s = 1.X,
 *   G_A(x, y) = Z(x, y) - r_x.Z(S, S)^-1 r_y + (1 - r_x.X)(1 - r_y.X)/s
 * (the limit c -> infinity of the first form with G = Z + c J). The
 * probability that the first arrival is by the hop y -> s0 is G_A(x0, y)
 * (rate 1): x0 is the pair just after the partner's jump, y the 8
 * neighbour sites of s0 with the pair oriented along s0's axis.
 * In Fourier space the generator is the 6 x 6 matrix
 *   M(k) = R 1 - H(k), H((a,o),(o,a)) = 4 cos k_a cos k_o,
 *   H((a,o),(a,3-a-o)) = kappa
 * (phases from the sites' true positions), and
 *   G(x, y) = < prod_c cos(k_c d_c) M(k)^-1 [i_x][i_y] >_k,  d = r_y - r_x,
 * the mean over the L^3 wave vectors k = pi m / L of the box (the k = 0 term
 * with M + J/6, which shifts Z by a constant), or over the zone
 * [-pi/2, pi/2]^3 for the infinite lattice. There the 1/k^2 singularity at
 * k = 0 is removed by splitting [0, pi/2]^3 into the three pyramids k_c =
 * max (k_c = t, the others t u and t w, Jacobian t^2), and the smooth
 * integrand is integrated adaptively (libcubature's pcubature: nested
 * Clenshaw-Curtis rules, refined dimension by dimension).
 * At kappa = 0 the walk keeps to the plane (p, s) of s0: 2 internal
 * states, a 2-d sum; on the infinite lattice it is the simple random walk
 * on the square lattice of that plane's sites (hops (+-1, +-1)), and with
 * the potential kernel a(1,0) = 1, a(1,1) = 4/pi, a(2,0) = 4 - 8/pi of the
 * rotated lattice the first-entry probabilities from a neighbour of s0 are
 * 1/2 (back along the same bond), 1/2 - 1/pi (each of the two bonds at
 * 90 degrees) and 2/pi - 1/2 (the opposite bond), so q_plus = 1 - 1/pi,
 * q_minus = 1/pi, g = 1 - 2/pi and f = 2/(2 + pi).
 */
#include "events/oriented_f.h"

#include <cubature.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

/* Axes: T's site s0 has axis SIG (z), the pair left it along PI (x); TAU
 * (y) is the third. s0 lies at (0, 0, 1). */
enum { PI_AX = 0, TAU_AX = 1, SIG_AX = 2 };
#define NSRC 3  /* x0, S1 (s0 along PI), S2 (s0 along TAU) */
#define NTGT 10 /* S1, S2, the 8 neighbours y */
#define NVAL (NSRC * NTGT)

typedef struct {
  int a, o;    /* site axis, orientation */
  int r[3];    /* h units */
} wstate;

typedef struct {
  double kappa;
  int nint;          /* internal states in use: 6, or 2 at kappa = 0 */
  int map[6];        /* internal state (a*2 + slot) -> row, -1 unused */
  wstate src[NSRC], tgt[NTGT];
  int vpi[NTGT];     /* v'_pi of the arriving hop (targets y), 0 for S */
  int ytau[NTGT];    /* 1: a neighbour of axis TAU */
  int failed;
} wsetup;

static int int_index(int a, int o) { return a * 2 + ((o - a + 3) % 3 - 1); }

static void set_state(wstate *s, int a, int o, int x, int y, int z) {
  s->a = a;
  s->o = o;
  s->r[0] = x;
  s->r[1] = y;
  s->r[2] = z;
}

static void setup_build(wsetup *w, double kappa) {
  memset(w, 0, sizeof *w);
  w->kappa = kappa;
  for (int i = 0; i < 6; i++) w->map[i] = -1;
  if (kappa > 0) {
    w->nint = 6;
    for (int i = 0; i < 6; i++) w->map[i] = i;
  } else { /* the plane (PI, SIG): the pair on a PI site along SIG or on a SIG site along PI */
    w->nint = 2;
    w->map[int_index(PI_AX, SIG_AX)] = 0;
    w->map[int_index(SIG_AX, PI_AX)] = 1;
  }
  /* x0: the partner left s0 by -e_pi + e_sig; the pair sits on a PI site along SIG */
  set_state(&w->src[0], PI_AX, SIG_AX, -1, 0, 2);
  set_state(&w->src[1], SIG_AX, PI_AX, 0, 0, 1);
  set_state(&w->src[2], SIG_AX, TAU_AX, 0, 0, 1);
  w->tgt[0] = w->src[1];
  w->tgt[1] = w->src[2];
  int n = 2;
  for (int ax = 0; ax < 2; ax++) /* ax 0: neighbours of axis PI, 1: of axis TAU */
    for (int sp = -1; sp <= 1; sp += 2)
      for (int ss = -1; ss <= 1; ss += 2) {
        int c = ax ? TAU_AX : PI_AX, r[3] = {0, 0, 1};
        r[c] -= sp; /* y = s0 - v', v' = sp e_c + ss e_sig */
        r[SIG_AX] -= ss;
        set_state(&w->tgt[n], c, SIG_AX, r[0], r[1], r[2]);
        w->vpi[n] = ax ? 0 : sp;
        w->ytau[n] = ax;
        n++;
      }
}

/* Does the state take part (kappa = 0 keeps to one plane)? */
static int in_use(const wsetup *w, const wstate *s) { return w->map[int_index(s->a, s->o)] >= 0; }

/* M(k)^-1 e_src for the sources, solved in the basis (1, e_1, .., e_n-1)
 * (T = [1 | e_1 .. e_n-1], M' = T^T M T): M'_00 = sum of M's entries,
 * M'_0j = M's row sums, computed from 1 - cos k_a cos k_o = s_a + s_o -
 * s_a s_o with s = 2 sin^2(k/2), so the near-zero mode at small k keeps its
 * relative precision (what plain 4 + kappa - 4 cos cos loses). */
static int solve_sources(const wsetup *w, const double k[3], int shift_zero, double *x) {
  const int n = w->nint;
  double m[36], rs[6], b[6];
  memset(m, 0, sizeof m);
  double c[3], sh[3];
  for (int q = 0; q < 3; q++) {
    double sn = sin(0.5 * k[q]);
    sh[q] = 2 * sn * sn;
    c[q] = cos(k[q]);
  }
  for (int i = 0; i < 6; i++) {
    int row = w->map[i];
    if (row < 0) continue;
    int a = i / 2, o = (a + 1 + i % 2) % 3, j = int_index(o, a), jr = int_index(a, 3 - a - o);
    m[row * n + row] += 4 + w->kappa;
    m[row * n + w->map[j]] -= 4 * c[a] * c[o];
    if (w->kappa > 0) m[row * n + w->map[jr]] -= w->kappa;
    rs[row] = 4 * (sh[a] + sh[o] - sh[a] * sh[o]);
  }
  if (shift_zero) /* M + J/n: the k = 0 term of a box */
    for (int i = 0; i < n; i++) {
      rs[i] += 1;
      for (int j = 0; j < n; j++) m[i * n + j] += 1.0 / n;
    }
  double tot = 0;
  for (int i = 0; i < n; i++) tot += rs[i];
  m[0] = tot;
  for (int j = 1; j < n; j++) m[j] = m[j * n] = rs[j];
  gsl_matrix_view mv = gsl_matrix_view_array(m, (size_t)n, (size_t)n);
  if (gsl_linalg_cholesky_decomp1(&mv.matrix)) return -1;
  for (int s = 0; s < NSRC; s++) {
    double *col = x + s * 6;
    memset(col, 0, sizeof(double) * 6);
    if (!in_use(w, &w->src[s])) continue;
    int r = w->map[int_index(w->src[s].a, w->src[s].o)];
    memset(b, 0, sizeof b);
    b[0] = 1; /* T^T e_r */
    if (r > 0) b[r] = 1;
    gsl_vector_view bv = gsl_vector_view_array(b, (size_t)n);
    if (gsl_linalg_cholesky_svx(&mv.matrix, &bv.vector)) return -1;
    col[0] = b[0]; /* x = T y */
    for (int i = 1; i < n; i++) col[i] = b[0] + b[i];
  }
  return 0;
}

/* The NVAL integrands at wave vector k, each prod cos(k d) M^-1[src][tgt];
 * shift_zero: M + J/n (the k = 0 term of a box). Returns 0, or -1 when M
 * is not positive definite. */
static int integrand_at(const wsetup *w, const double k[3], int shift_zero, double *val) {
  double x[6 * NSRC];
  if (solve_sources(w, k, shift_zero, x)) return -1;
  for (int s = 0; s < NSRC; s++)
    for (int t = 0; t < NTGT; t++) {
      double *v = val + s * NTGT + t;
      const wstate *a = &w->src[s], *y = &w->tgt[t];
      if (!in_use(w, a) || !in_use(w, y)) {
        *v = 0;
        continue;
      }
      double ph = 1;
      for (int q = 0; q < 3; q++) ph *= cos(k[q] * (y->r[q] - a->r[q]));
      *v = ph * x[s * 6 + w->map[int_index(y->a, y->o)]];
    }
  return 0;
}

/* The box: Z as the mean over its wave vectors, folded by k_c -> -k_c. */
static int box_sum(const wsetup *w, int L, double *Z) {
  double val[NVAL], wsum = 0;
  memset(Z, 0, sizeof(double) * NVAL);
  int half = L / 2, dims = w->nint == 6 ? 3 : 2;
  for (int m0 = 0; m0 <= half; m0++)
    for (int m1 = 0; m1 <= (dims == 3 ? half : 0); m1++)
      for (int m2 = 0; m2 <= half; m2++) {
        int m[3] = {m0, m1, m2};
        double wt = 1, k[3];
        for (int q = 0; q < 3; q++) {
          if (q == TAU_AX && dims == 2) {
            k[q] = 0;
            continue;
          }
          k[q] = M_PI * m[q] / L;
          wt *= (m[q] == 0 || 2 * m[q] == L) ? 1 : 2;
        }
        if (integrand_at(w, k, m0 == 0 && m1 == 0 && m2 == 0, val)) return -1;
        for (int i = 0; i < NVAL; i++) Z[i] += wt * val[i];
        wsum += wt;
      }
  for (int i = 0; i < NVAL; i++) Z[i] /= wsum;
  return 0;
}

/* The infinite lattice: (8/pi^3) over [0, pi/2]^3, the three pyramids;
 * the tolerances of each Green function and the evaluations allowed. */
#define ZONE_ABS 1e-12
#define ZONE_REL 1e-10
#define ZONE_MAX_EVAL 3000000
static int zone_integrand(unsigned ndim, const double *x, void *data, unsigned fdim, double *fval) {
  (void)ndim;
  wsetup *w = data;
  double val[NVAL];
  /* t^2 M^-1 is smooth at t = 0 (a rule that samples the corner itself
   * gets its limit, to O(t^2) = 1e-14, from t = 1e-7) */
  double t = fmax(x[0], 1e-7), jac = 8 / (M_PI * M_PI * M_PI) * t * t;
  for (unsigned i = 0; i < fdim; i++) fval[i] = 0;
  for (int q = 0; q < 3; q++) {
    double k[3];
    k[q] = t;
    k[(q + 1) % 3] = t * x[1];
    k[(q + 2) % 3] = t * x[2];
    if (integrand_at(w, k, 0, val)) {
      w->failed = 1;
      return 1;
    }
    for (unsigned i = 0; i < fdim; i++) fval[i] += jac * val[i];
  }
  return 0;
}

/* 2 x 2 (or 1 x 1) solve of Z(S,S) y = r. */
static void solve_ss(int ns, const double A[2][2], const double r[2], double y[2]) {
  if (ns == 1) {
    y[0] = r[0] / A[0][0];
    y[1] = 0;
    return;
  }
  double det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
  y[0] = (A[1][1] * r[0] - A[0][1] * r[1]) / det;
  y[1] = (A[0][0] * r[1] - A[1][0] * r[0]) / det;
}

/* First-arrival probabilities at the targets y from x0. */
static void arrivals(const wsetup *w, const double *Z, int recurrent, double *F) {
  int ns = w->nint == 6 ? 2 : 1;
  double A[2][2] = {{Z[1 * NTGT + 0], Z[1 * NTGT + 1]}, {Z[2 * NTGT + 0], Z[2 * NTGT + 1]}};
  double e[2] = {1, ns == 2 ? 1 : 0}, X[2], s = 0, rx[2] = {Z[0], Z[1]}, rxa[2], rxX = 0;
  solve_ss(ns, A, e, X);
  solve_ss(ns, A, rx, rxa);
  for (int i = 0; i < ns; i++) s += X[i], rxX += rx[i] * X[i];
  for (int t = 2; t < NTGT; t++) {
    if (!in_use(w, &w->tgt[t])) {
      F[t] = 0;
      continue;
    }
    double ry[2] = {Z[1 * NTGT + t], Z[2 * NTGT + t]}, ryX = 0, v = Z[t];
    for (int i = 0; i < ns; i++) v -= rxa[i] * ry[i], ryX += ry[i] * X[i];
    if (recurrent) v += (1 - rxX) * (1 - ryX) / s;
    F[t] = v;
  }
}

static void finish(const wsetup *w, const double *F, ionkmc_oriented_f *o) {
  o->q_plus = o->q_minus = o->q_tau = 0;
  for (int t = 2; t < NTGT; t++) {
    if (w->ytau[t]) o->q_tau += F[t];
    else if (w->vpi[t] > 0) o->q_plus += F[t];
    else o->q_minus += F[t];
  }
  for (int t = 2; t < NTGT; t++) /* back along the bond the partner left by */
    if (!memcmp(&w->tgt[t], &w->src[0], sizeof w->tgt[t])) o->q_same = F[t];
}

ionkmc_status ionkmc_oriented_f_compute(double kappa, int L, ionkmc_oriented_f *out, ionkmc_error *err) {
  if (!(kappa >= 0) || !isfinite(kappa))
    return ionkmc_error_set(err, IONKMC_EINVAL, "oriented f: k_r/Gamma = %g: expected a finite number >= 0",
                            kappa);
  if (L != 0 && (L < 2 || L > IONKMC_ORIENTED_F_MAX_L))
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "oriented f: L = %d: expected 0 (the infinite lattice) or 2..%d", L,
                            IONKMC_ORIENTED_F_MAX_L);
  ionkmc_oriented_f o;
  memset(&o, 0, sizeof o);
  o.kappa = kappa;
  o.L = L;
  wsetup w;
  setup_build(&w, kappa);
  if (L == 0 && kappa == 0) {
    o.q_plus = 1 - 1 / M_PI;
    o.q_minus = 1 / M_PI;
    o.q_same = 0.5;
    o.q_tau = 0;
  } else {
    double Z[NVAL], F[NTGT];
    if (L > 0) {
      if (box_sum(&w, L, Z))
        return ionkmc_error_set(err, IONKMC_EINTERNAL, "oriented f: L = %d, k_r/Gamma = %g: singular matrix", L,
                                kappa);
    } else {
      double zmin[3] = {0, 0, 0}, zmax[3] = {M_PI / 2, 1, 1}, zerr[NVAL];
      int rc = pcubature(NVAL, zone_integrand, &w, 3, zmin, zmax, ZONE_MAX_EVAL, ZONE_ABS, ZONE_REL,
                         ERROR_INDIVIDUAL, Z, zerr);
      if (rc || w.failed)
        return ionkmc_error_set(err, IONKMC_EINTERNAL, "oriented f: k_r/Gamma = %g: the zone integral failed",
                                kappa);
      for (int i = 0; i < NVAL; i++) {
        if (!(zerr[i] <= 100 * fmax(ZONE_ABS, ZONE_REL * fabs(Z[i]))))
          return ionkmc_error_set(err, IONKMC_EINTERNAL,
                                  "oriented f: k_r/Gamma = %g: the zone integral did not converge within %d "
                                  "evaluations (error %.1e; a small k_r/Gamma makes the walk nearly planar: "
                                  "use a box, L > 0)",
                                  kappa, ZONE_MAX_EVAL, zerr[i]);
        o.integration_error += zerr[i];
      }
    }
    arrivals(&w, Z, L > 0, F);
    finish(&w, F, &o);
  }
  o.g = o.q_plus - o.q_minus;
  o.q_return = o.q_plus + o.q_minus + o.q_tau;
  o.f_pair = (2 + kappa) / (4 + kappa);
  o.f = (2 + kappa - 2 * o.g) / (4 + kappa - 2 * o.g);
  *out = o;
  return IONKMC_OK;
}
