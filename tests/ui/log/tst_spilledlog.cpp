// A log whose payloads mostly moved to disk under a small LogMemoryBudget reads as one kept in
// RAM: rows, filters, the detail pane and exports see the same bytes; the Log Memory dialog sets
// the budget the window's sessions share.
#include "framedetailview.h"
#include "framelog.h"
#include "framelogfilter.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "logexporter.h"
#include "logmemorybudget.h"
#include "logmemorydialog.h"
#include "sessionmanager.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr qint64 Messages = 3000;
constexpr qint64 PayloadBytes = 8 * 1024;  // 3000 x 8 KiB: about 6 segments, most on disk

// Message n: a JSON object padded to PayloadBytes, with a word that only it has.
QString messageText(qint64 n)
{
    const QString head = u"{\"n\":%1,\"tag\":\"only-%1-here\",\"pad\":\""_s.arg(n);
    return head + QString(PayloadBytes - head.size() - 2, u'x') + u"\"}"_s;
}

void fill(FrameLog &log)
{
    for (qint64 n = 0; n < Messages; ++n) {
        FrameEvent event;
        event.kind = EventKind::Text;
        event.direction = n % 2 ? Direction::Incoming : Direction::Outgoing;
        event.monotonicNs = n * 1'000'000;
        event.wallMs = 1'700'000'000'000 + n;
        event.text = messageText(n);
        event.size = event.text.size();
        log.append(std::move(event));
    }
}

} // namespace

class TestSpilledLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void rowsFilterAndDetailReadSpilledPayloads();
    void exportWritesSpilledPayloads();
    void dialogSetsTheSharedBudget();

private:
    std::shared_ptr<LogMemoryBudget> m_budget;
};

void TestSpilledLog::init()
{
    m_budget = std::make_shared<LogMemoryBudget>(PayloadArena::SegmentBytes);
}

void TestSpilledLog::rowsFilterAndDetailReadSpilledPayloads()
{
    FrameLog log;
    log.setMemoryBudget(m_budget);
    fill(log);
    QVERIFY2(log.spillError().isEmpty(), qPrintable(log.spillError()));
    QVERIFY(log.payloadBytesOnDisk() >= 3 * PayloadArena::SegmentBytes);

    FrameLogView view;
    view.setLog(&log);
    view.resize(1000, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.model()->flush();
    QCOMPARE(view.model()->rowCount(), int(Messages));

    // The first message's payload is on disk: its row still previews it.
    const QString preview = view.model()->index(0, FrameLogModel::PreviewColumn).data().toString();
    QVERIFY2(preview.contains(u"only-0-here"_s), qPrintable(preview));

    // A text filter finds the one message that has the word, among spilled payloads.
    auto *filterText = view.findChild<QLineEdit *>(u"filterText"_s);
    QVERIFY(filterText);
    QTest::keyClicks(filterText, u"only-17-here"_s);
    view.applyFilter();
    QTRY_VERIFY_WITH_TIMEOUT(!view.filter()->isScanning(), 10000);
    QCOMPARE(view.filter()->rowCount(), 1);
    QCOMPARE(view.filter()->sequenceAt(0), 17);

    // The detail pane shows it whole.
    QVERIFY(view.selectSequence(17));
    auto *detail = view.findChild<QPlainTextEdit *>(u"frameDetail"_s);
    QVERIFY(detail);
    QTRY_VERIFY(detail->toPlainText().contains(u"only-17-here"_s));
    QVERIFY(detail->toPlainText().contains(QString(1000, u'x')));
}

void TestSpilledLog::exportWritesSpilledPayloads()
{
    FrameLog log;
    log.setMemoryBudget(m_budget);
    fill(log);
    QVERIFY(log.payloadBytesOnDisk() > 0);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"log.jsonl"_s);
    QString error;
    QVERIFY2(LogExporter::writeFile(log, path, LogFormat::Jsonl, {}, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    // JSON Lines escape the quotes of a text payload: compare what needs no escaping.
    const QByteArray pad = QByteArray(PayloadBytes - 100, 'x');
    QCOMPARE(written.count('\n'), Messages);
    for (qint64 n : {qint64(0), qint64(1), Messages / 2, Messages - 1}) {
        const QByteArray tag = "only-" + QByteArray::number(n) + "-here";
        const qsizetype at = written.indexOf(tag);
        QVERIFY2(at >= 0, tag.constData());
        const qsizetype padAt = written.indexOf(pad, at);  // the payload's bulk, on the same line
        QVERIFY2(padAt > at && padAt < written.indexOf('\n', at), tag.constData());
    }
}

void TestSpilledLog::dialogSetsTheSharedBudget()
{
    QTemporaryDir settingsDir;  // the test's own settings, never the user's
    QCoreApplication::setOrganizationName(u"wsprobe-tests"_s);
    QCoreApplication::setApplicationName(u"tst_spilledlog"_s);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QTemporaryDir spillDir;

    SessionManager sessions;
    QCOMPARE(sessions.logMemoryBudget().limit(), LogMemoryBudget::DefaultLimitBytes);
    Session *session = sessions.createSession({});
    {
        LogMemoryDialog dialog(&sessions);
        dialog.findChild<QSpinBox *>(u"limitMiB"_s)->setValue(4);
        dialog.findChild<QLineEdit *>(u"spillFolder"_s)->setText(spillDir.path());
        dialog.accept();
    }
    QCOMPARE(sessions.logMemoryBudget().limit(), PayloadArena::SegmentBytes);
    QCOMPARE(sessions.logMemoryBudget().spillDirectory(), spillDir.path());

    // The session's log spills under it.
    fill(*session->log());
    QVERIFY(session->log()->payloadBytesOnDisk() > 0);
    QCOMPARE(sessions.logBytesOnDisk(), session->log()->payloadBytesOnDisk());
    QVERIFY(session->log()->at(0).text == messageText(0));

    // Remembered: a new window starts with it.
    SessionManager later;
    LogMemoryDialog::applySaved(&later);
    QCOMPARE(later.logMemoryBudget().limit(), PayloadArena::SegmentBytes);
    QCOMPARE(later.logMemoryBudget().spillDirectory(), spillDir.path());
}

QTEST_MAIN(TestSpilledLog)
#include "tst_spilledlog.moc"
