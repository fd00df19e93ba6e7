#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace wsprobe {

// A load run's data file: CSV with a header row of variable names, then one row of values per
// iteration, handed out in order and from the top again after the last.
class LoadData
{
public:
    // Reads path (RFC 4180: commas, double-quoted fields with "" inside, CRLF or LF). On failure
    // returns false with *error as "users.csv:3: why".
    bool load(const QString &path, QString *error);
    // The same from text; fileName is only for the messages.
    bool parse(const QString &text, const QString &fileName, QString *error);

    bool isEmpty() const { return m_rows.isEmpty(); }
    const QStringList &columns() const { return m_columns; }
    qsizetype rowCount() const { return m_rows.size(); }
    // Row index % rowCount(); an empty list when there is no data.
    QStringList row(qint64 index) const;

private:
    QStringList m_columns;
    QList<QStringList> m_rows;
};

} // namespace wsprobe
