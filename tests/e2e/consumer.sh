#!/usr/bin/env bash
# Installs newsgraph into a temporary prefix and builds a tiny project against the installed
# package: find_package(newsgraph) and target_link_libraries(app newsgraph::newsgraph).
# Args: $1 = newsgraph CLI (unused but for the skip check), $2 = source dir. Exit 77: skipped.
set -euo pipefail
src=$2
command -v cmake >/dev/null && command -v c++ >/dev/null || exit 77
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DNEWSGRAPH_BUILD_TESTS=OFF \
      -DNEWSGRAPH_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" > "$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" -j2 --target newsgraph newsgraph_cli > "$work/build.log" 2>&1 \
  || { tail -50 "$work/build.log"; exit 1; }
# Only the library and the binary: other targets (benchmarks) are not installed.
cmake --install "$work/build" > "$work/install.log" || { cat "$work/install.log"; exit 1; }
test -f "$prefix/include/newsgraph/query.hpp"
test -f "$prefix/lib/libnewsgraph.a" || test -f "$prefix/lib64/libnewsgraph.a"
"$prefix/bin/newsgraph" --version | grep -q "^newsgraph "

mkdir -p "$work/app"
cat > "$work/app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(newsgraph_consumer LANGUAGES CXX)
find_package(newsgraph 0.1 REQUIRED)
add_executable(app main.cpp)
target_compile_features(app PRIVATE cxx_std_20)
target_link_libraries(app PRIVATE newsgraph::newsgraph)
CMAKE
cat > "$work/app/main.cpp" <<'CPP'
#include <fstream>
#include <iostream>

#include <newsgraph/export.hpp>
#include <newsgraph/graphml.hpp>
#include <newsgraph/pipeline.hpp>
#include <newsgraph/query.hpp>

int main(int argc, char** argv) {
  newsgraph::Pipeline pipeline(newsgraph::PipelineOptions{});
  newsgraph::PartialGraph counts;
  if (auto s = pipeline.Build({argv[1]}, &counts); !s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  const newsgraph::Graph built = newsgraph::Graph::FromPartial(counts);
  {
    std::ofstream out(argv[2]);
    if (!newsgraph::WriteGraphML(built, out).ok()) return 1;
  }
  newsgraph::Graph graph;
  if (auto s = newsgraph::ReadGraphML(argv[2], &graph); !s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  newsgraph::GraphQuery query(graph);
  newsgraph::Vertex v;
  if (auto s = query.Resolve("germany", &v); !s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  for (const auto& n : query.Neighbors(v)) std::cout << graph.network()[n.vertex].name << "\n";
  return 0;
}
CPP
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
      > "$work/app.log" 2>&1 || { cat "$work/app.log"; exit 1; }
cmake --build "$work/app/build" > "$work/app-build.log" 2>&1 || { cat "$work/app-build.log"; exit 1; }
printf 'Chancellor Olaf Scholz of Germany met President Emmanuel Macron of France in Paris.\n' > "$work/doc.txt"
out=$("$work/app/build/app" "$work/doc.txt" "$work/g.graphml")
echo "$out" | grep -q "France" || { echo "unexpected output: $out"; exit 1; }
echo "consumer: ok"
