// The Proxy tab with real peers: a node `ws` client (tests/core/proxy/node_client.js) through
// the tab's proxy to the python3-websockets echo server; a held message is edited in the tab
// and forwarded, another dropped.
#include "peerprocess.h"
#include "proxyconnection.h"
#include "proxyserver.h"
#include "proxyview.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {
constexpr int Timeout = 10000;
}

class TestProxyView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editsForwardsAndDropsHeldMessages()
    {
        PeerProcess python;
        QVERIFY2(python.start(PeerProcess::Kind::Python, Timeout), qPrintable(python.errorString()));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile rules(dir.filePath(u"hold.json"_s));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write(R"({"rules": [{"name": "inspect", "direction": "toServer", "hold": true}]})");
        rules.close();

        ProxyView view;
        view.setListen(u"127.0.0.1:0"_s);
        view.setTarget(python.url(u"/"_s).toString());
        view.setRulesFile(rules.fileName());
        QVERIFY(view.start());
        view.resize(1200, 700);
        view.show();

        QString error;
        const PeerProcess::Interpreter node = PeerProcess::findInterpreter(PeerProcess::Kind::Node, Timeout, &error);
        QVERIFY2(!node.program.isEmpty(), qPrintable(error));
        QProcess client;
        client.setProcessEnvironment(node.environment);
        QUrl url = view.server()->url();
        url.setPath(u"/echo"_s);
        client.start(node.program, {PeerProcess::sourceDir() + u"/tests/core/proxy/node_client.js"_s,
                                    url.toString(), QString()});
        QVERIFY(client.waitForStarted(Timeout));
        QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), Timeout);
        QVERIFY(client.readLine().contains("open"));
        client.write(R"({"send": "first"})" "\n" R"({"send": "second"})" "\n");

        auto *held = view.findChild<QListWidget *>(u"proxyHeld"_s);
        auto *editor = view.findChild<QPlainTextEdit *>(u"proxyHeldEditor"_s);
        QVERIFY(held && editor);
        QTRY_COMPARE_WITH_TIMEOUT(held->count(), 2, Timeout);
        QVERIFY(view.currentConnection());
        held->setCurrentRow(0);
        QCOMPARE(editor->toPlainText(), u"first"_s);
        editor->setPlainText(u"first, edited in the tab"_s);
        // docs/screenshot-proxy.png is taken here (under xvfb-run, with this variable set).
        if (qEnvironmentVariableIsSet("WSPROBE_PROXY_SCREENSHOT")) {
            QTest::qWait(150);  // the log view's rows arrive on its ~33 ms timer
            view.grab().save(qEnvironmentVariable("WSPROBE_PROXY_SCREENSHOT"));
        }
        view.forwardSelected();
        QTRY_COMPARE_WITH_TIMEOUT(held->count(), 1, Timeout);
        held->setCurrentRow(0);
        view.dropSelected();
        QTRY_COMPARE_WITH_TIMEOUT(held->count(), 0, Timeout);

        QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), Timeout);
        const QJsonObject answer = QJsonDocument::fromJson(client.readLine()).object();
        QCOMPARE(answer.value(u"message"_s).toString(), u"first, edited in the tab"_s);
        QTest::qWait(200);
        QVERIFY(!client.canReadLine());  // "second" was dropped

        client.write(R"({"close": [1000, ""]})" "\n");
        QTRY_VERIFY_WITH_TIMEOUT(view.currentConnection()->isFinished(), Timeout);
        client.closeWriteChannel();
        QVERIFY(client.state() == QProcess::NotRunning || client.waitForFinished(Timeout));
        view.stop();
        python.stop();
    }
};

QTEST_MAIN(TestProxyView)
#include "tst_proxyview.moc"
