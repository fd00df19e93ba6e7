#include "historymodel.h"

#include "closecodes.h"
#include "secretmasker.h"
#include "session.h"

#include <QLocale>
#include <QVariantMap>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

HistoryEntry masked(HistoryEntry entry)
{
    entry.url = QUrl(SecretMasker::maskUrl(entry.url));
    return entry;
}

QString whenText(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    const QDateTime local = when.toLocalTime();
    const QDate today = QDate::currentDate();
    const QString time = QLocale().toString(local.time(), QLocale::ShortFormat);
    if (local.date() == today)
        return u"today "_s + time;
    if (local.date() == today.addDays(-1))
        return u"yesterday "_s + time;
    return QLocale().toString(local.date(), QLocale::ShortFormat) + u' ' + time;
}

} // namespace

QString outcomeText(const CloseInfo &close)
{
    if (close.refused)
        return close.httpStatus != 0 ? u"refused · HTTP %1"_s.arg(close.httpStatus) : u"refused"_s;
    QString text = CloseCodes::label(close.code);
    if (!close.reason.isEmpty())
        text += u" · "_s + close.reason;
    if (close.openDurationMs < 0)
        text = u"did not open (%1)"_s.arg(text);
    return text;
}

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void HistoryModel::addEntry(const HistoryEntry &entry)
{
    if (m_entries.size() >= Capacity) {
        beginRemoveRows({}, Capacity - 1, int(m_entries.size()) - 1);
        m_entries.resize(Capacity - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.prepend(masked(entry));
    endInsertRows();
}

void HistoryModel::addEntry(const QUrl &url, const QDateTime &when, const QString &outcome)
{
    addEntry(HistoryEntry{url, when, outcome});
}

void HistoryModel::addEntry(const QUrl &url, const QDateTime &when, const CloseInfo &close)
{
    addEntry(HistoryEntry{url, when, outcomeText(close)});
}

void HistoryModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void HistoryModel::setEntries(const QList<HistoryEntry> &entries)
{
    beginResetModel();
    m_entries.clear();
    m_entries.reserve(std::min<qsizetype>(entries.size(), Capacity));
    for (const HistoryEntry &entry : entries)
        m_entries.append(masked(entry));
    // Stable: entries of the same moment keep the order they came in.
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const HistoryEntry &a, const HistoryEntry &b) { return a.when > b.when; });
    if (m_entries.size() > Capacity)
        m_entries.resize(Capacity);
    endResetModel();
}

QVariant HistoryModel::toSettings(const QList<HistoryEntry> &entries)
{
    QVariantList list;
    list.reserve(entries.size());
    for (const HistoryEntry &entry : entries) {
        list.append(QVariantMap{
            {u"url"_s, SecretMasker::maskUrl(entry.url)},
            {u"when"_s, entry.when.toUTC().toString(Qt::ISODateWithMs)},
            {u"outcome"_s, entry.outcome},
        });
    }
    return list;
}

QList<HistoryEntry> HistoryModel::fromSettings(const QVariant &value)
{
    QList<HistoryEntry> entries;
    const QVariantList list = value.toList();
    for (const QVariant &item : list) {
        const QVariantMap map = item.toMap();
        const QUrl url(map.value(u"url"_s).toString());
        if (!url.isValid() || url.isEmpty())
            continue;
        entries.append(HistoryEntry{url,
                                    QDateTime::fromString(map.value(u"when"_s).toString(), Qt::ISODateWithMs),
                                    map.value(u"outcome"_s).toString()});
    }
    return entries;
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const HistoryEntry &entry = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole: return entry.url.toDisplayString();
    case Qt::ToolTipRole: {
        QString tip = entry.url.toDisplayString();
        const QString detail = data(index, DetailRole).toString();
        if (!detail.isEmpty())
            tip += u'\n' + detail;
        return tip;
    }
    case UrlRole: return entry.url;
    case WhenRole: return entry.when;
    case OutcomeRole: return entry.outcome;
    case DetailRole: {
        QStringList parts;
        const QString when = whenText(entry.when);
        if (!when.isEmpty())
            parts.append(when);
        if (!entry.outcome.isEmpty())
            parts.append(entry.outcome);
        return parts.join(u" · "_s);
    }
    }
    return {};
}

} // namespace wsprobe
