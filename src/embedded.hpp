// The data/*.json files compiled into the library (internal header).
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace newsgraph::embedded {

// Returns (file name, content) for every embedded data file, sorted by name.
const std::vector<std::pair<std::string_view, std::string_view>>& Files();

// Returns the content of the embedded file `name`, or an empty view.
inline std::string_view Get(std::string_view name) {
  for (const auto& [n, content] : Files())
    if (n == name) return content;
  return {};
}

}  // namespace newsgraph::embedded
