#include "messagepump.h"

#include "demosocket.h"

namespace wsprobe::demo {
namespace {

// A pump tops the socket's write buffer up to this much, so a flood costs a bounded amount of
// memory however large n is, and the event loop regains control between batches.
constexpr qint64 PumpHighWaterBytes = 512 * 1024;
constexpr int PumpMaxMessagesPerBatch = 2048;

} // namespace

MessagePump::MessagePump(QWebSocket *socket, qint64 count, int intervalMs, Send send, Done done)
    : QObject(socket), m_socket(socket), m_count(count), m_send(std::move(send)),
      m_done(std::move(done))
{
    m_paced = intervalMs > 0;
    connect(socket, &QWebSocket::bytesWritten, this, &MessagePump::onBytesWritten);
    if (m_paced) {
        connect(&m_interval, &QTimer::timeout, this, &MessagePump::sendOne);
        m_interval.start(intervalMs);
    } else {
        // Queued so the caller finishes setting the socket up before the first batch.
        QTimer::singleShot(0, this, &MessagePump::fill);
    }
}

void MessagePump::fill()
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    int batch = 0;
    while (!finishedSending() && batch < PumpMaxMessagesPerBatch
           && m_socket->bytesToWrite() < PumpHighWaterBytes) {
        if (!canTakeMore(m_socket))
            return;
        m_send(m_socket, m_next++);
        ++batch;
    }
    afterSending();
}

void MessagePump::sendOne()
{
    // The timer does not wait for the client to read: canTakeMore() bounds what a slow
    // reader of a long /seq costs.
    if (!m_socket || !canTakeMore(m_socket)) {
        m_interval.stop();
        return;
    }
    if (!finishedSending())
        m_send(m_socket, m_next++);
    if (finishedSending())
        m_interval.stop();
    afterSending();
}

void MessagePump::afterSending()
{
    if (!m_socket)
        return;
    if (m_socket->bytesToWrite() > 0)
        return;  // bytesWritten continues
    if (finishedSending())
        finish();
    else if (!m_paced)
        QTimer::singleShot(0, this, &MessagePump::fill);
}

void MessagePump::onBytesWritten()
{
    if (!m_socket)
        return;
    if (!finishedSending()) {
        if (!m_paced && m_socket->bytesToWrite() < PumpHighWaterBytes)
            fill();
    } else if (m_socket->bytesToWrite() == 0) {
        finish();
    }
}

void MessagePump::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_done && m_socket)
        m_done(m_socket);
}

} // namespace wsprobe::demo
