#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

#include <functional>

namespace wsprobe::demo {

// Sends messages 1..count to one socket, either as fast as the peer reads them or one per
// interval, then calls done once everything has left the write buffer: /flood and /seq. Never
// queues more than PumpHighWaterBytes plus one message. Lives as a child of its socket.
class MessagePump : public QObject
{
public:
    using Send = std::function<void(QWebSocket *, qint64 index)>;
    using Done = std::function<void(QWebSocket *)>;

    MessagePump(QWebSocket *socket, qint64 count, int intervalMs, Send send, Done done = {});

private:
    bool finishedSending() const { return m_next > m_count; }

    void fill();
    void sendOne();
    void afterSending();
    void onBytesWritten();
    void finish();

    QPointer<QWebSocket> m_socket;  // Not owned: our parent.
    qint64 m_count;
    qint64 m_next = 1;
    Send m_send;
    Done m_done;
    QTimer m_interval;
    bool m_paced = false;
    bool m_finished = false;
};

} // namespace wsprobe::demo
