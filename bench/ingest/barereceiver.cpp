#include "barereceiver.h"

#include <clock.h>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {

BareReceiver::BareReceiver(qint64 expectedMessages, QObject *parent)
    : QObject(parent)
    , m_socket(QString(), QWebSocketProtocol::VersionLatest, this)
    , m_expected(expectedMessages)
{
    // The payload is ASCII, so UTF-16 units are UTF-8 bytes; no need to encode to count.
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &message) { onMessage(message.size()); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &message) { onMessage(message.size()); });
    connect(&m_socket, &QWebSocket::disconnected, this, &BareReceiver::onDisconnected);
    // A refused connection may end with an error and no disconnected().
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this] {
                if (m_socket.state() == QAbstractSocket::UnconnectedState)
                    onDisconnected();
            });
}

void BareReceiver::start(const QUrl &url)
{
    m_socket.open(url);
}

void BareReceiver::onMessage(qint64 bytes)
{
    if (m_count == 0)
        m_firstNs = monotonicNowNs();
    m_bytes += bytes;
    if (++m_count == m_expected)
        m_lastNs = monotonicNowNs();
}

void BareReceiver::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_count != m_expected) {
        m_error = u"received %1 messages, expected %2 (%3)"_s
                      .arg(m_count).arg(m_expected).arg(m_socket.errorString());
    } else if (m_socket.closeCode() != QWebSocketProtocol::CloseCodeNormal) {
        m_error = u"the connection ended with %1, not 1000"_s.arg(int(m_socket.closeCode()));
    }
    Q_EMIT done();
}

ReceiverResult BareReceiver::result() const
{
    ReceiverResult result;
    result.receiver = u"bare"_s;
    result.ok = m_error.isEmpty() && m_count == m_expected;
    result.messages = m_count;
    result.bytes = m_bytes;
    result.seconds = m_lastNs > m_firstNs ? double(m_lastNs - m_firstNs) / 1e9 : 0;
    result.peakRssKiB = peakRssKiB();
    result.error = m_error;
    return result;
}

} // namespace wsprobe::bench
