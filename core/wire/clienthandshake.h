#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace wsprobe {

// The client's side of the opening handshake (RFC 6455 4.1, 4.2.2): the request it sends, and
// the check of the server's answer as its bytes arrive. The answer is kept whole (status line,
// headers, and the body of a refusal), so the log can show exactly what the server said.
class ClientHandshake
{
public:
    using Header = QPair<QByteArray, QByteArray>;

    struct Request
    {
        QUrl url;                  // ws:// or wss://, its query already complete
        QString origin;            // empty: no Origin header
        QStringList subprotocols;  // offered, in order of preference
        // Extra headers, in order. One named like a header the handshake writes itself (Host,
        // Origin, Sec-WebSocket-Protocol, even Sec-WebSocket-Key) replaces it: a testing tool
        // must be able to send what the user asks for (the answer is then checked against the
        // key and subprotocols that went). A row whose name is empty or whose name or value
        // holds a CR or LF is never sent: written raw it would end the head or smuggle in a
        // header; it is dropped (in requestBytes() and requestText() alike), as are an origin
        // and a subprotocol with a line break.
        QList<Header> headers;
        QByteArray key;            // Sec-WebSocket-Key: 16 random bytes, base64 (RFC 6455 4.1);
                                   // empty: the constructor makes one
    };

    enum class Status {
        Incomplete,  // more bytes are needed
        Accepted,    // a valid 101: the connection is a WebSocket now
        Refused,     // the server answered with another status (its head, and body if any, kept)
        Failed,      // not a valid answer: failure() says why
    };

    // Largest response head (status line and headers) read before giving up.
    static constexpr qsizetype MaxHeadBytes = 64 * 1024;
    // Largest body of a refusal kept for the log.
    static constexpr qsizetype MaxBodyBytes = 64 * 1024;

    explicit ClientHandshake(Request request);

    // A fresh Sec-WebSocket-Key (16 random bytes, base64).
    static QByteArray randomKey();
    // base64(SHA-1(key + the RFC's GUID)): what Sec-WebSocket-Accept must say.
    static QByteArray expectedAccept(QByteArrayView key);

    // The request, byte for byte, as it goes on the wire.
    QByteArray requestBytes() const;
    // The same request for people: one header per line, no CRs, secrets masked (headers by
    // SecretMasker::maskHeaderValue, the target's query by SecretMasker::maskUrl).
    QString requestText() const;

    // Reads bytes of the answer, cut anywhere; returns where the handshake stands. Once it is
    // not Incomplete, further calls change nothing and return the same. Lines may end in a bare
    // LF; obsolete line folding, a stray CR or NUL, whitespace before a header's colon fail. A
    // 1xx other than 101 (100 Continue...) is taken as the answer: Refused, with no body.
    // A refusal waits for a Content-Length of at most MaxBodyBytes; with none (or chunked, or
    // larger) it is Refused at once with the body bytes that came with the head.
    Status read(QByteArrayView bytes);
    // The server ended the TCP connection: a refusal whose head is complete is Refused with the
    // body so far; anything else Failed ("the server ended the connection before answering the
    // upgrade", "... in the middle of its answer").
    Status endOfStream();
    Status status() const { return m_status; }

    // Once the head is read:
    int httpStatus() const { return m_httpStatus; }            // 0 before
    QByteArray reasonPhrase() const { return m_reasonPhrase; }
    const QList<Header> &responseHeaders() const { return m_responseHeaders; }
    // The first value of a response header (case-insensitive name), or a null QByteArray.
    QByteArray responseHeader(QByteArrayView name) const;
    // The answer for people: status line and headers, one per line, secrets (Set-Cookie...)
    // masked; for a refusal the body follows after an empty line (as text when it is UTF-8,
    // else "(N bytes of binary data)"), cut at 4 KiB with a note. Never a CR. Empty before the
    // status line was read.
    QString responseText() const;
    QByteArray body() const { return m_body; }                 // of a refusal

    // Accepted: the subprotocol the server chose, empty when none.
    QString subprotocol() const { return m_subprotocol; }
    // Accepted: bytes that came after the head (the first frames): give them to the FrameReader.
    QByteArray takeLeftover();
    // Refused or Failed: why, in words for the log ("refused with HTTP 401 Unauthorized",
    // "Sec-WebSocket-Accept does not match the key sent", "the server chose subprotocol \"x\",
    // which was not offered", "the answer is not HTTP").
    QString failure() const { return m_failure; }

private:
    void buildRequest();
    bool checkStatusLine();
    void scanHead();
    void parseHead(qsizetype headSize);
    qint64 bodyLength() const;
    void appendBody(QByteArrayView bytes);
    void refuse();
    bool checkUpgrade();
    QByteArray combinedHeader(QByteArrayView name) const;
    bool fail(const QString &why);

    Request m_request;
    // What requestBytes() writes after the request line, and what the answer is checked
    // against: the key and the subprotocols that went, whoever chose them.
    QByteArray m_target;
    QList<Header> m_sentHeaders;
    QByteArray m_sentKey;
    QByteArrayList m_offeredProtocols;
    bool m_offeredExtensions = false;
    bool m_statusLineChecked = false;
    qsizetype m_scanned = 0;    // bytes of m_buffer searched for the head's end
    qsizetype m_lineStart = 0;  // where the line being scanned starts
    Status m_status = Status::Incomplete;
    QByteArray m_buffer;
    bool m_headComplete = false;
    qint64 m_bodyExpected = -1;  // a refusal's Content-Length, when it gave one we wait for
    int m_httpStatus = 0;
    QByteArray m_reasonPhrase;
    QByteArray m_httpVersion;
    QList<Header> m_responseHeaders;
    QByteArray m_body;
    QByteArray m_leftover;
    QString m_subprotocol;
    QString m_failure;
};

} // namespace wsprobe
