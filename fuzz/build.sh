#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/fuzz_*.cpp) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into BUILD_DIR (default build-fuzz/). The library sources are
# compiled once with coverage instrumentation and shared by every target; only changed sources
# are recompiled. Needs clang and libclang-rt-14-dev (or another clang with its runtime).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build-fuzz}
cxx=${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}
jobs=${JOBS:-2}
mkdir -p "$out/obj" "$out/generated"

# The default data files, embedded exactly as the CMake build does.
cmake -DOUT="$out/generated/embedded_data.cpp" -DDATA_DIR="$root/data" -P "$root/cmake/EmbedData.cmake"

common=(-std=c++20 -g -O1 -fno-omit-frame-pointer
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wno-ambiguous-reversed-operator -fsanitize-ignorelist="$root/fuzz/ubsan_ignorelist.txt"
        -I"$root/include" -I"$root/src" $(pkg-config --cflags re2)
        -DNEWSGRAPH_VERSION=\"fuzz\")
libs=($(pkg-config --libs re2) -lboost_graph -lpthread)

# Library objects: instrumented for coverage, without libFuzzer's main.
sources=("$root"/src/*.cpp "$out/generated/embedded_data.cpp")
compile() {
  local src=$1 obj=$2
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find "$root/include" "$root/src" -name '*.hpp' -newer "$obj" -print -quit)" ]; then
    "$cxx" "${common[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  fi
}
export -f compile
pids=()
objs=()
for src in "${sources[@]}"; do
  obj="$out/obj/$(basename "${src%.cpp}").o"
  objs+=("$obj")
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  compile "$src" "$obj" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

for target in "$root"/fuzz/fuzz_*.cpp; do
  name=$(basename "${target%.cpp}")
  "$cxx" "${common[@]}" -fsanitize=fuzzer "$target" "${objs[@]}" "${libs[@]}" -o "$out/$name"
  echo "built $out/$name"
done
