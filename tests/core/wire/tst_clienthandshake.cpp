// ClientHandshake: the request as bytes (golden strings from RFC 6455 4.1), the check of every
// kind of answer fed whole, byte by byte and in random slices, the masking of secrets, and the
// whole exchange against a real server (Qt's, and Python's websockets).

#include "clienthandshake.h"
#include "peerprocess.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace wsprobe;

using Status = ClientHandshake::Status;

namespace {

// RFC 6455 1.3's example: this key is answered with s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
constexpr auto RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr auto RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

ClientHandshake::Request request(const QStringList &subprotocols = {u"chat"_s, u"superchat"_s})
{
    ClientHandshake::Request r;
    r.url = QUrl(u"ws://server.example.com/chat"_s);
    r.subprotocols = subprotocols;
    r.key = RfcKey;
    return r;
}

QByteArray upgradeHead(const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        + extraHeaders + "\r\n";
}

// What the handshake ended as, to compare the ways of feeding it.
struct Outcome
{
    Status status;
    QString failure;
    int httpStatus;
    QList<ClientHandshake::Header> headers;
    QString subprotocol;
    QByteArray body;
    QByteArray leftover;
    QString responseText;
};

// slice 0: whole; 1: byte by byte; else random slices seeded with slice. Like the engine, once
// Accepted it takes the leftover and keeps the bytes that follow for the frame reader.
Outcome feed(const ClientHandshake::Request &r, const QByteArray &answer, int slice, bool end)
{
    ClientHandshake handshake(r);
    QByteArray frames;
    bool accepted = false;
    const auto read = [&](QByteArrayView bytes) {
        if (accepted) {
            frames += bytes;
        } else if (handshake.read(bytes) == Status::Accepted) {
            accepted = true;
            frames = handshake.takeLeftover();
        }
    };
    if (slice == 0) {
        read(answer);
    } else if (slice == 1) {
        for (qsizetype i = 0; i < answer.size(); ++i)
            read(QByteArrayView(answer).sliced(i, 1));
    } else {
        QRandomGenerator random{quint32(slice)};
        qsizetype at = 0;
        while (at < answer.size()) {
            const qsizetype n = qMin(answer.size() - at, qsizetype(random.bounded(1, 24)));
            read(QByteArrayView(answer).sliced(at, n));
            at += n;
        }
    }
    if (end)
        handshake.endOfStream();
    return {handshake.status(), handshake.failure(),   handshake.httpStatus(),
            handshake.responseHeaders(), handshake.subprotocol(), handshake.body(),
            frames, handshake.responseText()};
}

} // namespace

class TestClientHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptOfTheRfcExample();
    void randomKey();
    void requestBytes_data();
    void requestBytes();
    void requestTextMasksSecrets();
    void answer_data();
    void answer();
    void headAtTheLimit();
    void refusalBodyThatCameWithTheHead();
    void doneMeansDone();
    void responseTextMasksAndShowsTheBody_data();
    void responseTextMasksAndShowsTheBody();
    void againstQtServer();
    void againstPythonWebsockets();
};

void TestClientHandshake::acceptOfTheRfcExample()
{
    QCOMPARE(ClientHandshake::expectedAccept(RfcKey), QByteArray(RfcAccept));
}

void TestClientHandshake::randomKey()
{
    const QByteArray a = ClientHandshake::randomKey();
    const QByteArray b = ClientHandshake::randomKey();
    QCOMPARE(QByteArray::fromBase64(a, QByteArray::AbortOnBase64DecodingErrors).size(), 16);
    QCOMPARE(a.size(), 24);
    QVERIFY(a != b);
    // A request without a key gets one.
    ClientHandshake::Request r = request();
    r.key.clear();
    QVERIFY(ClientHandshake(r).requestBytes().contains("\r\nSec-WebSocket-Key: "));
    QVERIFY(!ClientHandshake(r).requestBytes().contains("\r\nSec-WebSocket-Key: \r\n"));
}

void TestClientHandshake::requestBytes_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QStringList>("subprotocols");
    QTest::addColumn<QList<ClientHandshake::Header>>("headers");
    QTest::addColumn<QByteArray>("expected");

    using H = QList<ClientHandshake::Header>;
    QTest::newRow("rfc 6455 1.3")
        << u"ws://server.example.com/chat"_s << u"http://example.com"_s
        << QStringList{u"chat"_s, u"superchat"_s} << H{}
        << QByteArray("GET /chat HTTP/1.1\r\n"
                      "Host: server.example.com\r\n"
                      "Upgrade: websocket\r\n"
                      "Connection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n"
                      "Origin: http://example.com\r\n"
                      "Sec-WebSocket-Protocol: chat, superchat\r\n"
                      "\r\n");
    QTest::newRow("empty path, other port")
        << u"ws://h.example:8080"_s << QString() << QStringList() << H{}
        << QByteArray("GET / HTTP/1.1\r\nHost: h.example:8080\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    QTest::newRow("wss default port, encoded path and query")
        << u"wss://h.example:443/a%20b/c?q=a%20b&t=%C3%A9"_s << QString() << QStringList() << H{}
        << QByteArray("GET /a%20b/c?q=a%20b&t=%C3%A9 HTTP/1.1\r\nHost: h.example\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    QTest::newRow("ws port 80 is not written")
        << u"ws://h.example:80/x"_s << QString() << QStringList() << H{}
        << QByteArray("GET /x HTTP/1.1\r\nHost: h.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    QTest::newRow("wss port 80 is written")
        << u"wss://h.example:80/x"_s << QString() << QStringList() << H{}
        << QByteArray("GET /x HTTP/1.1\r\nHost: h.example:80\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    QTest::newRow("ipv6")
        << u"ws://[::1]:9000/"_s << QString() << QStringList() << H{}
        << QByteArray("GET / HTTP/1.1\r\nHost: [::1]:9000\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n");
    // base64("user:pa:ss"), the password percent-decoded (RFC 7617 2).
    QTest::newRow("user info")
        << u"ws://user:pa%3Ass@h.example/"_s << QString() << QStringList() << H{}
        << QByteArray("GET / HTTP/1.1\r\nHost: h.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\nAuthorization: Basic dXNlcjpwYTpzcw==\r\n"
                      "\r\n");
    QTest::newRow("a header's Authorization wins over user info")
        << u"ws://user:pw@h.example/"_s << QString() << QStringList()
        << H{{"X-First", "1"}, {"authorization", "Bearer t"}}
        << QByteArray("GET / HTTP/1.1\r\nHost: h.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\nauthorization: Bearer t\r\nX-First: 1\r\n"
                      "\r\n");
    QTest::newRow("extra headers replace generated ones in place")
        << u"ws://h.example/"_s << u"http://o.example"_s << QStringList{u"a"_s}
        << H{{"X-A", "1"}, {"HOST", "elsewhere"}, {"sec-websocket-key", "abc"},
             {"Sec-WebSocket-Protocol", "b"}, {"X-B", ""}, {"origin", "null"}}
        << QByteArray("GET / HTTP/1.1\r\nHOST: elsewhere\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nsec-websocket-key: abc\r\n"
                      "Sec-WebSocket-Version: 13\r\norigin: null\r\n"
                      "Sec-WebSocket-Protocol: b\r\nX-A: 1\r\nX-B: \r\n\r\n");
    QTest::newRow("rows with CR or LF are dropped")
        << u"ws://h.example/"_s << u"http://o\r\nX-Evil: 1"_s
        << QStringList{u"ok"_s, u"b\nad"_s}
        << H{{"X-Bad", "a\r\nInjected: 1"}, {"X\nY", "v"}, {"", "v"}, {"Sec-WebSocket-Key", "k\r"},
             {"X-Ok", "fine"}}
        << QByteArray("GET / HTTP/1.1\r\nHost: h.example\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ok\r\n"
                      "X-Ok: fine\r\n\r\n");
}

void TestClientHandshake::requestBytes()
{
    QFETCH(QString, url);
    QFETCH(QString, origin);
    QFETCH(QStringList, subprotocols);
    QFETCH(QList<ClientHandshake::Header>, headers);
    QFETCH(QByteArray, expected);

    ClientHandshake::Request r;
    r.url = QUrl(url);
    r.origin = origin;
    r.subprotocols = subprotocols;
    r.headers = headers;
    r.key = RfcKey;
    const ClientHandshake handshake(r);
    QCOMPARE(handshake.requestBytes(), expected);

    // requestText() is the same request, for people.
    QString text = QString::fromUtf8(expected);
    text.chop(4);
    text.replace(u"\r\n"_s, u"\n"_s);
    if (!handshake.requestText().contains(u"Authorization"_s, Qt::CaseInsensitive))
        QCOMPARE(handshake.requestText(), text);
    QVERIFY(!handshake.requestText().contains(u'\r'));
}

void TestClientHandshake::requestTextMasksSecrets()
{
    ClientHandshake::Request r;
    r.url = QUrl(u"ws://user:hunter2@h.example/p?token=abc123&a=1"_s);
    r.headers = {{"Cookie", "sid=s3cr3t"}, {"X-Api-Key", "k-42"}, {"X-Plain", "visible"}};
    r.key = RfcKey;
    const ClientHandshake handshake(r);
    QVERIFY(handshake.requestBytes().contains("GET /p?token=abc123&a=1 HTTP/1.1\r\n"));
    QVERIFY(handshake.requestBytes().contains("Cookie: sid=s3cr3t\r\n"));

    QCOMPARE(handshake.requestText(),
             u"GET /p?token=••••••&a=1 HTTP/1.1\n"
             "Host: h.example\n"
             "Upgrade: websocket\n"
             "Connection: Upgrade\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n"
             "Sec-WebSocket-Version: 13\n"
             "Authorization: Basic ••••••\n"
             "Cookie: ••••••\n"
             "X-Api-Key: ••••••\n"
             "X-Plain: visible"_s);
    for (const QString &secret : {u"hunter2"_s, u"abc123"_s, u"s3cr3t"_s, u"k-42"_s,
                                  QString::fromLatin1(QByteArray("user:hunter2").toBase64())})
        QVERIFY2(!handshake.requestText().contains(secret), qPrintable(secret));
}

void TestClientHandshake::answer_data()
{
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("end");  // endOfStream() after the bytes
    QTest::addColumn<Status>("status");
    QTest::addColumn<QString>("failure");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QString>("subprotocol");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("leftover");

    const QStringList offered = {u"chat"_s, u"superchat"_s};
    const auto accepted = [&](const char *name, const QByteArray &answer,
                              const QString &subprotocol = {}, const QByteArray &leftover = {}) {
        QTest::newRow(name) << offered << answer << false << Status::Accepted << QString() << 101
                            << subprotocol << QByteArray() << leftover;
    };
    const auto failed = [&](const char *name, const QByteArray &answer, const QString &failure,
                            int httpStatus = 101, bool end = false) {
        QTest::newRow(name) << offered << answer << end << Status::Failed << failure << httpStatus
                            << QString() << QByteArray() << QByteArray();
    };
    const auto refused = [&](const char *name, const QByteArray &answer, const QString &failure,
                             int httpStatus, const QByteArray &body = {}, bool end = false) {
        QTest::newRow(name) << offered << answer << end << Status::Refused << failure << httpStatus
                            << QString() << body << QByteArray();
    };

    accepted("101", upgradeHead());
    accepted("101 with subprotocol and first frames", upgradeHead("Sec-WebSocket-Protocol: superchat\r\n") + "\x81\x02hi",
             u"superchat"_s, "\x81\x02hi");
    accepted("bare LF line ends",
             "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n"
             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n");
    accepted("names and values in any case, Connection a list",
             "HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, Upgrade\r\n"
             "sec-websocket-accept:s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  \r\n\r\n");
    accepted("Connection over two lines",
             upgradeHead().replace("Connection: Upgrade", "Connection: keep-alive\r\nConnection: upgrade"));
    accepted("no reason phrase", upgradeHead().replace("101 Switching Protocols", "101"));
    accepted("empty Sec-WebSocket-Extensions and -Protocol",
             upgradeHead("Sec-WebSocket-Extensions: \r\nSec-WebSocket-Protocol:\r\n"));
    accepted("leftover is everything after the head",
             upgradeHead() + "\x88\x02\x03\xe8" "HTTP/1.1 404\r\n\r\n", {},
             "\x88\x02\x03\xe8" "HTTP/1.1 404\r\n\r\n");

    failed("no Upgrade", upgradeHead().replace("Upgrade: websocket\r\n", ""),
           u"the 101 answer has no Upgrade header"_s);
    failed("Upgrade h2c", upgradeHead().replace("Upgrade: websocket", "Upgrade: h2c"),
           u"the 101 answer upgrades to \"h2c\", not to websocket"_s);
    failed("no Connection", upgradeHead().replace("Connection: Upgrade\r\n", ""),
           u"the 101 answer has no Connection header"_s);
    failed("Connection without upgrade", upgradeHead().replace("Connection: Upgrade", "Connection: keep-alive, upgraded"),
           u"the 101 answer's Connection header does not say upgrade: \"keep-alive, upgraded\""_s);
    failed("no accept", upgradeHead().replace("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", ""),
           u"the 101 answer has no Sec-WebSocket-Accept"_s);
    failed("wrong accept", upgradeHead().replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOA="),
           u"Sec-WebSocket-Accept does not match the key sent"_s);
    failed("accept twice", upgradeHead("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
           u"Sec-WebSocket-Accept does not match the key sent"_s);
    failed("extension not offered", upgradeHead("Sec-WebSocket-Extensions: permessage-deflate\r\n"),
           u"the server chose extension \"permessage-deflate\", which was not offered"_s);
    failed("subprotocol not offered", upgradeHead("Sec-WebSocket-Protocol: mqtt\r\n"),
           u"the server chose subprotocol \"mqtt\", which was not offered"_s);
    failed("subprotocol in another case", upgradeHead("Sec-WebSocket-Protocol: Chat\r\n"),
           u"the server chose subprotocol \"Chat\", which was not offered"_s);
    failed("several subprotocols", upgradeHead("Sec-WebSocket-Protocol: chat, superchat\r\n"),
           u"the server chose several subprotocols, \"chat, superchat\", where one was allowed"_s);
    QTest::newRow("subprotocol when none was offered")
        << QStringList() << upgradeHead("Sec-WebSocket-Protocol: chat\r\n") << false << Status::Failed
        << u"the server chose subprotocol \"chat\", which was not offered"_s << 101 << QString()
        << QByteArray() << QByteArray();
    failed("101 over HTTP/1.0", upgradeHead().replace("HTTP/1.1", "HTTP/1.0"),
           u"the 101 answer is HTTP/1.0; a WebSocket upgrade needs HTTP/1.1"_s, 0);

    failed("ssh banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
           u"the answer is not HTTP: \"SSH-2.0-OpenSSH_9.2p1 Debian-2\""_s, 0);
    failed("HTTP/2", "HTTP/2 200\r\n\r\n", u"the answer is not HTTP: \"HTTP/2 200\""_s, 0);
    failed("status 600", "HTTP/1.1 600 Odd\r\n\r\n", u"the answer is not HTTP: \"HTTP/1.1 600 Odd\""_s, 0);
    failed("status 099", "HTTP/1.1 099 Odd\r\n\r\n", u"the answer is not HTTP: \"HTTP/1.1 099 Odd\""_s, 0);
    failed("two-digit status", "HTTP/1.1 40 Odd\r\n\r\n", u"the answer is not HTTP: \"HTTP/1.1 40 Odd\""_s, 0);
    failed("no space after the code", "HTTP/1.1 101Switching\r\n\r\n",
           u"the answer is not HTTP: \"HTTP/1.1 101Switching\""_s, 0);
    failed("garbage without a line end, quoted to 40 bytes", QByteArray(100, 'x'),
           u"the answer is not HTTP: \"%1\""_s.arg(QString(40, u'x')), 0);
    failed("TLS answer, quoted printable", QByteArray("\x16\x03\x01\x00\x02\x02\x28", 7),
           u"the answer is not HTTP: \"\\x16\\x03\\x01\\x00\\x02\\x02(\""_s, 0, true);
    failed("header line without a colon", upgradeHead("Oops\r\n"),
           u"the answer has a header line without a colon: \"Oops\""_s, 0);
    failed("obsolete line folding", upgradeHead("X-Long: a\r\n  b\r\n"),
           u"the answer folds a header over two lines (obsolete line folding): \"  b\""_s, 0);
    failed("whitespace before the colon", upgradeHead().replace("Upgrade: websocket", "Upgrade : websocket"),
           u"the answer has whitespace between a header's name and its colon: \"Upgrade : websocket\""_s, 0);
    failed("header without a name", upgradeHead(": x\r\n"),
           u"the answer has a header without a name: \": x\""_s, 0);
    failed("stray CR", upgradeHead("X: a\rb\r\n"),
           u"the answer's head has a stray CR or NUL byte: \"X: a\\rb\""_s, 0);
    failed("NUL", upgradeHead(QByteArray("X: a\0b\r\n", 8)),
           u"the answer's head has a stray CR or NUL byte: \"X: a\\x00b\""_s, 0);
    failed("head over 64 KiB", "HTTP/1.1 101 Switching Protocols\r\nX: " + QByteArray(70000, 'a') + "\r\n\r\n",
           u"the answer's head is over 64 KiB"_s, 0);
    failed("end before answering", {}, u"the server ended the connection before answering the upgrade"_s, 0, true);
    failed("end in the status line", "HTTP/1.1 10", u"the server ended the connection in the middle of its answer"_s, 0, true);
    failed("end in the head", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: webs",
           u"the server ended the connection in the middle of its answer"_s, 0, true);
    failed("end in the head's last CR LF", upgradeHead().chopped(1),
           u"the server ended the connection in the middle of its answer"_s, 0, true);
    failed("end after a few bytes that are not HTTP", "XYZ",
           u"the answer is not HTTP: \"XYZ\""_s, 0, true);

    refused("401", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\n\r\n",
            u"refused with HTTP 401 Unauthorized"_s, 401);
    refused("403 with a body", "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nhello",
            u"refused with HTTP 403 Forbidden"_s, 403, "hello");
    refused("bytes after the body are not kept", "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nhello, more",
            u"refused with HTTP 403 Forbidden"_s, 403, "hello");
    refused("HTTP/1.0 refusal without a reason", "HTTP/1.0 404\r\nContent-Length: 2\r\n\r\nno",
            u"refused with HTTP 404"_s, 404, "no");
    refused("bare LF refusal", "HTTP/1.1 400 Bad Request\nContent-Length: 3\n\nbad",
            u"refused with HTTP 400 Bad Request"_s, 400, "bad");
    refused("Content-Length repeated alike", "HTTP/1.1 403 F\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab",
            u"refused with HTTP 403 F"_s, 403, "ab");
    refused("body cut by the end of the stream", "HTTP/1.1 500 Oops\r\nContent-Length: 100\r\n\r\npartial",
            u"refused with HTTP 500 Oops"_s, 500, "partial", true);
    refused("no length: refused at the head", "HTTP/1.1 403 Forbidden\r\n\r\n",
            u"refused with HTTP 403 Forbidden"_s, 403);
    refused("chunked: refused at the head", "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n",
            u"refused with HTTP 403 Forbidden"_s, 403);
    refused("Content-Length over the limit: refused at the head",
            "HTTP/1.1 413 Too Large\r\nContent-Length: 1000000\r\n\r\n",
            u"refused with HTTP 413 Too Large"_s, 413);
    refused("conflicting Content-Lengths: refused at the head",
            "HTTP/1.1 403 F\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", u"refused with HTTP 403 F"_s, 403);
    refused("100 Continue is the answer, with no body",
            "HTTP/1.1 100 Continue\r\nContent-Length: 4\r\n\r\n", u"refused with HTTP 100 Continue"_s, 100);
    refused("204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\n",
            u"refused with HTTP 204 No Content"_s, 204);
    refused("200", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", u"refused with HTTP 200 OK"_s, 200, "hi");

    QTest::newRow("waiting for the body") << offered << QByteArray("HTTP/1.1 403 F\r\nContent-Length: 10\r\n\r\nabc")
                                          << false << Status::Incomplete << QString() << 403
                                          << QString() << QByteArray("abc") << QByteArray();
    QTest::newRow("waiting for the head") << offered << upgradeHead().chopped(1) << false
                                          << Status::Incomplete << QString() << 0 << QString()
                                          << QByteArray() << QByteArray();
    QTest::newRow("undecided start") << offered << QByteArray("HTTP/1.1 101") << false
                                     << Status::Incomplete << QString() << 0 << QString()
                                     << QByteArray() << QByteArray();
}

void TestClientHandshake::answer()
{
    QFETCH(QStringList, offered);
    QFETCH(QByteArray, answer);
    QFETCH(bool, end);
    QFETCH(Status, status);
    QFETCH(QString, failure);
    QFETCH(int, httpStatus);
    QFETCH(QString, subprotocol);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, leftover);

    const Outcome whole = feed(request(offered), answer, 0, end);
    for (int slice : {0, 1, 2, 3, 4, 5, 6, 7}) {
        const QByteArray how = slice == 0 ? "whole" : slice == 1 ? "byte by byte" : "random slices " + QByteArray::number(slice);
        const Outcome outcome = feed(request(offered), answer, slice, end);
        QVERIFY2(outcome.status == status, (how + ": " + outcome.failure.toUtf8()).constData());
        QVERIFY2(outcome.failure == failure, (how + ": " + outcome.failure.toUtf8()).constData());
        QCOMPARE(outcome.httpStatus, httpStatus);
        QCOMPARE(outcome.subprotocol, subprotocol);
        QCOMPARE(outcome.body, body);
        QCOMPARE(outcome.leftover, leftover);
        QCOMPARE(outcome.headers, whole.headers);
        QCOMPARE(outcome.responseText, whole.responseText);
        QVERIFY(!outcome.responseText.contains(u'\r'));
    }
}

void TestClientHandshake::headAtTheLimit()
{
    // A head of exactly MaxHeadBytes is read; one byte more is not.
    const QByteArray start = "HTTP/1.1 403 Forbidden\r\nX: ";
    const QByteArray padding(ClientHandshake::MaxHeadBytes - start.size() - 4, 'a');
    const QByteArray head = start + padding + "\r\n\r\n";
    QCOMPARE(head.size(), ClientHandshake::MaxHeadBytes);
    QCOMPARE(feed(request(), head, 0, false).status, Status::Refused);
    QCOMPARE(feed(request(), head, 1, false).status, Status::Refused);
    const QByteArray over = start + padding + "a\r\n\r\n";
    QCOMPARE(feed(request(), over, 0, false).failure, u"the answer's head is over 64 KiB"_s);
    QCOMPARE(feed(request(), over, 1, false).failure, u"the answer's head is over 64 KiB"_s);
}

void TestClientHandshake::refusalBodyThatCameWithTheHead()
{
    // No length to wait for: the body is what came with the head, capped at MaxBodyBytes.
    ClientHandshake small(request());
    QCOMPARE(small.read("HTTP/1.1 403 Forbidden\r\n\r\nsome of it"), Status::Refused);
    QCOMPARE(small.body(), QByteArray("some of it"));

    ClientHandshake big(request());
    const QByteArray body(ClientHandshake::MaxBodyBytes + 10, 'b');
    QCOMPARE(big.read("HTTP/1.1 403 Forbidden\r\nContent-Length: " + QByteArray::number(body.size())
                      + "\r\n\r\n" + body),
             Status::Refused);
    QCOMPARE(big.body().size(), ClientHandshake::MaxBodyBytes);
}

void TestClientHandshake::doneMeansDone()
{
    ClientHandshake handshake(request());
    QCOMPARE(handshake.read(upgradeHead() + "ab"), Status::Accepted);
    QCOMPARE(handshake.read("cd"), Status::Accepted);
    QCOMPARE(handshake.endOfStream(), Status::Accepted);
    QCOMPARE(handshake.takeLeftover(), QByteArray("ab"));
    QCOMPARE(handshake.takeLeftover(), QByteArray());

    ClientHandshake failed(request());
    QCOMPARE(failed.read("nope\r\n"), Status::Failed);
    const QString why = failed.failure();
    QCOMPARE(failed.read(upgradeHead()), Status::Failed);
    QCOMPARE(failed.endOfStream(), Status::Failed);
    QCOMPARE(failed.failure(), why);
    QCOMPARE(failed.httpStatus(), 0);
    QCOMPARE(failed.responseText(), QString());
}

void TestClientHandshake::responseTextMasksAndShowsTheBody_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("expected");

    QTest::newRow("101, Set-Cookie masked")
        << upgradeHead("Set-Cookie: session=abc123; Path=/\r\nX-Auth-Token: t0k3n\r\n")
        << u"HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n"
           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSet-Cookie: ••••••\n"
           "X-Auth-Token: ••••••"_s;
    QTest::newRow("refusal with a text body, CR LF made LF")
        << QByteArray("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nSet-Cookie: a=b\r\n"
                      "Content-Length: 14\r\n\r\nline 1\r\nlïne2")
        << u"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\nSet-Cookie: ••••••\n"
           "Content-Length: 14\n\nline 1\nlïne2"_s;
    QTest::newRow("binary body")
        << QByteArray("HTTP/1.1 500 X\r\nContent-Length: 3\r\n\r\n\xff\xfe\x00", 40)
        << u"HTTP/1.1 500 X\nContent-Length: 3\n\n(3 bytes of binary data)"_s;
    QTest::newRow("no body, no empty line") << QByteArray("HTTP/1.1 404 Not Found\r\n\r\n")
                                            << u"HTTP/1.1 404 Not Found"_s;
    // 4095 ASCII bytes then "é" across the 4 KiB cut: the cut backs over it.
    const QByteArray body = QByteArray(4095, 'a') + "\xc3\xa9" + QByteArray(100, 'z');
    QTest::newRow("long body cut at 4 KiB")
        << "HTTP/1.1 403 F\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body
        << u"HTTP/1.1 403 F\nContent-Length: 4197\n\n%1\n(… 102 more bytes)"_s.arg(QString(4095, u'a'));
}

void TestClientHandshake::responseTextMasksAndShowsTheBody()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, expected);
    ClientHandshake handshake(request());
    QVERIFY(handshake.read(answer) != Status::Incomplete);
    QCOMPARE(handshake.responseText(), expected);
}

void TestClientHandshake::againstQtServer()
{
    QWebSocketServer server(u"tst_clienthandshake"_s, QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({u"superchat"_s});
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QList<QWebSocket *> accepted;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        while (QWebSocket *socket = server.nextPendingConnection())
            accepted.append(socket);  // Deleted at the end (the server does not, in Qt 6.4).
    });

    ClientHandshake::Request r = request();
    r.url = QUrl(u"ws://127.0.0.1:%1/path?x=1"_s.arg(server.serverPort()));
    r.key = ClientHandshake::randomKey();
    ClientHandshake handshake(r);

    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { handshake.read(socket.readAll()); });
    socket.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(handshake.requestBytes());
    QTRY_VERIFY_WITH_TIMEOUT(handshake.status() != Status::Incomplete, 5000);
    QVERIFY2(handshake.status() == Status::Accepted, qPrintable(handshake.failure()));
    QCOMPARE(handshake.subprotocol(), u"superchat"_s);
    QCOMPARE(handshake.httpStatus(), 101);
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), 1, 5000);
    QCOMPARE(accepted.first()->subprotocol(), u"superchat"_s);
    socket.abort();
    server.close();
    qDeleteAll(accepted);
}

void TestClientHandshake::againstPythonWebsockets()
{
    PeerProcess peer;
    QVERIFY2(peer.start(PeerProcess::Kind::Python,
                        QStringLiteral(WSPROBE_TEST_DIR) + u"/refusing_server.py"_s, {}),
             qPrintable(peer.errorString()));

    const auto exchange = [&](ClientHandshake *handshake) {
        QTcpSocket socket;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { handshake->read(socket.readAll()); });
        connect(&socket, &QTcpSocket::disconnected, this, [&] {
            handshake->read(socket.readAll());
            handshake->endOfStream();
        });
        socket.connectToHost(QHostAddress::LocalHost, peer.port());
        if (!socket.waitForConnected(5000))
            return false;
        socket.write(handshake->requestBytes());
        const bool done = QTest::qWaitFor([&] { return handshake->status() != Status::Incomplete; }, 5000);
        QObject::disconnect(&socket, nullptr, this, nullptr);
        socket.abort();
        return done;
    };

    ClientHandshake::Request r = request();
    r.url = peer.url(u"/forbidden"_s);
    r.key = ClientHandshake::randomKey();
    ClientHandshake refused(r);
    QVERIFY2(exchange(&refused), qPrintable(peer.standardError()));
    QVERIFY2(refused.status() == Status::Refused, qPrintable(refused.failure()));
    QCOMPARE(refused.httpStatus(), 403);
    QCOMPARE(refused.failure(), u"refused with HTTP 403 Forbidden"_s);
    QCOMPARE(refused.body(), QByteArray("no entry here\n"));
    QVERIFY(refused.responseText().endsWith(u"\n\nno entry here\n"_s));

    // The same server upgrades another path: the check is not one that always refuses.
    r.url = peer.url(u"/echo"_s);
    r.key = ClientHandshake::randomKey();
    ClientHandshake upgraded(r);
    QVERIFY2(exchange(&upgraded), qPrintable(peer.standardError()));
    QVERIFY2(upgraded.status() == Status::Accepted, qPrintable(upgraded.failure()));
    QCOMPARE(upgraded.subprotocol(), QString());
    peer.stop();
}

QTEST_GUILESS_MAIN(TestClientHandshake)
#include "tst_clienthandshake.moc"
