// graphml: reads a GraphML file (newsgraph's own, or any tool's with label/weight-like keys)
// back into a Graph, with a streaming parser over the memory-mapped file (no DOM).
#pragma once

#include <string>
#include <string_view>

#include "newsgraph/graph.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct GraphMLReadOptions {
  bool evidence = true;  // parse the edges' `evidence` passages (false saves memory and time)
};

// Reads the GraphML file at `path` into `*out`, built in place (Boost 1.74 graphs cannot be
// moved, only deep-copied): `*out` is left unchanged when the file cannot be opened and empty
// when it is malformed.
//
// Keys are resolved by `attr.name` (falling back to the key id): node `label` (else `name`,
// else the node id) is the entity name; `type`, `frequency`, `documents`, `units`, `aliases`
// ("; " separated), `first_seen`, `last_seen`, `degree`, `weighted_degree`, `pagerank`,
// `betweenness`, `component`, `community` fill EntityNode; edge `weight` (default 1, or the
// key's <default>), `count`, `documents`, `first_seen`, `last_seen`, `evidence` fill Relation.
// The graph's corpus totals, scope and weight measure come from the <desc> WriteGraphML
// writes. The edge measures `association`, `pmi`, `npmi`, `jaccard`, `cosine`, `g2` are kept
// in Relation::given only where they differ from those Graph::measures derives (exactly, or
// as newsgraph prints them to 6 significant digits). Unknown keys are ignored, edges
// are read as undirected, nested elements inside <data> (yEd graphics) are skipped. When the
// file has no `degree` key, degree and weighted degree are computed. Vertices keep the file's
// order. Entities sharing a label are renamed "LABEL [ID]" with LABEL kept as an alias, so a
// lookup by LABEL reports them as ambiguous.
//
// Returns IoError when the file cannot be read and InvalidInput, naming file and line, when it
// is not well-formed GraphML. O(file size) time; memory is the graph plus a node-id map (the
// mapped file's pages are released as parsing advances).
Status ReadGraphML(const std::string& path, Graph* out, const GraphMLReadOptions& options = {});

// Parses GraphML held in memory; `origin` names it in error messages. Same rules as above.
Status ParseGraphML(std::string_view text, const std::string& origin, Graph* out,
                    const GraphMLReadOptions& options = {});

}  // namespace newsgraph
