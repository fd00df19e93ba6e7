#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace wsprobe {

// The server's side of the opening handshake (RFC 6455 4.2): reads the client's upgrade request
// as its bytes arrive, checks it (method GET over HTTP/1.1, Host, Upgrade: websocket,
// Connection: Upgrade, a Sec-WebSocket-Key of 16 bytes, version 13) and writes the answer: a
// 101 with Sec-WebSocket-Accept, the chosen subprotocol and any extra headers, or a refusal.
// A request that breaks a rule is Invalid with the status to refuse it with: 426 (with
// Sec-WebSocket-Version: 13, or Upgrade: websocket) when it is not a WebSocket request of a
// version we speak, 431 for a head over the limit, 400 for anything else.
class ServerHandshake
{
public:
    using Header = QPair<QByteArray, QByteArray>;

    enum class Status {
        Incomplete,  // more bytes are needed
        Complete,    // a valid upgrade request: answer it with acceptResponse() or rejectResponse()
        Invalid,     // not a valid upgrade request: answer with invalidResponse()
    };

    // Largest request head (request line and headers) read before refusing with 431.
    static constexpr qsizetype MaxHeadBytes = 16 * 1024;

    // Reads bytes of the request, cut anywhere. Once it is not Incomplete, the status stays;
    // bytes read after a Complete request are kept for takeLeftover(). Lines may end in CR LF
    // or a bare LF.
    Status read(QByteArrayView bytes);
    Status status() const { return m_status; }

    // Once the head is read (Complete, or Invalid after the request line):
    QByteArray method() const { return m_method; }
    QByteArray target() const { return m_target; }  // "/chat?room=1", as sent
    QString path() const;                           // "/chat", percent-decoded
    const QList<Header> &headers() const { return m_headers; }
    // The values of a header (case-insensitive name), joined by ", " when it came more than
    // once (RFC 9110 5.3); a null QByteArray when it is absent.
    QByteArray header(QByteArrayView name) const;
    QByteArray key() const { return m_key; }
    // Sec-WebSocket-Protocol's values, in the client's order.
    QStringList offeredSubprotocols() const { return m_subprotocols; }
    // The first subprotocol the client offers that `supported` holds; empty when none.
    QString chooseSubprotocol(const QStringList &supported) const;
    // Bytes that came after the head (the client's first frames).
    QByteArray takeLeftover();

    // Invalid: why, in words ("Sec-WebSocket-Key is not 16 bytes of base64"), and the status
    // and headers to refuse with.
    QString failure() const { return m_failure; }
    int failureStatus() const { return m_failureStatus; }
    QByteArray invalidResponse(QByteArrayView serverName) const;

    // base64(SHA-1(key + the RFC's GUID)).
    static QByteArray acceptFor(QByteArrayView key);
    // The 101 for this request: Upgrade, Connection, Sec-WebSocket-Accept, the subprotocol
    // when one is chosen, then `extra` (rows with a CR or LF in them are dropped).
    QByteArray acceptResponse(const QString &subprotocol, const QList<Header> &extra = {}) const;
    // A plain HTTP refusal: the status line, `headers`, Content-Length and Connection: close,
    // then the body.
    static QByteArray rejectResponse(int status, const QList<Header> &headers,
                                     QByteArrayView body);
    // "Not Found" for 404, and the other statuses a refusal uses.
    static QByteArray reasonPhrase(int status);

private:
    void scanHead();
    void parseHead(qsizetype headSize);
    bool checkUpgrade();
    Status fail(int status, const QString &why);

    Status m_status = Status::Incomplete;
    QByteArray m_buffer;
    qsizetype m_scanned = 0;
    qsizetype m_lineStart = 0;
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_version;
    QList<Header> m_headers;
    QByteArray m_key;
    QStringList m_subprotocols;
    QByteArray m_leftover;
    QString m_failure;
    int m_failureStatus = 0;
};

} // namespace wsprobe
