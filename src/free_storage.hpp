// FreeStorage: empty a container and hand its memory back (internal header).
#pragma once

namespace newsgraph {

// Empties `c` and frees its storage. (`c = {}` does not: it assigns an empty initializer list,
// which keeps a vector's capacity and a hash map's buckets.)
template <typename Container>
void FreeStorage(Container& c) {
  Container().swap(c);
}

}  // namespace newsgraph
