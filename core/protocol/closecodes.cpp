#include "closecodes.h"

#include <array>

using namespace Qt::StringLiterals;

namespace wsprobe::CloseCodes {
namespace {

struct Entry
{
    int code;
    QLatin1StringView symbol;
    QLatin1StringView name;
    QLatin1StringView description;
};

// RFC 6455 section 7.4.1 and the IANA "WebSocket Close Code Number Registry".
constexpr std::array<Entry, 16> Standard = {{
    {1000, "NORMAL_CLOSURE"_L1, "Normal Closure"_L1,
     "The purpose for which the connection was established has been fulfilled."_L1},
    {1001, "GOING_AWAY"_L1, "Going Away"_L1,
     "An endpoint is going away: a server going down or a browser leaving the page."_L1},
    {1002, "PROTOCOL_ERROR"_L1, "Protocol Error"_L1,
     "An endpoint is terminating the connection due to a protocol error."_L1},
    {1003, "UNSUPPORTED_DATA"_L1, "Unsupported Data"_L1,
     "An endpoint received a type of data it cannot accept (e.g. binary when it only understands text)."_L1},
    {1004, "RESERVED"_L1, "Reserved"_L1,
     "Reserved; no meaning is defined. Must not be sent."_L1},
    {1005, "NO_STATUS_RECEIVED"_L1, "No Status Received"_L1,
     "The close frame carried no status code. Never sent: reported locally."_L1},
    {1006, "ABNORMAL_CLOSURE"_L1, "Abnormal Closure"_L1,
     "The connection ended without a close frame. Never sent: reported locally."_L1},
    {1007, "INVALID_FRAME_PAYLOAD_DATA"_L1, "Invalid Frame Payload Data"_L1,
     "A message's data was not consistent with its type (e.g. invalid UTF-8 in a text message)."_L1},
    {1008, "POLICY_VIOLATION"_L1, "Policy Violation"_L1,
     "A message violated the endpoint's policy."_L1},
    {1009, "MESSAGE_TOO_BIG"_L1, "Message Too Big"_L1,
     "A message was too big to process."_L1},
    {1010, "MANDATORY_EXTENSION"_L1, "Mandatory Extension"_L1,
     "The client expected the server to negotiate an extension it did not."_L1},
    {1011, "INTERNAL_ERROR"_L1, "Internal Error"_L1,
     "The server met an unexpected condition that prevented it from fulfilling the request."_L1},
    {1012, "SERVICE_RESTART"_L1, "Service Restart"_L1,
     "The service is restarting; the client may reconnect."_L1},
    {1013, "TRY_AGAIN_LATER"_L1, "Try Again Later"_L1,
     "The service is overloaded; the client should reconnect later."_L1},
    {1014, "BAD_GATEWAY"_L1, "Bad Gateway"_L1,
     "A gateway or proxy received an invalid response from the upstream server."_L1},
    {1015, "TLS_HANDSHAKE"_L1, "TLS Handshake"_L1,
     "The TLS handshake failed (e.g. the certificate could not be verified). Never sent: reported locally."_L1},
}};

const Entry *find(int code)
{
    if (code < 1000 || code > 1015)
        return nullptr;
    return &Standard[std::size_t(code - 1000)];
}

// Folds "Normal Closure", "normal-closure" and "NORMAL_CLOSURE" to one key.
QString normalized(QStringView text)
{
    QString key;
    key.reserve(text.size());
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            key.append(c.toUpper());
        else if (c == u' ' || c == u'-' || c == u'_')
            key.append(u'_');
    }
    return key;
}

} // namespace

QString name(int code)
{
    const Entry *entry = find(code);
    return entry ? QString(entry->name) : QString();
}

QString symbol(int code)
{
    const Entry *entry = find(code);
    return entry ? QString(entry->symbol) : QString();
}

CloseCodeCategory category(int code)
{
    if (code >= 1000 && code <= 1015)
        return CloseCodeCategory::Standard;
    if (code >= 1016 && code <= 2999)
        return CloseCodeCategory::Unassigned;
    if (code >= 3000 && code <= 3999)
        return CloseCodeCategory::Registered;
    if (code >= 4000 && code <= 4999)
        return CloseCodeCategory::Application;
    return CloseCodeCategory::Invalid;
}

QString description(int code)
{
    if (const Entry *entry = find(code))
        return QString(entry->description);
    switch (category(code)) {
    case CloseCodeCategory::Unassigned:
        return u"Reserved for future versions of the WebSocket protocol."_s;
    case CloseCodeCategory::Registered:
        return u"Registered with IANA for use by libraries, frameworks and applications."_s;
    case CloseCodeCategory::Application:
        return u"Private use: its meaning is defined by the application (e.g. 4001 for an "
               "authentication failure)."_s;
    case CloseCodeCategory::Invalid:
    case CloseCodeCategory::Standard:
        break;
    }
    return u"Not a valid WebSocket close code."_s;
}

QString label(int code)
{
    if (const Entry *entry = find(code))
        return QString::number(code) + u' ' + entry->name;
    switch (category(code)) {
    case CloseCodeCategory::Registered:
        return QString::number(code) + u" registered code"_s;
    case CloseCodeCategory::Application:
        return QString::number(code) + u" application code"_s;
    case CloseCodeCategory::Unassigned:
        return QString::number(code) + u" unassigned code"_s;
    case CloseCodeCategory::Invalid:
    case CloseCodeCategory::Standard:
        break;
    }
    return QString::number(code) + u" invalid code"_s;
}

bool isReservedForLocalUse(int code)
{
    return code == 1004 || code == 1005 || code == 1006 || code == 1015;
}

bool canBeSent(int code)
{
    switch (category(code)) {
    case CloseCodeCategory::Standard:
        return !isReservedForLocalUse(code);
    case CloseCodeCategory::Registered:
    case CloseCodeCategory::Application:
        return true;
    case CloseCodeCategory::Unassigned:
    case CloseCodeCategory::Invalid:
        break;
    }
    return false;
}

std::optional<int> fromString(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const int number = trimmed.toInt(&isNumber);
    if (isNumber)
        return (number >= 0 && number <= 65535) ? std::optional<int>(number) : std::nullopt;
    const QString key = normalized(trimmed);
    for (const Entry &entry : Standard) {
        if (key == entry.symbol)
            return entry.code;
    }
    return std::nullopt;
}

} // namespace wsprobe::CloseCodes
