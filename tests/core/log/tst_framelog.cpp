#include "framelog.h"
#include "logmemorybudget.h"

#include <QSignalSpy>
#include <QTemporaryFile>
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
    void everyFieldComesBack();
    void textIsKeptAsUtf8();
    void firstSegmentGrowsInPlace();
    void firstChunkGrowsAndEveryRecordStays();
    void payloadsSpanSegments();
    void previewReadsOnlyWhatItShows();
    void batchAnnouncesOnce();
    void keepsPayloadPlusFortyBytesPerEvent();
    void spillsPastTheBudgetAndReadsBack();
    void spillFailureKeepsEverything();
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

void TestFrameLog::everyFieldComesBack()
{
    FrameLog log;
    FrameEvent close;
    close.kind = EventKind::Close;
    close.direction = Direction::Incoming;
    close.monotonicNs = 123456789;
    close.wallMs = 1764806400123;
    close.closeCode = 4001;
    close.closeInitiator = CloseInitiator::Server;
    close.cleanClose = true;
    close.text = u"token expired · jeton expiré 🙂"_s;
    close.size = 2 + close.text.toUtf8().size();
    log.append(FrameEvent(close));

    FrameEvent pong;
    pong.kind = EventKind::Pong;
    pong.direction = Direction::Incoming;
    pong.data = QByteArray("\0ping\xff", 6);
    pong.size = pong.data.size();
    pong.rttNs = 1'500'000;
    log.append(FrameEvent(pong));

    FrameEvent refused;
    refused.kind = EventKind::Error;
    refused.error = ErrorKind::HandshakeRejected;
    refused.httpStatus = 403;
    refused.text = u"403 Forbidden"_s;
    log.append(FrameEvent(refused));

    FrameEvent fragment;
    fragment.kind = EventKind::BinaryFrame;
    fragment.finalFrame = false;
    fragment.size = qint64(5) << 30;  // past 4 GiB: kept out of line
    log.append(FrameEvent(fragment));

    const FrameEvent c = log.at(0);
    QCOMPARE(c.kind, EventKind::Close);
    QCOMPARE(c.direction, Direction::Incoming);
    QCOMPARE(c.monotonicNs, close.monotonicNs);
    QCOMPARE(c.wallMs, close.wallMs);
    QCOMPARE(c.closeCode, quint16(4001));
    QCOMPARE(c.closeInitiator, CloseInitiator::Server);
    QVERIFY(c.cleanClose);
    QCOMPARE(c.text, close.text);
    QCOMPARE(c.size, close.size);
    QCOMPARE(c.rttNs, -1);

    const FrameEvent p = log.at(1);
    QCOMPARE(p.data, pong.data);
    QVERIFY(p.text.isEmpty());
    QCOMPARE(p.rttNs, 1'500'000);
    QCOMPARE(log.payloadAt(1), pong.data);

    const FrameEvent e = log.at(2);
    QCOMPARE(e.error, ErrorKind::HandshakeRejected);
    QCOMPARE(e.httpStatus, quint16(403));
    QCOMPARE(e.text, refused.text);

    const FrameEvent f = log.at(3);
    QVERIFY(!f.finalFrame);
    QCOMPARE(f.size, qint64(5) << 30);
    QCOMPARE(log.kindAt(3), EventKind::BinaryFrame);
}

void TestFrameLog::textIsKeptAsUtf8()
{
    FrameLog log;
    const QByteArray utf8 = u"{\"name\":\"Zoë\",\"mood\":\"🙂\"}"_s.toUtf8();
    FrameEvent header;
    header.kind = EventKind::Text;
    header.direction = Direction::Incoming;
    header.size = utf8.size();
    log.append(header, utf8, true);
    QCOMPARE(log.payloadAt(0), utf8);
    QCOMPARE(log.at(0).text, QString::fromUtf8(utf8));
    QVERIFY(log.at(0).data.isEmpty());
    // A log's first segment starts small: a few bytes cost a heap block, not 4 MiB.
    QCOMPARE(log.payloadBytesInMemory(), PayloadArena::FirstSegmentBytes);
}

// The first segment doubles as it fills, keeping what it held, and is whole before a second
// one starts; the budget counts what is allocated at every step.
void TestFrameLog::firstSegmentGrowsInPlace()
{
    auto budget = std::make_shared<LogMemoryBudget>(qint64(1) << 40);
    FrameLog log;
    log.setMemoryBudget(budget);
    QList<QByteArray> sent;
    qint64 total = 0;
    for (int i = 0; total <= PayloadArena::SegmentBytes + 5000; ++i) {
        QByteArray payload(1000 + i % 7 * 333, char('a' + i % 26));
        payload.prepend(QByteArray::number(i) + ':');
        FrameEvent header;
        header.kind = EventKind::Binary;
        header.direction = Direction::Incoming;
        header.size = payload.size();
        log.append(header, payload, false);
        total += payload.size();
        sent.append(payload);
        const qint64 inMemory = log.payloadBytesInMemory();
        QCOMPARE(budget->used(), inMemory);
        if (total <= PayloadArena::SegmentBytes) {
            // Within the first segment: at least what it holds, at most twice that.
            QVERIFY2(inMemory >= total && inMemory <= std::max(2 * total, PayloadArena::FirstSegmentBytes),
                     qPrintable(u"%1 bytes allocated for %2"_s.arg(inMemory).arg(total)));
        }
    }
    QCOMPARE(log.payloadBytesInMemory(), 2 * PayloadArena::SegmentBytes);  // the second is whole
    for (qsizetype i = 0; i < sent.size(); ++i)
        QCOMPARE(log.payloadAt(i), sent[i]);
    log.clear();
    QCOMPARE(budget->used(), 0);
}

// A log's records start in a small block that doubles up to a whole chunk: a few events cost
// little, and every record stays what it was through the moves and across chunks.
void TestFrameLog::firstChunkGrowsAndEveryRecordStays()
{
    FrameLog log;
    for (int i = 0; i < 3; ++i)
        log.append(textEvent(i));
    QVERIFY2(log.recordBytes() < 2048, qPrintable(QString::number(log.recordBytes())));
    constexpr int Events = int(FrameLog::ChunkSize) * 2 + 100;
    for (int i = 3; i < Events; ++i) {
        FrameEvent event = textEvent(i);
        event.monotonicNs = 1000 + i;
        event.closeCode = quint16(i % 5000);
        log.append(std::move(event));
    }
    for (int i = 3; i < Events; ++i) {
        const FrameEvent event = log.at(i);
        QCOMPARE(event.text, QString::number(i));
        QCOMPARE(event.monotonicNs, 1000 + i);
        QCOMPARE(event.closeCode, quint16(i % 5000));
    }
    QCOMPARE(log.messageNumber(Events - 1), qint64(Events));
}

void TestFrameLog::payloadsSpanSegments()
{
    FrameLog log;
    QByteArray big(PayloadArena::SegmentBytes * 5 / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 + i / 4099);
    FrameEvent small = textEvent(1);
    log.append(FrameEvent(small));
    FrameEvent binary;
    binary.kind = EventKind::Binary;
    binary.data = big;
    binary.size = big.size();
    log.append(std::move(binary));
    log.append(textEvent(2));
    QCOMPARE(log.at(0).text, u"1"_s);
    QCOMPARE(log.at(1).data, big);
    QCOMPARE(log.at(2).text, u"2"_s);
}

void TestFrameLog::previewReadsOnlyWhatItShows()
{
    FrameLog log;
    FrameEvent text = textEvent(0);
    text.text = u"ééééé"_s;  // two bytes each
    text.size = 10;
    log.append(FrameEvent(text));
    // 5 bytes would cut the third é in two: the preview stops before it.
    QCOMPARE(log.at(0, 5).text, u"éé"_s);
    QCOMPARE(log.at(0, 6).text, u"ééé"_s);
    QCOMPARE(log.at(0, 100).text, text.text);
    QCOMPARE(log.at(0, 5).size, 10);

    FrameEvent binary;
    binary.kind = EventKind::Binary;
    binary.data = QByteArray("\x01\x02\x03\x04", 4);
    binary.size = 4;
    log.append(std::move(binary));
    QCOMPARE(log.at(1, 3).data, QByteArray("\x01\x02\x03", 3));

    const FrameEvent header = log.headerAt(0);
    QVERIFY(header.text.isEmpty());
    QCOMPARE(header.size, 10);
    QCOMPARE(header.kind, EventKind::Text);
}

void TestFrameLog::batchAnnouncesOnce()
{
    FrameLog log;
    log.setCapacity(2);
    QSignalSpy appended(&log, &FrameLog::eventsAppended);
    QSignalSpy discarded(&log, &FrameLog::discarded);
    {
        FrameLog::Batch batch(&log);
        log.append(textEvent(0));
        log.append(textEvent(1));
        log.append(textEvent(2));
        QCOMPARE(appended.count(), 0);
        QCOMPARE(discarded.count(), 0);
        QCOMPARE(log.endSequence(), 3);  // readable at once, announced at the end
    }
    QCOMPARE(appended.count(), 1);
    QCOMPARE(appended.at(0).at(0).toLongLong(), 0);
    QCOMPARE(appended.at(0).at(1).toLongLong(), 3);
    QCOMPARE(discarded.count(), 1);
    QCOMPARE(log.firstSequence(), 1);
    log.append(textEvent(3));
    QCOMPARE(appended.count(), 2);
    QCOMPARE(appended.at(1).at(0).toLongLong(), 3);
    QCOMPARE(appended.at(1).at(1).toLongLong(), 4);
}

void TestFrameLog::keepsPayloadPlusFortyBytesPerEvent()
{
    FrameLog log;
    const qint64 count = 200'000;
    const QByteArray payload(64, 'p');
    FrameEvent header;
    header.kind = EventKind::Text;
    header.direction = Direction::Incoming;
    header.size = payload.size();
    for (qint64 i = 0; i < count; ++i)
        log.append(header, payload, true);
    const qint64 kept = log.recordBytes() + log.payloadBytesInMemory();
    // Whole chunks and segments counted: at most one of each beyond the events' own bytes.
    const qint64 promised = count * (payload.size() + 40) + qint64(sizeof(FrameEvent)) * FrameLog::ChunkSize / 2
        + PayloadArena::SegmentBytes;
    QVERIFY2(kept <= promised, qPrintable(u"%1 bytes kept for %2 events"_s.arg(kept).arg(count)));
    QCOMPARE(log.at(count - 1).text, QString::fromLatin1(payload));
}

void TestFrameLog::spillsPastTheBudgetAndReadsBack()
{
    auto budget = std::make_shared<LogMemoryBudget>(3 * PayloadArena::SegmentBytes);
    FrameLog first;
    FrameLog second;
    first.setMemoryBudget(budget);
    second.setMemoryBudget(budget);
    const qint64 perLog = 6 * PayloadArena::SegmentBytes / 1024;  // 1 KiB messages
    for (qint64 i = 0; i < perLog; ++i) {
        for (FrameLog *log : {&first, &second}) {
            FrameEvent event;
            event.kind = EventKind::Binary;
            event.data = QByteArray(1024, char('a' + i % 26)) + QByteArray::number(i);
            event.size = event.data.size();
            log->append(std::move(event));
        }
    }
    QVERIFY2(first.spillError().isEmpty(), qPrintable(first.spillError()));
    QVERIFY(first.payloadBytesOnDisk() > 0);
    QVERIFY(second.payloadBytesOnDisk() > 0);
    // Each log keeps the segment it writes to: the budget may be passed by that much, no more.
    QVERIFY2(budget->used() <= budget->limit() + 2 * PayloadArena::SegmentBytes,
             qPrintable(QString::number(budget->used())));
    QCOMPARE(budget->used(), first.payloadBytesInMemory() + second.payloadBytesInMemory());
    // Read back in any order, from disk and from RAM alike (more segments than stay mapped).
    for (qint64 i = perLog - 1; i >= 0; i -= 97) {
        const QByteArray expected = QByteArray(1024, char('a' + i % 26)) + QByteArray::number(i);
        QCOMPARE(first.at(i).data, expected);
        QCOMPARE(second.payloadAt(i), expected);
    }

    // A ring over spilled segments frees them.
    const qint64 onDisk = first.payloadBytesOnDisk();
    first.setCapacity(100);
    QVERIFY(first.payloadBytesOnDisk() < onDisk);
    QCOMPARE(first.at(perLog - 1).data, QByteArray(1024, char('a' + (perLog - 1) % 26)) + QByteArray::number(perLog - 1));

    second.clear();
    QCOMPARE(second.payloadBytesOnDisk(), 0);
    QCOMPARE(budget->used(), first.payloadBytesInMemory());
}

void TestFrameLog::spillFailureKeepsEverything()
{
    QTemporaryFile notAFolder;
    QVERIFY(notAFolder.open());
    auto budget = std::make_shared<LogMemoryBudget>(PayloadArena::SegmentBytes);
    budget->setSpillDirectory(notAFolder.fileName());  // a file: nothing can be made in it
    FrameLog log;
    log.setMemoryBudget(budget);
    const QByteArray chunk(PayloadArena::SegmentBytes / 2, 'z');
    for (int i = 0; i < 8; ++i) {
        FrameEvent event;
        event.kind = EventKind::Binary;
        event.data = chunk + QByteArray::number(i);
        event.size = event.data.size();
        log.append(std::move(event));
    }
    QVERIFY(!log.spillError().isEmpty());
    QCOMPARE(log.payloadBytesOnDisk(), 0);
    for (int i = 0; i < 8; ++i)
        QCOMPARE(log.at(i).data, chunk + QByteArray::number(i));
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
