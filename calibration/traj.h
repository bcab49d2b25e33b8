/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
/* ionkmc calibration: streaming readers of MD trajectories.
 *
 * Conventions
 *   Units: lengths in angstrom, MD time in ps (frame times, timesteps), energies
 *   in eV, forces in eV/angstrom. (Rates derived later are in 1/s, D in cm^2/s.)
 *   Formats:
 *     LAMMPS text dump (plain or gzip, read through zlib): ITEM: TIMESTEP,
 *       optional ITEM: TIME / ITEM: UNITS, ITEM: NUMBER OF ATOMS,
 *       ITEM: BOX BOUNDS (orthogonal, or triclinic with xy xz yz), ITEM: ATOMS
 *       with any column order among id, type, element, x y z | xu yu zu |
 *       xs ys zs | xsu ysu zsu, ix iy iz (other columns are skipped).
 *       Time is ITEM: TIME when present, else step * timestep_ps.
 *     Extended XYZ: count line, comment line with Lattice="..." and
 *       Properties=species:S:1:pos:R:3[...] (optionally forces:R:3), optional
 *       Time= (ps) and energy=. Atoms keep file order; ids are 1..N.
 *       Time is Time= when present, else frame index * frame_dt_ps.
 *   Elements: from an element / species column, or from the LAMMPS type via a
 *   type map ("1=Pb,2=I,3=C,4=N,5=H"). Known: Pb, I, C, N, H (MAPbI3) and
 *   Cs, Br, Cl, Sn, Rb, K (inorganic and mixed analogues).
 *   Frames: atoms are returned sorted by id; every frame must hold the same
 *   ids as the first. Positions are Cartesian, unwrapped with image flags when
 *   the file has them (xu / xsu are taken as they are).
 *   The cell is given by three row vectors cell[0..2] and the origin of the box.
 *   Memory grows with the number of atoms, never with the number of frames.
 *   Errors name the file, the line and the frame, and say what was expected.
 * Ownership: _open returns a reader the caller frees with _free; the frame a
 * reader returns is borrowed and valid until the next call on that reader.
 */
#ifndef IONKMC_TRAJ_H
#define IONKMC_TRAJ_H

#include <stdint.h>

#include "base/status.h"

typedef enum {
  IONKMC_EL_UNKNOWN = 0,
  IONKMC_EL_PB = 1,
  IONKMC_EL_I = 2,
  IONKMC_EL_C = 3,
  IONKMC_EL_N = 4,
  IONKMC_EL_H = 5,
  IONKMC_EL_CS = 6, /* A-site point cation */
  IONKMC_EL_BR = 7, /* X-site halide */
  IONKMC_EL_CL = 8, /* X-site halide */
  IONKMC_EL_SN = 9, /* B-site metal */
  IONKMC_EL_RB = 10, /* A-site point cation */
  IONKMC_EL_K = 11, /* A-site point cation */
  IONKMC_EL_FA = 12, /* formamidinium CH(NH2)2+ as one point particle on the A site
                       * (name "FA"; not an element: LAMMPS and extxyz only) */
  IONKMC_NELEMENT = 13
} ionkmc_element;

typedef enum {
  IONKMC_TRAJ_AUTO = 0,   /* from the file name (.xyz / .extxyz) or first line */
  IONKMC_TRAJ_LAMMPS = 1,
  IONKMC_TRAJ_EXTXYZ = 2,
  IONKMC_TRAJ_H5MD = 3,   /* H5MD (HDF5) file, calibration/h5md.h */
  IONKMC_TRAJ_SOURCE = 4  /* frames from a callback (ionkmc_traj_open_source, "mem:NAME") */
} ionkmc_traj_format;

#define IONKMC_TRAJ_MAXTYPES 64

typedef struct {
  ionkmc_traj_format format;
  char format_name[32]; /* a registered format by name ("lammps", "extxyz", "h5md", ...);
                         * when set it overrides format (ionkmc_traj_options_set_format) */
  uint8_t type_element[IONKMC_TRAJ_MAXTYPES + 1]; /* element of LAMMPS type t (0 = unmapped) */
  double timestep_ps;  /* ps per LAMMPS step when the dump has no ITEM: TIME (> 0) */
  double frame_dt_ps;  /* ps per frame for extxyz without Time= (0: Time= required) */
} ionkmc_traj_options;

typedef struct {
  int natoms;
  int64_t index;          /* frame index in the file, from 0 */
  int64_t step;           /* LAMMPS timestep (extxyz: the frame index) */
  long line;              /* line number of the frame's first line */
  double time;            /* ps */
  double origin[3];       /* box origin, angstrom */
  double cell[3][3];      /* cell row vectors a, b, c, angstrom */
  double energy;          /* eV (extxyz energy=), NAN if absent */
  const int64_t *id;      /* [natoms], ascending */
  const uint8_t *element; /* [natoms] ionkmc_element */
  const double *x;        /* [3 natoms] Cartesian positions, angstrom */
  const double *f;        /* [3 natoms] forces, eV/angstrom, or NULL if absent */
} ionkmc_frame;

typedef struct ionkmc_traj ionkmc_traj;

/* Default options: auto format, no type map, 0.001 ps timestep, no frame dt. */
ionkmc_traj_options ionkmc_traj_options_default(void);
/* Parse a type map "1=Pb,2=I,..." into opt->type_element. IONKMC_EINVAL with
 * a message naming the bad item. */
ionkmc_status ionkmc_traj_parse_types(ionkmc_traj_options *opt, const char *spec, ionkmc_error *err);
/* The element of a symbol ("Pb", "I", "C", "N", "H", "Cs", ...); IONKMC_EL_UNKNOWN otherwise. */
ionkmc_element ionkmc_element_parse(const char *sym, int len);
/* Symbol of an element ("Pb", ...; "?" for unknown). */
const char *ionkmc_element_name(ionkmc_element e);

/* Open a trajectory file (plain or gzip). NULL with err/status set
 * (IONKMC_EIO if unreadable, IONKMC_ENOMEM). opt is copied. Caller frees. */
ionkmc_traj *ionkmc_traj_open(const char *path, const ionkmc_traj_options *opt, ionkmc_error *err,
                              ionkmc_status *status);
/* Free a reader; NULL is a no-op. */
void ionkmc_traj_free(ionkmc_traj *t);
/* Read the next frame into *frame (borrowed), or set *frame = NULL at the end
 * of the file. IONKMC_EPARSE / IONKMC_EINVAL / IONKMC_EIO with a message naming
 * file, line and frame. */
ionkmc_status ionkmc_traj_next(ionkmc_traj *t, const ionkmc_frame **frame, ionkmc_error *err);
/* The format in use (resolved after open); IONKMC_TRAJ_AUTO for a registered
 * format that has no value of its own in ionkmc_traj_format. */
ionkmc_traj_format ionkmc_traj_format_of(const ionkmc_traj *t);
/* The name of the format in use ("lammps", "extxyz", "h5md"; "source" for a
 * frame source). Borrowed, static. */
const char *ionkmc_traj_format_name(const ionkmc_traj *t);

/* ---- the format registry (calibration/traj_formats.c) -------------------
 * Every file format is one table row {name, extensions, sniff, open, next}
 * (calibration/traj_impl.h); auto-detection takes the first format, in
 * registry order, whose extension matches the file name, else the first
 * whose sniff accepts the file's first bytes, else LAMMPS. */
/* Select a format by name ("auto" clears the choice) into opt.
 * IONKMC_EINVAL with a message listing the registered names. */
ionkmc_status ionkmc_traj_options_set_format(ionkmc_traj_options *opt, const char *name, ionkmc_error *err);
/* The number of registered formats and the name of the i-th (NULL past the end). */
int ionkmc_traj_format_count(void);
const char *ionkmc_traj_format_list(int i);
/* Bytes of (uncompressed) text consumed so far. */
int64_t ionkmc_traj_bytes(const ionkmc_traj *t);
/* Bytes of the file itself read so far (compressed bytes for gzip), to set
 * against the file's size; -1 for formats without the line reader. */
int64_t ionkmc_traj_file_offset(const ionkmc_traj *t);

/* ---- frames from elsewhere (H5MD, memory) ------------------------------
 * A frame source hands over one frame at a time; the reader copies it, sorts
 * it by id and checks it exactly as it does text frames (same ids and
 * elements in every frame, increasing time), so the pipeline never knows
 * where frames came from and memory stays one frame. */
typedef struct {
  int natoms;             /* 0: the end of the trajectory */
  double time;            /* ps */
  double origin[3];       /* box origin, angstrom */
  double cell[3][3];      /* cell row vectors, angstrom */
  const int64_t *id;      /* [natoms] atom ids, or NULL for 1..natoms in order */
  const uint8_t *element; /* [natoms] ionkmc_element */
  const double *x;        /* [3 natoms] Cartesian positions, angstrom */
  const int32_t *image;   /* [3 natoms] image flags (x + image . cell), or NULL */
  const double *f;        /* [3 natoms] forces, eV/angstrom, or NULL */
} ionkmc_frame_in;

/* The source callback. rewind = 1: go back to the first frame (in is NULL).
 * rewind = 0: fill *in with the next frame (its arrays borrowed until the next
 * call) or set in->natoms = 0 at the end. A failure returns a status with a
 * message in err. */
typedef ionkmc_status (*ionkmc_frame_fn)(void *user, int rewind, ionkmc_frame_in *in, ionkmc_error *err);

/* A reader over a source; name is used in messages. close (may be NULL) is
 * called with user when the reader is freed. opt->frame_dt_ps is unused.
 * Caller frees the reader. */
ionkmc_traj *ionkmc_traj_open_source(const char *name, ionkmc_frame_fn fn, void (*close)(void *user),
                                     void *user, ionkmc_error *err, ionkmc_status *status);
/* Register a source under name, process-wide, so that the path "mem:NAME" opens
 * it wherever a trajectory path is taken (ionkmc calibrate --md T:mem:NAME
 * through the C API). Each open rewinds it. user is borrowed. IONKMC_EINVAL
 * if the name is taken or longer than 63 bytes, IONKMC_ENOMEM when 64 are
 * registered. */
ionkmc_status ionkmc_traj_register(const char *name, ionkmc_frame_fn fn, void *user, ionkmc_error *err);
/* Remove a registered name (no-op if absent). */
void ionkmc_traj_unregister(const char *name);
/* The source registered under name: 1 and *fn, *user set, or 0. */
int ionkmc_traj_lookup(const char *name, ionkmc_frame_fn *fn, void **user);

/* Parse a decimal floating-point number at p (leading blanks skipped); returns
 * the end of the number or NULL if none. Exposed for tests. */
const char *ionkmc_parse_double(const char *p, double *out);

#endif
