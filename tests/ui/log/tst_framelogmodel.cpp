#include "framelog.h"
#include "framelogmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

FrameEvent textEvent(qint64 n)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = n % 2 ? Direction::Incoming : Direction::Outgoing;
    event.monotonicNs = n * 1'000'000;
    event.wallMs = 1'700'000'000'000 + n;
    event.text = u"message %1"_s.arg(n);
    event.size = event.text.size();
    return event;
}

} // namespace

class TestFrameLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsWhatTheLogHeldBefore();
    void batchesAppendsIntoOneInsert();
    void reportsExactInsertRanges();
    void removesDiscardedRowsFromTheTop();
    void resetsOnClear();
    void formatsColumns();
    void deltaInHumanUnits_data();
    void deltaInHumanUnits();
    void survivesTheLogBeingDeleted();
};

void TestFrameLogModel::showsWhatTheLogHeldBefore()
{
    FrameLog log;
    for (int i = 0; i < 5; ++i)
        log.append(textEvent(i));
    FrameLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&log);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.data(model.index(4, FrameLogModel::PreviewColumn)).toString(), u"message 4"_s);
}

void TestFrameLogModel::batchesAppendsIntoOneInsert()
{
    FrameLog log;
    FrameLogModel model;
    model.setLog(&log);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10000; ++i)
        log.append(textEvent(i));
    QCOMPARE(model.rowCount(), 0);  // nothing until the flush
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10000, 2000);
    QCOMPARE(inserted.count(), 1);
}

void TestFrameLogModel::reportsExactInsertRanges()
{
    FrameLog log;
    FrameLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&log);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 3; ++i)
        log.append(textEvent(i));
    model.flush();
    for (int i = 3; i < 10; ++i)
        log.append(textEvent(i));
    model.flush();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 3);
    QCOMPARE(inserted.at(1).at(2).toInt(), 9);
    QCOMPARE(model.data(model.index(9, 0), FrameLogModel::SequenceRole).toLongLong(), 9);
}

void TestFrameLogModel::removesDiscardedRowsFromTheTop()
{
    FrameLog log;
    log.setCapacity(100);
    FrameLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&log);
    for (int i = 0; i < 80; ++i)
        log.append(textEvent(i));
    model.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 80; i < 130; ++i)
        log.append(textEvent(i));
    model.flush();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 29);
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.data(model.index(0, FrameLogModel::PreviewColumn)).toString(), u"message 30"_s);

    // Far more than the capacity between two flushes: every shown row goes.
    for (int i = 130; i < 1000; ++i)
        log.append(textEvent(i));
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.data(model.index(0, FrameLogModel::PreviewColumn)).toString(), u"message 900"_s);
}

void TestFrameLogModel::resetsOnClear()
{
    FrameLog log;
    FrameLogModel model;
    model.setLog(&log);
    for (int i = 0; i < 10; ++i)
        log.append(textEvent(i));
    model.flush();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    log.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    log.append(textEvent(10));
    model.flush();
    QCOMPARE(model.rowCount(), 1);
}

void TestFrameLogModel::formatsColumns()
{
    FrameLog log;
    FrameLogModel model;
    model.setLog(&log);
    log.append(textEvent(0));
    log.append(textEvent(2));
    FrameEvent close;
    close.kind = EventKind::Close;
    close.direction = Direction::Incoming;
    close.closeCode = 4001;
    close.text = u"token expired"_s;
    close.closeInitiator = CloseInitiator::Server;
    close.cleanClose = true;
    close.monotonicNs = 3'500'000;
    log.append(std::move(close));
    model.flush();
    QCOMPARE(model.data(model.index(1, FrameLogModel::DeltaColumn)).toString(), u"+2.000 ms"_s);
    QCOMPARE(model.data(model.index(0, FrameLogModel::DirectionColumn)).toString(), u"↑ out"_s);
    QCOMPARE(model.data(model.index(0, FrameLogModel::TypeColumn)).toString(), u"text"_s);
    QCOMPARE(model.data(model.index(0, FrameLogModel::SizeColumn)).toString(), u"9 B"_s);
    const QString closeText = model.data(model.index(2, FrameLogModel::PreviewColumn)).toString();
    QCOMPARE(closeText, u"4001 application code · \"token expired\" · closed by server · clean"_s);

    // A local note stamped just before frames that reach the log after it: a minus sign.
    FrameEvent note;
    note.kind = EventKind::Info;
    note.monotonicNs = 1'250'000;
    log.append(std::move(note));
    model.flush();
    QCOMPARE(model.data(model.index(3, FrameLogModel::DeltaColumn)).toString(), u"−2.250 ms"_s);
}

void TestFrameLogModel::deltaInHumanUnits_data()
{
    QTest::addColumn<qint64>("deltaNs");
    QTest::addColumn<QString>("shown");
    QTest::newRow("microseconds") << qint64(12'345) << u"+0.012 ms"_s;
    QTest::newRow("milliseconds") << qint64(999'999'000) << u"+999.999 ms"_s;
    QTest::newRow("a second") << qint64(1'000'000'000) << u"+1.000 s"_s;
    QTest::newRow("seconds") << qint64(7'875'400'000) << u"+7.875 s"_s;
    QTest::newRow("minutes") << qint64(448'831'807'000) << u"+7 min 28 s"_s;
    QTest::newRow("hours") << qint64(2) * 3600 * 1'000'000'000 + qint64(5) * 60 * 1'000'000'000 << u"+2 h 05 min"_s;
    QTest::newRow("back in time") << qint64(-1'500'000'000) << u"−1.500 s"_s;
}

// "+448831.807 ms" is read as a number to count digits in; "+7 min 28 s" at a glance.
void TestFrameLogModel::deltaInHumanUnits()
{
    QFETCH(qint64, deltaNs);
    QFETCH(QString, shown);
    FrameLog log;
    FrameLogModel model;
    model.setLog(&log);
    const qint64 start = 10'000'000'000'000;
    FrameEvent first = textEvent(0);
    first.monotonicNs = start;
    log.append(std::move(first));
    FrameEvent second = textEvent(1);
    second.monotonicNs = start + deltaNs;
    log.append(std::move(second));
    model.flush();
    QCOMPARE(model.data(model.index(1, FrameLogModel::DeltaColumn)).toString(), shown);
}

void TestFrameLogModel::survivesTheLogBeingDeleted()
{
    auto *log = new FrameLog;
    FrameLogModel model;
    model.setLog(log);
    log->append(textEvent(0));
    model.flush();
    delete log;
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.data(model.index(0, 0)).isValid());
}

QTEST_MAIN(TestFrameLogModel)
#include "tst_framelogmodel.moc"
