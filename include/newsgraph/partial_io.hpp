// partial_io: partial graphs (corpus counts) saved to files, so shards built on many machines
// merge into one graph.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "newsgraph/relate.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

// The format version written by WritePartial (the file's header names it). ReadPartial reads
// this version and every earlier one.
inline constexpr unsigned kPartialFormatVersion = 2;

// Writes `graph` and the relate options it was counted with. The bytes depend only on the
// counts (maps are written in key order), so equal graphs give equal files.
//
// Format (version 2): the 18 bytes "newsgraph-partial\n", then unsigned LEB128 integers and
// strings (a LEB128 byte length, then UTF-8 bytes):
//   version; scope kind (0 sentence, 1 paragraph, 2 window, 3 document); window;
//   evidence limit; evidence_chars; time slice (0 none, 1 day, 2 week, 3 month);
//   documents; units; mentions; bytes;
//   node count, then per node (by name, strictly ascending): name; frequency; documents; units;
//     first_seen; last_seen; type_votes, periods, surfaces (each: count, then key string and
//     value);
//   edge count, then per edge (by name pair): first and second as node numbers (their places in
//     the node list, first < second); count; documents; first_seen; last_seen; periods;
//     evidence count, then per passage: doc; begin; end; text;
//   and the 4 bytes "end\n".
// A passage's doc and text are shared strings: each is a number among the strings of its kind
// met so far in the file (document ids and passages are numbered apart, from 0). A number
// below the count met refers to that string; the count itself brings a new one, written right
// after it as a string. So a passage that the edges among a sentence's entities all quote is
// written once.
// Version 1 differs in two places: edge ends are name strings, and doc and text are plain
// strings each time.
Status WritePartial(const PartialGraph& graph, const RelateOptions& options, std::ostream& out);

// Writes `graph` to `path` whole or not at all (a temporary file renamed into place).
Status SavePartial(const PartialGraph& graph, const RelateOptions& options,
                   const std::string& path);

// Reads a partial graph written by WritePartial into `graph` (replacing it) and its options
// into `options`; `origin` names the input in messages.
Status ReadPartial(std::istream& in, const std::string& origin, PartialGraph* graph,
                   RelateOptions* options);

// Reads the partial graph file `path`.
Status LoadPartial(const std::string& path, PartialGraph* graph, RelateOptions* options);

// Returns OK when partial graphs counted with `a` and `b` can be merged (same scope, slice and
// evidence bounds); the message names both settings otherwise.
Status CheckMergeable(const RelateOptions& a, const RelateOptions& b);

}  // namespace newsgraph
