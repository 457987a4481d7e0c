#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build in Release, build the example corpus's graph.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target newsgraph_cli
mkdir -p out
outputs=(-o out/graph.graphml -o out/graph.dot)
command -v dot >/dev/null && outputs+=(-o out/graph.svg)
build/newsgraph build examples/corpus "${outputs[@]}" --summary
