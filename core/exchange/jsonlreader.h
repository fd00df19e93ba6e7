#pragma once

#include "capturedconnection.h"
#include "jsonerror.h"

namespace wsprobe {

// Reads a frame log exported as JSON Lines (docs/log-format.md) back: its events, and the
// connection settings its last upgrade request shows (the URL from its "url", or from the Host
// line; the headers as logged, secrets masked).
namespace JsonlReader {

// False, with the line and column of the first problem in *error.
bool read(const QString &path, CapturedConnection *connection, JsonError *error);
bool parse(QStringView text, const QString &fileName, CapturedConnection *connection, JsonError *error);

} // namespace JsonlReader
} // namespace wsprobe
