#pragma once

#include "receiverresult.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace wsprobe::bench {

// Receiver (c): a bare QWebSocket that only counts messages. What the engine costs on top of
// QtWebSockets is the difference between this and EngineReceiver.
class BareReceiver : public QObject
{
    Q_OBJECT

public:
    explicit BareReceiver(qint64 expectedMessages, QObject *parent = nullptr);

    void start(const QUrl &url);
    // Call after done().
    ReceiverResult result() const;

Q_SIGNALS:
    void done();

private:
    void onMessage(qint64 bytes);
    void onDisconnected();

    QWebSocket m_socket;
    qint64 m_expected = 0;
    qint64 m_count = 0;
    qint64 m_bytes = 0;
    qint64 m_firstNs = 0;
    qint64 m_lastNs = 0;
    QString m_error;
    bool m_finished = false;
};

} // namespace wsprobe::bench
