#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace wsprobe {

// What the composer asks the session to send.
struct ComposedMessage
{
    enum Kind { Text, Binary, Ping };
    Kind kind = Text;
    QString text;      // Text
    QByteArray bytes;  // Binary, Ping

    friend bool operator==(const ComposedMessage &, const ComposedMessage &) = default;
};

// How the composer's text is read.
enum class SendMode {
    Text,          // sent as a text message
    BinaryHex,     // hex digits, whitespace ignored: a binary message
    BinaryBase64,  // base64 or base64url, whitespace ignored: a binary message
    Ping,          // the text's UTF-8 is the ping payload, at most 125 bytes
};

QString displayName(SendMode mode);

// A message the user keeps to send again: its text as typed and how to read it.
struct SavedMessage
{
    QString name;
    SendMode mode = SendMode::Text;
    QString body;

    friend bool operator==(const SavedMessage &, const SavedMessage &) = default;
};

// Turning composer text into a message, with the reasons it cannot be one.
namespace MessageComposer {

inline constexpr int MaxPingPayload = 125;  // RFC 6455 §5.5: control frames carry at most 125

// Nothing, and *error says why (with the line and column where that helps), when body is not
// valid in mode: odd or non-hex digits, broken base64, a ping payload over 125 bytes.
std::optional<ComposedMessage> compose(SendMode mode, const QString &body, QString *error);

// Where JSON-looking text (it starts with '{' or '[') stops being JSON: "Not valid JSON: ... at
// line L, column C". Empty when the text is valid JSON or does not try to be JSON.
QString jsonWarning(const QString &text);

// The JSON text indented by two spaces, keys in their order and numbers as written; nothing
// when text is not JSON.
std::optional<QString> beautifyJson(const QString &text);
// Hex digits as lines of 16 space-separated bytes; nothing when text is not hex.
std::optional<QString> beautifyHex(const QString &text);

// A saved message's default name: its first 30 characters, runs of whitespace made one space.
QString defaultName(const QString &body);

} // namespace MessageComposer
} // namespace wsprobe

Q_DECLARE_METATYPE(wsprobe::ComposedMessage)
