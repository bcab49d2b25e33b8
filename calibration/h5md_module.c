/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: the H5MD reader proper, built as the module
 * libionkmc-h5md.so, the one part of ionkmc that links libhdf5
 * (calibration/h5md_module.h). */
#define _POSIX_C_SOURCE 200809L
#include "calibration/h5md_module.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TIME_SERIES, TIME_INTERVAL, TIME_FRAME_DT };

typedef struct {
  char *path;
  char grp[256];     /* /particles/GROUP */
  hid_t file, pos, img, edges, tds;
  int natoms;
  int64_t nframes, cur;
  int edges_rank;    /* 1 [3], 2 [3][3]; time-dependent: 2 [f][3], 3 [f][3][3] */
  int edges_tdep;
  double pos_scale, edge_scale, time_scale;
  int time_mode;
  double t_interval, t_offset, frame_dt;
  double cell[3][3], origin[3];
  uint8_t *el;
  double *x;
  int32_t *im;
} h5md;

static void h5md_close(void *hv) {
  h5md *h = hv;
  if (!h) return;
  if (h->pos > 0) H5Dclose(h->pos);
  if (h->img > 0) H5Dclose(h->img);
  if (h->edges > 0) H5Dclose(h->edges);
  if (h->tds > 0) H5Dclose(h->tds);
  if (h->file > 0) H5Fclose(h->file);
  free(h->el);
  free(h->x);
  free(h->im);
  free(h->path);
  free(h);
}

/* Does the link path exist (every component)? */
static int exists(hid_t loc, const char *path) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1;; p++) {
    if (*p == '/' || *p == '\0') {
      char c = *p;
      *p = '\0';
      if (H5Lexists(loc, buf, H5P_DEFAULT) <= 0) return 0;
      if (!c) return 1;
      *p = c;
    }
  }
}

/* The memory type for reading strings of file type t: variable length
 * (size 0) or fixed length size (NUL-terminated, room for the NUL included),
 * in t's character set (h5py writes UTF-8). Caller closes. */
static hid_t str_type(hid_t t, size_t size) {
  hid_t mt = H5Tcopy(H5T_C_S1);
  H5Tset_size(mt, size ? size : H5T_VARIABLE);
  H5Tset_strpad(mt, H5T_STR_NULLTERM);
  H5Tset_cset(mt, H5Tget_cset(t));
  return mt;
}

/* A string attribute (fixed or variable length) into buf; 0 if absent. */
static int str_attr(hid_t obj, const char *name, char *buf, size_t len) {
  if (H5Aexists(obj, name) <= 0) return 0;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return 0;
  hid_t t = H5Aget_type(a);
  int ok = 0;
  if (H5Tget_class(t) == H5T_STRING) {
    hid_t sp = H5Aget_space(a);
    hssize_t npts = H5Sget_simple_extent_npoints(sp);
    if (H5Tis_variable_str(t) > 0) {
      char **v = calloc((size_t)(npts > 0 ? npts : 1), sizeof *v);
      hid_t mt = str_type(t, 0);
      if (v && H5Aread(a, mt, v) >= 0) {
        snprintf(buf, len, "%s", v[0] ? v[0] : "");
        ok = 1;
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
      }
      H5Tclose(mt);
      free(v);
    } else {
      size_t sz = H5Tget_size(t) + 1;
      char *v = calloc((size_t)(npts > 0 ? npts : 1) * sz, 1);
      hid_t mt = str_type(t, sz);
      if (v && H5Aread(a, mt, v) >= 0) {
        snprintf(buf, len, "%s", v);
        ok = 1;
      }
      H5Tclose(mt);
      free(v);
    }
    H5Sclose(sp);
  }
  H5Tclose(t);
  H5Aclose(a);
  return ok;
}

/* Scale factor to angstrom / ps for a unit string; 0 if unknown. */
static double length_scale(const char *u) {
  if (!*u || !strcmp(u, "angstrom") || !strcmp(u, "A") || !strcmp(u, "\xc3\x85") || !strcmp(u, "Angstrom"))
    return 1.0;
  if (!strcmp(u, "nm")) return 10.0;
  return 0;
}
static double time_scale(const char *u) {
  if (!*u || !strcmp(u, "ps")) return 1.0;
  if (!strcmp(u, "fs")) return 1e-3;
  if (!strcmp(u, "ns")) return 1e3;
  return 0;
}

/* Rank and dims of a dataset; -1 on failure. */
static int dims_of(hid_t d, hsize_t dims[4]) {
  hid_t sp = H5Dget_space(d);
  if (sp < 0) return -1;
  int r = H5Sget_simple_extent_ndims(sp);
  if (r > 4) r = -1;
  if (r >= 0) H5Sget_simple_extent_dims(sp, dims, NULL);
  H5Sclose(sp);
  return r;
}

/* Read count[] elements at start[] of d into buf (memory type mt). */
static herr_t read_slab(hid_t d, hid_t mt, int rank, const hsize_t *start, const hsize_t *count, void *buf) {
  hid_t fs = H5Dget_space(d);
  if (fs < 0) return -1;
  hsize_t n = 1;
  for (int k = 0; k < rank; k++) n *= count[k];
  herr_t r = rank > 0 ? H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) : 0;
  hid_t ms = H5Screate_simple(1, &n, NULL);
  if (r >= 0 && ms >= 0) r = H5Dread(d, mt, ms, fs, H5P_DEFAULT, buf);
  else r = -1;
  if (ms >= 0) H5Sclose(ms);
  H5Sclose(fs);
  return r;
}

#define BAD(code, ...)                                                                             \
  do {                                                                                             \
    st = ionkmc_error_set(err, code, __VA_ARGS__);                                                 \
    goto fail;                                                                                     \
  } while (0)

static ionkmc_status read_species(h5md *h, const ionkmc_traj_options *opt, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  char p[300];
  snprintf(p, sizeof p, "%s/species", h->grp);
  if (!exists(h->file, p))
    return ionkmc_error_set(err, IONKMC_EPARSE, "%s: %s: missing (element names or numbers of the atoms)",
                            h->path, p);
  H5O_info_t info;
  if (H5Oget_info_by_name(h->file, p, &info, H5P_DEFAULT) < 0)
    return ionkmc_error_set(err, IONKMC_EPARSE, "%s: %s: unreadable", h->path, p);
  if (info.type == H5O_TYPE_GROUP) snprintf(p, sizeof p, "%s/species/value", h->grp);
  hid_t d = H5Dopen2(h->file, p, H5P_DEFAULT);
  if (d < 0) return ionkmc_error_set(err, IONKMC_EPARSE, "%s: %s: not a dataset", h->path, p);
  hsize_t dims[4], start[2] = {0, 0}, count[2];
  int rank = dims_of(d, dims);
  int tdep = info.type == H5O_TYPE_GROUP;
  hid_t t = H5Dget_type(d);
  char **names = NULL;
  char *fixed = NULL;
  long *num = NULL;
  hid_t mt = -1;
  if (rank != 1 + tdep || dims[tdep] != (hsize_t)h->natoms)
    BAD(IONKMC_EPARSE, "%s: %s: expected %s[%d], one per atom", h->path, p, tdep ? "[frames]" : "", h->natoms);
  count[0] = tdep ? 1 : (hsize_t)h->natoms;
  count[1] = (hsize_t)h->natoms;
  if (H5Tget_class(t) == H5T_STRING) {
    size_t sz = H5Tget_size(t) + 1;
    int var = H5Tis_variable_str(t) > 0;
    mt = str_type(t, var ? 0 : sz);
    if (var) names = calloc((size_t)h->natoms, sizeof *names);
    else fixed = calloc((size_t)h->natoms, sz);
    if ((!names && !fixed) || read_slab(d, mt, rank, start, count, var ? (void *)names : (void *)fixed) < 0)
      BAD(IONKMC_EIO, "%s: %s: cannot read the element names", h->path, p);
    for (int i = 0; i < h->natoms; i++) {
      const char *s = var ? names[i] : fixed + (size_t)i * sz;
      int len = s ? (int)strlen(s) : 0;
      while (len > 0 && s[len - 1] == ' ') len--;
      int el = s ? ionkmc_element_parse(s, len) : 0;
      if (!el)
        BAD(IONKMC_EINVAL, "%s: %s: atom %d: unknown element '%.*s' (expected Pb, I, C, N or H)", h->path, p,
            i + 1, len, s ? s : "");
      h->el[i] = (uint8_t)el;
    }
  } else if (H5Tget_class(t) == H5T_INTEGER) {
    int mapped = 0;
    for (int k = 1; k <= IONKMC_TRAJ_MAXTYPES && !mapped; k++) mapped = opt->type_element[k] != 0;
    num = malloc(sizeof(long) * (size_t)h->natoms);
    if (!num || read_slab(d, H5T_NATIVE_LONG, rank, start, count, num) < 0)
      BAD(IONKMC_EIO, "%s: %s: cannot read the species", h->path, p);
    for (int i = 0; i < h->natoms; i++) {
      long v = num[i];
      int el = 0;
      if (mapped) {
        el = v >= 1 && v <= IONKMC_TRAJ_MAXTYPES ? opt->type_element[v] : 0;
        if (!el)
          BAD(IONKMC_EINVAL, "%s: %s: atom %d: species %ld has no element in the type map (--types)", h->path, p,
              i + 1, v);
      } else {
        el = v == 82 ? IONKMC_EL_PB : v == 53 ? IONKMC_EL_I : v == 6 ? IONKMC_EL_C : v == 7 ? IONKMC_EL_N
           : v == 1 ? IONKMC_EL_H : 0;
        if (!el)
          BAD(IONKMC_EINVAL,
              "%s: %s: atom %d: species %ld is not the atomic number of Pb, I, C, N or H "
              "(give a type map with --types, e.g. 1=Pb,2=I,3=C,4=N,5=H)",
              h->path, p, i + 1, v);
      }
      h->el[i] = (uint8_t)el;
    }
  } else {
    BAD(IONKMC_EPARSE, "%s: %s: expected strings (element names) or integers", h->path, p);
  }
fail:
  if (names && mt >= 0) {
    hid_t sp = H5Screate_simple(1, (hsize_t[]){(hsize_t)h->natoms}, NULL);
    H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, names);
    H5Sclose(sp);
  }
  free(names);
  free(fixed);
  free(num);
  if (mt >= 0) H5Tclose(mt);
  H5Tclose(t);
  H5Dclose(d);
  return st;
}

static ionkmc_status read_box(h5md *h, ionkmc_error *err) {
  ionkmc_status st = IONKMC_OK;
  char p[300], buf[64];
  snprintf(p, sizeof p, "%s/box", h->grp);
  hid_t g = exists(h->file, p) ? H5Gopen2(h->file, p, H5P_DEFAULT) : -1;
  if (g < 0) return ionkmc_error_set(err, IONKMC_EPARSE, "%s: %s: missing (the simulation box)", h->path, p);
  if (H5Aexists(g, "dimension") > 0) {
    int dim = 0;
    hid_t a = H5Aopen(g, "dimension", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT, &dim);
    H5Aclose(a);
    if (dim != 3) BAD(IONKMC_EINVAL, "%s: %s: dimension %d, expected 3", h->path, p, dim);
  }
  if (H5Aexists(g, "boundary") > 0) {
    /* every entry must be "periodic" */
    hid_t a = H5Aopen(g, "boundary", H5P_DEFAULT);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int ok = 1;
    if (H5Tget_class(t) == H5T_STRING && n > 0 && n <= 3) {
      char *v[3] = {NULL, NULL, NULL};
      if (H5Tis_variable_str(t) > 0) {
        hid_t mt = str_type(t, 0);
        if (H5Aread(a, mt, v) >= 0) {
          for (int k = 0; k < n; k++) ok &= v[k] && !strncmp(v[k], "periodic", 8);
          H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
        }
        H5Tclose(mt);
      } else {
        size_t sz = H5Tget_size(t) + 1;
        char fx[3 * 64] = {0};
        hid_t mt = str_type(t, sz);
        ok = sz < 64 && H5Aread(a, mt, fx) >= 0;
        for (int k = 0; k < n && ok; k++) ok &= !strcmp(fx + k * sz, "periodic");
        H5Tclose(mt);
      }
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Aclose(a);
    if (!ok) BAD(IONKMC_EINVAL, "%s: %s: boundary must be periodic in x, y and z", h->path, p);
  }
  snprintf(p, sizeof p, "%s/box/edges", h->grp);
  if (!exists(h->file, p)) BAD(IONKMC_EPARSE, "%s: %s: missing", h->path, p);
  H5O_info_t info;
  H5Oget_info_by_name(h->file, p, &info, H5P_DEFAULT);
  h->edges_tdep = info.type == H5O_TYPE_GROUP;
  if (h->edges_tdep) snprintf(p, sizeof p, "%s/box/edges/value", h->grp);
  if ((h->edges = H5Dopen2(h->file, p, H5P_DEFAULT)) < 0) BAD(IONKMC_EPARSE, "%s: %s: not a dataset", h->path, p);
  hsize_t dims[4];
  h->edges_rank = dims_of(h->edges, dims);
  int r = h->edges_rank - h->edges_tdep;
  if ((r != 1 && r != 2) || dims[h->edges_tdep] != 3 || (r == 2 && dims[h->edges_tdep + 1] != 3) ||
      (h->edges_tdep && dims[0] < (hsize_t)h->nframes))
    BAD(IONKMC_EPARSE, "%s: %s: expected %s[3] or %s[3][3]", h->path, p, h->edges_tdep ? "[frames]" : "",
        h->edges_tdep ? "[frames]" : "");
  buf[0] = 0;
  str_attr(h->edges, "unit", buf, sizeof buf);
  h->edge_scale = buf[0] ? length_scale(buf) : h->pos_scale;
  if (h->edge_scale == 0) BAD(IONKMC_EINVAL, "%s: %s: unit '%s' (expected nm or angstrom)", h->path, p, buf);
  snprintf(p, sizeof p, "%s/box/offset", h->grp);
  if (exists(h->file, p)) {
    hid_t d = H5Dopen2(h->file, p, H5P_DEFAULT);
    hsize_t od[4];
    if (d < 0 || dims_of(d, od) != 1 || od[0] != 3 || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                                                h->origin) < 0) {
      if (d >= 0) H5Dclose(d);
      BAD(IONKMC_EPARSE, "%s: %s: expected a fixed [3] box offset", h->path, p);
    }
    H5Dclose(d);
    for (int k = 0; k < 3; k++) h->origin[k] *= h->edge_scale;
  }
fail:
  H5Gclose(g);
  return st;
}

static ionkmc_status read_edges(h5md *h, int64_t frame, ionkmc_error *err) {
  double v[9] = {0};
  int r = h->edges_rank - h->edges_tdep;
  hsize_t start[3] = {(hsize_t)frame, 0, 0}, count[3];
  int k = 0;
  if (h->edges_tdep) count[k++] = 1;
  count[k++] = 3;
  if (r == 2) count[k++] = 3;
  if (read_slab(h->edges, H5T_NATIVE_DOUBLE, h->edges_rank, start, count, v) < 0)
    return ionkmc_error_set(err, IONKMC_EIO, "%s: frame %lld: cannot read the box edges", h->path, (long long)frame);
  memset(h->cell, 0, sizeof h->cell);
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      h->cell[a][b] = (r == 1 ? (a == b ? v[a] : 0) : v[3 * a + b]) * h->edge_scale;
  return IONKMC_OK;
}

static void *h5md_open(const char *path, const ionkmc_traj_options *opt_in, ionkmc_error *err,
                       ionkmc_status *status) {
  ionkmc_status st = IONKMC_OK;
  const ionkmc_traj_options opt = *opt_in;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors come back as statuses, not printed */
  h5md *h = calloc(1, sizeof *h);
  char p[300], buf[64];
  if (!h || !(h->path = strdup(path))) {
    st = ionkmc_error_set(err, IONKMC_ENOMEM, "%s: out of memory", path);
    goto fail;
  }
  h->file = h->pos = h->img = h->edges = h->tds = -1;
  if (H5Fis_hdf5(path) <= 0) {
    FILE *fp = fopen(path, "rb");
    if (fp) fclose(fp);
    BAD(fp ? IONKMC_EPARSE : IONKMC_EIO, "%s: %s", path, fp ? "not an HDF5 (H5MD) file" : "cannot open");
  }
  if ((h->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) BAD(IONKMC_EIO, "%s: cannot open (HDF5)", path);
  if (!exists(h->file, "/particles")) BAD(IONKMC_EPARSE, "%s: no /particles group (not an H5MD file)", path);
  hid_t pg = H5Gopen2(h->file, "/particles", H5P_DEFAULT);
  H5G_info_t gi;
  H5Gget_info(pg, &gi);
  if (gi.nlinks == 1) {
    char name[200];
    H5Lget_name_by_idx(pg, ".", H5_INDEX_NAME, H5_ITER_INC, 0, name, sizeof name, H5P_DEFAULT);
    snprintf(h->grp, sizeof h->grp, "/particles/%s", name);
  } else if (H5Lexists(pg, "all", H5P_DEFAULT) > 0) {
    snprintf(h->grp, sizeof h->grp, "/particles/all");
  }
  H5Gclose(pg);
  if (!h->grp[0])
    BAD(IONKMC_EPARSE, "%s: /particles holds %llu groups and none is 'all' (expected one group of all atoms)", path,
        (unsigned long long)gi.nlinks);

  snprintf(p, sizeof p, "%s/position/value", h->grp);
  if (!exists(h->file, p) || (h->pos = H5Dopen2(h->file, p, H5P_DEFAULT)) < 0)
    BAD(IONKMC_EPARSE, "%s: %s: missing (positions [frames][atoms][3])", path, p);
  hsize_t dims[4];
  if (dims_of(h->pos, dims) != 3 || dims[2] != 3 || dims[1] < 1)
    BAD(IONKMC_EPARSE, "%s: %s: expected [frames][atoms][3]", path, p);
  h->nframes = (int64_t)dims[0];
  h->natoms = (int)dims[1];
  buf[0] = 0;
  str_attr(h->pos, "unit", buf, sizeof buf);
  if ((h->pos_scale = length_scale(buf)) == 0)
    BAD(IONKMC_EINVAL, "%s: %s: unit '%s' (expected nm or angstrom)", path, p, buf);

  snprintf(p, sizeof p, "%s/position/time", h->grp);
  if (exists(h->file, p)) {
    if ((h->tds = H5Dopen2(h->file, p, H5P_DEFAULT)) < 0) BAD(IONKMC_EPARSE, "%s: %s: not a dataset", path, p);
    buf[0] = 0;
    str_attr(h->tds, "unit", buf, sizeof buf);
    if ((h->time_scale = time_scale(buf)) == 0)
      BAD(IONKMC_EINVAL, "%s: %s: unit '%s' (expected ps, fs or ns)", path, p, buf);
    int r = dims_of(h->tds, dims);
    if (r == 0) {
      h->time_mode = TIME_INTERVAL;
      H5Dread(h->tds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &h->t_interval);
      if (H5Aexists(h->tds, "offset") > 0) {
        hid_t a = H5Aopen(h->tds, "offset", H5P_DEFAULT);
        H5Aread(a, H5T_NATIVE_DOUBLE, &h->t_offset);
        H5Aclose(a);
      }
      H5Dclose(h->tds);
      h->tds = -1;
    } else if (r == 1 && dims[0] >= (hsize_t)h->nframes) {
      h->time_mode = TIME_SERIES;
    } else {
      BAD(IONKMC_EPARSE, "%s: %s: expected [frames] times or a scalar interval", path, p);
    }
  } else if (opt.frame_dt_ps > 0) {
    h->time_mode = TIME_FRAME_DT;
    h->frame_dt = opt.frame_dt_ps;
  } else {
    BAD(IONKMC_EINVAL, "%s: %s: missing; give the time between frames (--frame-dt PS)", path, p);
  }

  snprintf(p, sizeof p, "%s/image/value", h->grp);
  if (exists(h->file, p)) {
    if ((h->img = H5Dopen2(h->file, p, H5P_DEFAULT)) < 0 || dims_of(h->img, dims) != 3 ||
        dims[0] < (hsize_t)h->nframes || dims[1] != (hsize_t)h->natoms || dims[2] != 3)
      BAD(IONKMC_EPARSE, "%s: %s: expected [frames][%d][3] image flags", path, p, h->natoms);
  }
  h->el = malloc((size_t)h->natoms);
  h->x = malloc(sizeof(double) * 3 * (size_t)h->natoms);
  h->im = h->img >= 0 ? malloc(sizeof(int32_t) * 3 * (size_t)h->natoms) : NULL;
  if (!h->el || !h->x || (h->img >= 0 && !h->im)) BAD(IONKMC_ENOMEM, "%s: out of memory for %d atoms", path, h->natoms);
  if ((st = read_species(h, &opt, err))) goto fail;
  if ((st = read_box(h, err))) goto fail;
  if (!h->edges_tdep && (st = read_edges(h, 0, err))) goto fail;
  if (status) *status = IONKMC_OK;
  return h;
fail:
  h5md_close(h);
  if (status) *status = st;
  return NULL;
}

static ionkmc_status h5md_next(void *hv, int rewind, ionkmc_frame_in *in, ionkmc_error *err) {
  h5md *h = hv;
  if (rewind) {
    h->cur = 0;
    return IONKMC_OK;
  }
  memset(in, 0, sizeof *in);
  if (h->cur >= h->nframes) return IONKMC_OK;
  int64_t f = h->cur;
  hsize_t start[3] = {(hsize_t)f, 0, 0}, count[3] = {1, (hsize_t)h->natoms, 3};
  if (read_slab(h->pos, H5T_NATIVE_DOUBLE, 3, start, count, h->x) < 0)
    return ionkmc_error_set(err, IONKMC_EIO, "%s: %s/position/value: frame %lld: cannot read", h->path, h->grp,
                            (long long)f);
  if (h->img >= 0 && read_slab(h->img, H5T_NATIVE_INT32, 3, start, count, h->im) < 0)
    return ionkmc_error_set(err, IONKMC_EIO, "%s: %s/image/value: frame %lld: cannot read", h->path, h->grp,
                            (long long)f);
  if (h->pos_scale != 1.0)
    for (size_t k = 0; k < 3 * (size_t)h->natoms; k++) h->x[k] *= h->pos_scale;
  ionkmc_status st;
  if (h->edges_tdep && (st = read_edges(h, f, err))) return st;
  double t;
  if (h->time_mode == TIME_SERIES) {
    hsize_t one = 1;
    if (read_slab(h->tds, H5T_NATIVE_DOUBLE, 1, start, &one, &t) < 0)
      return ionkmc_error_set(err, IONKMC_EIO, "%s: %s/position/time: frame %lld: cannot read", h->path, h->grp,
                              (long long)f);
    t *= h->time_scale;
  } else if (h->time_mode == TIME_INTERVAL) {
    t = (h->t_offset + (double)f * h->t_interval) * h->time_scale;
  } else {
    t = (double)f * h->frame_dt;
  }
  if (!isfinite(t))
    return ionkmc_error_set(err, IONKMC_EINVAL, "%s: frame %lld: time is not a finite number", h->path, (long long)f);
  in->natoms = h->natoms;
  in->time = t;
  memcpy(in->origin, h->origin, sizeof in->origin);
  memcpy(in->cell, h->cell, sizeof in->cell);
  in->element = h->el;
  in->x = h->x;
  in->image = h->im;
  h->cur++;
  return IONKMC_OK;
}

__attribute__((visibility("default"))) const ionkmc_h5md_module_table *ionkmc_h5md_module_v1(void) {
  static const ionkmc_h5md_module_table t = {IONKMC_H5MD_MODULE_ABI, sizeof t, h5md_open, h5md_next, h5md_close};
  return &t;
}
