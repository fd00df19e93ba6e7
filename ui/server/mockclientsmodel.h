#pragma once

#include "mockserver.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <memory>
#include <vector>

namespace wsprobe {

class FrameLog;

// The clients of one MockServer as a table: those connected and, greyed, those that ended (with
// their close code), so a client's log can still be read after it left. A row keeps its
// client's FrameLog alive. Ended rows beyond MaxEndedRows go, oldest first.
class MockClientsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { IdColumn, PeerColumn, PathColumn, SubprotocolColumn, StateColumn, ColumnCount };
    enum Role { ClientIdRole = Qt::UserRole + 1 };  // quint64
    static constexpr int MaxEndedRows = 200;

    struct Client
    {
        MockClientInfo info;
        std::shared_ptr<FrameLog> log;
        bool ended = false;
        int closeCode = 0;
        QString closeReason;
    };

    explicit MockClientsModel(QObject *parent = nullptr);

    // Not owned; may be null. The clients it has now become rows.
    void setServer(MockServer *server);

    // Null for a row out of range.
    const Client *clientAt(int row) const;
    // -1 when no row has that client.
    int rowOf(quint64 id) const;
    int connectedCount() const;
    // Removes the rows of clients that ended.
    void clearEnded();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void add(quint64 id);
    void end(quint64 id, int closeCode, const QString &reason);
    void trimEnded();

    QPointer<MockServer> m_server;  // Not owned.
    std::vector<Client> m_clients;  // in the order they connected
};

} // namespace wsprobe
