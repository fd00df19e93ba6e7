#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

namespace wsprobe {

// The built-in demo server: a WebSocket server on loopback with endpoints a new user can try
// offline (/echo, /chat, /close, /reject, /flood, /seq). See docs/demo-server.md.
class DemoServer : public QObject
{
    Q_OBJECT

public:
    explicit DemoServer(QObject *parent = nullptr);
    ~DemoServer() override;

    // port 0 picks any free port. Only loopback addresses are accepted.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    // ws://127.0.0.1:<port>
    QUrl url() const;
    QString errorString() const;

private:
    class Private;
    Private *d;  // Owned.
};

} // namespace wsprobe
