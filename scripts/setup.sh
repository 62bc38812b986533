#!/usr/bin/env bash
# scripts/setup.sh - installs what is missing (Debian 12), builds alignsim, then
#   run   runs the default scenario and prints a summary (README's first command)
#   test  runs the whole test suite (README's second command; CI calls this)
#   build only builds
#   fuzz [SECONDS]  also installs clang's libFuzzer, builds the harnesses (build-fuzz/) and runs
#                   each for SECONDS (default 60; tests/fuzz/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in run|test|build|fuzz) ;; *) echo "usage: scripts/setup.sh [run|test|build|fuzz [SECONDS]]" >&2; exit 2 ;; esac

# Every dependency is a Debian 12 package.
packages=(
  build-essential cmake ninja-build pkg-config
  libgsl-dev libhdf5-dev hdf5-tools libcjson-dev libcmocka-dev librandom123-dev libcsv-dev libxlsxwriter-dev nettle-dev zlib1g-dev
  python3 python3-h5py python3-numpy python3-xarray python3-h5netcdf python3-netcdf4 python3-jsonschema python3-openpyxl netcdf-bin
  udunits-bin r-base-core r-cran-ncdf4
  libopenmpi-dev openmpi-bin slurm-wlm munge
  chromium time help2man
)
# libFuzzer is part of clang (libclang-rt-14-dev); clang's OpenMP is libomp.
[ "$mode" = fuzz ] && packages+=(clang libclang-rt-14-dev libomp-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$mode" != fuzz ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALIGNSIM_WERROR=ON >/dev/null
  cmake --build build
fi

case "$mode" in
  fuzz)
    CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALIGNSIM_FUZZ=ON \
      -DALIGNSIM_TESTS=OFF -DALIGNSIM_MPI=OFF >/dev/null
    cmake --build build-fuzz
    tests/fuzz/run.sh "${2:-60}"
    ;;
  run)
    mkdir -p results
    build/alignsim run scenarios/miami-dade.json -o results/miami-dade.h5
    ;;
  test)
    ctest --test-dir build --output-on-failure -j "$(nproc)"
    ;;
esac
