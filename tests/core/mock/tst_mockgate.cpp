// The mock server's front door (MockGate) against a raw TCP client: a request header that never
// ends or is too big is refused, a decision becomes an HTTP status, and a request handed over
// is not consumed (QWebSocketServer reads it again).
#include "mockgate.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

// A loopback server whose connections each go through a MockGate.
class GatedServer : public QObject
{
public:
    explicit GatedServer(MockGate::Decide decide) : m_decide(std::move(decide))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                new MockGate(socket, m_decide, [this](QTcpSocket *handed, const MockGate::Request &request) {
                    handedOver = request;
                    handedBytes = handed->bytesAvailable();
                    handed->deleteLater();
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }

    std::optional<MockGate::Request> handedOver;
    qint64 handedBytes = -1;

private:
    QTcpServer m_server;
    MockGate::Decide m_decide;
};

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nX-Api-Key: k1\r\n" + extra + "\r\n";
}

// What the server answered, once it closed the connection (or the timeout passed). The server
// lives in this thread: the wait turns the event loop.
QByteArray answer(QTcpSocket &client)
{
    QByteArray bytes;
    QObject::connect(&client, &QTcpSocket::readyRead, &client, [&] { bytes += client.readAll(); });
    if (!QTest::qWaitFor([&] { return client.state() == QAbstractSocket::UnconnectedState; }, Timeout))
        qWarning("the server did not close the connection within %d ms", Timeout);
    bytes += client.readAll();
    QObject::disconnect(&client, &QTcpSocket::readyRead, &client, nullptr);
    return bytes;
}

} // namespace

class TestMockGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestIsHandedOverUnread();
    void decisionBecomesAStatus();
    void oversizedHeaderIsRefusedWith431();
    void headerThatNeverEndsIsDropped();
};

void TestMockGate::requestIsHandedOverUnread()
{
    GatedServer server([](const MockGate::Request &) { return 0; });
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(client.waitForConnected(Timeout));
    const QByteArray request = upgradeRequest("/pay%20ments?x=1");
    client.write(request);
    QTRY_VERIFY_WITH_TIMEOUT(server.handedOver.has_value(), Timeout);
    QCOMPARE(server.handedOver->path, u"/pay ments"_s);
    QVERIFY(server.handedOver->asksForWebSocket);
    QVERIFY(server.handedOver->headers.contains({QByteArray("x-api-key"), QByteArray("k1")}));
    // Nothing of the request was consumed: the WebSocket server reads it whole.
    QCOMPARE(server.handedBytes, qint64(request.size()));
    client.abort();
}

void TestMockGate::decisionBecomesAStatus()
{
    GatedServer server([](const MockGate::Request &request) {
        return request.path == u"/admin"_s ? 403 : 0;
    });
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(client.waitForConnected(Timeout));
    client.write(upgradeRequest("/admin"));
    const QByteArray reply = answer(client);
    QVERIFY2(reply.startsWith("HTTP/1.1 403 "), reply.constData());
    QVERIFY(!server.handedOver.has_value());
}

void TestMockGate::oversizedHeaderIsRefusedWith431()
{
    GatedServer server([](const MockGate::Request &) { return 0; });
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(client.waitForConnected(Timeout));
    // 20 KiB of headers and no end to them.
    client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + QByteArray(20 * 1024, 'p'));
    const QByteArray reply = answer(client);
    QVERIFY2(reply.startsWith("HTTP/1.1 431 "), reply.left(80).constData());
    QVERIFY(!server.handedOver.has_value());
}

void TestMockGate::headerThatNeverEndsIsDropped()
{
    GatedServer server([](const MockGate::Request &) { return 0; });
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(client.waitForConnected(Timeout));
    client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // and then nothing
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, Timeout);
    qInfo("dropped after %lld ms", clock.elapsed());
    QVERIFY2(clock.elapsed() >= 4500, qPrintable(u"%1 ms"_s.arg(clock.elapsed())));
    QVERIFY(!server.handedOver.has_value());
}

QTEST_GUILESS_MAIN(TestMockGate)
#include "tst_mockgate.moc"
