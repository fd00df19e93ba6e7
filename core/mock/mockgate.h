#pragma once

#include "demorequestgate.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

class QTcpSocket;

namespace wsprobe {

// The mock server's HTTP front door: a demo::RequestGate (which holds the connection until its
// request header has arrived, without consuming it) whose decision reads the path and the
// headers and asks decide() for a status. Lives as a child of its socket.
class MockGate : public demo::RequestGate
{
public:
    struct Request
    {
        QString path;
        QList<QPair<QByteArray, QByteArray>> headers;  // names in lower case
        bool asksForWebSocket = false;
    };
    // An HTTP status to refuse with, or 0 to hand the socket over.
    using Decide = std::function<int(const Request &)>;
    using HandOver = std::function<void(QTcpSocket *, const Request &)>;

    MockGate(QTcpSocket *socket, Decide decide, HandOver handOver);

private:
    MockGate(QTcpSocket *socket, Decide decide, HandOver handOver, std::shared_ptr<Request> parsed);
};

} // namespace wsprobe
