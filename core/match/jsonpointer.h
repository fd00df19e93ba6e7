#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace wsprobe {

// An RFC 6901 JSON pointer ("/a/b~1c/0"): parsed once, resolved against many documents.
class JsonPointer
{
public:
    // The empty pointer: the whole document.
    JsonPointer() = default;

    // Nullopt with *error set when text is not a pointer: it must be empty or start with "/",
    // and "~" must be followed by "0" or "1".
    static std::optional<JsonPointer> parse(QStringView text, QString *error);
    // A pointer made of these (unescaped) reference tokens.
    static JsonPointer fromTokens(QList<QString> tokens);

    // Escapes "~" as "~0" and "/" as "~1".
    static QString escapeToken(QStringView token);

    const QList<QString> &tokens() const { return m_tokens; }
    bool isRoot() const { return m_tokens.isEmpty(); }
    // The text form, escaped: parse(toString()) gives back the same pointer.
    QString toString() const;

    // The value this pointer designates in document, or nullopt with *why set to the step that
    // failed, e.g. `/user has no member "id"` or `/items has 2 elements: no index 5`. Arrays are
    // indexed by decimal numbers without leading zeros; "-" (the element after the last) never
    // designates a value.
    std::optional<QJsonValue> resolve(const QJsonValue &document, QString *why = nullptr) const;

    friend bool operator==(const JsonPointer &a, const JsonPointer &b) = default;

private:
    QList<QString> m_tokens;
};

} // namespace wsprobe
