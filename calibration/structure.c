/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* Atomistic ABX3 supercells with defects. See structure.h. */
#include "calibration/structure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration/mdtrack.h"
#include "kmc/rng.h"
#include "lattice/lattice.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define SP_MA 0xff /* the A-site "species" that is a whole MA molecule */
#define MAX_MIX 4

static const double R_CN = 1.47, R_CH = 1.09, R_NH = 1.03, ANG_H = 110.0;
static const double D_II = 1.6;  /* I_I: displacement of each X from the site */
static const double D_IMA = 1.3; /* I_MA: offset of each cation from the cage centre */
/* Partial charges of MA+ (sum +1): C, N, H on C, H on N. */
static const double Q_C = 0.1, Q_N = -0.3, Q_HC = 0.1, Q_HN = 0.3;

double ionkmc_element_mass(ionkmc_element e) {
  switch (e) {
  case IONKMC_EL_PB: return 207.2;
  case IONKMC_EL_I: return 126.904;
  case IONKMC_EL_C: return 12.011;
  case IONKMC_EL_N: return 14.007;
  case IONKMC_EL_H: return 1.008;
  case IONKMC_EL_CS: return 132.905;
  case IONKMC_EL_BR: return 79.904;
  case IONKMC_EL_CL: return 35.45;
  case IONKMC_EL_SN: return 118.71;
  case IONKMC_EL_RB: return 85.468;
  case IONKMC_EL_K: return 39.098;
  case IONKMC_EL_FA: return 45.065; /* CH(NH2)2: C + 5 H + 2 N */
  default: return 0;
  }
}

double ionkmc_element_charge(ionkmc_element e) {
  switch (e) {
  case IONKMC_EL_PB: case IONKMC_EL_SN: return 2;
  case IONKMC_EL_I: case IONKMC_EL_BR: case IONKMC_EL_CL: return -1;
  case IONKMC_EL_CS: case IONKMC_EL_RB: case IONKMC_EL_K: case IONKMC_EL_FA: return 1;
  default: return 0;
  }
}

ionkmc_structure_spec ionkmc_structure_spec_default(void) {
  ionkmc_structure_spec s;
  memset(&s, 0, sizeof s);
  s.L = 6;
  s.a = 6.365;
  s.ma_axis = -1;
  s.seed = 1;
  return s;
}

void ionkmc_structure_free(ionkmc_structure *s) {
  if (!s) return;
  free(s->atoms);
  free(s->bonds);
  free(s->angles);
  free(s->dihedrals);
  free(s);
}

/* ---- species of one sublattice ------------------------------------------- */

typedef struct {
  int n;
  uint8_t sp[MAX_MIX];
  double frac[MAX_MIX];
} mix;

/* Parse "EL" or "EL=f,EL=f" for sublattice sub (0 X, 1 A, 2 B). */
static ionkmc_status parse_mix(const char *spec, int sub, mix *m, ionkmc_error *err) {
  static const char *const what[3] = {"x-site", "a-site", "b-site"};
  static const char *const allowed[3] = {"I, Br or Cl", "MA, Cs, Rb, K or FA", "Pb or Sn"};
  m->n = 0;
  const char *p = spec;
  double sum = 0;
  while (*p) {
    const char *e = p;
    while (*e && *e != '=' && *e != ',') e++;
    int len = (int)(e - p);
    uint8_t sp;
    if (sub == 1 && len == 2 && !strncmp(p, "MA", 2)) {
      sp = SP_MA;
    } else {
      ionkmc_element el = ionkmc_element_parse(p, len);
      int ok = 0;
      if (sub == 0) ok = el == IONKMC_EL_I || el == IONKMC_EL_BR || el == IONKMC_EL_CL;
      if (sub == 1) ok = el == IONKMC_EL_CS || el == IONKMC_EL_RB || el == IONKMC_EL_K || el == IONKMC_EL_FA;
      if (sub == 2) ok = el == IONKMC_EL_PB || el == IONKMC_EL_SN;
      if (!ok)
        return ionkmc_error_set(err, IONKMC_EINVAL, "%s '%s': unknown species '%.*s' (expected %s)",
                                what[sub], spec, len, p, allowed[sub]);
      sp = (uint8_t)el;
    }
    double f = 1;
    if (*e == '=') {
      char *end;
      f = strtod(e + 1, &end);
      if (end == e + 1 || (*end && *end != ',') || !(f > 0 && f <= 1))
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "%s '%s': expected SPECIES=FRACTION with 0 < FRACTION <= 1", what[sub], spec);
      e = end;
    }
    if (m->n == MAX_MIX)
      return ionkmc_error_set(err, IONKMC_EINVAL, "%s '%s': at most %d species", what[sub], spec, MAX_MIX);
    m->sp[m->n] = sp;
    m->frac[m->n] = f;
    m->n++;
    sum += f;
    p = *e ? e + 1 : e;
  }
  if (m->n == 0) return ionkmc_error_set(err, IONKMC_EINVAL, "%s: expected a species, got ''", what[sub]);
  if (fabs(sum - 1) > 1e-6)
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s '%s': the fractions sum to %g, expected 1", what[sub],
                            spec, sum);
  return IONKMC_OK;
}

/* Species of each of the n sites: exact rounded counts, randomly placed. */
static void assign_mix(const mix *m, int n, uint8_t *out, ionkmc_rng *r) {
  int k = 0;
  for (int j = 0; j < m->n; j++) {
    int c = j == m->n - 1 ? n - k : (int)lround(m->frac[j] * n);
    for (int i = 0; i < c && k < n; i++) out[k++] = m->sp[j];
  }
  while (k < n) out[k++] = m->sp[m->n - 1];
  if (m->n > 1)
    for (int i = n - 1; i > 0; i--) {
      int j = (int)ionkmc_rng_below(r, (uint32_t)(i + 1));
      uint8_t t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
}

/* ---- geometry helpers ----------------------------------------------------- */

static void cross(const double a[3], const double b[3], double c[3]) {
  c[0] = a[1] * b[2] - a[2] * b[1];
  c[1] = a[2] * b[0] - a[0] * b[2];
  c[2] = a[0] * b[1] - a[1] * b[0];
}

static void normalize(double v[3]) {
  double n = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  for (int c = 0; c < 3; c++) v[c] /= n;
}

/* A unit vector perpendicular to u (through the Cartesian axis least aligned with it). */
static void perpendicular(const double u[3], double w[3]) {
  int k = 0;
  for (int c = 1; c < 3; c++)
    if (fabs(u[c]) < fabs(u[k])) k = c;
  double e[3] = {0, 0, 0};
  e[k] = 1;
  cross(u, e, w);
  normalize(w);
}

typedef struct {
  ionkmc_structure *s;
  int type_of[IONKMC_NELEMENT];
  double box;
} builder;

static void add_atom(builder *b, ionkmc_element el, int mol, int sub, int site, const double x[3]) {
  ionkmc_atom *a = &b->s->atoms[b->s->natoms++];
  a->element = (uint8_t)el;
  a->type = b->type_of[el];
  a->mol = mol;
  a->sub = sub;
  a->site = site;
  a->q = ionkmc_element_charge(el);
  for (int c = 0; c < 3; c++) {
    double v = fmod(x[c], b->box);
    if (v < 0) v += b->box;
    if (v >= b->box) v -= b->box;
    a->x[c] = v;
  }
  b->s->net_charge += a->q;
}

/* One CH3NH3 molecule centred at c with its C->N axis along unit u; the
 * hydrogens of C at azimuths phi + 0/120/240 degrees, those of N staggered by 60. */
static void add_ma(builder *b, const double c[3], const double u[3], double phi, int site) {
  ionkmc_structure *s = b->s;
  int mol = ++s->nmol;
  double e1[3], e2[3];
  perpendicular(u, e1);
  cross(u, e1, e2);
  double pc[3], pn[3];
  for (int k = 0; k < 3; k++) {
    pc[k] = c[k] - 0.5 * R_CN * u[k];
    pn[k] = c[k] + 0.5 * R_CN * u[k];
  }
  int ic = s->natoms;
  add_atom(b, IONKMC_EL_C, mol, IONKMC_SUB_A, site, pc);
  int in = s->natoms;
  add_atom(b, IONKMC_EL_N, mol, IONKMC_SUB_A, site, pn);
  double th = ANG_H * M_PI / 180;
  int hc[3], hn[3];
  for (int j = 0; j < 3; j++) {
    double ph = phi + j * 2 * M_PI / 3, phn = ph + M_PI / 3, h[3];
    /* H on C: angle H-C-N = th, so along -u by cos(pi - th). */
    for (int k = 0; k < 3; k++)
      h[k] = pc[k] + R_CH * (cos(th) * u[k] + sin(th) * (cos(ph) * e1[k] + sin(ph) * e2[k]));
    hc[j] = s->natoms;
    add_atom(b, IONKMC_EL_H, mol, IONKMC_SUB_A, site, h);
    for (int k = 0; k < 3; k++)
      h[k] = pn[k] + R_NH * (-cos(th) * u[k] + sin(th) * (cos(phn) * e1[k] + sin(phn) * e2[k]));
    hn[j] = s->natoms;
    add_atom(b, IONKMC_EL_H, mol, IONKMC_SUB_A, site, h);
  }
  s->atoms[ic].q = Q_C;
  s->atoms[in].q = Q_N;
  for (int j = 0; j < 3; j++) {
    s->atoms[hc[j]].q = Q_HC;
    s->atoms[hn[j]].q = Q_HN;
  }
  s->net_charge += Q_C + Q_N + 3 * (Q_HC + Q_HN);
  int(*B)[3] = s->bonds + s->nbonds;
  B[0][0] = 1, B[0][1] = ic, B[0][2] = in;
  for (int j = 0; j < 3; j++) {
    B[1 + j][0] = 2, B[1 + j][1] = ic, B[1 + j][2] = hc[j];
    B[4 + j][0] = 3, B[4 + j][1] = in, B[4 + j][2] = hn[j];
  }
  s->nbonds += 7;
  int(*A)[4] = s->angles + s->nangles;
  int na = 0;
  for (int j = 0; j < 3; j++) {
    int j2 = (j + 1) % 3;
    int rows[4][4] = {{1, hc[j], ic, hc[j2]}, {2, hc[j], ic, in}, {3, ic, in, hn[j]}, {4, hn[j], in, hn[j2]}};
    for (int r = 0; r < 4; r++) memcpy(A[na++], rows[r], sizeof rows[r]);
  }
  s->nangles += na;
  int(*D)[5] = s->dihedrals + s->ndihedrals;
  int nd = 0;
  for (int j = 0; j < 3; j++)
    for (int l = 0; l < 3; l++) {
      D[nd][0] = 1, D[nd][1] = hc[j], D[nd][2] = ic, D[nd][3] = in, D[nd][4] = hn[l];
      nd++;
    }
  s->ndihedrals += nd;
}

/* The A cation of species sp at c (MA: axis u, spin phi). */
static void add_a(builder *b, uint8_t sp, const double c[3], const double u[3], double phi, int site) {
  if (sp == SP_MA) add_ma(b, c, u, phi, site);
  else add_atom(b, (ionkmc_element)sp, 0, IONKMC_SUB_A, site, c);
}

/* ---- the builder ----------------------------------------------------------- */

static ionkmc_status place_defects(const ionkmc_structure_spec *spec, int n3, int8_t *xdef, int8_t *adef,
                                   ionkmc_structure *s, ionkmc_error *err) {
  ionkmc_rng r;
  ionkmc_rng_init(&r, spec->seed, 1);
  int nfree[IONKMC_NSPECIES] = {3 * n3, n3};
  for (int pass = 0; pass < 2; pass++) /* chosen sites first, then random ones */
    for (int d = 0; d < spec->ndefects; d++) {
      ionkmc_defect_kind k = spec->defect[d].kind;
      const char *nm = ionkmc_defect_name(k);
      if (!nm) return ionkmc_error_set(err, IONKMC_EINVAL, "defect %d: unknown kind %d", d + 1, (int)k);
      int onx = ionkmc_defect_sublattice(k) == IONKMC_SUB_X;
      int8_t *occ = onx ? xdef : adef;
      int ns = onx ? 3 * n3 : n3, site = spec->defect[d].site;
      if ((pass == 0) != (site >= 0)) continue;
      if (site >= ns)
        return ionkmc_error_set(err, IONKMC_EINVAL, "defect %s: site %d out of range (expected 0..%d on %s)", nm,
                                site, ns - 1, onx ? "X" : "A");
      if (site < 0) {
        if (nfree[!onx] == 0)
          return ionkmc_error_set(err, IONKMC_EINVAL, "defect %s: no free %s site left", nm, onx ? "X" : "A");
        do site = (int)ionkmc_rng_below(&r, (uint32_t)ns);
        while (occ[site] >= 0);
      } else if (occ[site] >= 0) {
        return ionkmc_error_set(err, IONKMC_EINVAL, "defect %s: %s site %d already holds defect %s", nm,
                                onx ? "X" : "A", site, ionkmc_defect_name((ionkmc_defect_kind)occ[site]));
      }
      occ[site] = (int8_t)k;
      nfree[!onx]--;
      s->defect[d].kind = k;
      s->defect[d].site = site;
    }
  s->ndefects = spec->ndefects;
  return IONKMC_OK;
}

static void random_axis(ionkmc_rng *r, int axis, double u[3], double *phi) {
  if (axis >= 0) {
    u[0] = u[1] = u[2] = 0;
    u[axis] = 1;
    *phi = 0;
    return;
  }
  double u1, u2, u3, u4;
  ionkmc_rng_uniform2(r, &u1, &u2);
  ionkmc_rng_uniform2(r, &u3, &u4);
  double z = 2 * u1 - 1, ph = 2 * M_PI * u2, rho = sqrt(fmax(0, 1 - z * z));
  u[0] = rho * cos(ph);
  u[1] = rho * sin(ph);
  u[2] = z;
  *phi = 2 * M_PI * u3;
}

ionkmc_structure *ionkmc_structure_build(const ionkmc_structure_spec *spec, ionkmc_error *err) {
  if (!spec || spec->L < 2 || spec->L > 64) {
    ionkmc_error_set(err, IONKMC_EINVAL, "structure: size L = %d, expected 2..64", spec ? spec->L : 0);
    return NULL;
  }
  if (!(spec->a >= 3 && spec->a <= 10)) {
    ionkmc_error_set(err, IONKMC_EINVAL, "structure: lattice constant a = %g A, expected 3-10 A", spec->a);
    return NULL;
  }
  if (spec->ndefects < 0 || spec->ndefects > IONKMC_STRUCT_MAXDEF) {
    ionkmc_error_set(err, IONKMC_EINVAL, "structure: %d defects, expected at most %d", spec->ndefects,
                     IONKMC_STRUCT_MAXDEF);
    return NULL;
  }
  if (spec->ma_axis < -1 || spec->ma_axis > 2) {
    ionkmc_error_set(err, IONKMC_EINVAL, "structure: MA axis %d, expected -1 (random) or 0..2", spec->ma_axis);
    return NULL;
  }
  mix mx[3];
  const char *specs[3] = {spec->x_site ? spec->x_site : "I", spec->a_site ? spec->a_site : "MA",
                          spec->b_site ? spec->b_site : "Pb"};
  for (int k = 0; k < 3; k++)
    if (parse_mix(specs[k], k, &mx[k], err)) return NULL;
  int L = spec->L, n3 = L * L * L;
  ionkmc_structure *s = calloc(1, sizeof *s);
  uint8_t *xsp = malloc((size_t)3 * n3), *asp = malloc((size_t)n3), *bsp = malloc((size_t)n3);
  int8_t *xdef = malloc((size_t)3 * n3), *adef = malloc((size_t)n3);
  size_t maxat = (size_t)n3 * 4 + spec->ndefects + (size_t)(n3 + spec->ndefects) * 8;
  size_t maxmol = (size_t)n3 + spec->ndefects;
  if (s) {
    s->atoms = malloc(sizeof *s->atoms * maxat);
    s->bonds = malloc(sizeof *s->bonds * 7 * maxmol);
    s->angles = malloc(sizeof *s->angles * 12 * maxmol);
    s->dihedrals = malloc(sizeof *s->dihedrals * 9 * maxmol);
  }
  if (!s || !xsp || !asp || !bsp || !xdef || !adef || !s->atoms || !s->bonds || !s->angles || !s->dihedrals) {
    ionkmc_error_set(err, IONKMC_ENOMEM, "structure: out of memory for %d cells", n3);
    goto fail;
  }
  memset(xdef, -1, (size_t)3 * n3);
  memset(adef, -1, (size_t)n3);
  if (place_defects(spec, n3, xdef, adef, s, err)) goto fail;
  ionkmc_rng rmix;
  ionkmc_rng_init(&rmix, spec->seed, 2);
  assign_mix(&mx[0], 3 * n3, xsp, &rmix);
  assign_mix(&mx[1], n3, asp, &rmix);
  assign_mix(&mx[2], n3, bsp, &rmix);
  /* Types: B, X, point A elements, then C, N, H. */
  builder b;
  memset(&b, 0, sizeof b);
  b.s = s;
  b.box = L * spec->a;
  int has_ma = 0;
  const mix *order[3] = {&mx[2], &mx[0], &mx[1]};
  for (int o = 0; o < 3; o++)
    for (int j = 0; j < order[o]->n; j++) {
      uint8_t sp = order[o]->sp[j];
      if (sp == SP_MA) {
        has_ma = 1;
        continue;
      }
      if (!b.type_of[sp]) {
        s->type_element[s->ntypes] = sp;
        b.type_of[sp] = ++s->ntypes;
      }
    }
  if (has_ma) {
    uint8_t org[3] = {IONKMC_EL_C, IONKMC_EL_N, IONKMC_EL_H};
    for (int j = 0; j < 3; j++) {
      s->type_element[s->ntypes] = org[j];
      b.type_of[org[j]] = ++s->ntypes;
    }
  }
  for (int t = 0; t < s->ntypes; t++) s->type_mass[t] = ionkmc_element_mass((ionkmc_element)s->type_element[t]);
  s->L = L;
  s->a = spec->a;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) s->cell[i][j] = i == j ? b.box : 0;
  ionkmc_rng rax;
  ionkmc_rng_init(&rax, spec->seed, 0);
  double a = spec->a;
  for (int ix = 0; ix < L; ix++)
    for (int iy = 0; iy < L; iy++)
      for (int iz = 0; iz < L; iz++) {
        int c = (ix * L + iy) * L + iz;
        double o[3] = {ix * a, iy * a, iz * a};
        add_atom(&b, (ionkmc_element)bsp[c], 0, IONKMC_SUB_B, c, o);
        for (int k = 0; k < 3; k++) {
          int xs = 3 * c + k;
          double p[3] = {o[0], o[1], o[2]};
          p[k] += a / 2;
          if (xdef[xs] >= 0 && ionkmc_defect_is_vacancy(xdef[xs])) continue;
          if (xdef[xs] >= 0) { /* split interstitial */
            int n = (k + 1) % 3;
            for (int sg = -1; sg <= 1; sg += 2) {
              double q[3] = {p[0], p[1], p[2]};
              q[n] += sg * D_II;
              add_atom(&b, (ionkmc_element)xsp[xs], 0, IONKMC_SUB_X, xs, q);
            }
          } else {
            add_atom(&b, (ionkmc_element)xsp[xs], 0, IONKMC_SUB_X, xs, p);
          }
        }
        double ctr[3] = {o[0] + a / 2, o[1] + a / 2, o[2] + a / 2}, u[3], phi;
        random_axis(&rax, spec->ma_axis, u, &phi); /* drawn for every cage, so defects do not shift them */
        if (adef[c] >= 0 && ionkmc_defect_is_vacancy(adef[c])) continue;
        if (adef[c] >= 0) { /* split interstitial */
          double w[3], v[3], c1[3], c2[3];
          if (asp[c] == SP_MA) {
            perpendicular(u, w);
          } else { /* point cations: towards the cage faces, clear of the X atoms */
            w[0] = w[1] = 0;
            w[2] = 1;
          }
          cross(u, w, v);
          for (int k = 0; k < 3; k++) {
            c1[k] = ctr[k] + D_IMA * w[k];
            c2[k] = ctr[k] - D_IMA * w[k];
          }
          add_a(&b, asp[c], c1, u, phi, c);
          add_a(&b, asp[c], c2, v, phi, c);
        } else {
          add_a(&b, asp[c], ctr, u, phi, c);
        }
      }
  s->net_charge = round(s->net_charge * 1e9) / 1e9; /* the sum of tenths, without its rounding noise */
  for (int d = 0; d < s->ndefects; d++) {
    int32_t h[3];
    ionkmc_status lst;
    ionkmc_lattice *lat = ionkmc_lattice_alloc(L, &lst);
    if (!lat) {
      ionkmc_error_set(err, IONKMC_ENOMEM, "structure: out of memory");
      goto fail;
    }
    ionkmc_lattice_site_pos(lat, ionkmc_defect_sublattice(s->defect[d].kind), s->defect[d].site, h);
    ionkmc_lattice_free(lat);
    for (int c = 0; c < 3; c++) s->defect_pos[d][c] = h[c] * a / 2;
  }
  free(xsp);
  free(asp);
  free(bsp);
  free(xdef);
  free(adef);
  return s;
fail:
  free(xsp);
  free(asp);
  free(bsp);
  free(xdef);
  free(adef);
  ionkmc_structure_free(s);
  return NULL;
}

void ionkmc_structure_typemap(const ionkmc_structure *s, char *buf, int n) {
  int k = 0;
  buf[0] = 0;
  for (int t = 0; t < s->ntypes && k < n; t++)
    k += snprintf(buf + k, (size_t)(n - k), "%s%d=%s", t ? "," : "", t + 1,
                  ionkmc_element_name((ionkmc_element)s->type_element[t]));
}

double ionkmc_structure_min_distance(const ionkmc_structure *s, ionkmc_element e1, ionkmc_element e2,
                                     int inter) {
  double best = INFINITY, box = s->L * s->a;
  for (int i = 0; i < s->natoms; i++) {
    const ionkmc_atom *A = &s->atoms[i];
    for (int j = i + 1; j < s->natoms; j++) {
      const ionkmc_atom *B = &s->atoms[j];
      int m = (e1 == IONKMC_EL_UNKNOWN || A->element == e1) && (e2 == IONKMC_EL_UNKNOWN || B->element == e2);
      m = m || ((e1 == IONKMC_EL_UNKNOWN || B->element == e1) && (e2 == IONKMC_EL_UNKNOWN || A->element == e2));
      if (!m || (inter && A->mol && A->mol == B->mol)) continue;
      double d2 = 0;
      for (int c = 0; c < 3; c++) {
        double d = B->x[c] - A->x[c];
        d -= box * floor(d / box + 0.5);
        d2 += d * d;
      }
      if (d2 < best) best = d2;
    }
  }
  return sqrt(best);
}

/* ---- validation through the calibration's site assignment ---------------- */

ionkmc_status ionkmc_structure_validate(const ionkmc_structure *s, ionkmc_error *err) {
  int n = s->natoms, L = s->L, n3 = L * L * L;
  int64_t *id = malloc(sizeof *id * (size_t)(n + 1));
  uint8_t *el = malloc((size_t)n + 1);
  double *x = malloc(sizeof *x * 3 * (size_t)(n + 1));
  uint8_t *want[IONKMC_NSPECIES] = {malloc((size_t)3 * n3), malloc((size_t)n3)};
  ionkmc_status st = IONKMC_OK;
  ionkmc_mdtrack *t = NULL;
  if (!id || !el || !x || !want[0] || !want[1]) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "structure check: out of memory");
    goto done;
  }
  for (int i = 0; i < n; i++) {
    id[i] = i + 1;
    el[i] = s->atoms[i].element;
    memcpy(x + 3 * (size_t)i, s->atoms[i].x, sizeof s->atoms[i].x);
  }
  memset(want[0], 1, (size_t)3 * n3);
  memset(want[1], 1, (size_t)n3);
  for (int d = 0; d < s->ndefects; d++) {
    ionkmc_defect_kind k = s->defect[d].kind;
    int sp = ionkmc_defect_sublattice(k) == IONKMC_SUB_X ? 0 : 1;
    want[sp][s->defect[d].site] = ionkmc_defect_is_vacancy(k) ? 0 : 2;
  }
  ionkmc_frame f;
  memset(&f, 0, sizeof f);
  f.natoms = n;
  f.energy = NAN;
  memcpy(f.cell, s->cell, sizeof f.cell);
  f.id = id;
  f.element = el;
  f.x = x;
  ionkmc_hop_params p = ionkmc_hop_params_default();
  p.msd = 0;
  t = ionkmc_mdtrack_alloc(&p, "structure", NULL, NULL, err);
  if (!t) {
    st = IONKMC_EINTERNAL;
    goto done;
  }
  if ((st = ionkmc_mdtrack_frame(t, &f, err))) goto done;
  for (int sp = 0; sp < IONKMC_NSPECIES && !st; sp++) {
    const uint8_t *occ;
    int ns;
    double off[3];
    if ((st = ionkmc_mdtrack_occupancy(t, sp, &occ, &ns, off, err))) break;
    if (fabs(off[0]) > 0.05 || fabs(off[1]) > 0.05 || fabs(off[2]) > 0.05) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "structure check: the site assignment puts the lattice origin at (%.3g, %.3g, %.3g) "
                            "a/2, expected the B atom at 0",
                            off[0], off[1], off[2]);
      break;
    }
    for (int i = 0; i < ns; i++)
      if (occ[i] != want[sp][i]) {
        st = ionkmc_error_set(err, IONKMC_EINVAL,
                              "structure check: %s site %d holds %d %s by the site assignment, expected %d",
                              sp ? "A" : "X", i, occ[i], sp ? "cations" : "anions", want[sp][i]);
        break;
      }
  }
done:
  ionkmc_mdtrack_free(t);
  free(id);
  free(el);
  free(x);
  free(want[0]);
  free(want[1]);
  return st;
}
