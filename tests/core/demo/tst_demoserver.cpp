// The demo server over real loopback sockets: every endpoint with plain QWebSocket clients, the
// HTTP gate with raw TCP, DemoServerThread, and `wsprobe-run --serve-demo` as a process.

#include "demoserver.h"
#include "demoserverthread.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QEventLoop>
#include <QTest>
#include <QWebSocket>

#include <memory>
#include <vector>

#include <signal.h>
#include <sys/types.h>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int StepTimeoutMs = 5000;
constexpr int FloodTimeoutMs = 30000;

// One QWebSocket client and everything it saw.
class TestClient
{
public:
    TestClient()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &message) {
                             if (recordMessages)
                                 texts.append(message);
                         });
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray &message) {
                             if (recordMessages)
                                 binaries.append(message);
                         });
        // Qt 6.4 names the signal error(); errorOccurred() arrives in 6.5.
        QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                         &socket,
                         [this](QAbstractSocket::SocketError error) { errors.append(error); });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket,
                         [this] { disconnected = true; });
    }

    bool isOpen() const { return socket.state() == QAbstractSocket::ConnectedState; }

    QWebSocket socket;
    QStringList texts;
    QList<QByteArray> binaries;
    QList<QAbstractSocket::SocketError> errors;
    bool disconnected = false;
    bool recordMessages = true;
};

QJsonObject json(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QJsonObject chatNotice(const char *type, const QString &name, int clients)
{
    return {{"type"_L1, QLatin1StringView(type)}, {"name"_L1, name}, {"clients"_L1, clients}};
}

QJsonObject chatMessage(const QString &from, const QString &text)
{
    return {{"type"_L1, "message"_L1}, {"from"_L1, from}, {"text"_L1, text}};
}

QByteArray upgradeRequest(const QByteArray &target, quint16 port)
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// A masked frame, as a client must send it (opcode 0x1 text, 0x2 binary).
QByteArray maskedFrame(const QByteArray &payload, int opcode = 0x1)
{
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size <= 0xffff) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    frame.append(mask, 4);
    const qsizetype header = frame.size();
    frame.resize(header + size);
    for (qsizetype i = 0; i < size; ++i)
        frame[header + i] = char(payload.at(i) ^ mask[i % 4]);
    return frame;
}

QByteArray maskedTextFrame(const QByteArray &payload)
{
    return maskedFrame(payload, 0x1);
}

// One frame from the server (unmasked).
struct ServerFrame
{
    int opcode = 0;
    QByteArray payload;

    bool isClose() const { return opcode == 0x8; }
    int closeCode() const
    {
        return payload.size() >= 2 ? (uchar(payload.at(0)) << 8) | uchar(payload.at(1)) : 1005;
    }
    QString closeReason() const { return QString::fromUtf8(payload.mid(2)); }
};

// Takes every complete frame off the front of buffer.
void takeServerFrames(QByteArray &buffer, QList<ServerFrame> &frames)
{
    qsizetype offset = 0;
    while (buffer.size() - offset >= 2) {
        const auto at = [&](qsizetype i) { return uchar(buffer.at(offset + i)); };
        qsizetype header = 2;
        quint64 size = at(1) & 0x7f;
        if (size == 126) {
            if (buffer.size() - offset < 4)
                break;
            size = (quint64(at(2)) << 8) | at(3);
            header = 4;
        } else if (size == 127) {
            if (buffer.size() - offset < 10)
                break;
            size = 0;
            for (int i = 2; i < 10; ++i)
                size = (size << 8) | at(i);
            header = 10;
        }
        if (quint64(buffer.size() - offset - header) < size)
            break;
        frames.append({at(0) & 0x0f, buffer.mid(offset + header, qsizetype(size))});
        offset += header + qsizetype(size);
    }
    buffer.remove(0, offset);
}

// A raw client that completes the upgrade and then reads nothing, like a peer whose program
// has stopped reading. Its kernel receive buffer is kept small, so what it does not read
// stays with the server instead of in the kernel's buffers.
class SilentClient
{
public:
    bool open(quint16 port, const QByteArray &target)
    {
        // What Qt takes from the kernel for us, until readUntilClose() lifts the limit.
        socket.setReadBufferSize(4096);
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(StepTimeoutMs))
            return false;
        socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 16 * 1024);
        socket.write(upgradeRequest(target, port));
        const bool upgraded = QTest::qWaitFor(
                [this] { return (received += socket.readAll()).contains("\r\n\r\n"); },
                StepTimeoutMs);
        if (!upgraded || !received.startsWith("HTTP/1.1 101"))
            return false;
        received.remove(0, received.indexOf("\r\n\r\n") + 4);
        return true;
    }

    // Writes frame and waits until it has left; false if the server stopped taking input.
    bool send(const QByteArray &frame, int timeoutMs = StepTimeoutMs)
    {
        socket.write(frame);
        return QTest::qWaitFor([this] { return socket.bytesToWrite() == 0; }, timeoutMs);
    }

    // Starts reading again: every frame the server sent, up to and including its close frame
    // (the last one then), or all that came within timeoutMs.
    QList<ServerFrame> readUntilClose(int timeoutMs) { return read(-1, timeoutMs); }

    // Starts reading again: at least count frames (fewer if the server closed or time ran out).
    QList<ServerFrame> read(qsizetype count, int timeoutMs)
    {
        socket.setReadBufferSize(0);
        socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4 * 1024 * 1024);
        QList<ServerFrame> frames;
        const auto done = [&] {
            received += socket.readAll();
            takeServerFrames(received, frames);
            return (count >= 0 && frames.size() >= count)
                    || (!frames.isEmpty() && frames.last().isClose())
                    || socket.state() != QAbstractSocket::ConnectedState;
        };
        // Driven by readyRead, not polled: megabytes are waiting, and the server's close
        // timeout runs.
        QEventLoop loop;
        QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
            if (done())
                loop.quit();
        });
        QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (!done())
            loop.exec();
        if (!done())
            qWarning("the server did not send what was expected within %d ms", timeoutMs);
        return frames;
    }

    QTcpSocket socket;
    QByteArray received;
};

QString runBinary()
{
    return QStringLiteral(WSPROBE_BINARY_DIR "/bin/wsprobe-run");
}

} // namespace

class tst_DemoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // Happy flows.
    void listensOnLoopbackOnly();
    void rootSendsInfoThenEchoes();
    void echoesText();
    void echoesBinary();
    void chatBroadcastsJoinMessageAndLeave();
    void closeUsesRequestedCodeAndReason();
    void closeDefaultsToNormalClosure();
    void rejectRefusesUpgradeWithStatus_data();
    void rejectRefusesUpgradeWithStatus();
    void rejectWritesProperHttpResponse();
    void unknownPathGets404();
    void plainHttpGets426WithEndpointList();
    void floodDeliversEveryMessageInOrder();
    void floodBinaryDeliversEveryMessageInOrder();
    void floodClampsCountAndSize_data();
    void floodClampsCountAndSize();
    void seqSendsNumberedMessagesAndStaysOpen();
    void seqHonoursInterval();

    // Rainy-day flows.
    void closeWithForbiddenCodeSendsProtocolError_data();
    void closeWithForbiddenCodeSendsProtocolError();
    void headerArrivingInPiecesIsStillUpgraded();
    void oversizedHeaderGets431();
    void silentConnectionIsDroppedAfterTimeout();
    void staysResponsiveDuringFloodAndSurvivesAbort();
    void survivesClientLeavingMidSeq();
    void closeSendsGoingAwayToClients();
    void echoClosesClientThatStopsReading();
    void chatClosesMemberThatStopsReadingAndServesTheOthers();
    void floodPacesItselfForClientThatStopsReading();
    void echoRefusesMessageOverIncomingLimit();

    // DemoServerThread and wsprobe-run.
    void threadServesAndStops();
    void threadReportsListenFailure();
    void runServeDemoPrintsUrlAndExitsOnSignal_data();
    void runServeDemoPrintsUrlAndExitsOnSignal();
    void runWithoutCommandExitsWithUsage();

private:
    QUrl urlFor(const QString &pathAndQuery) const;
    TestClient *open(const QString &pathAndQuery);
    TestClient *open(const QUrl &url);
    bool waitOpen(TestClient *client);
    // Sends raw bytes, returns everything the server wrote until it closed the connection.
    QByteArray rawExchange(const QByteArray &request);

    std::unique_ptr<DemoServer> m_server;
    std::vector<std::unique_ptr<TestClient>> m_clients;
};

void tst_DemoServer::init()
{
    m_server = std::make_unique<DemoServer>();
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    QCOMPARE(m_server->url().host(), u"127.0.0.1"_s);
    QCOMPARE(m_server->url().port(), int(m_server->port()));
}

void tst_DemoServer::cleanup()
{
    for (const auto &client : m_clients)
        client->socket.abort();
    m_clients.clear();
    m_server.reset();
    // Let deleteLater()s and queued closes run before the next test starts.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
}

QUrl tst_DemoServer::urlFor(const QString &pathAndQuery) const
{
    return m_server->url().resolved(QUrl(pathAndQuery));
}

TestClient *tst_DemoServer::open(const QString &pathAndQuery)
{
    return open(urlFor(pathAndQuery));
}

TestClient *tst_DemoServer::open(const QUrl &url)
{
    m_clients.push_back(std::make_unique<TestClient>());
    TestClient *client = m_clients.back().get();
    client->socket.open(url);
    return client;
}

bool tst_DemoServer::waitOpen(TestClient *client)
{
    return QTest::qWaitFor([client] { return client->isOpen() || !client->errors.isEmpty(); },
                           StepTimeoutMs)
            && client->isOpen();
}

QByteArray tst_DemoServer::rawExchange(const QByteArray &request)
{
    QTcpSocket socket;
    QByteArray received;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket,
                     [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    if (!socket.waitForConnected(StepTimeoutMs))
        return {};
    socket.write(request);
    const bool closed = QTest::qWaitFor(
            [&] { return socket.state() == QAbstractSocket::UnconnectedState; }, StepTimeoutMs);
    if (!closed)
        return "(the server did not close the connection) " + received;
    return received;
}

void tst_DemoServer::listensOnLoopbackOnly()
{
    DemoServer server;
    QVERIFY(!server.listen(QHostAddress::Any));
    QVERIFY(server.errorString().contains(u"loopback"_s));
    QVERIFY(!server.isListening());
    QVERIFY(server.url().isEmpty());

    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QVERIFY(server.port() != 0);
    QVERIFY(!server.listen(QHostAddress::LocalHost, 0));  // already listening
    server.close();
    QVERIFY(!server.isListening());
}

void tst_DemoServer::rootSendsInfoThenEchoes()
{
    TestClient *client = open(u"/"_s);
    QVERIFY(waitOpen(client));
    QTRY_COMPARE_WITH_TIMEOUT(client->texts.size(), 1, StepTimeoutMs);
    for (const char *endpoint : {"/echo", "/chat", "/close", "/reject", "/flood", "/seq"})
        QVERIFY2(client->texts.first().contains(QLatin1StringView(endpoint)), endpoint);
    client->socket.sendTextMessage(u"hello root"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client->texts.size(), 2, StepTimeoutMs);
    QCOMPARE(client->texts.at(1), u"hello root"_s);
}

void tst_DemoServer::echoesText()
{
    TestClient *client = open(u"/echo"_s);
    QVERIFY(waitOpen(client));
    const QStringList sent = {u"hello"_s, u""_s, u"ünïcödé ✓ 🚀"_s, QString(100'000, u'x')};
    for (const QString &message : sent)
        client->socket.sendTextMessage(message);
    QTRY_COMPARE_WITH_TIMEOUT(client->texts.size(), sent.size(), StepTimeoutMs);
    QCOMPARE(client->texts, sent);
    QVERIFY(client->binaries.isEmpty());
}

void tst_DemoServer::echoesBinary()
{
    TestClient *client = open(u"/echo"_s);
    QVERIFY(waitOpen(client));
    QByteArray all256(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        all256[i] = char(i);
    const QList<QByteArray> sent = {all256, QByteArray(1, '\0'), QByteArray(300'000, '\xff')};
    for (const QByteArray &message : sent)
        client->socket.sendBinaryMessage(message);
    QTRY_COMPARE_WITH_TIMEOUT(client->binaries.size(), sent.size(), StepTimeoutMs);
    QCOMPARE(client->binaries, sent);
    QVERIFY(client->texts.isEmpty());
}

void tst_DemoServer::chatBroadcastsJoinMessageAndLeave()
{
    TestClient *alice = open(u"/chat?name=alice"_s);
    QVERIFY(waitOpen(alice));
    QTRY_COMPARE_WITH_TIMEOUT(alice->texts.size(), 1, StepTimeoutMs);
    QCOMPARE(json(alice->texts.at(0)), chatNotice("join", u"alice"_s, 1));

    TestClient *bob = open(u"/chat?name=bob"_s);
    QVERIFY(waitOpen(bob));
    QTRY_COMPARE_WITH_TIMEOUT(bob->texts.size(), 1, StepTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice->texts.size(), 2, StepTimeoutMs);
    QCOMPARE(json(bob->texts.at(0)), chatNotice("join", u"bob"_s, 2));
    QCOMPARE(json(alice->texts.at(1)), chatNotice("join", u"bob"_s, 2));

    // No name: the server makes one up.
    TestClient *guest = open(u"/chat"_s);
    QVERIFY(waitOpen(guest));
    const QJsonObject guestJoin = chatNotice("join", u"user-1"_s, 3);
    for (TestClient *client : {alice, bob, guest})
        QTRY_VERIFY_WITH_TIMEOUT(!client->texts.isEmpty()
                                         && json(client->texts.last()) == guestJoin,
                                 StepTimeoutMs);

    // JSON with a "text" field is unwrapped; anything else is taken as is.
    alice->socket.sendTextMessage(uR"({"text":"hi all"})"_s);
    const QJsonObject aliceSaid = chatMessage(u"alice"_s, u"hi all"_s);
    for (TestClient *client : {alice, bob, guest})
        QTRY_VERIFY_WITH_TIMEOUT(json(client->texts.last()) == aliceSaid, StepTimeoutMs);
    guest->socket.sendTextMessage(u"plain words"_s);
    const QJsonObject guestSaid = chatMessage(u"user-1"_s, u"plain words"_s);
    for (TestClient *client : {alice, bob, guest})
        QTRY_VERIFY_WITH_TIMEOUT(json(client->texts.last()) == guestSaid, StepTimeoutMs);
    QCOMPARE(alice->texts.size(), 5);
    QCOMPARE(bob->texts.size(), 4);
    QCOMPARE(guest->texts.size(), 3);

    bob->socket.close();
    QTRY_VERIFY_WITH_TIMEOUT(bob->disconnected, StepTimeoutMs);
    const QJsonObject bobLeft = chatNotice("leave", u"bob"_s, 2);
    for (TestClient *client : {alice, guest})
        QTRY_VERIFY_WITH_TIMEOUT(json(client->texts.last()) == bobLeft, StepTimeoutMs);
    QCOMPARE(bob->texts.size(), 4);  // nothing after leaving
}

void tst_DemoServer::closeUsesRequestedCodeAndReason()
{
    TestClient *client = open(u"/close?code=4001&reason=token%20expired"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, StepTimeoutMs);
    QCOMPARE(int(client->socket.closeCode()), 4001);
    QCOMPARE(client->socket.closeReason(), u"token expired"_s);
    QVERIFY(client->texts.isEmpty());
}

void tst_DemoServer::closeDefaultsToNormalClosure()
{
    TestClient *client = open(u"/close"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, StepTimeoutMs);
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(client->socket.closeReason(), QString());
}

void tst_DemoServer::closeWithForbiddenCodeSendsProtocolError_data()
{
    QTest::addColumn<QString>("code");
    for (const char *code : {"1005", "1006", "999", "5000", "1015", "abc"})
        QTest::newRow(code) << QString::fromLatin1(code);
}

void tst_DemoServer::closeWithForbiddenCodeSendsProtocolError()
{
    QFETCH(QString, code);
    TestClient *client = open(u"/close?code="_s + code);
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, StepTimeoutMs);
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeProtocolError);
    QCOMPARE(client->socket.closeReason(), u"cannot close with code "_s + code);
}

void tst_DemoServer::rejectRefusesUpgradeWithStatus_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("errorString");
    const auto unhandled = [](const char *status) {
        return u"QWebSocketPrivate::processHandshake: Unhandled http status code: %1."_s.arg(
                QLatin1StringView(status));
    };
    QTest::newRow("default") << u""_s << unhandled("401 (Unauthorized)");
    QTest::newRow("401") << u"?status=401"_s << unhandled("401 (Unauthorized)");
    QTest::newRow("403") << u"?status=403"_s << unhandled("403 (Forbidden)");
    QTest::newRow("503") << u"?status=503"_s << unhandled("503 (Service Unavailable)");
    // QtWebSockets 6.4 reads a 400 as a version mismatch, and without a Sec-WebSocket-Version
    // header in it, reports no status at all.
    QTest::newRow("out of range is 400")
            << u"?status=200"_s
            << u"QWebSocketPrivate::processHandshake: Unknown error condition encountered. "
               "Aborting connection."_s;
}

void tst_DemoServer::rejectRefusesUpgradeWithStatus()
{
    QFETCH(QString, query);
    QFETCH(QString, errorString);
    TestClient *client = open(u"/reject"_s + query);
    QTRY_VERIFY_WITH_TIMEOUT(!client->errors.isEmpty(), StepTimeoutMs);
    // Pins what QtWebSockets 6.4 reports for a refused upgrade: the Session's error reporting
    // reads the status out of this string.
    QCOMPARE(client->errors.first(), QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(client->socket.errorString(), errorString);
    QTRY_VERIFY_WITH_TIMEOUT(client->socket.state() == QAbstractSocket::UnconnectedState,
                             StepTimeoutMs);
    QVERIFY(client->texts.isEmpty());
    QVERIFY(client->binaries.isEmpty());
}

void tst_DemoServer::rejectWritesProperHttpResponse()
{
    const QByteArray response = rawExchange(upgradeRequest("/reject?status=403", m_server->port()));
    QVERIFY2(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response.constData());
    const qsizetype headerEnd = response.indexOf("\r\n\r\n");
    QVERIFY(headerEnd > 0);
    const QByteArray header = response.left(headerEnd + 2);
    const QByteArray body = response.mid(headerEnd + 4);
    QVERIFY(header.contains("\r\nConnection: close\r\n"));
    QVERIFY(header.contains("\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n"));
    QVERIFY(body.contains("403"));

    const QByteArray unauthorized =
            rawExchange(upgradeRequest("/reject?status=401", m_server->port()));
    QVERIFY(unauthorized.startsWith("HTTP/1.1 401 Unauthorized\r\n"));
    QVERIFY(unauthorized.contains("\r\nWWW-Authenticate: "));
}

void tst_DemoServer::unknownPathGets404()
{
    TestClient *client = open(u"/nowhere"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!client->errors.isEmpty(), StepTimeoutMs);
    QVERIFY2(client->socket.errorString().contains(u"404"_s),
             qPrintable(client->socket.errorString()));
    QVERIFY(client->texts.isEmpty());

    const QByteArray response = rawExchange(upgradeRequest("/echo/extra", m_server->port()));
    QVERIFY2(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response.constData());
}

void tst_DemoServer::plainHttpGets426WithEndpointList()
{
    // QWebSocketServer alone would close such a connection without a word.
    const QByteArray response = rawExchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY2(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response.constData());
    QVERIFY(response.contains("\r\nUpgrade: websocket\r\n"));
    QVERIFY(response.contains("/flood?n="));
}

void tst_DemoServer::floodDeliversEveryMessageInOrder()
{
    constexpr qint64 Count = 100'000;
    constexpr qsizetype Size = 64;
    TestClient *client = open(u"/flood?n=100000&size=64"_s);
    client->recordMessages = false;
    qint64 received = 0;
    qint64 wrong = 0;
    QString firstWrong;
    QObject::connect(&client->socket, &QWebSocket::textMessageReceived, &client->socket,
                     [&](const QString &message) {
                         ++received;
                         const bool ok = message.size() == Size
                                 && message.left(8).toLongLong() == received
                                 && message.at(8).isPrint();
                         if (!ok && wrong++ == 0)
                             firstWrong = message;
                     });
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, FloodTimeoutMs);
    QCOMPARE(received, Count);
    QVERIFY2(wrong == 0, qPrintable(u"%1 wrong messages, first: %2"_s.arg(wrong).arg(firstWrong)));
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
}

void tst_DemoServer::floodBinaryDeliversEveryMessageInOrder()
{
    constexpr qint64 Count = 20'000;
    constexpr qsizetype Size = 1000;
    TestClient *client = open(u"/flood?n=20000&size=1000&binary=1"_s);
    client->recordMessages = false;
    qint64 received = 0;
    qint64 wrong = 0;
    QObject::connect(&client->socket, &QWebSocket::binaryMessageReceived, &client->socket,
                     [&](const QByteArray &message) {
                         ++received;
                         bool ok = message.size() == Size
                                 && message.left(8).toLongLong() == received;
                         for (qsizetype i = 8; ok && i < message.size(); ++i)
                             ok = quint8(message.at(i)) == i % 256;
                         if (!ok)
                             ++wrong;
                     });
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, FloodTimeoutMs);
    QCOMPARE(received, Count);
    QCOMPARE(wrong, 0);
    QVERIFY(client->texts.isEmpty());
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
}

void tst_DemoServer::floodClampsCountAndSize_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("size");
    QTest::newRow("negative n") << u"n=-5"_s << 0 << 0;
    QTest::newRow("negative size") << u"n=2&size=-1"_s << 2 << 0;
    QTest::newRow("size over 16 MiB") << u"n=2&size=99999999&binary=1"_s << 2 << 16 * 1024 * 1024;
    QTest::newRow("size not a number") << u"n=2&size=abc"_s << 2 << 64;
    QTest::newRow("binary out of range") << u"n=1&size=10&binary=7"_s << 1 << 10;
}

// The ranges docs/demo-server.md gives for /flood.
void tst_DemoServer::floodClampsCountAndSize()
{
    QFETCH(QString, query);
    QFETCH(int, count);
    QFETCH(int, size);
    TestClient *client = open(u"/flood?"_s + query);
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, FloodTimeoutMs);
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QCOMPARE(client->socket.closeReason(), u"flood complete: %1 messages"_s.arg(count));
    QCOMPARE(client->texts.size() + client->binaries.size(), count);
    for (const QString &text : std::as_const(client->texts))
        QCOMPARE(text.size(), size);
    for (const QByteArray &binary : std::as_const(client->binaries))
        QCOMPARE(binary.size(), size);
    if (query.contains(u"binary=7"_s))
        QCOMPARE(client->binaries.size(), count);
}

void tst_DemoServer::seqSendsNumberedMessagesAndStaysOpen()
{
    TestClient *client = open(u"/seq?n=20"_s);
    QVERIFY(waitOpen(client));
    QTRY_COMPARE_WITH_TIMEOUT(client->texts.size(), 20, StepTimeoutMs);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(client->texts.at(i), u"{\"seq\":%1}"_s.arg(i + 1));
    QTest::qWait(100);
    QVERIFY(client->isOpen());
    QCOMPARE(client->texts.size(), 20);
}

void tst_DemoServer::seqHonoursInterval()
{
    TestClient *client = open(u"/seq?n=5&interval=40"_s);
    QVERIFY(waitOpen(client));
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(client->texts.size(), 5, StepTimeoutMs);
    // Five ticks of 40 ms after the open: never all at once.
    QVERIFY2(clock.elapsed() >= 120, qPrintable(QString::number(clock.elapsed())));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(json(client->texts.at(i)).value("seq"_L1).toInt(), i + 1);
}

void tst_DemoServer::headerArrivingInPiecesIsStillUpgraded()
{
    const QByteArray request = upgradeRequest("/echo", m_server->port());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(StepTimeoutMs));
    socket.write(request.left(30));
    socket.flush();
    QTest::qWait(100);
    socket.write(request.mid(30));
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains("\r\n\r\n"), StepTimeoutMs);
    QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());

    // The upgraded connection works: a masked frame comes back echoed, unmasked.
    received = received.mid(received.indexOf("\r\n\r\n") + 4);
    socket.write(maskedTextFrame("ping?"));
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).size() >= 7, StepTimeoutMs);
    QCOMPARE(received, QByteArray("\x81\x05ping?"));
}

void tst_DemoServer::oversizedHeaderGets431()
{
    QByteArray request = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ";
    request += QByteArray(17 * 1024, 'p');
    const QByteArray response = rawExchange(request);
    QVERIFY2(response.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
             response.left(100).constData());
}

void tst_DemoServer::silentConnectionIsDroppedAfterTimeout()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(StepTimeoutMs));
    socket.write("GET /echo HTTP/1.1\r\n");  // and never the rest
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 10000);
    QVERIFY2(clock.elapsed() >= 4000, qPrintable(QString::number(clock.elapsed())));
}

void tst_DemoServer::staysResponsiveDuringFloodAndSurvivesAbort()
{
    TestClient *flooded = open(u"/flood?n=10000000&size=256"_s);
    flooded->recordMessages = false;
    qint64 received = 0;
    QObject::connect(&flooded->socket, &QWebSocket::textMessageReceived, &flooded->socket,
                     [&](const QString &) { ++received; });
    QTRY_VERIFY_WITH_TIMEOUT(received > 10'000, StepTimeoutMs);

    TestClient *echo = open(u"/echo"_s);
    QVERIFY(waitOpen(echo));
    for (int round = 1; round <= 3; ++round) {
        QElapsedTimer clock;
        clock.start();
        echo->socket.sendTextMessage(u"round %1"_s.arg(round));
        QTRY_COMPARE_WITH_TIMEOUT(echo->texts.size(), round, StepTimeoutMs);
        qInfo() << "echo round trip during flood:" << clock.elapsed() << "ms";
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    }
    QVERIFY(flooded->isOpen());  // still flooding

    flooded->socket.abort();
    QTest::qWait(200);  // the server notices mid-flood
    echo->socket.sendTextMessage(u"after abort"_s);
    QTRY_COMPARE_WITH_TIMEOUT(echo->texts.size(), 4, StepTimeoutMs);
    QCOMPARE(echo->texts.last(), u"after abort"_s);
}

void tst_DemoServer::survivesClientLeavingMidSeq()
{
    TestClient *client = open(u"/seq?n=1000&interval=5"_s);
    QTRY_VERIFY_WITH_TIMEOUT(client->texts.size() >= 3, StepTimeoutMs);
    client->socket.abort();
    QTest::qWait(100);  // several ticks that would have gone to the dead socket

    TestClient *echo = open(u"/echo"_s);
    QVERIFY(waitOpen(echo));
    echo->socket.sendTextMessage(u"still here"_s);
    QTRY_COMPARE_WITH_TIMEOUT(echo->texts.size(), 1, StepTimeoutMs);
}

void tst_DemoServer::closeSendsGoingAwayToClients()
{
    TestClient *client = open(u"/echo"_s);
    QVERIFY(waitOpen(client));
    m_server->close();
    QVERIFY(!m_server->isListening());
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, StepTimeoutMs);
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

// A client that sends to /echo but never reads: each echo would wait in the server's memory
// (1.6 GB before the server kept count). The server closes it once 16 MiB wait unsent.
void tst_DemoServer::echoClosesClientThatStopsReading()
{
    constexpr qsizetype Chunk = 64 * 1024;
    constexpr int Messages = 640;  // 40 MiB: more than the limit and the kernel's buffers
    SilentClient silent;
    QVERIFY(silent.open(m_server->port(), "/echo"));
    qint64 mostQueued = 0;
    for (int i = 0; i < Messages; ++i) {
        QByteArray payload = QByteArray::number(i).rightJustified(8, '0');
        payload += QByteArray(Chunk - payload.size(), 'e');
        // Once the server has closed the connection it may stop reading it too; the silent
        // client then has to read within the server's close timeout (5 s) to see why.
        const bool taken = silent.send(maskedFrame(payload), 500);
        mostQueued = std::max(mostQueued, m_server->queuedBytes());
        if (!taken)
            break;
    }
    qInfo() << "most the server held for the silent client:" << mostQueued << "bytes";
    QVERIFY2(mostQueued <= DemoServer::MaxQueuedBytes + 2 * Chunk,
             qPrintable(QString::number(mostQueued)));

    // Others are still served.
    TestClient *other = open(u"/echo"_s);
    QVERIFY(waitOpen(other));
    other->socket.sendTextMessage(u"still served"_s);
    QTRY_COMPARE_WITH_TIMEOUT(other->texts, QStringList{u"still served"_s}, StepTimeoutMs);

    // When the silent client reads again, it finds the echoes it had, in order, then why: the
    // server read and dropped what it sent after the close, so no reset destroyed the close
    // frame.
    const QList<ServerFrame> frames = silent.readUntilClose(StepTimeoutMs);
    QVERIFY(frames.size() >= 2);
    const ServerFrame &close = frames.last();
    QVERIFY(close.isClose());
    QCOMPARE(close.closeCode(), 1008);
    QCOMPARE(close.closeReason(), u"outgoing queue over 16 MiB: client not reading"_s);
    for (qsizetype i = 0; i < frames.size() - 1; ++i) {
        QCOMPARE(frames.at(i).opcode, 0x1);
        QCOMPARE(frames.at(i).payload.size(), Chunk);
        QCOMPARE(frames.at(i).payload.left(8).toInt(), int(i));
    }
    silent.socket.abort();
}

// One member of /chat stops reading while the others talk: before the server kept count it
// held everything for that member (2 GB). It is closed at 16 MiB; the others never notice
// but for its leave notice.
void tst_DemoServer::chatClosesMemberThatStopsReadingAndServesTheOthers()
{
    constexpr qsizetype Chunk = 64 * 1024;
    constexpr int Messages = 640;
    SilentClient silent;
    QVERIFY(silent.open(m_server->port(), "/chat?name=silent"));

    // Large messages are only counted; notices are kept.
    struct Member
    {
        TestClient *client;
        int large = 0;
        QList<QJsonObject> notices;
    };
    Member alice{open(u"/chat?name=alice"_s)};
    Member bob{open(u"/chat?name=bob"_s)};
    for (Member *member : {&alice, &bob}) {
        member->client->recordMessages = false;
        QObject::connect(&member->client->socket, &QWebSocket::textMessageReceived,
                         &member->client->socket, [member](const QString &text) {
                             if (text.size() > Chunk)
                                 ++member->large;
                             else
                                 member->notices.append(json(text));
                         });
    }
    QVERIFY(waitOpen(alice.client));
    QVERIFY(waitOpen(bob.client));
    QTRY_VERIFY_WITH_TIMEOUT(!bob.notices.isEmpty(), StepTimeoutMs);

    // Alice talks until the silent member is gone (or she has said 40 MiB).
    const QJsonObject silentLeft = chatNotice("leave", u"silent"_s, 2);
    qint64 mostQueued = 0;
    int sent = 0;
    const auto say = [&] {
        QString text = QString::number(sent++).rightJustified(8, u'0');
        text += QString(Chunk - text.size() + 1, u'c');
        alice.client->socket.sendTextMessage(text);
        const bool gone = QTest::qWaitFor(
                [&] { return alice.client->socket.bytesToWrite() == 0; }, StepTimeoutMs);
        mostQueued = std::max(mostQueued, m_server->queuedBytes());
        return gone;
    };
    while (sent < Messages && !bob.notices.contains(silentLeft))
        QVERIFY(say());
    qInfo() << "most the server held for its chat members:" << mostQueued << "bytes, after"
            << sent << "messages";
    QVERIFY2(mostQueued <= DemoServer::MaxQueuedBytes + 4 * Chunk,
             qPrintable(QString::number(mostQueued)));
    QVERIFY(bob.notices.contains(silentLeft));

    // Reading again, within the server's close timeout, the silent member learns why.
    const QList<ServerFrame> frames = silent.readUntilClose(StepTimeoutMs);
    QVERIFY(!frames.isEmpty());
    QVERIFY(frames.last().isClose());
    QCOMPARE(frames.last().closeCode(), 1008);
    QCOMPARE(frames.last().closeReason(), u"outgoing queue over 16 MiB: client not reading"_s);
    silent.socket.abort();

    // The room goes on without it: Alice and Bob get every message.
    for (int i = 0; i < 16; ++i)
        QVERIFY(say());
    QTRY_COMPARE_WITH_TIMEOUT(bob.large, sent, FloodTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice.large, sent, FloodTimeoutMs);
    QVERIFY(alice.notices.contains(silentLeft));
    QVERIFY(alice.client->isOpen());
    QVERIFY(bob.client->isOpen());
}

// /flood writes more only as the socket drains: a client that stops reading stops the flood,
// and the server holds its high-water mark (512 KiB) plus one message, not the flood.
void tst_DemoServer::floodPacesItselfForClientThatStopsReading()
{
    constexpr qint64 Size = 256 * 1024;
    SilentClient silent;
    QVERIFY(silent.open(m_server->port(), "/flood?n=100000&size=262144&binary=1"));
    qint64 mostQueued = 0;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 1500) {
        QTest::qWait(20);
        mostQueued = std::max(mostQueued, m_server->queuedBytes());
    }
    qInfo() << "most the server held for a stalled flood:" << mostQueued << "bytes";
    QVERIFY2(mostQueued > 0, "the flood never filled the socket");
    QVERIFY2(mostQueued <= 512 * 1024 + Size + 14, qPrintable(QString::number(mostQueued)));

    // Reading again resumes the flood where it stopped, in order.
    const QList<ServerFrame> frames = silent.read(8, StepTimeoutMs);
    QVERIFY(frames.size() >= 8);
    for (qsizetype i = 0; i < frames.size(); ++i)
        QCOMPARE(frames.at(i).payload.left(8).toLongLong(), i + 1);
    silent.socket.abort();
}

// What a client sends is held whole before it is echoed: a message over the limit is refused
// with 1009, and the close frame reaches the client although it was still sending.
void tst_DemoServer::echoRefusesMessageOverIncomingLimit()
{
    TestClient *client = open(u"/echo"_s);
    QVERIFY(waitOpen(client));
    client->socket.sendBinaryMessage(QByteArray(DemoServer::MaxIncomingMessageBytes, 'a'));
    QTRY_COMPARE_WITH_TIMEOUT(client->binaries.size(), 1, FloodTimeoutMs);
    QCOMPARE(client->binaries.first().size(), DemoServer::MaxIncomingMessageBytes);
    client->binaries.clear();

    client->socket.sendBinaryMessage(QByteArray(DemoServer::MaxIncomingMessageBytes + 1, 'b'));
    QTRY_VERIFY_WITH_TIMEOUT(client->disconnected, FloodTimeoutMs);
    QCOMPARE(client->socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(client->binaries.isEmpty());
}

void tst_DemoServer::threadServesAndStops()
{
    DemoServerThread thread;
    QVERIFY2(thread.start(), qPrintable(thread.errorString()));
    QVERIFY(thread.isRunning());
    const QUrl url = thread.url();
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    QVERIFY(url.port() > 0);

    TestClient *echo = open(url.resolved(QUrl(u"/echo"_s)));
    QVERIFY(waitOpen(echo));
    echo->socket.sendTextMessage(u"across threads"_s);
    QTRY_COMPARE_WITH_TIMEOUT(echo->texts.size(), 1, StepTimeoutMs);
    QCOMPARE(echo->texts.first(), u"across threads"_s);

    TestClient *flood = open(url.resolved(QUrl(u"/flood?n=50000&size=64"_s)));
    flood->recordMessages = false;
    qint64 received = 0;
    QObject::connect(&flood->socket, &QWebSocket::textMessageReceived, &flood->socket,
                     [&](const QString &) { ++received; });
    QTRY_VERIFY_WITH_TIMEOUT(flood->disconnected, FloodTimeoutMs);
    QCOMPARE(received, 50'000);

    QVERIFY(!thread.start());  // already running
    thread.stop();
    QVERIFY(!thread.isRunning());
    QVERIFY(thread.url().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(echo->disconnected, StepTimeoutMs);

    // The server is gone with its thread: nothing listens on the port any more.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
    QVERIFY(!probe.waitForConnected(StepTimeoutMs));
    QCOMPARE(probe.error(), QAbstractSocket::ConnectionRefusedError);

    // And it can start again.
    QVERIFY2(thread.start(), qPrintable(thread.errorString()));
    QVERIFY(thread.isRunning());
}

void tst_DemoServer::threadReportsListenFailure()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    DemoServerThread thread;
    QVERIFY(!thread.start(occupier.serverPort()));
    QVERIFY(!thread.isRunning());
    QVERIFY(!thread.errorString().isEmpty());
    QVERIFY(thread.url().isEmpty());
}

void tst_DemoServer::runServeDemoPrintsUrlAndExitsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

void tst_DemoServer::runServeDemoPrintsUrlAndExitsOnSignal()
{
    QFETCH(int, signalNumber);
    QProcess run;
    run.setProcessChannelMode(QProcess::SeparateChannels);
    run.start(runBinary(), {u"--serve-demo"_s});
    QVERIFY2(run.waitForStarted(StepTimeoutMs), qPrintable(run.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(run.canReadLine(), StepTimeoutMs);
    const QString firstLine = QString::fromUtf8(run.readLine()).trimmed();
    const QUrl url(firstLine);
    QVERIFY2(url.isValid() && url.scheme() == u"ws"_s && url.host() == u"127.0.0.1"_s
                     && url.port() > 0,
             qPrintable(firstLine));

    TestClient *echo = open(url.resolved(QUrl(u"/echo"_s)));
    QVERIFY(waitOpen(echo));
    echo->socket.sendTextMessage(u"from another process"_s);
    QTRY_COMPARE_WITH_TIMEOUT(echo->texts.size(), 1, StepTimeoutMs);
    QCOMPARE(echo->texts.first(), u"from another process"_s);

    // Promptly, even with a client that stopped reading a flood.
    SilentClient silent;
    QVERIFY(silent.open(quint16(url.port()), "/flood?n=10000000&size=65536"));
    QElapsedTimer clock;
    QCOMPARE(::kill(pid_t(run.processId()), signalNumber), 0);
    clock.start();
    QVERIFY(run.waitForFinished(StepTimeoutMs));
    qInfo() << "wsprobe-run exited" << clock.elapsed() << "ms after the signal";
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QCOMPARE(run.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(echo->disconnected, StepTimeoutMs);
}

void tst_DemoServer::runWithoutCommandExitsWithUsage()
{
    QProcess run;
    run.start(runBinary(), {});
    QVERIFY(run.waitForFinished(StepTimeoutMs));
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QCOMPARE(run.exitCode(), 2);
    const QString error = QString::fromUtf8(run.readAllStandardError());
    QVERIFY2(error.contains(u"give at least one scenario"_s), qPrintable(error));
    QVERIFY(error.contains(u"--serve-demo"_s));
}

QTEST_GUILESS_MAIN(tst_DemoServer)
#include "tst_demoserver.moc"
