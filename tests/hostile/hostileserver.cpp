#include "hostileserver.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QByteArray acceptFor(const QByteArray &key)
{
    return QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray headerValue(const QByteArray &request, const QByteArray &name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

HostileServer::HostileServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HostileServer::onNewConnection);
}

HostileServer::~HostileServer()
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->abort();
    }
}

bool HostileServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HostileServer::url(const QString &path) const
{
    return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path));
}

QByteArray HostileServer::frame(quint8 opcode, const QByteArray &payload, bool fin, quint8 rsv,
                                std::optional<quint32> maskKey, std::optional<quint64> lengthOverride)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0F)));
    const quint64 length = lengthOverride.value_or(quint64(payload.size()));
    const char maskBit = maskKey ? char(0x80) : char(0);
    if (length < 126) {
        out.append(char(maskBit | char(length)));
    } else if (length <= 0xFFFF) {
        out.append(char(maskBit | 126));
        char be[2];
        qToBigEndian(quint16(length), be);
        out.append(be, 2);
    } else {
        out.append(char(maskBit | 127));
        char be[8];
        qToBigEndian(length, be);
        out.append(be, 8);
    }
    QByteArray body = payload;
    if (maskKey) {
        char key[4];
        qToBigEndian(*maskKey, key);
        out.append(key, 4);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ key[i % 4]);
    }
    return out + body;
}

QByteArray HostileServer::closeFrame(int code, const QByteArray &reason)
{
    char be[2];
    qToBigEndian(quint16(code), be);
    return frame(0x8, QByteArray(be, 2) + reason);
}

void HostileServer::onNewConnection()
{
    QTcpSocket *socket = m_server.nextPendingConnection();
    if (!socket)
        return;
    if (m_client) {  // one client at a time: a second one is a test's mistake
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_connections;
    m_client = socket;
    connect(socket, &QTcpSocket::readyRead, this, &HostileServer::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &HostileServer::writeMore);
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        m_clientDisconnected = true;
        if (m_trickle)
            m_trickle->stop();
        if (m_client == socket)
            m_client = nullptr;
        socket->deleteLater();
    });
}

void HostileServer::write(const QByteArray &bytes)
{
    if (!m_client || bytes.isEmpty())
        return;
    m_bytesSent += bytes.size();
    m_client->write(bytes);
}

void HostileServer::onReadyRead()
{
    if (!m_upgraded) {
        m_request += m_client->readAll();
        if (m_request.contains("\r\n\r\n")) {
            m_upgraded = true;
            handshake(m_request);
        }
        return;
    }
    m_fromClient += m_client->readAll();
    parseClientFrames();
}

void HostileServer::handshake(const QByteArray &request)
{
    const QByteArray key = headerValue(request, "Sec-WebSocket-Key");
    QByteArray response;
    switch (m_script.handshake) {
    case HostileScript::Handshake::Refuse401:
        // The connection stays open: the client must not wait for it to end.
        write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 25\r\n\r\n"
              "{\"error\":\"token expired\"}");
        return;
    case HostileScript::Handshake::HangUp:
        m_client->disconnectFromHost();
        return;
    case HostileScript::Handshake::NotHttp:
        write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        return;
    case HostileScript::Handshake::WrongAccept:
        response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: " + acceptFor("not the client's key") + "\r\n";
        break;
    case HostileScript::Handshake::MissingAccept:
        response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        break;
    case HostileScript::Handshake::Normal:
    case HostileScript::Handshake::Trickle:
        response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: " + acceptFor(key) + "\r\n";
        break;
    }
    if (!m_script.subprotocol.isEmpty())
        response += "Sec-WebSocket-Protocol: " + m_script.subprotocol.toUtf8() + "\r\n";
    response += "\r\n";
    if (m_script.handshake == HostileScript::Handshake::Trickle) {
        // Headers one byte at a time, and the blank line that ends them never comes.
        m_trickleBytes = response.left(response.size() - 2);
        m_trickle = new QTimer(this);
        connect(m_trickle, &QTimer::timeout, this, [this] {
            if (m_trickleBytes.isEmpty()) {
                m_trickle->stop();
                return;
            }
            write(m_trickleBytes.left(1));
            m_trickleBytes.remove(0, 1);
        });
        m_trickle->start(m_script.trickleMs);
        return;
    }
    write(response);
    m_sinceUpgrade.start();
    afterUpgrade();
}

void HostileServer::afterUpgrade()
{
    write(m_script.afterUpgrade);
    if (m_script.resetAfterUpgrade && m_client) {
        m_client->flush();
        // SO_LINGER 0: close() sends RST instead of FIN.
        struct linger noLinger{1, 0};
        ::setsockopt(int(m_client->socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger,
                     sizeof noLinger);
        m_client->abort();
        return;
    }
    writeMore();
}

void HostileServer::writeMore()
{
    // Endless: keep about two chunks in flight, so the client's reading sets the pace.
    if (!m_client || m_script.endlessChunk <= 0 || m_closeSent || m_clientCloseCode >= 0)
        return;
    while (m_client->bytesToWrite() < 2 * m_script.endlessChunk
           && m_endlessSent < m_script.endlessTotal) {
        const QByteArray filler(m_script.endlessChunk, 'x');
        write(m_script.endlessAsFragments ? frame(0x0, filler, false) : filler);
        m_endlessSent += m_script.endlessChunk;
        if (m_endlessSent >= m_script.endlessTotal && m_script.closeAfterEndless)
            write(closeFrame(1000));
    }
}

void HostileServer::parseClientFrames()
{
    // Client frames are always masked (and a test would see it if they were not).
    for (;;) {
        if (m_fromClient.size() < 2)
            return;
        const auto *bytes = reinterpret_cast<const uchar *>(m_fromClient.constData());
        const quint8 opcode = bytes[0] & 0x0F;
        const bool masked = bytes[1] & 0x80;
        quint64 length = bytes[1] & 0x7F;
        qsizetype at = 2;
        if (length == 126) {
            if (m_fromClient.size() < 4)
                return;
            length = qFromBigEndian<quint16>(bytes + 2);
            at = 4;
        } else if (length == 127) {
            if (m_fromClient.size() < 10)
                return;
            length = qFromBigEndian<quint64>(bytes + 2);
            at = 10;
        }
        const qsizetype maskAt = at;
        if (masked)
            at += 4;
        if (quint64(m_fromClient.size()) < at + length)
            return;
        QByteArray payload = m_fromClient.mid(at, qsizetype(length));
        if (masked) {
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload[i] ^ m_fromClient[maskAt + i % 4]);
        }
        m_fromClient.remove(0, at + qsizetype(length));

        if (opcode == 0x8 && m_clientCloseCode < 0) {
            m_clientCloseCode = payload.size() >= 2
                ? qFromBigEndian<quint16>(reinterpret_cast<const uchar *>(payload.constData()))
                : 1005;
            m_clientCloseReason = QString::fromUtf8(payload.mid(2));
            m_clientCloseAfterMs = m_sinceUpgrade.isValid() ? m_sinceUpgrade.elapsed() : -1;
            if (m_script.answerClose && !m_closeSent) {
                m_closeSent = true;
                write(frame(0x8, payload));
                m_client->disconnectFromHost();
                return;
            }
        } else if (opcode == 0x9) {
            ++m_pingsReceived;
            if (m_script.answerPings)
                write(frame(0xA, payload));
        } else if (opcode == 0xA) {
            m_pongPayloads.append(payload);
        } else if (opcode == 0x1) {
            ++m_textMessages;
        }
    }
}

} // namespace wsprobe
