#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QUrl>
#include <QVariant>

namespace wsprobe {

struct CloseInfo;

// One connection a user made: where to, when, and how it ended. The URL is stored masked.
struct HistoryEntry
{
    QUrl url;
    QDateTime when;
    QString outcome;  // "1000 Normal Closure", "4001 application code · expired", "refused"

    friend bool operator==(const HistoryEntry &, const HistoryEntry &) = default;
};

// The recent connections, most recent first, at most Capacity of them. Secrets never get in:
// every URL is masked (SecretMasker::maskUrl) before it is stored, so what the window persists
// through entries() is safe to write to QSettings.
class HistoryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr int Capacity = 100;

    enum Role {
        UrlRole = Qt::UserRole + 1,  // QUrl (masked)
        WhenRole,                    // QDateTime
        OutcomeRole,                 // QString
        DetailRole,                  // QString: "today 14:03 · 4001 application code"
    };

    explicit HistoryModel(QObject *parent = nullptr);

    // Puts the entry first, dropping the oldest beyond Capacity.
    void addEntry(const HistoryEntry &entry);
    void addEntry(const QUrl &url, const QDateTime &when, const QString &outcome = {});
    // The outcome written from how a session's connection ended.
    void addEntry(const QUrl &url, const QDateTime &when, const CloseInfo &close);
    void clear();

    // Most recent first.
    QList<HistoryEntry> entries() const { return m_entries; }
    // Sorted most recent first, masked and capped, whatever order they come in.
    void setEntries(const QList<HistoryEntry> &entries);
    const HistoryEntry &entryAt(int row) const { return m_entries.at(row); }

    // For QSettings: a list of maps {url, when (ISO 8601, UTC), outcome}.
    static QVariant toSettings(const QList<HistoryEntry> &entries);
    static QList<HistoryEntry> fromSettings(const QVariant &value);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryEntry> m_entries;
};

// "4001 application code · token expired": how a connection ended, in a few words.
QString outcomeText(const CloseInfo &close);

} // namespace wsprobe
