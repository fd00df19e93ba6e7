#include "mockclientsmodel.h"

#include "closecodes.h"
#include "framelog.h"
#include "themecolors.h"

#include <QApplication>
#include <QDateTime>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {

MockClientsModel::MockClientsModel(QObject *parent) : QAbstractTableModel(parent) {}

void MockClientsModel::setServer(MockServer *server)
{
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    beginResetModel();
    m_server = server;
    m_clients.clear();
    if (server) {
        for (quint64 id : server->clientIds())
            m_clients.push_back({*server->clientInfo(id), server->clientLog(id)});
        connect(server, &MockServer::clientAccepted, this, &MockClientsModel::add);
        connect(server, &MockServer::clientEnded, this, &MockClientsModel::end);
    }
    endResetModel();
}

const MockClientsModel::Client *MockClientsModel::clientAt(int row) const
{
    return row >= 0 && size_t(row) < m_clients.size() ? &m_clients[size_t(row)] : nullptr;
}

int MockClientsModel::rowOf(quint64 id) const
{
    // Ids grow with the rows: a binary search.
    const auto it = std::lower_bound(m_clients.cbegin(), m_clients.cend(), id,
                                     [](const Client &c, quint64 value) { return c.info.id < value; });
    return it != m_clients.cend() && it->info.id == id ? int(it - m_clients.cbegin()) : -1;
}

int MockClientsModel::connectedCount() const
{
    return int(std::count_if(m_clients.cbegin(), m_clients.cend(), [](const Client &c) { return !c.ended; }));
}

void MockClientsModel::add(quint64 id)
{
    const std::optional<MockClientInfo> info = m_server ? m_server->clientInfo(id) : std::nullopt;
    if (!info)
        return;
    const int row = int(m_clients.size());
    beginInsertRows({}, row, row);
    m_clients.push_back({*info, m_server->clientLog(id)});
    endInsertRows();
}

void MockClientsModel::end(quint64 id, int closeCode, const QString &reason)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    Client &client = m_clients[size_t(row)];
    client.ended = true;
    client.closeCode = closeCode;
    client.closeReason = reason;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    trimEnded();
}

void MockClientsModel::trimEnded()
{
    int ended = int(m_clients.size()) - connectedCount();
    for (int row = 0; ended > MaxEndedRows && row < int(m_clients.size());) {
        if (!m_clients[size_t(row)].ended) {
            ++row;
            continue;
        }
        beginRemoveRows({}, row, row);
        m_clients.erase(m_clients.begin() + row);
        endRemoveRows();
        --ended;
    }
}

void MockClientsModel::clearEnded()
{
    for (int row = int(m_clients.size()) - 1; row >= 0; --row) {
        if (!m_clients[size_t(row)].ended)
            continue;
        beginRemoveRows({}, row, row);
        m_clients.erase(m_clients.begin() + row);
        endRemoveRows();
    }
}

int MockClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int MockClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MockClientsModel::data(const QModelIndex &index, int role) const
{
    const Client *client = clientAt(index.row());
    if (!client)
        return {};
    if (role == ClientIdRole)
        return QVariant::fromValue(client->info.id);
    if (role == Qt::ForegroundRole && client->ended)
        return ThemeColors::muted(QApplication::palette());
    if (role == Qt::ToolTipRole) {
        QString tip = tr("Connected at %1 from %2")
                .arg(QDateTime::fromMSecsSinceEpoch(client->info.connectedWallMs).toString(u"HH:mm:ss.zzz"_s),
                     client->info.peer());
        if (client->ended)
            tip += u'\n' + tr("Closed: %1").arg(CloseCodes::label(client->closeCode))
                    + (client->closeReason.isEmpty() ? QString() : u" · \""_s + client->closeReason + u'"');
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return u"#%1"_s.arg(client->info.id);
    case PeerColumn:
        return client->info.peer();
    case PathColumn:
        return client->info.path;
    case SubprotocolColumn:
        return client->info.subprotocol.isEmpty() ? u"–"_s : client->info.subprotocol;
    case StateColumn:
        return client->ended ? tr("closed %1").arg(client->closeCode) : tr("open");
    }
    return {};
}

QVariant MockClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Client");
    case PeerColumn: return tr("From");
    case PathColumn: return tr("Path");
    case SubprotocolColumn: return tr("Subprotocol");
    case StateColumn: return tr("State");
    }
    return {};
}

} // namespace wsprobe
