#pragma once

#include "loadexport.h"

namespace wsprobe {

struct Scenario;

// A scenario as an Artillery 2.x script for its `ws` engine (YAML): the load as phases, each
// client a scenario of its own (one connection a virtual user), connect / send / think, and
// the checks Artillery's `match` and `capture` can make on the next message. See docs/load.md.
namespace ArtilleryExport {
LoadExport toYaml(const Scenario &scenario, const LoadExportOptions &options);
} // namespace ArtilleryExport

} // namespace wsprobe
