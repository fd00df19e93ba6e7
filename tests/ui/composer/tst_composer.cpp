// The composer: beautify, the JSON warning, send modes and their refusals, Ctrl+Enter, and the
// saved messages.
#include "composedmessage.h"
#include "composer.h"
#include "savedmessagesmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "qscintilla.h"

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 5000;

ComposedMessage sent(const QSignalSpy &spy, qsizetype i = 0)
{
    return spy.at(i).at(0).value<ComposedMessage>();
}

// With WSPROBE_SCREENSHOTS=<dir>, saves what a user would see, to look at.
void grab(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("WSPROBE_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    if (!widget->isVisible()) {
        widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(widget));
    }
    QCoreApplication::processEvents();  // lay out a tab page just made current
    widget->grab().save(dir + u'/' + name);
}

// Answers the next modal QInputDialog with text (or its default when text is null).
void answerInputDialog(const QString &text, QString *shownDefault)
{
    auto *poll = new QTimer;
    poll->setInterval(10);
    auto deadline = std::make_shared<QDeadlineTimer>(Timeout);
    QObject::connect(poll, &QTimer::timeout, [poll, text, shownDefault, deadline] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog && !deadline->hasExpired())
            return;
        poll->stop();
        poll->deleteLater();
        if (!dialog)
            return;
        *shownDefault = dialog->textValue();
        if (!text.isNull())
            dialog->setTextValue(text);
        dialog->accept();
    });
    poll->start();
}

} // namespace

class TestComposer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void objectNames();
    void beautifyKeepsOrderAndNumbers();
    void beautifyLeavesNonJsonAndSaysSo();
    void jsonWarningHasLineAndColumnAndNeverBlocks();
    void ctrlEnterSends();
    void hexModeSendsBytes();
    void badHexIsRefusedWithTheReason();
    void base64Mode();
    void pingPayloadLimit();
    void savedMessagesAddReorderResend();
    void saveButtonPromptsWithDefaultName();
    void savedListFoldsIntoAMenuWhenNarrow();
};

void TestComposer::initTestCase()
{
    qRegisterMetaType<ComposedMessage>();
}

void TestComposer::objectNames()
{
    Composer composer;
    QCOMPARE(composer.objectName(), u"composer"_s);
    for (const QString &name : {u"composerEditor"_s, u"sendMode"_s, u"sendButton"_s,
                                u"beautifyButton"_s, u"jsonWarning"_s, u"savedMessages"_s,
                                u"saveMessageButton"_s}) {
        QVERIFY2(composer.findChild<QWidget *>(name), qPrintable(name));
    }
}

void TestComposer::beautifyKeepsOrderAndNumbers()
{
    Composer composer;
    composer.setText(u"{\"z\":1.50,\"a\":[1,2,{}],\"s\":\"x,y:{\\\"[\",\"e\":[ ],\"n\":null}"_s);
    QVERIFY(composer.beautify());
    QCOMPARE(composer.text(), u"{\n"
                              "  \"z\": 1.50,\n"
                              "  \"a\": [\n"
                              "    1,\n"
                              "    2,\n"
                              "    {}\n"
                              "  ],\n"
                              "  \"s\": \"x,y:{\\\"[\",\n"
                              "  \"e\": [],\n"
                              "  \"n\": null\n"
                              "}"_s);
    // Idempotent, and Ctrl+Z brings the original back in one step.
    const QString pretty = composer.text();
    QVERIFY(composer.beautify());
    QCOMPARE(composer.text(), pretty);
    composer.editor()->undo();
    QCOMPARE(composer.text(),
             u"{\"z\":1.50,\"a\":[1,2,{}],\"s\":\"x,y:{\\\"[\",\"e\":[ ],\"n\":null}"_s);
    QCOMPARE(MessageComposer::beautifyJson(u"\"just a string\""_s), u"\"just a string\""_s);
}

void TestComposer::beautifyLeavesNonJsonAndSaysSo()
{
    Composer composer;
    composer.setText(u"hello, server"_s);
    QVERIFY(!composer.beautify());
    QCOMPARE(composer.text(), u"hello, server"_s);
    QVERIFY2(composer.notice().contains(u"Not JSON"_s), qPrintable(composer.notice()));

    composer.setText(u"{\"a\": 1,}"_s);
    QVERIFY(!composer.beautify());
    QCOMPARE(composer.text(), u"{\"a\": 1,}"_s);
    QVERIFY2(composer.notice().contains(u"line 1, column 8"_s), qPrintable(composer.notice()));
}

void TestComposer::jsonWarningHasLineAndColumnAndNeverBlocks()
{
    Composer composer;
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setText(u"{\n  \"type\": \"hello\"\n  \"text\": \"hi\"\n}"_s);
    QCOMPARE(composer.jsonWarning(),
             u"⚠ Not valid JSON: expected ',' or '}' after an object member, found a string at line 3, "
             "column 3"_s);
    QVERIFY(composer.send());  // a warning, not a block
    QCOMPARE(spy.count(), 1);
    QCOMPARE(sent(spy).kind, ComposedMessage::Text);
    QCOMPARE(sent(spy).text, composer.text());

    // Typing updates the warning once typing pauses.
    composer.editor()->setText(u"{\"ok\": true}"_s);
    QTRY_COMPARE_WITH_TIMEOUT(composer.jsonWarning(), QString(), Timeout);
    composer.editor()->setText(u"[1, 2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(composer.jsonWarning().contains(u"line 1, column 6"_s), Timeout);
    // Plain text is not JSON trying to be: no warning.
    composer.setText(u"ping me"_s);
    QCOMPARE(composer.jsonWarning(), QString());
    // Nor in binary modes.
    composer.setText(u"{"_s);
    QVERIFY(!composer.jsonWarning().isEmpty());
    composer.setSendMode(SendMode::BinaryBase64);
    QCOMPARE(composer.jsonWarning(), QString());
}

void TestComposer::ctrlEnterSends()
{
    Composer composer;
    composer.resize(700, 260);
    composer.show();
    QVERIFY(QTest::qWaitForWindowActive(&composer));
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setText(u"{\"hello\": \"wsprobe\"}"_s);
    composer.editor()->setFocus();
    QTRY_VERIFY_WITH_TIMEOUT(composer.editor()->hasFocus(), Timeout);

    QTest::keyClick(composer.editor(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(sent(spy).kind, ComposedMessage::Text);
    QCOMPARE(sent(spy).text, u"{\"hello\": \"wsprobe\"}"_s);
    QTest::keyClick(composer.editor(), Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    QCOMPARE(spy.count(), 2);
    // The editor did not get a new line from either.
    QCOMPARE(composer.text(), u"{\"hello\": \"wsprobe\"}"_s);

    QTest::mouseClick(composer.findChild<QPushButton *>(u"sendButton"_s), Qt::LeftButton);
    QCOMPARE(spy.count(), 3);

    composer.setText(u"{\n  \"type\": \"hello\"\n  \"text\": \"hi\"\n}"_s);
    composer.saveCurrent(u"Hello"_s);
    composer.saveCurrent(u"Subscribe to ticker"_s);
    grab(&composer, u"composer-warning.png"_s);
}

void TestComposer::hexModeSendsBytes()
{
    Composer composer;
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setSendMode(SendMode::BinaryHex);
    QCOMPARE(composer.findChild<QComboBox *>(u"sendMode"_s)->currentText(), u"Binary (hex)"_s);
    composer.setText(u"de AD be ef\n00 01"_s);
    QVERIFY(composer.send());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(sent(spy).kind, ComposedMessage::Binary);
    QCOMPARE(sent(spy).bytes, QByteArray::fromHex("deadbeef0001"));
    QCOMPARE(composer.notice(), QString());

    // Beautify regroups hex as 16 bytes a line.
    composer.setText(QString::fromLatin1(QByteArray(20, '\x7f').toHex()));
    QVERIFY(composer.beautify());
    QCOMPARE(composer.text(), u"7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f\n7f 7f 7f 7f"_s);
    QCOMPARE(composer.findChild<QLabel *>(u"sizeLabel"_s)->text(), u"20 bytes"_s);
}

void TestComposer::badHexIsRefusedWithTheReason()
{
    Composer composer;
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setSendMode(SendMode::BinaryHex);
    composer.setText(u"de ad\nbe zz"_s);
    QVERIFY(!composer.send());
    QCOMPARE(spy.count(), 0);
    QCOMPARE(composer.notice(),
             u"Not valid hex: 'z' at line 2, column 4 is not a hex digit (0-9, a-f)"_s);
    composer.resize(700, 220);
    grab(&composer, u"composer-badhex.png"_s);

    composer.setText(u"abc"_s);
    QVERIFY(!composer.send());
    QVERIFY2(composer.notice().contains(u"3 hex digits"_s), qPrintable(composer.notice()));
    QCOMPARE(spy.count(), 0);
}

void TestComposer::base64Mode()
{
    Composer composer;
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setSendMode(SendMode::BinaryBase64);
    composer.setText(u"aGVs\nbG8="_s);
    QVERIFY(composer.send());
    QCOMPARE(sent(spy).kind, ComposedMessage::Binary);
    QCOMPARE(sent(spy).bytes, "hello"_ba);
    composer.setText(u"_-8"_s);  // base64url
    QVERIFY(composer.send());
    QCOMPARE(sent(spy, 1).bytes, QByteArray::fromBase64("_-8", QByteArray::Base64UrlEncoding));

    composer.setText(u"aGVs$bG8="_s);
    QVERIFY(!composer.send());
    QCOMPARE(spy.count(), 2);
    QVERIFY2(composer.notice().startsWith(u"Not valid base64: '$' at line 1, column 5"_s),
             qPrintable(composer.notice()));
}

void TestComposer::pingPayloadLimit()
{
    Composer composer;
    QSignalSpy spy(&composer, &Composer::sendRequested);
    composer.setSendMode(SendMode::Ping);
    composer.setText(QString(125, u'p'));
    QVERIFY(composer.send());
    QCOMPARE(sent(spy).kind, ComposedMessage::Ping);
    QCOMPARE(sent(spy).bytes, QByteArray(125, 'p'));
    QCOMPARE(composer.findChild<QLabel *>(u"sizeLabel"_s)->text(), u"125 / 125 bytes"_s);

    // 63 'é' are 126 bytes of UTF-8 though only 63 characters.
    composer.setText(QString(63, u'é'));
    QVERIFY(!composer.send());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(composer.notice(), u"A ping payload is at most 125 bytes; this one is 126 bytes"_s);

    composer.setText(QString());
    QVERIFY(composer.send());  // empty: the session picks a unique payload
    QCOMPARE(sent(spy, 1).bytes, QByteArray());
}

void TestComposer::savedMessagesAddReorderResend()
{
    Composer composer;
    QAbstractItemModelTester tester(composer.savedMessagesModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy sends(&composer, &Composer::sendRequested);
    QSignalSpy changes(&composer, &Composer::savedMessagesChanged);
    composer.resize(700, 260);
    composer.show();
    QVERIFY(QTest::qWaitForWindowActive(&composer));

    composer.setText(u"{\"op\": \"subscribe\"}"_s);
    QCOMPARE(composer.saveCurrent(u"Subscribe"_s), 0);
    composer.setSendMode(SendMode::BinaryHex);
    composer.setText(u"ca fe"_s);
    QCOMPARE(composer.saveCurrent(QString()), 1);  // no name: its first characters
    composer.setSendMode(SendMode::Text);
    composer.setText(u"bye"_s);
    QCOMPARE(composer.saveCurrent(u"  Bye  "_s), 2);
    QCOMPARE(composer.savedMessages(),
             (QList<SavedMessage>{{u"Subscribe"_s, SendMode::Text, u"{\"op\": \"subscribe\"}"_s},
                                  {u"ca fe"_s, SendMode::BinaryHex, u"ca fe"_s},
                                  {u"Bye"_s, SendMode::Text, u"bye"_s}}));
    QCOMPARE(changes.count(), 3);

    // Reorder with the buttons: Bye (selected, last) up twice, then down once.
    auto *list = composer.findChild<QListView *>(u"savedMessages"_s);
    auto *up = composer.findChild<QToolButton *>(u"moveUpButton"_s);
    auto *down = composer.findChild<QToolButton *>(u"moveDownButton"_s);
    QCOMPARE(list->currentIndex().row(), 2);
    QVERIFY(!down->isEnabled());
    up->click();
    up->click();
    QVERIFY(!up->isEnabled());
    QCOMPARE(composer.savedMessages().at(0).name, u"Bye"_s);
    down->click();
    QStringList names;
    for (const SavedMessage &m : composer.savedMessages())
        names.append(m.name);
    QCOMPARE(names, (QStringList{u"Subscribe"_s, u"Bye"_s, u"ca fe"_s}));
    QVERIFY(!composer.savedMessagesModel()->move(0, 3));  // out of range

    // Double-click resends as saved (the hex one as bytes), without touching the editor.
    composer.setText(u"draft"_s);
    const QRect hexRect = list->visualRect(composer.savedMessagesModel()->index(2));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, hexRect.center());
    QCOMPARE(sends.count(), 0);  // one click selects
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, hexRect.center());
    QTRY_COMPARE_WITH_TIMEOUT(sends.count(), 1, Timeout);
    QCOMPARE(sent(sends).kind, ComposedMessage::Binary);
    QCOMPARE(sent(sends).bytes, QByteArray::fromHex("cafe"));
    QCOMPARE(composer.text(), u"draft"_s);
    QVERIFY(composer.sendSaved(0));
    QCOMPARE(sent(sends, 1).text, u"{\"op\": \"subscribe\"}"_s);
    grab(&composer, u"composer-saved.png"_s);

    // Load puts one into the editor; remove drops the selected one.
    list->setCurrentIndex(composer.savedMessagesModel()->index(2));
    composer.findChild<QToolButton *>(u"loadMessageButton"_s)->click();
    QCOMPARE(composer.text(), u"ca fe"_s);
    QCOMPARE(composer.sendMode(), SendMode::BinaryHex);
    composer.findChild<QToolButton *>(u"removeMessageButton"_s)->click();
    QCOMPARE(composer.savedMessages().size(), 2);

    // Persistence goes through savedMessages()/setSavedMessages().
    const QList<SavedMessage> kept = composer.savedMessages();
    Composer other;
    other.setSavedMessages(kept);
    QCOMPARE(other.savedMessages(), kept);
}

void TestComposer::saveButtonPromptsWithDefaultName()
{
    Composer composer;
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    composer.setText(u"{\n   \"type\":   \"subscribe\", \"channel\": \"ticker\"}"_s);

    QString shown;
    answerInputDialog(QString(), &shown);
    composer.findChild<QPushButton *>(u"saveMessageButton"_s)->click();
    QCOMPARE(shown, u"{ \"type\": \"subscribe\", \"channe"_s);  // 30 characters
    QCOMPARE(composer.savedMessages().size(), 1);
    QCOMPARE(composer.savedMessages().at(0).name, shown);

    answerInputDialog(u"Ticker"_s, &shown);
    composer.findChild<QPushButton *>(u"saveMessageButton"_s)->click();
    QCOMPARE(composer.savedMessages().size(), 2);
    QCOMPARE(composer.savedMessages().at(1).name, u"Ticker"_s);
}

void TestComposer::savedListFoldsIntoAMenuWhenNarrow()
{
    // In a pane, as in a session: a top-level composer's own layout would hold it wide.
    QWidget pane;
    auto *layout = new QVBoxLayout(&pane);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *composerInPane = new Composer(&pane);
    layout->addWidget(composerInPane);
    Composer &composer = *composerInPane;
    composer.setSavedMessages({{u"hello"_s, SendMode::Text, u"{\"hi\":1}"_s}});
    pane.resize(900, 240);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    auto *list = composer.findChild<QListView *>(u"savedMessages"_s);
    auto *menuButton = composer.findChild<QToolButton *>(u"savedMenuButton"_s);
    QVERIFY(list->isVisible());
    QVERIFY(menuButton->isHidden());
    const int wide = composer.minimumSizeHint().width();

    // Half a 1280-pixel window: the list hides, the menu stands in, nothing is squeezed.
    pane.resize(420, 240);
    QTRY_VERIFY(!list->isVisible());
    QVERIFY(menuButton->isVisible());
    QVERIFY(composer.minimumSizeHint().width() <= 420);
    QCOMPARE(composer.minimumSizeHint().width(), wide);  // the same whether the list shows or not
    menuButton->menu()->aboutToShow();
    QCOMPARE(menuButton->menu()->actions().first()->text(), u"hello"_s);
    menuButton->menu()->actions().first()->trigger();
    QCOMPARE(composer.text(), u"{\"hi\":1}"_s);

    pane.resize(900, 240);
    QTRY_VERIFY(list->isVisible());
    QVERIFY(menuButton->isHidden());
}

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
