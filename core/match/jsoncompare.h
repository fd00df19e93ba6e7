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

// For two numbers: negative, zero or positive as a is less than, equal to or greater than b.
// Integers compare exactly (a double has 53 bits: 2^53 + 1 would equal 2^53).
int compareNumbers(const QJsonValue &a, const QJsonValue &b);
// Whether b == a + step, exactly for integers and a whole step.
bool isStepAfter(const QJsonValue &a, const QJsonValue &b, double step);
// a + step as JSON, an integer when both are (for "expected /seq = 9").
QJsonValue plus(const QJsonValue &a, double step);

// Nullopt when actual equals expected.
std::optional<Difference> firstDifference(const QJsonValue &expected, const QJsonValue &actual);

// Nullopt when actual contains expected: every member of an expected object is present in
// actual and matches recursively (extra members are allowed); an expected array matches an
// array of the same length whose elements match element by element; scalars must be equal.
std::optional<Difference> firstSubsetMismatch(const QJsonValue &expected, const QJsonValue &actual);

} // namespace wsprobe::JsonCompare
