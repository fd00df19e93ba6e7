#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace wsprobe {

// What a WebSocket close code means, from RFC 6455 section 7.4 and the IANA registry.
enum class CloseCodeCategory {
    Invalid,      // 0-999 and 5000+: never valid on the wire
    Standard,     // 1000-1015 with a registered meaning
    Unassigned,   // 1016-2999: reserved for future protocol use
    Registered,   // 3000-3999: registered with IANA by libraries and frameworks
    Application,  // 4000-4999: private use, defined by the application (e.g. 4001 auth failure)
};

// The single registry of close codes: used wherever a code is shown, parsed or matched.
namespace CloseCodes {

// "Normal Closure" for 1000; empty for codes without a registered name.
QString name(int code);
// "NORMAL_CLOSURE" for 1000; empty for codes without a registered name.
QString symbol(int code);
// One sentence for a tooltip or a report.
QString description(int code);
CloseCodeCategory category(int code);
// "1000 Normal Closure", "4001 application code", "3008 registered code".
QString label(int code);
// 1004, 1005, 1006 and 1015 describe local conditions and must never be sent in a close frame.
bool isReservedForLocalUse(int code);
// True for codes an endpoint may put in a close frame.
bool canBeSent(int code);
// Accepts "1000", "NORMAL_CLOSURE", "normal_closure", "Normal Closure" and "normal-closure".
std::optional<int> fromString(QStringView text);

} // namespace CloseCodes
} // namespace wsprobe
