#pragma once

#include <QJsonValue>
#include <QStringView>

namespace wsprobe {

// Tells the parts of a recorded JSON message that change from one run to the next (ids,
// timestamps, nonces, sequence numbers) from the parts a test can expect again, so that a
// recording can expect a subset that a second run still matches.
namespace VolatileJson {

// A key whose value is expected to change: "id", "requestId", "timestamp", "created_at", "ts",
// "nonce", "seq", ... (case and separators ignored).
bool isVolatileKey(QStringView key);
// A value that looks generated: a UUID, an ISO 8601 date-time, an epoch time in seconds or
// milliseconds (a number between 10^9 and 10^14).
bool isVolatileValue(const QJsonValue &value);
// value with every object member whose key or value is volatile left out, at any depth. Array
// elements are kept (a subset matches arrays element by element).
QJsonValue withoutVolatileFields(const QJsonValue &value);

} // namespace VolatileJson
} // namespace wsprobe
