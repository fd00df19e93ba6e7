#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <initializer_list>
#include <optional>

namespace wsprobe {

// Reads the members of one spec object (a matcher or a sequence check) and keeps the first
// error, prefixed with the JSON pointer of the member it concerns: `/allOf/1/size/min: ...`.
class SpecReader
{
public:
    // path: where the object is in the whole spec ("" for the root). schemaBaseUri: what a
    // relative "$ref" in a JSON Schema resolves against (the scenario file's URL), or "".
    SpecReader(QJsonObject spec, QString path, QString schemaBaseUri = {});

    const QString &schemaBaseUri() const { return m_schemaBaseUri; }

    const QJsonObject &spec() const { return m_spec; }
    QString pathOf(QStringView key) const;
    bool has(QStringView key) const { return m_spec.contains(key); }
    QJsonValue value(QStringView key) const { return m_spec.value(key); }

    // Fails on a member not in `allowed`, naming what `kindKey` (may be empty) accepts.
    bool allowOnly(QStringView kindKey, std::initializer_list<QStringView> allowed);
    // At most one of `keys` may be present.
    bool atMostOneOf(std::initializer_list<QStringView> keys);

    // Each fails (and returns nullopt) when the member is missing or of the wrong type.
    std::optional<QString> string(QStringView key);
    std::optional<bool> boolean(QStringView key);
    // A whole number >= minimum.
    std::optional<qint64> integer(QStringView key, qint64 minimum);
    std::optional<double> number(QStringView key);

    // Records an error about a member (key) or the object itself (empty key); returns false.
    bool fail(QStringView key, const QString &message);
    // Records an error about a value deeper in the spec, at this pointer; returns false.
    bool failAtPath(const QString &path, const QString &message);
    // Keeps an error that already says where it is (from a nested spec), if this reader has
    // none yet; returns false.
    bool adoptError(const QString &error);
    bool hasFailed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    static QString withPath(const QString &path, const QString &message);

private:
    QJsonObject m_spec;
    QString m_path;
    QString m_schemaBaseUri;
    QString m_error;
};

} // namespace wsprobe
