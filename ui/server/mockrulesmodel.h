#pragma once

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

#include <vector>

namespace wsprobe {

class MockServer;

// A MockServer's rules as a table, route by route, each with how many messages it answered; a
// last row per route counts what no rule matched. The counts follow the server live: a hit
// repaints its cell, at most ten times a second whatever the message rate.
class MockRulesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RouteColumn, RuleColumn, WhenColumn, ReplyColumn, HitsColumn, ColumnCount };
    enum Role { HitsRole = Qt::UserRole + 1 };  // qint64

    explicit MockRulesModel(QObject *parent = nullptr);

    // Not owned; may be null.
    void setServer(MockServer *server);

    // The row of a route's rule; rule -1 is the route's "no rule matched" row; -1 when none.
    int rowOf(int route, int rule) const;
    qint64 hitsAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int route = 0;
        int rule = -1;  // -1: unmatched
        QString when;
        QString reply;
    };
    void onHit(int route, int rule);
    void flushHits();

    QPointer<MockServer> m_server;  // Not owned.
    std::vector<Row> m_rows;
    std::vector<int> m_firstRow;    // [route]: the row of its first rule
    std::vector<bool> m_hitSinceFlush;  // [row]
    QTimer m_flush;  // single shot: the hits of a burst repaint once
};

} // namespace wsprobe
