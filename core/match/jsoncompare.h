#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace wsprobe::JsonCompare {

// Deep comparison of JSON values, telling where the first difference is.
// Numbers compare by value: 1 == 1.0; integers beyond 2^53 compare exactly.

struct Difference
{
    QString path;    // JSON pointer to the differing value in the actual document ("" = root)
    QString reason;  // e.g. `expected "ack", got "nack"`, `missing`, `3 elements instead of 2`

    // "at /type: expected "ack", got "nack"", or just the reason at the root.
    QString toString() const;
};

bool equal(const QJsonValue &a, const QJsonValue &b);

// Nullopt when actual equals expected.
std::optional<Difference> firstDifference(const QJsonValue &expected, const QJsonValue &actual);

// Nullopt when actual contains expected: every member of an expected object is present in
// actual and matches recursively (extra members are allowed); an expected array matches an
// array of the same length whose elements match element by element; scalars must be equal.
std::optional<Difference> firstSubsetMismatch(const QJsonValue &expected, const QJsonValue &actual);

} // namespace wsprobe::JsonCompare
