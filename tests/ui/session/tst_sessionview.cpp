// The session view against the built-in demo server, driven as a user would: keys and clicks.
#include "composedmessage.h"
#include "composer.h"
#include "demoserver.h"
#include "assertionsmodel.h"
#include "assertionspanel.h"
#include "framelogfilter.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "liveassertions.h"
#include "mainwindow.h"
#include "session.h"
#include "sessionview.h"
#include "historymodel.h"
#include <QSignalSpy>
#include "keyvalueeditor.h"
#include "keyvaluemodel.h"
#include "requesteditor.h"

#include <QComboBox>
#include <QTabWidget>
#include "themecolors.h"
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

#include "qscintilla.h"

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

bool logShows(const FrameLogModel *model, const QString &preview, Direction direction)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, FrameLogModel::PreviewColumn);
        if (index.data().toString() == preview
            && index.data(FrameLogModel::DirectionRole).toInt() == int(direction)) {
            return true;
        }
    }
    return false;
}

} // namespace

class TestSessionView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectSendWithCtrlEnterAndSeeTheEcho();
    void filtersTheLogToTheEcho();
    void failingAssertionIsCountedAndLinked();
    void assertionTextsNameMessagesAsTheLogNumbersThem();
    void closeWithApplicationCodeShowsCodeAndReason();
    void serverCloseIsShownInTheTab();
    void tabFollowsTheUrlAndShowsTheState();
    void sentAsFollowsTheUrlBarEncodedAsSent();
    void closeCodesThatMayNotBeSentAreWarnedOf();
    void refusedUpgradeIsShownAsARefusal();
    void newAndCloseSessionShortcuts();
    void savedMessagesOutliveTheSession();

private:
    DemoServer m_demo;
};

void TestSessionView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // never touch the user's own settings
    QVERIFY2(m_demo.listen(), qPrintable(m_demo.errorString()));
}

void TestSessionView::connectSendWithCtrlEnterAndSeeTheEcho()
{
    MainWindow window(m_demo.url());
    SessionView *view = window.newSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *url = view->findChild<QLineEdit *>(u"url"_s);
    url->clear();
    QTest::keyClicks(url, m_demo.url().toString() + u"/echo"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"connect"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    QCOMPARE(view->findChild<QPushButton *>(u"connect"_s)->text(), u"Disconnect"_s);

    auto *editor = view->findChild<QsciScintilla *>(u"composerEditor"_s);
    QVERIFY(editor);
    editor->setText(u"{\"hello\": \"wsprobe\"}"_s);
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(logShows(view->logModel(), u"{\"hello\": \"wsprobe\"}"_s, Direction::Incoming), Timeout);
    QVERIFY(logShows(view->logModel(), u"{\"hello\": \"wsprobe\"}"_s, Direction::Outgoing));
    view->session()->abort();
}

void TestSessionView::filtersTheLogToTheEcho()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    view->session()->sendText(u"needle in the log"_s);
    view->session()->sendText(u"hay"_s);
    QTRY_VERIFY_WITH_TIMEOUT(logShows(view->logModel(), u"hay"_s, Direction::Incoming), Timeout);

    auto *filterText = view->findChild<QLineEdit *>(u"filterText"_s);
    QVERIFY(filterText);
    QTest::keyClicks(filterText, u"needle"_s);
    FrameLogFilter *filter = view->logView()->filter();
    // Sent and echoed: two rows, both the needle.
    QTRY_COMPARE_WITH_TIMEOUT(filter->rowCount(), 2, Timeout);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(filter->index(row, FrameLogModel::PreviewColumn).data().toString(), u"needle in the log"_s);
    }
    view->session()->abort();
}

// "message #2 got no reply" named the message by its sequence number, where the log shows it as
// message 1: the texts of the assertions count messages as the log does.
void TestSessionView::assertionTextsNameMessagesAsTheLogNumbersThem()
{
    // /seq?n=0 keeps the connection open and answers nothing.
    MainWindow window(QUrl(m_demo.url().toString() + u"/seq?n=0"_s));
    SessionView *view = window.newSession();
    window.show();
    QString error;
    LiveAssertions *assertions = view->liveAssertions();
    assertions->setUpdateInterval(10);
    QVERIFY2(assertions->add(LiveAssertion::Kind::ReplyWithin, QJsonObject{{u"replyWithinMs"_s, 50}}, &error) >= 0,
             qPrintable(error));
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    view->session()->sendText(u"anyone there?"_s);
    QTRY_COMPARE_WITH_TIMEOUT(assertions->at(0).failed(), 1, Timeout);
    const qint64 unanswered = assertions->at(0).firstFailure()->sequence;
    QCOMPARE(view->session()->log()->at(unanswered).text, u"anyone there?"_s);
    QCOMPARE(view->logModel()->messageNumber(unanswered), 1);
    QVERIFY(unanswered != 1);  // the sequence number differs (the upgrade came first)
    QCOMPARE(assertions->at(0).firstFailure()->explanation, u"message 1 got no reply within 50 ms"_s);

    AssertionsModel *model = view->assertionsPanel()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, AssertionsModel::FirstFailureColumn).data().toString(),
                              u"message 1 · message 1 got no reply within 50 ms"_s, Timeout);
    view->session()->abort();
}

void TestSessionView::failingAssertionIsCountedAndLinked()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    QString error;
    LiveAssertions *assertions = view->liveAssertions();
    assertions->setUpdateInterval(10);
    QVERIFY2(assertions->add(LiveAssertion::Kind::EveryMessage,
                             QJsonObject{{u"jsonSubset"_s, QJsonObject{{u"type"_s, u"ack"_s}}}}, &error) >= 0,
             qPrintable(error));
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    view->session()->sendText(u"{\"type\":\"ack\"}"_s);
    view->session()->sendText(u"{\"type\":\"nack\"}"_s);
    QTRY_COMPARE_WITH_TIMEOUT(assertions->at(0).failed(), 1, Timeout);
    QCOMPARE(assertions->at(0).passed(), 1);
    const qint64 failing = assertions->at(0).firstFailure()->sequence;
    QCOMPARE(view->session()->log()->at(failing).text, u"{\"type\":\"nack\"}"_s);

    // The panel shows the counts, and its link selects the failing frame in the log.
    AssertionsModel *model = view->assertionsPanel()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, Timeout);
    // The failure names its frame as people count messages, not by its sequence number.
    const QString number = QString::number(view->logModel()->messageNumber(failing));
    QVERIFY(view->logModel()->messageNumber(failing) > 0);
    const QString cell = model->index(0, AssertionsModel::FirstFailureColumn).data().toString();
    QVERIFY2(cell.startsWith(u"message "_s + number + u" · "_s), qPrintable(cell));
    Q_EMIT view->assertionsPanel()->frameRequested(failing);
    QCOMPARE(view->logView()->currentSequence(), failing);
    // The jump paused following, and says so.
    QVERIFY(view->logView()->isPaused());
    auto *note = view->logView()->findChild<QLabel *>(u"followNote"_s);
    QVERIFY(note->isVisible());
    QCOMPARE(note->text(), u"Following paused: jumped to message "_s + number + u". Press End or Pause to follow again."_s);

    // The failing row carries a mark in the failure colour; the passing one does not.
    FrameLogModel *log = view->logModel();
    QTRY_VERIFY(log->isFailed(failing));
    const qint64 passing = failing - 1;
    QCOMPARE(view->session()->log()->at(passing).text, u"{\"type\":\"ack\"}"_s);
    QVERIFY(!log->isFailed(passing));
    QTableView *table = view->logView()->table();
    const auto markAt = [&](qint64 sequence) {
        const QRect row = table->visualRect(view->logView()->filter()->index(view->logView()->filter()->rowOf(sequence), 0));
        return table->viewport()->grab().toImage().pixelColor(1, row.center().y());
    };
    const QColor failure = ThemeColors::failure(table->palette());
    QTRY_COMPARE(markAt(failing), failure);
    QVERIFY(markAt(passing) != failure);
    view->session()->abort();
}

void TestSessionView::closeWithApplicationCodeShowsCodeAndReason()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);

    auto *code = view->findChild<QComboBox *>(u"closeCode"_s);
    code->setCurrentIndex(code->findData(4001));
    QTest::keyClicks(view->findChild<QLineEdit *>(u"closeReason"_s), u"auth failed"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"close"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    const QString shown = view->findChild<QLabel *>(u"closeDisplay"_s)->text();
    QVERIFY2(shown.contains(u"4001 application code"_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"\"auth failed\""_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"by client"_s), qPrintable(shown));
}

// Two tabs on one server are told apart by port and path, the title follows the URL bar as it is
// edited, and a dot shows the connection's state.
void TestSessionView::tabFollowsTheUrlAndShowsTheState()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
    const int tab = tabs->indexOf(view);
    const QString hostPort = m_demo.url().host() + u':' + QString::number(m_demo.url().port());
    QCOMPARE(tabs->tabText(tab), hostPort + u"/echo"_s);
    const auto dotColor = [&] {
        const QImage image = tabs->tabIcon(tabs->indexOf(view)).pixmap(12, 12).toImage();
        return image.pixel(image.width() / 2, image.height() / 2);
    };
    QCOMPARE(dotColor(), ThemeColors::muted(view->palette()).rgb());

    auto *url = view->findChild<QLineEdit *>(u"url"_s);
    url->selectAll();
    QTest::keyClicks(url, m_demo.url().toString() + u"/seq?n=3"_s);
    QCOMPARE(tabs->tabText(tab), hostPort + u"/seq"_s);

    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    QCOMPARE(dotColor(), ThemeColors::success(view->palette()).rgb());
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    QCOMPARE(dotColor(), ThemeColors::muted(view->palette()).rgb());
    QCOMPARE(tabs->tabText(tab), hostPort + u"/seq · 1000"_s);
}

// "Sent as" is what goes on the wire: it follows the URL bar as it is edited (it kept the URL the
// tab was opened with), and query values are percent-encoded as sent, not decoded.
void TestSessionView::sentAsFollowsTheUrlBarEncodedAsSent()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    auto *url = view->findChild<QLineEdit *>(u"url"_s);
    auto *sentAs = view->findChild<QLabel *>(u"effectiveUrl"_s);
    QVERIFY(url && sentAs);
    url->selectAll();
    QTest::keyClicks(url, m_demo.url().toString() + u"/chat?room=lobby 1%26x"_s);
    QCOMPARE(sentAs->text(), u"Sent as: "_s + m_demo.url().toString() + u"/chat?room=lobby%201%26x"_s);

    view->requestEditor()->paramsEditor()->model()->appendRow({u"name"_s, u"{{user}} & co"_s, true});
    QCOMPARE(sentAs->text(), u"Sent as: "_s + m_demo.url().toString()
                                 + u"/chat?room=lobby%201%26x&name={{user}}%20%26%20co"_s);
}

// 1005 (and 1006, 1015, 1004) are never sent in a close frame: typing one says so, without
// blocking it (a server's answer to it is worth testing). How the connection ended is shown
// under the URL bar, not at the bottom of the tab.
void TestSessionView::closeCodesThatMayNotBeSentAreWarnedOf()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *view = window.newSession();
    window.show();
    auto *code = view->findChild<QComboBox *>(u"closeCode"_s);
    auto *warning = view->findChild<QLabel *>(u"closeCodeWarning"_s);
    QVERIFY(code && warning);
    QVERIFY(warning->isHidden());
    code->setEditText(u"1005"_s);
    QVERIFY(!warning->isHidden());
    QVERIFY2(warning->toolTip().contains(u"1005 is never sent"_s), qPrintable(warning->toolTip()));
    code->setEditText(u"4001"_s);
    QVERIFY(warning->isHidden());
    code->setEditText(u"no such code"_s);
    QVERIFY(!warning->isHidden());
    code->setEditText(u"1000"_s);
    QVERIFY(warning->isHidden());

    auto *ended = view->findChild<QLabel *>(u"closeDisplay"_s);
    QVERIFY(ended->isHidden());
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Open, Timeout);
    code->setEditText(u"4001"_s);
    QTest::mouseClick(view->findChild<QPushButton *>(u"close"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    QVERIFY(!ended->isHidden());
    QVERIFY(ended->font().bold());
    QVERIFY(ended->mapTo(view, QPoint()).y() < view->findChild<QWidget *>(u"frameLogView"_s)->mapTo(view, QPoint()).y());
}

// A refused upgrade is no WebSocket connection: the tab, the status line and the recent
// connections say "refused · HTTP 401", not the "1006 Abnormal Closure" they used to invent.
void TestSessionView::refusedUpgradeIsShownAsARefusal()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/reject?status=401"_s));
    SessionView *view = window.newSession();
    window.show();
    QSignalSpy ended(view, &SessionView::connectionEnded);
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, Timeout);
    const CloseInfo info = ended.first().at(1).value<CloseInfo>();
    QVERIFY(info.refused);
    QCOMPARE(info.httpStatus, quint16(401));
    auto *tabs = window.findChild<QTabWidget *>(u"sessions"_s);
    const QString tab = tabs->tabText(tabs->indexOf(view));
    QVERIFY2(tab.endsWith(u" · refused · HTTP 401"_s), qPrintable(tab));
    const QString shown = view->findChild<QLabel *>(u"closeDisplay"_s)->text();
    QVERIFY2(shown.startsWith(u"Refused · HTTP 401"_s), qPrintable(shown));
    QVERIFY2(!shown.contains(u"1006"_s) && !tab.contains(u"1006"_s), qPrintable(shown));
    QCOMPARE(outcomeText(info), u"refused · HTTP 401"_s);
}

void TestSessionView::serverCloseIsShownInTheTab()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/close?code=4001&reason=token%20expired"_s));
    SessionView *view = window.newSession();
    window.show();
    view->toggleConnection();
    QTRY_COMPARE_WITH_TIMEOUT(view->session()->state(), SessionState::Closed, Timeout);
    const QString shown = view->findChild<QLabel *>(u"closeDisplay"_s)->text();
    QVERIFY2(shown.contains(u"4001 application code · \"token expired\" · by server"_s), qPrintable(shown));
    QVERIFY2(view->title().endsWith(u"· 4001"_s), qPrintable(view->title()));
}

void TestSessionView::newAndCloseSessionShortcuts()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    window.newSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window) || true);  // offscreen has no window manager
    QCOMPARE(window.sessionCount(), 1);
    QTest::keySequence(&window, QKeySequence::AddTab);
    QCOMPARE(window.sessionCount(), 2);
    QTest::keySequence(&window, QKeySequence::Close);
    QCOMPARE(window.sessionCount(), 1);
}

void TestSessionView::savedMessagesOutliveTheSession()
{
    MainWindow window(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *first = window.newSession();
    first->composer()->setText(u"{\"kept\": true}"_s);
    QVERIFY(first->composer()->saveCurrent(u"kept message"_s) >= 0);
    window.closeSession(0);

    MainWindow later(QUrl(m_demo.url().toString() + u"/echo"_s));
    SessionView *second = later.newSession();
    const QList<SavedMessage> saved = second->composer()->savedMessages();
    QVERIFY(!saved.isEmpty());
    QCOMPARE(saved.last().name, u"kept message"_s);
    QCOMPARE(saved.last().body, u"{\"kept\": true}"_s);
}

QTEST_MAIN(TestSessionView)
#include "tst_sessionview.moc"
