#pragma once

#include "loadexport.h"

namespace wsprobe {

struct Scenario;

// A scenario as a k6 script (JavaScript, k6/experimental/websockets): the load as a k6
// scenario (ramping or constant VUs, or an arrival rate), and every client of the scenario in
// one iteration, its steps in order as async code, each expect a k6 check that ends the
// iteration when it fails. See docs/load.md.
namespace K6Export {
LoadExport toScript(const Scenario &scenario, const LoadExportOptions &options);
} // namespace K6Export

} // namespace wsprobe
