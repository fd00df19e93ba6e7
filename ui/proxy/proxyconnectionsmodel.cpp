#include "proxyconnectionsmodel.h"

#include "proxyconnection.h"
#include "proxyserver.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

ProxyConnectionsModel::ProxyConnectionsModel(QObject *parent) : QAbstractListModel(parent) {}

void ProxyConnectionsModel::setServer(ProxyServer *server)
{
    beginResetModel();
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    m_server = server;
    m_rows.clear();
    endResetModel();
    if (!server)
        return;
    for (ProxyConnection *connection : server->connections())
        add(connection);
    connect(server, &ProxyServer::connectionStarted, this, &ProxyConnectionsModel::add);
}

void ProxyConnectionsModel::add(ProxyConnection *connection)
{
    if (!connection)
        return;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(connection);
    endInsertRows();
    connect(connection, &ProxyConnection::finished, this, [this, connection] { refresh(connection); });
    connect(connection, &ProxyConnection::heldChanged, this, [this, connection] { refresh(connection); });
}

void ProxyConnectionsModel::refresh(ProxyConnection *connection)
{
    const int row = int(m_rows.indexOf(connection));
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

ProxyConnection *ProxyConnectionsModel::connectionAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).data() : nullptr;
}

int ProxyConnectionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ProxyConnectionsModel::data(const QModelIndex &index, int role) const
{
    const ProxyConnection *connection = connectionAt(index.row());
    if (!connection || role != Qt::DisplayRole)
        return {};
    QString state = connection->isFinished() ? tr("ended") : tr("open");
    if (const qsizetype held = connection->heldMessages().size())
        state = tr("%n held", nullptr, int(held));
    return u"#%1 %2 · %3"_s.arg(index.row() + 1).arg(connection->request().target, state);
}

} // namespace wsprobe
