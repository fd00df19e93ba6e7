#pragma once

#include "frameevent.h"

#include <QString>
#include <QStringView>

namespace wsprobe {

// How an event reads as text: the frame table's columns, copies and the CSV export all say it
// the same way.

// text on one line: line breaks and tabs become spaces, and past maxChars it is cut with "…".
QString oneLine(QStringView text, int maxChars);
// One line of text for an event: what the Preview column and single-line exports show.
QString previewText(const FrameEvent &event, int maxChars = 200);
// The whole payload as text, for copies: the text as it is, binary as hex, a close's code and
// reason, a pong's round trip. Never cut short.
QString payloadText(const FrameEvent &event);
// What the Time, Dir, Type and Size columns show.
QString timeText(const FrameEvent &event);
QString directionText(Direction direction);
QString typeText(const FrameEvent &event);
QString sizeText(qint64 bytes);

} // namespace wsprobe
