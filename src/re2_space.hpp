// RE2's white space (internal header).
#pragma once

namespace newsgraph {

// RE2's \s: the white space a rule's \s+ can cross (not \v, nor any non-ASCII space).
inline bool IsRe2Space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

}  // namespace newsgraph
