#!/usr/bin/env bash
# Quick start, step 2: build everything and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
