#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <functional>
#include <optional>

namespace wsprobe::JsonText {

// Reading and writing JSON text for the matchers. Unlike QJsonDocument, this accepts and writes
// any value at the top level: a WebSocket message may well be `42` or `"pong"`.

// The value, or nullopt with *error set to e.g. "illegal value at offset 3".
std::optional<QJsonValue> parse(const QByteArray &utf8, QString *error);

// One line, no spaces: {"type":"ack","id":1}. Undefined is written as "undefined".
QString compact(const QJsonValue &value);
// The value with every string (keys too) passed through map: {{variables}} expanded at send
// time, secrets abstracted when recording.
QJsonValue mapStrings(const QJsonValue &value, const std::function<QString(const QString &)> &map);

// compact(), cut after maxChars characters with "…" at the cut. Writes no more than it shows.
QString compactPreview(const QJsonValue &value, qsizetype maxChars = 120);

// A JSON string literal, escaped as compact() escapes strings: "say \"hi\"\n".
QString quoted(QStringView text);

// A JSON value's type for messages: "an object", "a string", ...
QString typeName(const QJsonValue &value);

} // namespace wsprobe::JsonText
