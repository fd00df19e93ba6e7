// The run-assertions panel as a user drives it: assertions added through its editor, events
// logged as a session would log them, counts seen in the table once the batch arrives, a click
// on a failure asking for its frame.
#include "assertionsmodel.h"
#include "assertionspanel.h"
#include "framelog.h"
#include "jsontext.h"
#include "liveassertions.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QUrl>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

using Kind = LiveAssertion::Kind;
using Status = LiveAssertion::Status;

namespace {

constexpr qint64 Ms = 1'000'000;
// Bounds a wait for the panel's batch (100 ms); it normally comes in one interval.
constexpr int BatchTimeoutMs = 5000;

FrameEvent message(Direction direction, const QString &text, qint64 atMs)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = direction;
    event.text = text;
    event.size = utf8Length(text);
    event.monotonicNs = atMs * Ms;
    return event;
}

FrameEvent received(const QString &text, qint64 atMs = 0)
{
    return message(Direction::Incoming, text, atMs);
}

FrameEvent sent(const QString &text, qint64 atMs = 0)
{
    return message(Direction::Outgoing, text, atMs);
}

QString tick(qint64 seq)
{
    return uR"({"type":"tick","seq":%1})"_s.arg(seq);
}

// Where the tests leave pictures of the widgets, for a person to look at.
QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(WSPROBE_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

// One panel over one log, as the window sets them up, with the model's ranges checked.
struct Fixture
{
    FrameLog log;
    LiveAssertions live;
    AssertionsPanel panel;
    QAbstractItemModelTester tester{panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest};
    qint64 nowNs = 0;

    Fixture()
    {
        live.setClock([this] { return nowNs; });
        live.setLog(&log);
        panel.setAssertions(&live);
        panel.resize(960, 460);
        panel.show();
    }

    template<typename T>
    T *child(const QString &name)
    {
        T *found = panel.findChild<T *>(name);
        if (!found)
            qFatal("no %s in the panel", qPrintable(name));
        return found;
    }

    QString cell(int row, int column) const
    {
        return panel.model()->index(row, column).data().toString();
    }

    // What a user does: Add, pick a kind, type the spec.
    void openEditor(Kind kind, const QString &spec)
    {
        QTest::mouseClick(child<QPushButton>(u"addAssertion"_s), Qt::LeftButton);
        child<QComboBox>(u"assertionKind"_s)->setCurrentIndex(int(kind));
        auto *editor = child<QPlainTextEdit>(u"assertionSpec"_s);
        editor->selectAll();
        editor->insertPlainText(spec);
    }

    bool add(Kind kind, const QString &spec)
    {
        openEditor(kind, spec);
        auto *ok = child<QPushButton>(u"assertionOk"_s);
        if (!ok->isEnabled())
            return false;
        QTest::mouseClick(ok, Qt::LeftButton);
        return true;
    }
};

} // namespace

class TestAssertionsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void addThroughTheEditorAndWatchItCount();
    void clickingAFailureRequestsItsFrame();
    void invalidSpecShowsTheErrorAndBlocksAdding_data();
    void invalidSpecShowsTheErrorAndBlocksAdding();
    void presetsFillKindAndSpec();
    void removeAndResetCounts();
    void reconnectStartsCountsOverUnlessUnticked();
    void failureGoneFromTheLogIsNotALink();
    void withoutAnEngineNothingCanBeAdded();
    void everyKindAtOnce();
    void schemaFromAFileChecksEveryMessage();
    void schemaFileThatIsNotJsonIsRefusedInline();

private:
    QTemporaryDir m_dir;
};

void TestAssertionsPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QVERIFY(m_dir.isValid());
}

void TestAssertionsPanel::addThroughTheEditorAndWatchItCount()
{
    Fixture f;
    auto *editorFrame = f.panel.findChild<QWidget *>(u"assertionEditor"_s);
    QVERIFY(editorFrame && editorFrame->isHidden());

    QVERIFY(f.add(Kind::EveryMessage, uR"({"schema": {"type": "object", "required": ["seq"],
        "properties": {"seq": {"type": "integer"}}}})"_s));
    QVERIFY(editorFrame->isHidden());
    QCOMPARE(f.panel.model()->rowCount(), 1);
    QCOMPARE(f.panel.model()->index(0, 0).data(AssertionsModel::StatusRole).toInt(), int(Status::NotChecked));
    QVERIFY(f.cell(0, AssertionsModel::AssertionColumn).startsWith(u"every message matches json schema"));

    QSignalSpy rowChanges(f.panel.model(), &QAbstractItemModel::dataChanged);
    for (int i = 1; i <= 1000; ++i)
        f.log.append(received(tick(i)));
    const qint64 bad = f.log.append(received(uR"({"seq":"x"})"_s));
    f.log.append(received(tick(1001)));

    // Nothing reaches the view per event; one batch does, within an interval.
    QCOMPARE(rowChanges.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(rowChanges.count(), 1, BatchTimeoutMs);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"1"_s);
    QCOMPARE(f.cell(0, AssertionsModel::PassedColumn), QLocale().toString(1001));
    QCOMPARE(f.panel.model()->index(0, 0).data(AssertionsModel::StatusRole).toInt(), int(Status::Failing));
    QVERIFY(f.cell(0, AssertionsModel::StatusColumn).startsWith(u"failing"));
    const QString first = f.cell(0, AssertionsModel::FirstFailureColumn);
    QVERIFY2(first.startsWith(u"#%1 · /seq: "_s.arg(bad)), qPrintable(first));
    QCOMPARE(f.panel.model()->index(0, AssertionsModel::FirstFailureColumn)
                 .data(AssertionsModel::SequenceRole).toLongLong(),
             bad);
}

void TestAssertionsPanel::clickingAFailureRequestsItsFrame()
{
    Fixture f;
    QVERIFY(f.add(Kind::Monotonic, uR"({"monotonic": "/seq"})"_s));
    QSignalSpy rowChanges(f.panel.model(), &QAbstractItemModel::dataChanged);
    f.log.append(received(tick(1)));
    const qint64 firstBad = f.log.append(received(tick(1)));
    f.log.append(received(tick(2)));
    const qint64 lastBad = f.log.append(received(tick(0)));
    QTRY_COMPARE_WITH_TIMEOUT(rowChanges.count(), 1, BatchTimeoutMs);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"2"_s);

    auto *table = f.child<QTableView>(u"assertionsTable"_s);
    QSignalSpy requested(&f.panel, &AssertionsPanel::frameRequested);
    const auto click = [&](int column) {
        const QRect cell = table->visualRect(f.panel.model()->index(0, column));
        QVERIFY(cell.isValid());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    };
    click(AssertionsModel::FirstFailureColumn);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toLongLong(), firstBad);
    click(AssertionsModel::LastFailureColumn);
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.at(1).at(0).toLongLong(), lastBad);
    click(AssertionsModel::AssertionColumn);  // not a failure: selects, asks for nothing
    QCOMPARE(requested.count(), 2);

    // The details under the table link to both failures.
    auto *details = f.child<QTextBrowser>(u"assertionDetails"_s);
    const QString html = details->toHtml();
    QVERIFY2(html.contains(u"href=\"frame:%1\""_s.arg(firstBad)), qPrintable(html));
    QVERIFY(html.contains(u"href=\"frame:%1\""_s.arg(lastBad)));
    Q_EMIT details->anchorClicked(QUrl(u"frame:%1"_s.arg(lastBad)));
    QCOMPARE(requested.count(), 3);
    QCOMPARE(requested.at(2).at(0).toLongLong(), lastBad);
}

void TestAssertionsPanel::invalidSpecShowsTheErrorAndBlocksAdding_data()
{
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error");

    QTest::newRow("bad regex") << Kind::EveryMessage << uR"({"textMatches": "("})"_s
                               << u"/textMatches: invalid regular expression at offset 1"_s;
    QTest::newRow("not JSON") << Kind::NoMessage << u"{\n  \"text\": }"_s
                              << u"Not JSON: "_s;
    QTest::newRow("bad schema") << Kind::EveryMessage << uR"({"schema": {"type": "nonsense"}})"_s
                                << u"/schema: invalid schema"_s;
    QTest::newRow("bad pointer") << Kind::Monotonic << uR"({"monotonic": "seq"})"_s << u"/monotonic: "_s;
    QTest::newRow("another kind's spec") << Kind::ReplyWithin << uR"({"monotonic": "/seq"})"_s
                                         << u"this kind of assertion is written {\"replyWithinMs\": 200}"_s;
}

void TestAssertionsPanel::invalidSpecShowsTheErrorAndBlocksAdding()
{
    QFETCH(Kind, kind);
    QFETCH(QString, spec);
    QFETCH(QString, error);

    Fixture f;
    f.openEditor(kind, spec);
    auto *errorLabel = f.child<QLabel>(u"assertionError"_s);
    auto *ok = f.child<QPushButton>(u"assertionOk"_s);
    QVERIFY2(errorLabel->text().startsWith(error), qPrintable(errorLabel->text()));
    QVERIFY(errorLabel->isVisible());
    QVERIFY(!ok->isEnabled());
    QVERIFY(!f.panel.acceptEditor());
    QCOMPARE(f.panel.model()->rowCount(), 0);
    if (qstrcmp(QTest::currentDataTag(), "not JSON") == 0)
        QVERIFY2(errorLabel->text().contains(u"line 2"), qPrintable(errorLabel->text()));

    // Fixed: the error goes, OK comes back.
    auto *editor = f.child<QPlainTextEdit>(u"assertionSpec"_s);
    editor->setPlainText(kind == Kind::Monotonic ? uR"({"monotonic": "/seq"})"_s
                         : kind == Kind::ReplyWithin ? uR"({"replyWithinMs": 200})"_s
                                                     : uR"({"textContains": "x"})"_s);
    QVERIFY(errorLabel->text().isEmpty());
    QVERIFY(ok->isEnabled());
    QVERIFY(f.panel.acceptEditor());
    QCOMPARE(f.panel.model()->rowCount(), 1);
}

void TestAssertionsPanel::presetsFillKindAndSpec()
{
    Fixture f;
    QTest::mouseClick(f.child<QPushButton>(u"addAssertion"_s), Qt::LeftButton);
    auto *kind = f.child<QComboBox>(u"assertionKind"_s);
    auto *preset = f.child<QComboBox>(u"assertionPreset"_s);
    auto *editor = f.child<QPlainTextEdit>(u"assertionSpec"_s);
    auto *ok = f.child<QPushButton>(u"assertionOk"_s);

    // Add starts from the first kind's preset, which is valid.
    QCOMPARE(kind->currentIndex(), int(Kind::EveryMessage));
    QVERIFY(editor->toPlainText().contains(u"\"schema\""));
    QVERIFY(ok->isEnabled());

    const int increases = preset->findText(u"Field /seq increases"_s);
    QVERIFY(increases > 0);
    preset->setCurrentIndex(increases);
    QCOMPARE(kind->currentIndex(), int(Kind::Monotonic));
    QCOMPARE(editor->toPlainText(), uR"({"monotonic": "/seq"})"_s);
    QCOMPARE(preset->currentIndex(), 0);  // a menu: back to its title
    QVERIFY(ok->isEnabled());

    // An untouched preset follows the kind; the user's own text does not.
    kind->setCurrentIndex(int(Kind::ReplyWithin));
    QCOMPARE(editor->toPlainText(), uR"({"replyWithinMs": 200})"_s);
    editor->setPlainText(uR"({"replyWithinMs": 50, "reply": {"textContains": "ack"}})"_s);
    kind->setCurrentIndex(int(Kind::Count));
    QVERIFY(editor->toPlainText().contains(u"\"ack\""));
    QVERIFY(!ok->isEnabled());  // a reply spec is not a count
    kind->setCurrentIndex(int(Kind::ReplyWithin));
    QVERIFY(ok->isEnabled());

    QVERIFY(f.panel.acceptEditor());
    QCOMPARE(f.cell(0, AssertionsModel::AssertionColumn), uR"(reply within 50 ms: text contains "ack")"_s);
}

void TestAssertionsPanel::removeAndResetCounts()
{
    Fixture f;
    QVERIFY(f.add(Kind::EveryMessage, uR"({"textContains": "a"})"_s));
    QVERIFY(f.add(Kind::NoMessage, uR"({"textContains": "b"})"_s));
    f.log.append(received(u"ab"_s));
    f.live.flush();
    QCOMPARE(f.cell(0, AssertionsModel::PassedColumn), u"1"_s);
    QCOMPARE(f.cell(1, AssertionsModel::FailedColumn), u"1"_s);

    auto *remove = f.child<QPushButton>(u"removeAssertion"_s);
    auto *table = f.child<QTableView>(u"assertionsTable"_s);
    table->selectRow(0);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(f.panel.model()->rowCount(), 1);
    QCOMPARE(f.cell(0, AssertionsModel::AssertionColumn), uR"(no message matches text contains "b")"_s);

    QTest::mouseClick(f.child<QPushButton>(u"resetAssertions"_s), Qt::LeftButton);
    // At once: a user action is not batched.
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"0"_s);
    QCOMPARE(f.cell(0, AssertionsModel::FirstFailureColumn), u"—"_s);
    QCOMPARE(f.panel.model()->index(0, 0).data(AssertionsModel::StatusRole).toInt(), int(Status::NotChecked));
}

// A server that numbers each connection's messages from 1 must not fail "/seq increases" at the
// first message of the next connection, unless the user asks to count across connections.
void TestAssertionsPanel::reconnectStartsCountsOverUnlessUnticked()
{
    Fixture f;
    QVERIFY(f.add(Kind::Monotonic, uR"({"monotonic": "/seq", "step": 1})"_s));
    auto *box = f.child<QCheckBox>(u"resetOnReconnect"_s);
    QVERIFY(box->isChecked());
    QVERIFY(box->isVisible());

    FrameEvent request;
    request.kind = EventKind::Handshake;
    request.direction = Direction::Outgoing;
    const auto connection = [&f, &request](int messages) {
        f.log.append(FrameEvent(request));
        for (int seq = 1; seq <= messages; ++seq)
            f.log.append(received(tick(seq)));
        f.live.flush();
    };
    connection(20);
    QCOMPARE(f.cell(0, AssertionsModel::PassedColumn), u"20"_s);
    connection(1);
    QCOMPARE(f.cell(0, AssertionsModel::PassedColumn), u"1"_s);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"0"_s);

    box->click();
    QVERIFY(!f.live.resetsOnReconnect());
    connection(1);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"1"_s);  // 1 after 1 is no step up
}

void TestAssertionsPanel::failureGoneFromTheLogIsNotALink()
{
    Fixture f;
    f.log.setCapacity(FrameLog::ChunkSize);
    QVERIFY(f.add(Kind::EveryMessage, uR"({"text": "ok"})"_s));
    f.log.append(received(u"bad"_s));
    for (int i = 0; i < 3 * FrameLog::ChunkSize; ++i)
        f.log.append(received(u"ok"_s));
    QVERIFY(!f.log.contains(0));
    QTRY_VERIFY_WITH_TIMEOUT(f.cell(0, AssertionsModel::FirstFailureColumn).contains(u"gone from the log"),
                             BatchTimeoutMs);
    QSignalSpy requested(&f.panel, &AssertionsPanel::frameRequested);
    auto *table = f.child<QTableView>(u"assertionsTable"_s);
    const QRect cell = table->visualRect(f.panel.model()->index(0, AssertionsModel::FirstFailureColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(requested.count(), 0);
}

void TestAssertionsPanel::withoutAnEngineNothingCanBeAdded()
{
    AssertionsPanel panel;
    auto *add = panel.findChild<QPushButton *>(u"addAssertion"_s);
    QVERIFY(!add->isEnabled());
    panel.showEditor();
    QVERIFY(panel.findChild<QWidget *>(u"assertionEditor"_s)->isHidden());
    QVERIFY(!panel.acceptEditor());

    // An engine that goes away takes its rows with it.
    auto live = std::make_unique<LiveAssertions>();
    QString error;
    live->add(Kind::EveryMessage, QJsonObject{{u"text"_s, u"a"_s}}, &error);
    panel.setAssertions(live.get());
    QCOMPARE(panel.model()->rowCount(), 1);
    QVERIFY(add->isEnabled());
    live.reset();
    QCOMPARE(panel.model()->rowCount(), 0);
}

void TestAssertionsPanel::everyKindAtOnce()
{
    // A session with one assertion of each kind, in each state: also the picture for people.
    Fixture f;
    QVERIFY(f.add(Kind::EveryMessage, uR"({"schema": {"type": "object", "required": ["type", "seq"],
        "properties": {"seq": {"type": "integer"}}}})"_s));
    QVERIFY(f.add(Kind::Monotonic,
                  uR"({"monotonic": "/seq", "step": 1, "where": {"jsonSubset": {"type": "tick"}}})"_s));
    QVERIFY(f.add(Kind::ReplyWithin, uR"({"replyWithinMs": 200})"_s));
    QVERIFY(f.add(Kind::NoMessage, uR"({"textContains": "error"})"_s));
    QVERIFY(f.add(Kind::Count, uR"({"count": {"textContains": "pong"}, "atLeast": 5})"_s));
    QVERIFY(f.add(Kind::Count, uR"({"count": {"close": "any"}, "atMost": 0})"_s));

    qint64 at = 0;
    for (int i = 1; i <= 40; ++i) {
        f.log.append(sent(u"ping"_s, at));
        at += 20;
        f.log.append(received(i == 17 ? uR"({"type":"tick","seq":"seventeen"})"_s : tick(i), at));
        at += 20;
    }
    f.log.append(received(u"pong"_s, at));
    f.log.append(received(tick(44), at));
    f.nowNs = at * Ms;
    f.live.flush();

    auto *table = f.child<QTableView>(u"assertionsTable"_s);
    table->selectRow(0);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"2"_s);  // "seventeen", and "pong"
    QCOMPARE(f.cell(1, AssertionsModel::FailedColumn), u"2"_s);  // "seventeen", and 44 after 40
    QVERIFY(f.cell(2, AssertionsModel::StatusColumn).startsWith(u"passing"));
    QVERIFY(f.cell(3, AssertionsModel::StatusColumn).startsWith(u"passing"));
    QCOMPARE(f.cell(4, AssertionsModel::StatusColumn), u"waiting · 1 of at least 5"_s);
    QCOMPARE(f.cell(5, AssertionsModel::StatusColumn), u"passing · 0 of at most 0"_s);

    // Add open, as a user would see it while writing one more.
    f.openEditor(Kind::NoMessage, uR"({"textMatches": "err(or"})"_s);
    QVERIFY(f.panel.grab().save(screenshotPath(u"assertions-panel.png"_s)));
    f.panel.hideEditor();
    f.panel.layout()->activate();
    QVERIFY(f.panel.grab().save(screenshotPath(u"assertions-panel-closed.png"_s)));
}

void TestAssertionsPanel::schemaFromAFileChecksEveryMessage()
{
    const QString path = m_dir.filePath(u"tick.schema.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\r\n  \"type\": \"object\",\r\n  \"required\": [\"type\", \"seq\"],\r\n"
               "  \"properties\": {\"seq\": {\"type\": \"integer\"}}\r\n}\r\n");
    file.close();

    Fixture f;
    // The button only asks for a path; without dialogs it asks nothing and changes nothing.
    auto *editorFrame = f.child<QWidget>(u"assertionEditor"_s);
    QTest::mouseClick(f.child<QPushButton>(u"addAssertion"_s), Qt::LeftButton);
    f.child<QComboBox>(u"assertionKind"_s)->setCurrentIndex(int(Kind::Count));
    auto *editor = f.child<QPlainTextEdit>(u"assertionSpec"_s);
    const QString before = editor->toPlainText();
    QTest::mouseClick(f.child<QPushButton>(u"assertionSchemaFile"_s), Qt::LeftButton);
    QCOMPARE(editor->toPlainText(), before);
    f.panel.hideEditor();

    QVERIFY(f.panel.loadSchemaFile(path));
    QVERIFY(editorFrame->isVisible());
    QCOMPARE(f.child<QComboBox>(u"assertionKind"_s)->currentIndex(), int(Kind::EveryMessage));
    // Inlined as the file has it (key order kept), line endings made the editor's own.
    const QString spec = editor->toPlainText();
    QVERIFY2(spec.startsWith(u"{\"schema\": {\n    \"type\": \"object\","_s), qPrintable(spec));
    QVERIFY(!spec.contains(u'\r'));
    QVERIFY(f.child<QLabel>(u"assertionError"_s)->text().isEmpty());
    auto *ok = f.child<QPushButton>(u"assertionOk"_s);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QCOMPARE(f.panel.model()->rowCount(), 1);
    QVERIFY(f.cell(0, AssertionsModel::AssertionColumn).startsWith(u"every message matches json schema"));

    f.log.append(received(tick(1)));
    const qint64 bad = f.log.append(received(uR"({"type":"tick","seq":"two"})"_s));
    f.live.flush();
    QCOMPARE(f.cell(0, AssertionsModel::PassedColumn), u"1"_s);
    QCOMPARE(f.cell(0, AssertionsModel::FailedColumn), u"1"_s);
    QCOMPARE(f.panel.model()->index(0, 0).data(AssertionsModel::StatusRole).toInt(), int(Status::Failing));
    QCOMPARE(f.panel.model()->index(0, AssertionsModel::FirstFailureColumn)
                 .data(AssertionsModel::SequenceRole).toLongLong(),
             bad);
}

void TestAssertionsPanel::schemaFileThatIsNotJsonIsRefusedInline()
{
    const QString path = m_dir.filePath(u"broken.schema.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"type\": \"object\"\n  \"required\": [\"seq\"]\n}\n");
    file.close();

    Fixture f;
    auto *error = f.child<QLabel>(u"assertionError"_s);
    auto *ok = f.child<QPushButton>(u"assertionOk"_s);
    QVERIFY(!f.panel.loadSchemaFile(path));
    QVERIFY(f.child<QWidget>(u"assertionEditor"_s)->isVisible());
    QVERIFY2(error->text().startsWith(u"broken.schema.json is not JSON: "_s), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"line 3"), qPrintable(error->text()));
    QVERIFY(error->isVisible());
    QVERIFY(!ok->isEnabled());
    QVERIFY(!f.panel.acceptEditor());
    QCOMPARE(f.panel.model()->rowCount(), 0);

    QVERIFY(!f.panel.loadSchemaFile(m_dir.filePath(u"missing.json"_s)));
    QVERIFY2(error->text().startsWith(u"Cannot read "_s), qPrintable(error->text()));

    // JSON, but not a schema: the matcher's own error.
    QFile notSchema(m_dir.filePath(u"not-a-schema.json"_s));
    QVERIFY(notSchema.open(QIODevice::WriteOnly));
    notSchema.write("{\"type\": \"nonsense\"}");
    notSchema.close();
    QVERIFY(!f.panel.loadSchemaFile(notSchema.fileName()));
    QVERIFY2(error->text().startsWith(u"/schema: invalid schema"_s), qPrintable(error->text()));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(f.panel.model()->rowCount(), 0);
}

QTEST_MAIN(TestAssertionsPanel)
#include "tst_assertionspanel.moc"
