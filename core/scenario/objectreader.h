#pragma once

#include "jsonerror.h"
#include "locatedvalue.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QAnyStringView>

#include <optional>

namespace wsprobe {

// Reads the members of one JSON object against what the caller expects: typed getters for the
// known keys, and finish() to report every key nobody asked for. Every problem is added to the
// caller's error list with its position, so one pass reports all of them.
//
// The reader learns the allowed keys from the calls made on it: every key passed to a getter,
// has() or allow() is allowed, whether the object has it or not. Keys may be given as u"url",
// "url"_L1 or a QString.
class ObjectReader
{
public:
    enum Presence { Required, Optional };

    // value need not be an object: that is reported as the first error, and the getters then
    // return nothing. value and errors must outlive the reader.
    ObjectReader(const LocatedValue &value, const QString &fileName, QList<JsonError> *errors);

    bool isObject() const { return m_object.isObject(); }
    SourceLocation location() const { return m_object.location(); }
    const QString &fileName() const { return m_fileName; }
    // A reader for a nested object that reports to the same file and list.
    ObjectReader nested(const LocatedValue &value) const;

    // Each getter returns nothing when the key is missing (an error only when Required) or holds
    // the wrong kind of value (always an error).
    const LocatedValue *value(QAnyStringView key, Presence presence);
    std::optional<QString> string(QAnyStringView key, Presence presence);
    // One of a fixed set of words ("text", "binary"), with a suggestion for a near miss.
    std::optional<QString> choice(QAnyStringView key, const QStringList &choices,
                                  Presence presence);
    // A whole number from min to max; "1e3" and "1000.0" are 1000.
    std::optional<int> integer(QAnyStringView key, int min, int max, Presence presence);
    std::optional<double> number(QAnyStringView key, double min, double max, Presence presence);
    std::optional<bool> boolean(QAnyStringView key, Presence presence);
    const LocatedValue *object(QAnyStringView key, Presence presence);
    const LocatedValue *array(QAnyStringView key, Presence presence);

    bool has(QAnyStringView key);
    // Allows a key that the caller reads some other way.
    void allow(QAnyStringView key);

    // Adds an error at where, in this reader's file.
    void addError(SourceLocation where, const QString &message);
    // Reports each unknown key, in file order, with a suggestion when one is close (all of them,
    // not just the first: one run shows every typo). Returns whether no error was added since
    // the reader was made, nested readers' included.
    bool finish();

private:
    const LocatedMember *take(QAnyStringView key, Presence presence);
    void expected(const LocatedValue &found, const QString &what);

    const LocatedValue &m_object;
    QString m_fileName;
    QList<JsonError> *m_errors; // Not owned.
    QStringList m_allowed;
    qsizetype m_errorCountAtStart;
    bool m_finished = false;
};

} // namespace wsprobe
