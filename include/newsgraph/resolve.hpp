// resolve: gives every mention of one document its canonical entity name.
#pragma once

#include <string_view>
#include <vector>

#include "newsgraph/extract.hpp"

namespace newsgraph {

// Within a document: surnames and partial names map to the full person name seen earlier,
// acronyms to the names they abbreviate; everywhere: possessives are outside spans and
// names are normalised (curly apostrophes, spaces, a leading "the").
class EntityResolver {
 public:
  // Rewrites `mentions` (sorted by offset) in place: fills `entity`, and may retype a mention
  // whose name refers to an entity typed earlier in the document.
  void Resolve(std::string_view text, std::vector<Mention>* mentions) const;
};

// Returns `name` normalised for use as a canonical name (straight apostrophes, single spaces,
// no leading "the ", no possessive).
std::string NormalizeName(std::string_view name);

}  // namespace newsgraph
