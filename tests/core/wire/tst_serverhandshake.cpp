// The server's side of the upgrade: good requests (however cut), and each way a request can be
// bad with the status it is refused with; the 101 and the refusals as bytes.

#include "serverhandshake.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// RFC 6455 1.3's example key and its accept value.
constexpr QByteArrayView SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr QByteArrayView SampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

QByteArray request(const QByteArray &firstLine = "GET /chat?room=1 HTTP/1.1",
                   const QList<QByteArray> &replace = {}, const QList<QByteArray> &drop = {})
{
    QList<QByteArray> lines{"Host: 127.0.0.1:9000", "Upgrade: websocket", "Connection: keep-alive, Upgrade",
                            "Sec-WebSocket-Key: " + SampleKey.toByteArray(), "Sec-WebSocket-Version: 13",
                            "Sec-WebSocket-Protocol: chat.v2, chat.v1"};
    for (const QByteArray &name : drop)
        lines.removeIf([&](const QByteArray &line) { return line.startsWith(name + ':'); });
    for (const QByteArray &line : replace) {
        const QByteArray name = line.left(line.indexOf(':') + 1);
        lines.removeIf([&](const QByteArray &l) { return l.startsWith(name); });
        lines.append(line);
    }
    QByteArray bytes = firstLine + "\r\n";
    for (const QByteArray &line : lines)
        bytes += line + "\r\n";
    return bytes + "\r\n";
}

} // namespace

class TestServerHandshake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodRequest()
    {
        const QByteArray bytes = request() + "\x81\x85";  // the start of a first frame
        // Whole, and byte by byte.
        for (int cut : {0, 1}) {
            ServerHandshake handshake;
            ServerHandshake::Status status = ServerHandshake::Status::Incomplete;
            if (cut == 0) {
                status = handshake.read(bytes);
            } else {
                for (qsizetype i = 0; i < bytes.size(); ++i) {
                    status = handshake.read(bytes.mid(i, 1));
                    if (i + 2 < bytes.size() - 1)
                        QVERIFY(status == ServerHandshake::Status::Incomplete || i >= bytes.size() - 4);
                }
            }
            QCOMPARE(status, ServerHandshake::Status::Complete);
            QCOMPARE(handshake.method(), "GET"_ba);
            QCOMPARE(handshake.target(), "/chat?room=1"_ba);
            QCOMPARE(handshake.path(), u"/chat"_s);
            QCOMPARE(handshake.key(), SampleKey.toByteArray());
            QCOMPARE(handshake.header("connection"), "keep-alive, Upgrade"_ba);
            QCOMPARE(handshake.offeredSubprotocols(), (QStringList{u"chat.v2"_s, u"chat.v1"_s}));
            // The client's order wins.
            QCOMPARE(handshake.chooseSubprotocol({u"chat.v1"_s, u"chat.v2"_s}), u"chat.v2"_s);
            QCOMPARE(handshake.chooseSubprotocol({u"other"_s}), QString());
            QCOMPARE(handshake.takeLeftover(), "\x81\x85"_ba);
        }
        // Bare LFs and header names in any case.
        ServerHandshake lf;
        QByteArray lowered = request().replace("\r\n", "\n");
        for (const char *name : {"Host:", "Upgrade:", "Connection:", "Sec-WebSocket-Key:", "Sec-WebSocket-Version:"})
            lowered.replace(name, QByteArray(name).toLower());
        lowered.replace("Upgrade\n", "UPGRADE\n").replace("websocket\n", "WebSocket\n");
        QCOMPARE(lf.read(lowered), ServerHandshake::Status::Complete);
    }

    void acceptFor()
    {
        QCOMPARE(ServerHandshake::acceptFor(SampleKey), SampleAccept.toByteArray());
    }

    void acceptResponse()
    {
        ServerHandshake handshake;
        QCOMPARE(handshake.read(request()), ServerHandshake::Status::Complete);
        const QByteArray response = handshake.acceptResponse(
                u"chat.v1"_s, {{"X-Mock", "yes"}, {"X-Bad", "a\r\nInjected: 1"}, {"", "x"}});
        QVERIFY(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QVERIFY(response.contains("\r\nUpgrade: websocket\r\n"));
        QVERIFY(response.contains("\r\nConnection: Upgrade\r\n"));
        QVERIFY(response.contains("\r\nSec-WebSocket-Accept: " + SampleAccept.toByteArray() + "\r\n"));
        QVERIFY(response.contains("\r\nSec-WebSocket-Protocol: chat.v1\r\n"));
        QVERIFY(response.contains("\r\nX-Mock: yes\r\n"));
        QVERIFY(!response.contains("Injected"));
        QVERIFY(response.endsWith("\r\n\r\n"));
        QVERIFY(!handshake.acceptResponse(QString()).contains("Sec-WebSocket-Protocol"));
    }

    void rejectResponse()
    {
        const QByteArray response = ServerHandshake::rejectResponse(
                401, {{"WWW-Authenticate", "Bearer realm=\"x\""}}, "no token\n");
        QCOMPARE(response, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"x\"\r\n"
                           "Content-Length: 9\r\nConnection: close\r\n\r\nno token\n"_ba);
    }

    void badRequests_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("why");
        QTest::newRow("POST") << request("POST /chat HTTP/1.1") << 400 << u"method is POST"_s;
        QTest::newRow("HTTP/1.0") << request("GET /chat HTTP/1.0") << 400 << u"needs HTTP/1.1"_s;
        QTest::newRow("not HTTP") << request("GET /chat SPDY/3") << 400 << u"not HTTP"_s;
        QTest::newRow("request line") << request("GET  /chat HTTP/1.1") << 400 << u"request line"_s;
        QTest::newRow("absolute target") << request("GET http://x/chat HTTP/1.1") << 400 << u"target"_s;
        QTest::newRow("no Upgrade") << request("GET /chat HTTP/1.1", {}, {"Upgrade"}) << 426
                                    << u"no Upgrade header"_s;
        QTest::newRow("Upgrade: h2c") << request("GET /chat HTTP/1.1", {"Upgrade: h2c"}) << 426
                                      << u"does not name websocket"_s;
        QTest::newRow("no Connection") << request("GET /chat HTTP/1.1", {}, {"Connection"}) << 400
                                       << u"Connection"_s;
        QTest::newRow("Connection: close") << request("GET /chat HTTP/1.1", {"Connection: close"})
                                           << 400 << u"Connection"_s;
        QTest::newRow("no Host") << request("GET /chat HTTP/1.1", {}, {"Host"}) << 400 << u"Host"_s;
        QTest::newRow("no version") << request("GET /chat HTTP/1.1", {}, {"Sec-WebSocket-Version"})
                                    << 426 << u"no Sec-WebSocket-Version"_s;
        QTest::newRow("version 8") << request("GET /chat HTTP/1.1", {"Sec-WebSocket-Version: 8"})
                                   << 426 << u"Version 8"_s;
        QTest::newRow("no key") << request("GET /chat HTTP/1.1", {}, {"Sec-WebSocket-Key"}) << 400
                                << u"no Sec-WebSocket-Key"_s;
        QTest::newRow("short key") << request("GET /chat HTTP/1.1", {"Sec-WebSocket-Key: c2hvcnQ="})
                                   << 400 << u"not 16 bytes"_s;
        QTest::newRow("key not base64")
                << request("GET /chat HTTP/1.1", {"Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!=="}) << 400
                << u"not 16 bytes"_s;
        QByteArray twoKeys = request();
        twoKeys.insert(twoKeys.size() - 2, "Sec-WebSocket-Key: " + SampleKey.toByteArray() + "\r\n");
        QTest::newRow("two keys") << twoKeys << 400 << u"2 Sec-WebSocket-Key"_s;
        QByteArray folded = request();
        folded.insert(folded.size() - 2, " folded\r\n");
        QTest::newRow("obs-fold") << folded << 400 << u"folds"_s;
        QByteArray space = request();
        space.insert(space.size() - 2, "X-Space : 1\r\n");
        QTest::newRow("space before colon") << space << 400 << u"whitespace"_s;
        QByteArray huge = "GET /chat HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'a');
        QTest::newRow("head over 16 KiB") << huge << 431 << u"over 16 KiB"_s;
    }
    void badRequests()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, why);
        ServerHandshake handshake;
        QCOMPARE(handshake.read(bytes), ServerHandshake::Status::Invalid);
        QCOMPARE(handshake.failureStatus(), status);
        QVERIFY2(handshake.failure().contains(why), qPrintable(handshake.failure()));
        // Once decided, more bytes change nothing.
        QCOMPARE(handshake.read("\r\n\r\n"), ServerHandshake::Status::Invalid);
        const QByteArray response = handshake.invalidResponse("wsprobe-test");
        QVERIFY2(response.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '), response.constData());
        QVERIFY(response.contains("\r\nServer: wsprobe-test\r\n"));
        QVERIFY(response.contains("Connection: close\r\n"));
        if (status == 426) {
            QVERIFY(response.contains("\r\nSec-WebSocket-Version: 13\r\n"));
            QVERIFY(response.contains("\r\nUpgrade: websocket\r\n"));
        }
    }

    // Found by fuzz_serverhandshake: a refused request kept the bytes after its head when they
    // came with it, and not when they came later, so the outcome depended on the cut.
    void refusedRequestKeepsNothing()
    {
        const QByteArray bytes = request("GET /chat HTTP/1.1", {"Sec-WebSocket-Version: 8"}) + "\x81\x80";
        ServerHandshake whole;
        QCOMPARE(whole.read(bytes), ServerHandshake::Status::Invalid);
        QVERIFY(whole.takeLeftover().isEmpty());
        ServerHandshake sliced;
        sliced.read(bytes.left(bytes.size() - 2));
        QCOMPARE(sliced.read(bytes.right(2)), ServerHandshake::Status::Invalid);
        QVERIFY(sliced.takeLeftover().isEmpty());
    }

    void incompleteUntilTheBlankLine()
    {
        ServerHandshake handshake;
        const QByteArray bytes = request();
        QCOMPARE(handshake.read(bytes.left(bytes.size() - 2)), ServerHandshake::Status::Incomplete);
        QCOMPARE(handshake.read(bytes.right(2)), ServerHandshake::Status::Complete);
    }
};

QTEST_GUILESS_MAIN(TestServerHandshake)
#include "tst_serverhandshake.moc"
