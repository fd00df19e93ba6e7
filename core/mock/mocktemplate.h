#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace wsprobe {

class Variables;

// What a reply may take from the message that triggered it: the text, its JSON (when it is
// JSON) and the groups of the rule's regular expression.
struct MockCaptures
{
    QString text;
    std::optional<QJsonValue> json;
    QStringList groups;  // groups[0] is the whole match
    std::optional<QByteArray> bytes;  // a binary message: its bytes
};

// The templates of the mock's replies: {{name}} is a variable, {{$}} the whole message,
// {{$/a/0}} (JSON Pointer) or {{$.a.0}} a value in its JSON, {{$1}} a group of the rule's
// regular expression. In a JSON reply a string that is one reference and nothing else takes the
// referenced value with its type ("{{$.id}}" becomes 42, not "42"). What cannot be resolved is
// left as written: a mock says what it could not fill in rather than sending nothing.
namespace MockTemplate {

// Whether reference (the text between the braces, trimmed) is a capture ($...).
bool isCapture(QStringView reference);
QString expandText(QStringView text, const MockCaptures &captures, const Variables &variables);
QJsonValue expandJson(const QJsonValue &value, const MockCaptures &captures,
                      const Variables &variables);

// The bytes a binary reply's text stands for: hex digits (whitespace between them ignored) or
// standard base64. nullopt, and *error says why, when the text is not that.
std::optional<QByteArray> decodeBytes(QStringView text, bool hex, QString *error);
// A binary reply's template, expanded, then decoded. A binary message that triggered it is
// {{$}} in the reply's encoding (hex or base64), so {"binary": "01 {{$}}"} answers its bytes
// behind one byte of 0x01.
std::optional<QByteArray> expandBytes(QStringView text, bool hex, const MockCaptures &captures,
                                      const Variables &variables, QString *error);

} // namespace MockTemplate
} // namespace wsprobe
