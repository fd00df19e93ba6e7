#pragma once

#include "sourcelocation.h"

#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <vector>

namespace wsprobe {

struct LocatedMember;

// A JSON value that remembers where it was written: what QJsonValue holds, plus the position of
// every value and key, and object members in the order of the file.
class LocatedValue
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    LocatedValue(); // null, at no position
    ~LocatedValue();
    LocatedValue(const LocatedValue &other);
    LocatedValue(LocatedValue &&other) noexcept;
    LocatedValue &operator=(const LocatedValue &other);
    LocatedValue &operator=(LocatedValue &&other) noexcept;

    static LocatedValue null(SourceLocation where);
    static LocatedValue boolean(bool value, SourceLocation where);
    // sourceText is the number as written ("1e3", "-0.50"), kept for messages.
    static LocatedValue number(double value, const QString &sourceText, SourceLocation where);
    static LocatedValue string(const QString &value, SourceLocation where);
    static LocatedValue array(std::vector<LocatedValue> elements, SourceLocation where);
    static LocatedValue object(std::vector<LocatedMember> members, SourceLocation where);

    Type type() const { return m_type; }
    // Where the value starts: its first character ('{', '[', '"', a digit, '-', a letter).
    SourceLocation location() const { return m_location; }

    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }

    // Each accessor returns an empty value (false, 0, "", no children) for the other types.
    bool toBool() const { return m_type == Type::Bool && m_bool; }
    double toDouble() const { return m_type == Type::Number ? m_number : 0.0; }
    QString toString() const;
    QString numberText() const;
    const std::vector<LocatedValue> &elements() const { return m_elements; }
    const std::vector<LocatedMember> &members() const { return m_members; }
    // The member with this key, or nullptr (also for non-objects).
    const LocatedMember *member(QStringView key) const;

    // Objects lose their member order here: QJsonObject sorts its keys. Whole numbers that fit in
    // 64 bits stay exact.
    QJsonValue toJsonValue() const;

    // The value as an error message shows it after "found": "\"abc\"", "42", "true", "null",
    // "an array", "an object". Long strings are shortened.
    QString describe() const;

private:
    Type m_type = Type::Null;
    SourceLocation m_location;
    bool m_bool = false;
    double m_number = 0.0;
    QString m_text; // a string's value, or a number as written
    std::vector<LocatedValue> m_elements;
    std::vector<LocatedMember> m_members;
};

// One "key": value pair of an object.
struct LocatedMember
{
    QString key;
    SourceLocation keyLocation;
    LocatedValue value;
};

} // namespace wsprobe
