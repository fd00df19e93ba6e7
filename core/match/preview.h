#pragma once

#include "frameevent.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace wsprobe::Preview {

// Short renderings of payloads for the expected/actual columns of a match result. Long payloads
// are cut, and "…" follows the cut.

// A JSON string literal: "say \"hi\"\n". Quotes make trailing spaces and newlines visible.
QString quoted(QStringView text, qsizetype maxChars = 200);
// Lower-case hex, a space between bytes: "de ad be ef".
QString hex(QByteArrayView data, qsizetype maxBytes = 64);
QString base64(QByteArrayView data, qsizetype maxChars = 200);
// What an event is, for a matcher that wanted another kind: `text message "hi"`,
// `binary message de ad`, `close 1000 Normal Closure`, `ping`.
QString event(const FrameEvent &event);
// "1 byte", "12 bytes".
QString bytes(qint64 count);
// "1 message", "3 messages".
QString messages(qint64 count);
// How a sentence names an event, with the numbers the window shows (FrameLog::messageNumber):
// "message 17"; "the close" for an event that is not a message; "event #42" (its place in the
// log) for a message whose number was not given.
QString eventName(const FrameEvent &event, qint64 messageNumber, qint64 sequence);
QString messageName(qint64 messageNumber, qint64 sequence);
// A duration in milliseconds: "730 ms", "0.25 ms".
QString duration(qint64 nanoseconds);

} // namespace wsprobe::Preview
