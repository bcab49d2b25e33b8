#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Installation: `cmake --install` into a temporary prefix gives the program,
# libionkmc.so with its versioned soname, the headers under include/ionkmc/,
# pkg-config and CMake package files, man pages and bash completion; a small
# C program builds against the installed tree with pkg-config and with
# find_package(ionkmc), runs a KMC batch and a command through the C API, and
# its result equals the installed program's JSON for the same seed.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
BLD=${IONKMC_BUILD_DIR:?}
P="$TMP/prefix"

cmake --install "$BLD" --prefix "$P" >"$TMP/install.log" 2>&1
rc=$?
check "cmake --install (rc=$rc): $(tail -c 400 "$TMP/install.log")" $rc

libdir=$(dirname "$(find "$P" -name 'libionkmc.so' | head -n 1)")
[ -x "$P/bin/ionkmc" ]; check "bin/ionkmc installed" $?
# The libtorch module is installed beside the library and found from the
# installed program (prefix-relative), not from the build tree.
if [ -f "$BLD/libionkmc-torch.so" ]; then
  [ -f "$libdir/libionkmc-torch.so" ]; check "libionkmc-torch.so installed in $libdir" $?
  "$P/bin/ionkmc" structure --a-site Cs --size 2 --a 6.37 --format extxyz --out "$TMP/cs.xyz" >/dev/null &&
    (cd "$TMP" && env -u IONKMC_TORCH_MODULE "$P/bin/ionkmc" mlff eval --model "$SRC/examples/mlff_standin/model.pth" \
      --structure "$TMP/cs.xyz" --json "$TMP/eval.json" >/dev/null 2>"$TMP/eval.err") &&
    grep -q '"energy_eV"' "$TMP/eval.json"
  _rc=$?
  check "the installed program loads the installed libtorch module ($(head -c 300 "$TMP/eval.err"))" $_rc
fi
# The H5MD and plotting modules likewise (a figure drawn, an H5MD file opened:
# this one is no HDF5 file, so the reader itself answers, exit 2).
for m in h5md plot; do
  [ -f "$libdir/libionkmc-$m.so" ]; check "libionkmc-$m.so installed in $libdir" $?
done
(cd "$TMP" && env -u IONKMC_PLOT_MODULE "$P/bin/ionkmc" plot sweep --in "$SRC/tests/data/plot/sweep.json" \
  --out "$TMP/fig.svg" 2>"$TMP/plot.err") && [ -s "$TMP/fig.svg" ]
_rc=$?
check "the installed program loads the installed plotting module ($(head -c 300 "$TMP/plot.err"))" $_rc
printf 'x\n' >"$TMP/x.h5md"
(cd "$TMP" && env -u IONKMC_H5MD_MODULE "$P/bin/ionkmc" calibrate --md "500:$TMP/x.h5md" --md "600:$TMP/x.h5md" \
  --defect V_I+ --out "$TMP/cat.json" 2>"$TMP/h5.err")
_rc=$?
[ $_rc -eq 2 ] && grep -q "not an HDF5 (H5MD) file" "$TMP/h5.err"
_ok=$?
check "the installed program loads the installed H5MD module ($_rc: $(head -c 300 "$TMP/h5.err"))" $_ok
ver=$("$P/bin/ionkmc" version | awk '{print $2}')
major=${ver%%.*}
[ -f "$libdir/libionkmc.so.$ver" ] && [ -L "$libdir/libionkmc.so.$major" ] && [ -L "$libdir/libionkmc.so" ]
check "libionkmc.so -> .so.$major -> .so.$ver in $libdir" $?
soname=$(objdump -p "$libdir/libionkmc.so.$ver" 2>/dev/null | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "libionkmc.so.$major" ]; check "SONAME is libionkmc.so.$major (got '$soname')" $?
for h in ionkmc.h cli/api.h base/status.h lattice/status.h kmc/runner.h barriers/catalog.h calibration/traj.h; do
  [ -f "$P/include/ionkmc/$h" ]; check "header include/ionkmc/$h" $?
done
[ -f "$libdir/pkgconfig/ionkmc.pc" ]; check "pkg-config file" $?
[ -f "$libdir/cmake/ionkmc/ionkmcConfig.cmake" ] && [ -f "$libdir/cmake/ionkmc/ionkmcConfigVersion.cmake" ]
check "CMake package files" $?
for m in ionkmc ionkmc-run ionkmc-calibrate ionkmc-structure ionkmc-md-input ionkmc-mlff ionkmc-neb ionkmc-plot ionkmc-report; do
  [ -s "$P/share/man/man1/$m.1" ] && grep -q '^\.TH' "$P/share/man/man1/$m.1"
  check "man page $m.1" $?
done
grep -qF -- '\-\-defect' "$P/share/man/man1/ionkmc-run.1"; check "ionkmc-run.1 holds the options of run --help" $?
f="$P/share/bash-completion/completions/ionkmc"
[ -f "$f" ]; check "bash completion installed" $?
# The completion offers the commands and the options of a command.
out=$(bash -c ". '$f'; PATH='$P/bin':\$PATH; COMP_WORDS=(ionkmc ca); COMP_CWORD=1; _ionkmc; echo \${COMPREPLY[*]}")
[ "$out" = "catalog calibrate" ]; check "completion of 'ionkmc ca' (got '$out')" $?
out=$(bash -c ". '$f'; PATH='$P/bin':\$PATH; COMP_WORDS=(ionkmc run --se); COMP_CWORD=2; _ionkmc; echo \${COMPREPLY[*]}")
[ "$out" = "--seed" ]; check "completion of 'ionkmc run --se' (got '$out')" $?

# The consumer program: a KMC batch through the module API and `run` through
# the C API, each printing what it got.
mkdir -p "$TMP/consumer"
cat >"$TMP/consumer/consumer.c" <<'C'
#include <ionkmc.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *args[] = {"run", "--defect", "V_I+", "--T", "500", "--size", "4", "--runs", "4",
                        "--hops", "2000", "--seed", "7", "--threads", "1"};
  char *json = NULL, *msg = NULL;
  int rc = ionkmc_api_command(15, args, &json, &msg);
  if (rc != IONKMC_API_OK) {
    fprintf(stderr, "run failed (%d): %s\n", rc, msg ? msg : "?");
    return 1;
  }
  FILE *fp = fopen(argv[1], "w");
  fputs(json, fp);
  fclose(fp);
  ionkmc_api_free(json);
  /* Bad input comes back as the one-line message, nothing on stderr. */
  const char *bad[] = {"run", "--T", "-5"};
  rc = ionkmc_api_command(3, bad, &json, &msg);
  printf("bad=%d msg=%s\n", rc, msg ? msg : "(none)");
  ionkmc_api_free(msg);
  ionkmc_error err;
  ionkmc_catalog *cat = ionkmc_catalog_alloc_default(&err);
  printf("catalog=%s version=%s\n", cat ? ionkmc_catalog_name(cat) : err.text, ionkmc_api_version());
  ionkmc_catalog_free(cat);
  return argc > 1 && strlen(argv[1]) > 0 ? 0 : 1;
}
C
cat >"$TMP/consumer/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(ionkmc 0.1 REQUIRED)
add_executable(consumer consumer.c)
target_link_libraries(consumer PRIVATE ionkmc::ionkmc)
C

export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs ionkmc 2>"$TMP/pc.err")
rc=$?
check "pkg-config --cflags --libs ionkmc: $flags $(cat "$TMP/pc.err")" $rc
[ "$(pkg-config --modversion ionkmc)" = "$ver" ]; check "pkg-config version = $ver" $?
cc -std=c11 -o "$TMP/consumer/pc" "$TMP/consumer/consumer.c" $flags 2>"$TMP/cc.err"
rc=$?
check "cc with pkg-config flags: $(head -c 600 "$TMP/cc.err")" $rc

cmake -S "$TMP/consumer" -B "$TMP/consumer/build" -DCMAKE_PREFIX_PATH="$P" >"$TMP/cm.log" 2>&1 &&
  cmake --build "$TMP/consumer/build" >>"$TMP/cm.log" 2>&1
rc=$?
check "find_package(ionkmc) build: $(tail -c 600 "$TMP/cm.log")" $rc

# The installed program's JSON for the same run.
"$P/bin/ionkmc" run --defect V_I+ --T 500 --size 4 --runs 4 --hops 2000 --seed 7 --threads 1 \
  --quiet --json "$TMP/cli.json" 2>/dev/null
check "installed ionkmc run" $?
for exe in pc build/consumer; do
  LD_LIBRARY_PATH="$libdir" "$TMP/consumer/$exe" "$TMP/api.json" >"$TMP/out.txt" 2>"$TMP/err.txt"
  rc=$?
  check "consumer ($exe) runs: $(cat "$TMP/err.txt")" $rc
  # byte for byte but the "command" line (the program's argv, the API's own)
  cmp -s <(grep -v '^  "command": ' "$TMP/api.json") <(grep -v '^  "command": ' "$TMP/cli.json")
  check "consumer ($exe): C API JSON = the program's JSON, byte for byte but the command line" $?
  grep -q "^bad=2 msg=ionkmc run: --T: expected a temperature in \[1, 3000\] K" "$TMP/out.txt" && [ ! -s "$TMP/err.txt" ]
  _rc=$?
  check "consumer ($exe): bad input returns 2 and the message ($(head -c 300 "$TMP/out.txt"))" $_rc
  grep -q "^catalog=.* version=$ver" "$TMP/out.txt"; check "consumer ($exe): default catalog and version" $?
done
LD_LIBRARY_PATH="$libdir" ldd "$TMP/consumer/pc" | grep -q "$libdir/libionkmc.so.$major"; check "the consumer links the installed libionkmc.so.$major" $?

# The installed Python package finds the installed library by itself.
out=$(cd "$TMP" && env -u IONKMC_LIBRARY PYTHONPATH="$P/lib/python3/dist-packages" /usr/bin/python3 -c '
import ionkmc, ionkmc._lib as L
r = ionkmc.run(defects="V_I+", T=500, size=4, runs=4, hops=2000, seed=7, threads=1, raw=True)
print(L.lib._name)
nocmd = lambda t: "".join(l for l in t.splitlines(True) if not l.startswith("  \"command\": "))
print(nocmd(r) == nocmd(open("cli.json").read()))' 2>&1)
echo "$out" | head -1 | grep -q "^$P/lib/python3/dist-packages/ionkmc/../../../libionkmc.so.0$" &&
  [ "$(echo "$out" | tail -1)" = True ]
check "installed Python package: the installed library, the program's JSON ($out)" $?

echo "cli_install: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
