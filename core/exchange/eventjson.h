#pragma once

#include "frameevent.h"

#include <QJsonObject>
#include <QStringView>

#include <functional>
#include <optional>

namespace wsprobe {

// One FrameEvent as a JSON object: a line of the JSON Lines export, and back. Every field the
// log keeps, named in docs/log-format.md; a payload is text or base64, and "encoding" says which.
namespace EventJson {

// Applied to every text the event carries (payloads, reasons, descriptions) before it is written.
using Mask = std::function<QString(QStringView)>;

// url: the address the connection went to (for the upgrade request's line), "" when unknown.
QJsonObject toJson(const FrameEvent &event, qint64 sequence, const Mask &mask = {},
                   const QString &url = {});
// An event from such an object; nothing, with the reason in *error, when a required field
// (kind, direction) is missing or a field has the wrong type or an unknown value.
std::optional<FrameEvent> fromJson(const QJsonObject &object, QString *error);

// The names the file uses for the enums.
QString kindName(EventKind kind);
QString directionName(Direction direction);
QString errorName(ErrorKind error);
QString initiatorName(CloseInitiator initiator);

} // namespace EventJson
} // namespace wsprobe
