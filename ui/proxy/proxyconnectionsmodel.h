#pragma once

#include <QAbstractListModel>
#include <QPointer>

namespace wsprobe {

class ProxyConnection;
class ProxyServer;

// The connections a ProxyServer has made, one row each, in the order they came: the path the
// client asked for, and whether it is open, held or ended.
class ProxyConnectionsModel : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit ProxyConnectionsModel(QObject *parent = nullptr);

    // server: Not owned; rows are cleared when it changes.
    void setServer(ProxyServer *server);
    ProxyConnection *connectionAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    void add(ProxyConnection *connection);
    void refresh(ProxyConnection *connection);

    QPointer<ProxyServer> m_server;
    QList<QPointer<ProxyConnection>> m_rows;
};

} // namespace wsprobe
