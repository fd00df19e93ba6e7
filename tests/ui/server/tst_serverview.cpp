// The Server tab, offscreen: a shipped example served from the window, a real client (Python's
// websockets, tests/app/mock_client.py) in the clients list with its log, the rule it hit
// counted, a message sent from the tab, and "Close Client" with 4001 reaching the client.

#include "framelog.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "mainwindow.h"
#include "mockclientprocess.h"
#include "mockclientsmodel.h"
#include "mockrulesmodel.h"
#include "mockserver.h"
#include "serverview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int WaitMs = 10000;

// The rows of a log model as "direction type preview" lines, for a failure message and a search.
QStringList rowsOf(FrameLogModel *model)
{
    model->flush();
    QStringList rows;
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column : {int(FrameLogModel::DirectionColumn), int(FrameLogModel::TypeColumn),
                           int(FrameLogModel::PreviewColumn)})
            cells.append(model->index(row, column).data().toString());
        rows.append(cells.join(u' '));
    }
    return rows;
}

bool anyRowContains(FrameLogModel *model, const QString &text)
{
    const QStringList rows = rowsOf(model);
    return std::any_of(rows.cbegin(), rows.cend(), [&](const QString &row) { return row.contains(text); });
}

} // namespace

class TestServerView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(u"wsprobe-tests"_s);
        QApplication::setApplicationName(u"tst_serverview"_s);
    }

    void examplesAreShipped()
    {
        const QStringList examples = MainWindow::exampleServers();
        QVERIFY(examples.contains(u":/examples/payments.mock.json"_s));
        QVERIFY(examples.contains(u":/examples/chat.mock.json"_s));
    }

    void brokenFileSaysWhere()
    {
        MainWindow window(QUrl(u"ws://127.0.0.1:1/"_s));
        const QString path = QDir::temp().filePath(u"tst_serverview_broken.mock.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\n  \"wsprobe\": 1,\n  \"server\": { \"routes\": 3 }\n}\n");
        file.close();
        QString error;
        QVERIFY(!window.openServer(path, &error));
        QVERIFY2(error.contains(u"tst_serverview_broken.mock.json:3:"_s), qPrintable(error));
        QFile::remove(path);
    }

    void exampleServedFromTheWindow()
    {
        MainWindow window(QUrl(u"ws://127.0.0.1:1/"_s));
        window.show();
        ServerView *view = window.openServer(u":/examples/payments.mock.json"_s);
        QVERIFY(view);
        QCOMPARE(window.currentServerView(), view);
        QVERIFY(view->isRunning());
        auto *url = view->findChild<QLabel *>(u"serverUrl"_s);
        QVERIFY(url->text().startsWith(u"ws://127.0.0.1:"_s));
        QVERIFY(!view->findChild<QSpinBox *>(u"serverPort"_s)->isEnabled());
        // Every insert, change and removal the two models report is checked as it happens.
        QAbstractItemModelTester clientsTester(view->clientsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester rulesTester(view->rulesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *clientsTable = view->findChild<QTableView *>(u"clientsTable"_s);
        auto *rulesTable = view->findChild<QTableView *>(u"rulesTable"_s);
        MockRulesModel *rules = view->rulesModel();
        QCOMPARE(rulesTable->model(), rules);
        QCOMPARE(rules->rowCount(), 4);  // three rules and "no rule matched"

        // A real client connects: it is listed, selected, and its log shows the upgrade.
        QUrl target(url->text());
        target.setPath(u"/payments"_s);
        MockClientProcess client;
        QString error;
        QVERIFY2(client.start(PeerProcess::Kind::Python, target,
                              {u"--header"_s, u"Authorization: Bearer t0p-s3cret"_s}, &error),
                 qPrintable(error));
        QVERIFY2(client.waitFor(u"open"_s) >= 0, qPrintable(client.transcript()));
        QTRY_COMPARE_WITH_TIMEOUT(clientsTable->model()->rowCount(), 1, WaitMs);
        QCOMPARE(clientsTable->model()->index(0, MockClientsModel::PathColumn).data().toString(), u"/payments"_s);
        QVERIFY(clientsTable->model()->index(0, MockClientsModel::PeerColumn).data().toString().startsWith(u"127.0.0.1:"_s));
        QCOMPARE(clientsTable->model()->index(0, MockClientsModel::StateColumn).data().toString(), u"open"_s);
        QVERIFY(view->selectedClient() != 0);
        const QString detail = view->findChild<QPlainTextEdit *>(u"clientDetail"_s)->toPlainText();
        QVERIFY2(detail.contains(u"Bearer"_s) && !detail.contains(u"t0p-s3cret"_s), qPrintable(detail));
        FrameLogView *logView = view->findChild<FrameLogView *>(u"clientLog"_s);
        QVERIFY(logView->log());
        QVERIFY2(anyRowContains(logView->model(), u"GET /payments"_s), qPrintable(rowsOf(logView->model()).join(u'\n')));

        // A message that matches rule 1: the reply reaches the client, the log fills and the
        // rule's hit count goes up, live.
        QSignalSpy hitsChanged(rules, &QAbstractItemModel::dataChanged);
        client.send(u"{\"initiate_payment\": true}"_s);
        QVERIFY2(QTest::qWaitFor([&] { return !client.messages().isEmpty(); }, WaitMs), qPrintable(client.transcript()));
        QVERIFY(client.messages().first().contains(u"payment_methods"_s));
        const QModelIndex hits = rules->index(rules->rowOf(0, 0), MockRulesModel::HitsColumn);
        QTRY_COMPARE_WITH_TIMEOUT(hits.data().toLongLong(), 1, WaitMs);
        QCOMPARE(rules->index(rules->rowOf(0, 1), MockRulesModel::HitsColumn).data().toLongLong(), 0);
        // The table hears of it: its Hits cell is repainted.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(hitsChanged.cbegin(), hitsChanged.cend(), [&](const QList<QVariant> &args) {
            return args.at(0).toModelIndex() == hits;
        }), WaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(anyRowContains(logView->model(), u"initiate_payment"_s), WaitMs);
        QVERIFY(anyRowContains(logView->model(), u"payment_methods"_s));
        QVERIFY(anyRowContains(logView->model(), u"rule 1 matched"_s));

        // Sent from the tab to the selected client.
        auto *sendText = view->findChild<QLineEdit *>(u"sendText"_s);
        sendText->setText(u"hello from the tab"_s);
        QTest::mouseClick(view->findChild<QPushButton *>(u"sendToClient"_s), Qt::LeftButton);
        QVERIFY2(QTest::qWaitFor([&] { return client.messages().contains(u"hello from the tab"_s); }, WaitMs),
                 qPrintable(client.transcript()));
        QVERIFY(anyRowContains(logView->model(), u"hello from the tab"_s));

        // Close Client with 4001 and a reason: the client gets both, the row says so, and its
        // log keeps the close.
        view->findChild<QSpinBox *>(u"closeCode"_s)->setValue(4001);
        view->findChild<QLineEdit *>(u"closeReason"_s)->setText(u"token expired"_s);
        auto *closeButton = view->findChild<QPushButton *>(u"closeClient"_s);
        QVERIFY(closeButton->isEnabled());
        QTest::mouseClick(closeButton, Qt::LeftButton);
        const int closed = client.waitFor(u"close"_s);
        QVERIFY2(closed >= 0, qPrintable(client.transcript()));
        QCOMPARE(client.events().at(closed).value(u"code"_s).toInt(), 4001);
        QCOMPARE(client.events().at(closed).value(u"reason"_s).toString(), u"token expired"_s);
        QTRY_COMPARE_WITH_TIMEOUT(clientsTable->model()->index(0, MockClientsModel::StateColumn).data().toString(),
                                  u"closed 4001"_s, WaitMs);
        QVERIFY(!closeButton->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(anyRowContains(logView->model(), u"4001"_s), WaitMs);
        QVERIFY(logView->log());  // the ended client's log stays readable

        // Clear Ended lets it go; the log view lets go of it first.
        QTest::mouseClick(view->findChild<QPushButton *>(u"clearEnded"_s), Qt::LeftButton);
        QCOMPARE(clientsTable->model()->rowCount(), 0);
        QVERIFY(!logView->log());

        // Stop, then start again on the port the user picks.
        auto *startStop = view->findChild<QPushButton *>(u"startStop"_s);
        QTest::mouseClick(startStop, Qt::LeftButton);
        QVERIFY(!view->isRunning());
        QCOMPARE(url->text(), u"not listening"_s);
        QTest::mouseClick(startStop, Qt::LeftButton);
        QVERIFY(view->isRunning());
        window.closeCurrentTab();
        QCOMPARE(window.currentServerView(), nullptr);
    }

    // The chat example with three clients talking: the room's messages, Send to All reaching
    // every one, and closing the tab closing them all. With WSPROBE_SCREENSHOTS set it saves the
    // tab as docs/screenshot-server.png shows it (docs/screenshots.md).
    void chatRoomAndSendToAll()
    {
        MainWindow window(QUrl(u"ws://127.0.0.1:1/"_s));
        window.setGeometry(0, 0, 1280, 800);
        window.show();
        ServerView *view = window.openServer(u":/examples/chat.mock.json"_s);
        QVERIFY(view && view->isRunning());
        QUrl chat = view->server()->url();
        chat.setPath(u"/chat"_s);
        QUrl listen = chat;
        listen.setPath(u"/chat/listen"_s);
        MockClientProcess ann, bob, listener;
        QString error;
        QVERIFY2(ann.start(PeerProcess::Kind::Node, chat, {}, &error), qPrintable(error));
        QVERIFY2(ann.waitFor(u"open"_s) >= 0, qPrintable(ann.transcript()));
        QTRY_COMPARE_WITH_TIMEOUT(view->clientsModel()->connectedCount(), 1, WaitMs);
        QVERIFY2(bob.start(PeerProcess::Kind::Python, chat,
                           {u"--header"_s, u"Authorization: Bearer b0b-s3cret"_s}, &error),
                 qPrintable(error));
        QVERIFY2(bob.waitFor(u"open"_s) >= 0, qPrintable(bob.transcript()));
        QTRY_COMPARE_WITH_TIMEOUT(view->clientsModel()->connectedCount(), 2, WaitMs);
        QVERIFY2(listener.start(PeerProcess::Kind::Python, listen, {}, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(view->clientsModel()->connectedCount(), 3, WaitMs);

        ann.send(u"{\"say\": \"hi all, the build is green\"}"_s);
        QVERIFY2(QTest::qWaitFor([&] { return bob.messages().size() >= 2; }, WaitMs), qPrintable(bob.transcript()));
        bob.send(u"/me waves"_s);
        QVERIFY2(QTest::qWaitFor([&] { return ann.messages().contains(u"* waves"_s); }, WaitMs),
                 qPrintable(ann.transcript()));
        bob.send(u"{\"say\": \"shipping it\"}"_s);
        QVERIFY(QTest::qWaitFor([&] { return ann.messages().size() >= 4; }, WaitMs));
        MockRulesModel *rules = view->rulesModel();
        QTRY_COMPARE_WITH_TIMEOUT(rules->hitsAt(rules->rowOf(0, 0)), 2, WaitMs);
        QCOMPARE(rules->hitsAt(rules->rowOf(0, 1)), 1);

        view->findChild<QLineEdit *>(u"sendText"_s)->setText(u"{\"notice\": \"deploy at 17:00\"}"_s);
        QTest::mouseClick(view->findChild<QPushButton *>(u"sendToAll"_s), Qt::LeftButton);
        const QString notice = u"{\"notice\": \"deploy at 17:00\"}"_s;
        QVERIFY2(QTest::qWaitFor([&] { return ann.messages().contains(notice) && bob.messages().contains(notice)
                                              && listener.messages().contains(notice); }, WaitMs),
                 qPrintable(ann.transcript() + u'\n' + bob.transcript()));

        QVERIFY(view->selectClient(view->server()->clientIds().at(1)));  // bob
        FrameLogView *logView = view->findChild<FrameLogView *>(u"clientLog"_s);
        QTRY_VERIFY_WITH_TIMEOUT(anyRowContains(logView->model(), u"deploy at 17:00"_s), WaitMs);
        const QString dir = qEnvironmentVariable("WSPROBE_SCREENSHOTS");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            // The sidebar hidden (Ctrl+B), as one watching a server would; the notice selected.
            window.findChild<QDockWidget *>(u"workspaceDock"_s)->hide();
            logView->model()->flush();
            logView->table()->selectRow(logView->filter()->rowCount() - 1);
            QTest::qWait(400);  // the batched rows, the detail and a repaint
            window.grab().save(dir + u"/server.png"_s);
            if (QGuiApplication::platformName() == u"xcb"_s)
                QProcess::execute(u"import"_s, {u"-window"_s, u"root"_s, u"-crop"_s, u"1280x800+0+0"_s,
                                                u"+repage"_s, dir + u"/server-screen.png"_s});
        }

        // Closing the tab stops the server: every client hears 1001.
        window.closeCurrentTab();
        for (MockClientProcess *client : {&ann, &bob, &listener}) {
            const int closed = client->waitFor(u"close"_s);
            QVERIFY2(closed >= 0, qPrintable(client->transcript()));
            QCOMPARE(client->events().at(closed).value(u"code"_s).toInt(), 1001);
        }
    }
};

QTEST_MAIN(TestServerView)
#include "tst_serverview.moc"
