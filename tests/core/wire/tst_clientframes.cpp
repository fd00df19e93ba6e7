// The server's side of the frames: a FrameReader for a client's frames (Sender::Client) reads
// masked frames and unmasks them, fails an unmasked one with 1002, and keeps every other check
// (fragmentation, control frames, close codes); a client's frames from FrameWriter::clientFrame
// read back whole however the bytes are cut.

#include "framereader.h"
#include "framewriter.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr quint32 Key = 0x37FA213D;

QByteArray masked(WireOpcode opcode, const QByteArray &payload, bool fin = true)
{
    return FrameWriter::clientFrame(opcode, payload, Key, fin);
}

QByteArray closeBody(quint16 code, const QByteArray &reason = {})
{
    return FrameWriter::closePayload(code, reason);
}

struct Recorder : FrameReader::Sink
{
    QList<FrameReader::Frame> frames;
    std::optional<FrameReader::Fault> failure;

    void frame(FrameReader::Frame &&frame) override { frames.append(std::move(frame)); }
    void fault(FrameReader::Fault &&fault) override { failure = std::move(fault); }
};

// Whole, then byte by byte, then in random slices: each must report the same.
QList<Recorder> readEveryWay(const QByteArray &input, FrameLimits limits = {})
{
    QList<Recorder> results;
    {
        FrameReader reader(limits, FrameReader::Sender::Client);
        Recorder recorder;
        reader.read(input, recorder);
        results.append(recorder);
    }
    {
        FrameReader reader(limits, FrameReader::Sender::Client);
        Recorder recorder;
        for (qsizetype i = 0; i < input.size(); ++i)
            reader.read(QByteArrayView(input).sliced(i, 1), recorder);
        results.append(recorder);
    }
    QRandomGenerator random(12);
    for (int round = 0; round < 5; ++round) {
        FrameReader reader(limits, FrameReader::Sender::Client);
        Recorder recorder;
        qsizetype at = 0;
        while (at < input.size()) {
            const qsizetype take = qMin<qsizetype>(input.size() - at, 1 + random.bounded(40));
            reader.read(QByteArrayView(input).sliced(at, take), recorder);
            at += take;
        }
        results.append(recorder);
    }
    return results;
}

QByteArray bytesOf(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(i * 7 + 3);
    return bytes;
}

} // namespace

class TestClientFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void maskedFramesAreUnmasked_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 5, 125, 126, 127, 1000, 65535, 65536, 70001})
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }
    void maskedFramesAreUnmasked()
    {
        QFETCH(int, size);
        const QByteArray payload = bytesOf(size);
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Binary, payload))) {
            QVERIFY(!r.failure);
            QCOMPARE(r.frames.size(), 1);
            QCOMPARE(r.frames.at(0).opcode, WireOpcode::Binary);
            QCOMPARE(r.frames.at(0).payload, payload);
        }
    }

    void unmaskedFrameIsAProtocolError()
    {
        const QByteArray unmasked = FrameWriter::serverFrame(WireOpcode::Text, "hello");
        for (const Recorder &r : readEveryWay(unmasked)) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
            QVERIFY2(r.failure->text.contains(u"unmasked"_s), qPrintable(r.failure->text));
            QVERIFY(r.frames.isEmpty());
        }
        // After a good frame too: what came before is reported, then the fault.
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Text, "ok") + unmasked)) {
            QCOMPARE(r.frames.size(), 1);
            QCOMPARE(r.frames.at(0).payload, "ok"_ba);
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
        }
        // A server's reader still refuses a masked frame: the roles do not mix.
        FrameReader serverReader;
        Recorder recorder;
        serverReader.read(masked(WireOpcode::Text, "x"), recorder);
        QVERIFY(recorder.failure);
        QVERIFY(recorder.failure->text.contains(u"a server must not mask"_s));
    }

    void fragmentedMessageWithControlFramesBetween()
    {
        // "Hello, wörld" cut inside the ö, a ping between the fragments.
        const QByteArray text = "Hello, w\xC3\xB6rld"_ba;
        const QByteArray input = masked(WireOpcode::Text, text.left(9), false)
                + masked(WireOpcode::Ping, "p1") + masked(WireOpcode::Continuation, text.mid(9, 2), false)
                + masked(WireOpcode::Continuation, text.mid(11), true);
        for (const Recorder &r : readEveryWay(input)) {
            QVERIFY(!r.failure);
            QCOMPARE(r.frames.size(), 4);
            QCOMPARE(r.frames.at(0).fin, false);
            QCOMPARE(r.frames.at(1).opcode, WireOpcode::Ping);
            QCOMPARE(r.frames.at(1).payload, "p1"_ba);
            QCOMPARE(r.frames.at(0).payload + r.frames.at(2).payload + r.frames.at(3).payload, text);
        }
        // A new message inside one, and a continuation with none: 1002.
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Text, "a", false) + masked(WireOpcode::Text, "b"))) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
        }
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Continuation, "b"))) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
        }
        // Invalid UTF-8 across fragments: 1007.
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Text, "\xC3"_ba, false)
                                              + masked(WireOpcode::Continuation, "A"_ba))) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1007);
        }
    }

    void controlFrames()
    {
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Ping, bytesOf(125))
                                              + masked(WireOpcode::Pong, "pong"))) {
            QVERIFY(!r.failure);
            QCOMPARE(r.frames.size(), 2);
            QCOMPARE(r.frames.at(0).payload, bytesOf(125));
            QCOMPARE(r.frames.at(1).opcode, WireOpcode::Pong);
        }
        // Control frames carry at most 125 bytes and are never fragmented.
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Ping, bytesOf(126)))) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
        }
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Ping, "x", false))) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1002);
        }
    }

    void closeCodes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("faultCode");  // 0: a valid close
        QTest::addColumn<int>("code");       // the code read, -1: none
        QTest::newRow("empty") << QByteArray() << 0 << -1;
        QTest::newRow("1000") << closeBody(1000, "bye") << 0 << 1000;
        QTest::newRow("4001") << closeBody(4001) << 0 << 4001;
        QTest::newRow("1005 may not be sent") << closeBody(1005) << 1002 << 1005;
        QTest::newRow("999") << closeBody(999) << 1002 << 999;
        QTest::newRow("one byte") << QByteArray(1, '\x03') << 1002 << -1;
        QTest::newRow("reason not UTF-8") << closeBody(1000, "\xFF") << 1007 << 1000;
    }
    void closeCodes()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, faultCode);
        QFETCH(int, code);
        // Nothing is read after a close frame.
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Close, body) + masked(WireOpcode::Text, "late"))) {
            if (faultCode == 0) {
                QVERIFY(!r.failure);
                QCOMPARE(r.frames.size(), 1);
                QCOMPARE(r.frames.at(0).closeCode.has_value(), code >= 0);
                if (code >= 0)
                    QCOMPARE(int(*r.frames.at(0).closeCode), code);
            } else {
                QVERIFY(r.failure);
                QCOMPARE(int(r.failure->closeCode), faultCode);
                QVERIFY(r.frames.isEmpty());
            }
        }
    }

    void limitsFromTheHeader()
    {
        for (const Recorder &r : readEveryWay(masked(WireOpcode::Binary, bytesOf(300)), FrameLimits{256, 256})) {
            QVERIFY(r.failure);
            QCOMPARE(r.failure->closeCode, 1009);
            QCOMPARE(r.failure->size, 300);
        }
    }
};

QTEST_GUILESS_MAIN(TestClientFrames)
#include "tst_clientframes.moc"
