#include "framelog.h"

#include <QSignalSpy>
#include <QTest>

#include <vector>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

FrameEvent textEvent(qint64 n)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = Direction::Incoming;
    event.monotonicNs = n;
    event.text = QString::number(n);
    event.size = event.text.size();
    return event;
}

} // namespace

class TestFrameLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsEmpty();
    void appendsInOrderAcrossChunks();
    void signalsEachAppend();
    void capacityDiscardsOldestAndKeepsSequenceNumbers();
    void capacityCanShrinkLater();
    void clearKeepsSequenceNumbersGrowing();
    void numbersMessagesAsPeopleCountThem();
    void payloadIsSharedNotCopied();
    void utf8LengthMatchesEncoding_data();
    void utf8LengthMatchesEncoding();
};

void TestFrameLog::startsEmpty()
{
    FrameLog log;
    QVERIFY(log.isEmpty());
    QCOMPARE(log.size(), 0);
    QCOMPARE(log.firstSequence(), 0);
    QCOMPARE(log.endSequence(), 0);
    QVERIFY(!log.contains(0));
}

void TestFrameLog::appendsInOrderAcrossChunks()
{
    FrameLog log;
    const qint64 count = 3 * FrameLog::ChunkSize + 17;
    for (qint64 i = 0; i < count; ++i)
        QCOMPARE(log.append(textEvent(i)), i);
    QCOMPARE(log.size(), count);
    for (qint64 i = 0; i < count; ++i) {
        QCOMPARE(log.at(i).monotonicNs, i);
        QCOMPARE(log.at(i).text, QString::number(i));
    }
    QCOMPARE(log.last().monotonicNs, count - 1);
}

void TestFrameLog::signalsEachAppend()
{
    FrameLog log;
    QSignalSpy spy(&log, &FrameLog::eventsAppended);
    log.append(textEvent(1));
    log.append(textEvent(2));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(0).at(0).toLongLong(), 0);
    QCOMPARE(spy.at(0).at(1).toLongLong(), 1);
    QCOMPARE(spy.at(1).at(0).toLongLong(), 1);
    QCOMPARE(spy.at(1).at(1).toLongLong(), 2);
}

void TestFrameLog::capacityDiscardsOldestAndKeepsSequenceNumbers()
{
    FrameLog log;
    log.setCapacity(1000);
    QSignalSpy discarded(&log, &FrameLog::discarded);
    const qint64 count = 2 * FrameLog::ChunkSize + 5;
    for (qint64 i = 0; i < count; ++i)
        log.append(textEvent(i));
    QCOMPARE(log.size(), 1000);
    QCOMPARE(log.endSequence(), count);
    QCOMPARE(log.firstSequence(), count - 1000);
    QVERIFY(!log.contains(count - 1001));
    for (qint64 seq = log.firstSequence(); seq < log.endSequence(); ++seq)
        QCOMPARE(log.at(seq).monotonicNs, seq);
    QCOMPARE(discarded.count(), int(count - 1000));
    QCOMPARE(discarded.last().at(0).toLongLong(), count - 1000);
}

void TestFrameLog::capacityCanShrinkLater()
{
    FrameLog log;
    for (qint64 i = 0; i < 100; ++i)
        log.append(textEvent(i));
    log.setCapacity(10);
    QCOMPARE(log.size(), 10);
    QCOMPARE(log.firstSequence(), 90);
    QCOMPARE(log.at(90).text, u"90"_s);
    log.setCapacity(0);
    log.append(textEvent(100));
    QCOMPARE(log.size(), 11);
}

void TestFrameLog::clearKeepsSequenceNumbersGrowing()
{
    FrameLog log;
    QSignalSpy cleared(&log, &FrameLog::cleared);
    for (qint64 i = 0; i < 10; ++i)
        log.append(textEvent(i));
    log.clear();
    QCOMPARE(cleared.count(), 1);
    QVERIFY(log.isEmpty());
    QCOMPARE(log.append(textEvent(10)), 10);
    QCOMPARE(log.firstSequence(), 10);
    QCOMPARE(log.at(10).text, u"10"_s);
}

void TestFrameLog::payloadIsSharedNotCopied()
{
    FrameLog log;
    const QByteArray payload(1 << 20, 'x');
    FrameEvent event;
    event.kind = EventKind::Binary;
    event.data = payload;
    log.append(std::move(event));
    QCOMPARE(log.at(0).data.constData(), payload.constData());
}

void TestFrameLog::utf8LengthMatchesEncoding_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("ascii") << u"hello"_s;
    QTest::newRow("latin") << u"café"_s;
    QTest::newRow("cjk") << u"日本語"_s;
    QTest::newRow("emoji") << u"a😀b"_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800));
}

void TestFrameLog::utf8LengthMatchesEncoding()
{
    QFETCH(QString, text);
    QCOMPARE(utf8Length(text), qint64(text.toUtf8().size()));
}

// The one numbering of messages: 1 for the first text or binary message, other events not
// counted, discarded messages still counted (across chunks, and inside the chunk the capacity
// cut into), and from 1 again after a clear.
void TestFrameLog::numbersMessagesAsPeopleCountThem()
{
    FrameLog log;
    FrameEvent handshake;
    handshake.kind = EventKind::Handshake;
    log.append(FrameEvent(handshake));
    const qint64 first = log.append(textEvent(1));
    FrameEvent ping;
    ping.kind = EventKind::Ping;
    const qint64 pingAt = log.append(FrameEvent(ping));
    const qint64 second = log.append(textEvent(2));
    QCOMPARE(log.messageNumber(0), 0);
    QCOMPARE(log.messageNumber(first), 1);
    QCOMPARE(log.messageNumber(pingAt), 0);
    QCOMPARE(log.messageNumber(second), 2);
    QCOMPARE(log.messageNumber(99), 0);

    log.setCapacity(FrameLog::ChunkSize + 10);
    std::vector<qint64> expected(std::size_t(log.endSequence()), 0);  // by sequence
    qint64 messages = 2;
    for (int i = 0; i < 3 * FrameLog::ChunkSize; ++i) {
        log.append(textEvent(i));
        expected.push_back(++messages);
        if (i % 1000 == 0) {
            log.append(FrameEvent(ping));  // not counted
            expected.push_back(0);
        }
    }
    QVERIFY(log.firstSequence() > second);
    QVERIFY(log.firstSequence() % FrameLog::ChunkSize != 0);  // inside a chunk it cut into
    for (qint64 sequence = log.firstSequence(); sequence < log.endSequence(); ++sequence)
        QCOMPARE(log.messageNumber(sequence), expected[std::size_t(sequence)]);
    QCOMPARE(log.messageNumber(second), 0);  // discarded: no longer in the log

    log.clear();
    QCOMPARE(log.messageNumber(log.append(textEvent(0))), 1);
}

QTEST_GUILESS_MAIN(TestFrameLog)
#include "tst_framelog.moc"
