#include "framereader.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// A frame as a server writes it: not masked unless asked, the length in the fewest bytes
// unless `lengthBytes` says otherwise (0, 2 or 8), RSV bits as given.
QByteArray serverFrame(quint8 opcode, const QByteArray &payload, bool fin = true,
                       int lengthBytes = -1, quint8 rsv = 0, bool masked = false)
{
    const qint64 size = payload.size();
    if (lengthBytes < 0)
        lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
    QByteArray frame;
    frame += char((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    const char maskBit = masked ? char(0x80) : char(0);
    if (lengthBytes == 0) {
        frame += char(maskBit | char(size));
    } else if (lengthBytes == 2) {
        frame += char(maskBit | 126);
        frame += char(size >> 8);
        frame += char(size);
    } else {
        frame += char(maskBit | 127);
        for (int i = 0; i < 8; ++i)
            frame += char(quint64(size) >> (56 - 8 * i));
    }
    if (masked) {
        const QByteArray key("\x01\x02\x03\x04");
        frame += key;
        for (qint64 i = 0; i < size; ++i)
            frame += char(payload[i] ^ key[i % 4]);
    } else {
        frame += payload;
    }
    return frame;
}

// A header alone, with any 64-bit length.
QByteArray header64(quint8 first, quint64 length)
{
    QByteArray header;
    header += char(first);
    header += char(127);
    for (int i = 0; i < 8; ++i)
        header += char(length >> (56 - 8 * i));
    return header;
}

QByteArray closeBody(quint16 code, const QByteArray &reason = {})
{
    QByteArray body;
    body += char(code >> 8);
    body += char(code & 0xFF);
    return body + reason;
}

QByteArray bytesOf(int size, char seed = 'a')
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char(seed + i % 26);
    return bytes;
}

// Everything a reader reported, in a form that compares and prints.
struct Recorder : FrameReader::Sink
{
    QList<FrameReader::Frame> frames;
    std::optional<FrameReader::Fault> failure;
    int callsAfterFault = 0;

    void frame(FrameReader::Frame &&frame) override
    {
        if (failure)
            ++callsAfterFault;
        frames.append(std::move(frame));
    }
    void fault(FrameReader::Fault &&fault) override
    {
        if (failure)
            ++callsAfterFault;
        failure = std::move(fault);
    }

    static QString describe(const FrameReader::Frame &frame)
    {
        QString text = u"op=%1 fin=%2 size=%3 sum=%4"_s.arg(int(frame.opcode))
                           .arg(frame.fin)
                           .arg(frame.payload.size())
                           .arg(qChecksum(frame.payload));
        if (frame.closeCode)
            text += u" code=%1 reason=%2"_s.arg(*frame.closeCode).arg(frame.closeReason);
        return text;
    }

    QString describe() const
    {
        QStringList lines;
        for (const auto &frame : frames)
            lines << describe(frame);
        if (failure) {
            lines << u"fault %1 size=%2 limit=%3 message=%4: %5"_s.arg(failure->closeCode)
                         .arg(failure->size)
                         .arg(failure->limit)
                         .arg(failure->messageLimit)
                         .arg(failure->text);
            if (failure->closeFrame)
                lines << u"  close frame: "_s + describe(*failure->closeFrame);
        }
        lines << u"after fault: %1"_s.arg(callsAfterFault);
        return lines.join(u'\n');
    }
};

// Feeds `input` cut at `cuts` (ascending positions); checks the reader's own state on the way.
Recorder readInSlices(const QByteArray &input, FrameLimits limits, QList<qsizetype> cuts)
{
    FrameReader reader(limits);
    Recorder recorder;
    qsizetype from = 0;
    cuts << input.size();
    for (qsizetype cut : cuts) {
        reader.read(QByteArrayView(input).sliced(from, cut - from), recorder);
        from = cut;
    }
    if (recorder.failure && !reader.failed())
        recorder.callsAfterFault += 1000;  // failed() must say so
    return recorder;
}

// Whole, byte by byte, and in random slices (seeded): the same frames and fault every time.
Recorder readEveryWay(const QByteArray &input, FrameLimits limits = {})
{
    const Recorder whole = readInSlices(input, limits, {});
    const QString expected = whole.describe();

    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < input.size(); ++i)
        everyByte << i;
    const QString byByte = readInSlices(input, limits, everyByte).describe();
    if (byByte != expected) {
        QTest::qFail(qPrintable(u"byte by byte:\n%1\nwhole:\n%2"_s.arg(byByte, expected)),
                     __FILE__, __LINE__);
        return whole;
    }
    QRandomGenerator random(quint32(input.size()) * 2654435761u + 17);
    for (int round = 0; round < 20; ++round) {
        QList<qsizetype> cuts;
        qsizetype at = 0;
        while (true) {
            at += random.bounded(1, round < 10 ? 16 : 4096);
            if (at >= input.size())
                break;
            cuts << at;
        }
        const QString sliced = readInSlices(input, limits, cuts).describe();
        if (sliced != expected) {
            QTest::qFail(qPrintable(u"sliced (round %1):\n%2\nwhole:\n%3"_s.arg(round)
                                        .arg(sliced, expected)),
                         __FILE__, __LINE__);
            return whole;
        }
    }
    return whole;
}

struct Expected
{
    quint8 opcode;
    bool fin;
    QByteArray payload;
};

} // namespace

Q_DECLARE_METATYPE(FrameLimits)

class TestFrameReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validStreams_data();
    void validStreams();
    void closeFrames_data();
    void closeFrames();
    void faults_data();
    void faults();
    void sizeLimitsAreCheckedFromTheHeader();
    void closeCodesThatMayNotBeSent_data();
    void closeCodesThatMayNotBeSent();
    void stateOnTheWay();
    void floodOfSmallFrames();
};

void TestFrameReader::validStreams_data()
{
    QTest::addColumn<QList<QByteArray>>("frames");  // built by serverFrame
    QTest::addColumn<QList<int>>("opcodes");
    QTest::addColumn<QList<bool>>("fins");
    QTest::addColumn<QList<QByteArray>>("payloads");
    QTest::addColumn<FrameLimits>("limits");

    const auto row = [](const char *name, const QList<Expected> &expected, FrameLimits limits = {}) {
        QList<QByteArray> frames;
        QList<int> opcodes;
        QList<bool> fins;
        QList<QByteArray> payloads;
        for (const Expected &e : expected) {
            frames << serverFrame(e.opcode, e.payload, e.fin);
            opcodes << e.opcode;
            fins << e.fin;
            payloads << e.payload;
        }
        QTest::newRow(name) << frames << opcodes << fins << payloads << limits;
    };
    row("text", {{0x1, true, "hello"}});
    row("empty text", {{0x1, true, ""}});
    row("empty binary", {{0x2, true, ""}});
    row("binary 125 (7-bit length)", {{0x2, true, bytesOf(125)}});
    row("binary 126 (16-bit length)", {{0x2, true, bytesOf(126)}});
    row("binary 65535 (16-bit length)", {{0x2, true, bytesOf(65535)}});
    row("binary 65536 (64-bit length)", {{0x2, true, bytesOf(65536)}});
    row("binary 200000 (64-bit length)", {{0x2, true, bytesOf(200000)}});
    row("ping 125 and pong", {{0x9, true, bytesOf(125)}, {0xA, true, "p"}});
    row("empty ping", {{0x9, true, ""}});
    row("fragmented text", {{0x1, false, "hel"}, {0x0, false, "l"}, {0x0, true, "o"}});
    row("fragmented binary with empty fragments",
        {{0x2, false, ""}, {0x0, false, ""}, {0x0, true, ""}});
    row("control frames inside a fragmented message",
        {{0x1, false, "a"}, {0x9, true, "ping"}, {0x0, false, "b"}, {0xA, true, ""},
         {0x0, true, "c"}, {0x1, true, "next"}});
    row("4-byte character split across fragments",
        {{0x1, false, "x\xF0\x9F"}, {0x0, false, "\x98"}, {0x0, true, "\x80y"}});
    row("text ending mid-character while the message goes on",
        {{0x1, false, "\xE2\x82"}, {0x0, true, "\xAC"}});
    row("binary need not be UTF-8", {{0x2, true, "\xFF\xC0\x80"}});
    row("many small frames", [] {
        QList<Expected> many;
        for (int i = 0; i < 300; ++i)
            many.append({quint8(i % 2 ? 0x1 : 0x2), true, bytesOf(i % 70, char('a' + i % 5))});
        return many;
    }());
    row("message exactly at the limits",
        {{0x2, false, bytesOf(100)}, {0x0, true, bytesOf(100)}, {0x1, true, bytesOf(200)}},
        FrameLimits{100 * 2, 200});
    row("close after text", {{0x1, true, "bye"}, {0x8, true, closeBody(1000, "done")}});
}

void TestFrameReader::validStreams()
{
    QFETCH(QList<QByteArray>, frames);
    QFETCH(QList<int>, opcodes);
    QFETCH(QList<bool>, fins);
    QFETCH(QList<QByteArray>, payloads);
    QFETCH(FrameLimits, limits);

    const Recorder recorder = readEveryWay(frames.join(), limits);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(!recorder.failure, qPrintable(recorder.describe()));
    QCOMPARE(recorder.frames.size(), frames.size());
    for (int i = 0; i < frames.size(); ++i) {
        QCOMPARE(int(recorder.frames[i].opcode), opcodes[i]);
        QCOMPARE(recorder.frames[i].fin, fins[i]);
        QCOMPARE(recorder.frames[i].payload, payloads[i]);
    }
}

void TestFrameReader::closeFrames_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("code");  // -1: none
    QTest::addColumn<QString>("reason");

    QTest::newRow("no code") << QByteArray() << -1 << QString();
    QTest::newRow("1000") << closeBody(1000) << 1000 << QString();
    QTest::newRow("1000 with reason") << closeBody(1000, "bye") << 1000 << u"bye"_s;
    QTest::newRow("1001") << closeBody(1001) << 1001 << QString();
    QTest::newRow("1003") << closeBody(1003) << 1003 << QString();
    QTest::newRow("1007") << closeBody(1007) << 1007 << QString();
    QTest::newRow("1014") << closeBody(1014) << 1014 << QString();
    QTest::newRow("3000") << closeBody(3000) << 3000 << QString();
    QTest::newRow("4001 UTF-8 reason") << closeBody(4001, "caf\xC3\xA9") << 4001 << u"café"_s;
    QTest::newRow("4999, 123-byte reason") << closeBody(4999, bytesOf(123)) << 4999
                                           << QString::fromLatin1(bytesOf(123));
}

// A valid close frame is a frame, and nothing after it is read.
void TestFrameReader::closeFrames()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, code);
    QFETCH(QString, reason);

    const QByteArray input = serverFrame(0x8, payload) + serverFrame(0x1, "after")
            + QByteArray("\xFF\xFF junk");
    const Recorder recorder = readEveryWay(input);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!recorder.failure);
    QCOMPARE(recorder.frames.size(), 1);
    const FrameReader::Frame &close = recorder.frames.first();
    QCOMPARE(close.opcode, WireOpcode::Close);
    QCOMPARE(close.payload, payload);
    QCOMPARE(close.closeCode.has_value(), code >= 0);
    if (code >= 0)
        QCOMPARE(int(*close.closeCode), code);
    QCOMPARE(close.closeReason, reason);

    FrameReader reader;
    Recorder again;
    reader.read(input, again);
    QVERIFY(reader.closeReceived());
    QVERIFY(!reader.failed());
}

void TestFrameReader::faults_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<FrameLimits>("limits");
    QTest::addColumn<int>("framesBefore");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("says");

    const QByteArray text = serverFrame(0x1, "ok");
    // Every input ends with a valid frame: nothing after a fault is read.
    const auto row = [&](const char *name, const QByteArray &before, const QByteArray &bad,
                         int framesBefore, int closeCode, const QString &says,
                         FrameLimits limits = {}) {
        QTest::newRow(name) << before + bad + text << limits << framesBefore << closeCode << says;
    };

    row("RSV1", text, serverFrame(0x1, "x", true, -1, 0x4), 1, 1002, u"RSV1 set"_s);
    row("RSV2 and RSV3", {}, serverFrame(0x2, "x", true, -1, 0x3), 0, 1002,
        u"RSV2 and RSV3 set"_s);
    for (int opcode : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        const QString hex = u"0x"_s + QString::number(opcode, 16).toUpper();
        QTest::newRow(qPrintable(u"reserved opcode "_s + hex))
            << serverFrame(quint8(opcode), "x") + text << FrameLimits{} << 0 << 1002
            << u"a reserved opcode "_s + hex;
    }
    row("masked frame", text, serverFrame(0x1, "hidden", true, -1, 0, true), 1, 1002,
        u"a masked frame (RFC 6455 5.1: a server must not mask)"_s);
    row("empty masked frame", {}, serverFrame(0x2, "", true, -1, 0, true), 0, 1002,
        u"masked"_s);
    row("ping of 126 bytes", {}, serverFrame(0x9, bytesOf(126)), 0, 1002,
        u"a ping frame with a 126-byte payload"_s);
    row("close of 200 bytes", {}, serverFrame(0x8, closeBody(1000, bytesOf(198))), 0, 1002,
        u"a close frame with a 200-byte payload"_s);
    row("fragmented ping", {}, serverFrame(0x9, "p", false), 0, 1002, u"a fragmented ping"_s);
    row("fragmented close", {}, serverFrame(0x8, closeBody(1000), false), 0, 1002,
        u"a fragmented close"_s);
    row("continuation without a message", text, serverFrame(0x0, "x"), 1, 1002,
        u"a continuation frame with no fragmented message under way"_s);
    row("continuation after a finished message", serverFrame(0x1, "a", false) + serverFrame(0x0, "b"),
        serverFrame(0x0, "c"), 2, 1002, u"continuation frame with no fragmented message"_s);
    row("text inside a fragmented message", serverFrame(0x1, "a", false), serverFrame(0x1, "b"),
        1, 1002, u"a text frame while a fragmented text message was under way"_s);
    row("binary inside a fragmented message", serverFrame(0x2, "a", false),
        serverFrame(0x2, "b"), 1, 1002, u"a binary frame while a fragmented binary message"_s);
    row("5 in 16 bits", {}, serverFrame(0x1, "hello", true, 2), 0, 1002,
        u"a frame length of 5 written in 16 bits"_s);
    row("125 in 16 bits", {}, serverFrame(0x2, bytesOf(125), true, 2), 0, 1002,
        u"a frame length of 125 written in 16 bits"_s);
    row("200 in 64 bits", {}, serverFrame(0x2, bytesOf(200), true, 8), 0, 1002,
        u"a frame length of 200 written in 64 bits"_s);
    row("65535 in 64 bits", {}, serverFrame(0x2, bytesOf(65535), true, 8), 0, 1002,
        u"a frame length of 65535 written in 64 bits"_s);
    row("64-bit length with its top bit set", {}, header64(0x82, quint64(1) << 63), 0, 1002,
        u"most significant bit set"_s);
    row("overlong C0 80", {}, serverFrame(0x1, QByteArray("a\xC0\x80", 3)), 0, 1007,
        u"not valid UTF-8 (byte 0xc0 at offset 1"_s);
    row("surrogate ED A0 80", {}, serverFrame(0x1, "\xED\xA0\x80"), 0, 1007,
        u"byte 0xa0 at offset 1"_s);
    row("above U+10FFFF", {}, serverFrame(0x1, "\xF4\x90\x80\x80"), 0, 1007,
        u"byte 0x90 at offset 1"_s);
    row("stray continuation byte", {}, serverFrame(0x1, "ab\x80"), 0, 1007,
        u"byte 0x80 at offset 2"_s);
    row("F5", {}, serverFrame(0x1, "\xF5"), 0, 1007, u"byte 0xf5 at offset 0"_s);
    row("invalid in a continuation, before FIN (fail fast)",
        serverFrame(0x1, "abc", false), serverFrame(0x0, "d\xFF", false), 1, 1007,
        u"byte 0xff at offset 4 of the message"_s);
    row("text ending mid-character", {}, serverFrame(0x1, "a\xE2\x82"), 0, 1007,
        u"ends in the middle of a UTF-8 character"_s);
    row("fragmented text ending mid-character", serverFrame(0x1, "a\xF0\x9F", false),
        serverFrame(0x0, "\x98"), 1, 1007, u"ends in the middle of a UTF-8 character"_s);
    row("close with a 1-byte payload", text, serverFrame(0x8, "\x03"), 1, 1002,
        u"a close frame with a 1-byte payload"_s);
    row("close with code 999", {}, serverFrame(0x8, closeBody(999, "why")), 0, 1002,
        u"a close frame with code 999, which may not be sent on the wire (RFC 6455 7.4)"_s);
    row("close reason not UTF-8", {}, serverFrame(0x8, closeBody(1000, "a\xC0\xAF")), 0, 1007,
        u"a close frame with code 1000 whose reason is not valid UTF-8"_s);
    row("close reason ending mid-character", {}, serverFrame(0x8, closeBody(1000, "a\xC3")), 0,
        1007, u"reason is not valid UTF-8"_s);
    row("frame over maxFrameSize", text, serverFrame(0x2, bytesOf(101)), 1, 1009,
        u"message too big: a frame of 101 bytes > limit 100 (maxFrameSize)"_s, {100, 0});
    row("message over maxMessageSize", serverFrame(0x1, bytesOf(60), false),
        serverFrame(0x0, bytesOf(50)), 1, 1009,
        u"message too big: 110 bytes > limit 100 (maxMessageSize)"_s, {0, 100});
    row("fragment over maxMessageSize, not FIN", serverFrame(0x2, bytesOf(60), false),
        serverFrame(0x0, bytesOf(50), false), 1, 1009,
        u"message too big: at least 110 bytes > limit 100 (maxMessageSize)"_s, {0, 100});
    row("first fragment over maxMessageSize", {}, serverFrame(0x2, bytesOf(101), false), 0, 1009,
        u"message too big: at least 101 bytes > limit 100 (maxMessageSize)"_s, {1000, 100});
}

void TestFrameReader::faults()
{
    QFETCH(QByteArray, input);
    QFETCH(FrameLimits, limits);
    QFETCH(int, framesBefore);
    QFETCH(int, closeCode);
    QFETCH(QString, says);

    const Recorder recorder = readEveryWay(input, limits);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(recorder.failure, qPrintable(recorder.describe()));
    QCOMPARE(recorder.callsAfterFault, 0);
    QCOMPARE(recorder.frames.size(), framesBefore);
    QCOMPARE(int(recorder.failure->closeCode), closeCode);
    QVERIFY2(recorder.failure->text.contains(says), qPrintable(recorder.failure->text));
    QCOMPARE(recorder.failure->size >= 0, closeCode == 1009);
}

// A too-big frame is refused from its header, with the size it declares, before any payload.
void TestFrameReader::sizeLimitsAreCheckedFromTheHeader()
{
    {
        FrameReader reader({1000, 0});
        Recorder recorder;
        reader.read(header64(0x82, 300000000000LL), recorder);
        QVERIFY(recorder.failure);
        QCOMPARE(recorder.failure->closeCode, 1009);
        QCOMPARE(recorder.failure->size, 300000000000LL);
        QCOMPARE(recorder.failure->limit, 1000);
        QVERIFY(!recorder.failure->messageLimit);
        QCOMPARE(recorder.failure->text,
                 u"message too big: a frame of 300000000000 bytes > limit 1000 (maxFrameSize)"_s);
    }
    {
        FrameReader reader({0, 262144});
        Recorder recorder;
        reader.read(serverFrame(0x1, bytesOf(200000), false), recorder);
        QVERIFY(!recorder.failure);
        QVERIFY(reader.inMessage());
        reader.read(QByteArray("\x80\x7E\x00\x00", 4), recorder);  // 0 in 16 bits
        QVERIFY(recorder.failure);
        QCOMPARE(recorder.failure->closeCode, 1002);
    }
    {
        FrameReader reader({0, 262144});
        Recorder recorder;
        reader.read(serverFrame(0x1, bytesOf(200000), false), recorder);
        reader.read(header64(0x80, 100000), recorder);
        QVERIFY(recorder.failure);
        QCOMPARE(recorder.failure->closeCode, 1009);
        QCOMPARE(recorder.failure->size, 300000);
        QCOMPARE(recorder.failure->limit, 262144);
        QVERIFY(recorder.failure->messageLimit);
        QCOMPARE(recorder.failure->text,
                 u"message too big: 300000 bytes > limit 262144 (maxMessageSize)"_s);
    }
    {
        // No limit and a header declaring 2^62 bytes: read, not refused, nothing huge reserved.
        FrameReader reader;
        Recorder recorder;
        reader.read(header64(0x82, quint64(1) << 62) + "abc", recorder);
        QVERIFY(!recorder.failure);
        QCOMPARE(reader.pendingBytes(), 10 + 3);
    }
}

void TestFrameReader::closeCodesThatMayNotBeSent_data()
{
    QTest::addColumn<int>("code");
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        QTest::newRow(qPrintable(QString::number(code))) << code;
}

void TestFrameReader::closeCodesThatMayNotBeSent()
{
    QFETCH(int, code);
    const Recorder recorder = readEveryWay(serverFrame(0x8, closeBody(quint16(code), "r\xC3\xA9")));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(recorder.failure);
    QCOMPARE(recorder.failure->closeCode, 1002);
    QVERIFY2(recorder.failure->text.contains(u"a close frame with code %1,"_s.arg(code)),
             qPrintable(recorder.failure->text));
    QVERIFY(recorder.failure->closeFrame);
    QCOMPARE(recorder.failure->closeFrame->closeCode, std::optional<quint16>(quint16(code)));
    QCOMPARE(recorder.failure->closeFrame->closeReason, u"ré"_s);
    QVERIFY(recorder.frames.isEmpty());
}

void TestFrameReader::stateOnTheWay()
{
    FrameReader reader;
    Recorder recorder;
    const QByteArray big = serverFrame(0x2, bytesOf(70000), false);
    reader.read(QByteArrayView(big).first(1), recorder);
    QCOMPARE(reader.pendingBytes(), 1);
    reader.read(QByteArrayView(big).sliced(1, 20), recorder);
    QCOMPARE(reader.pendingBytes(), 21);
    QVERIFY(!reader.inMessage());
    reader.read(QByteArrayView(big).sliced(21), recorder);
    QCOMPARE(reader.pendingBytes(), 0);
    QCOMPARE(recorder.frames.size(), 1);
    QVERIFY(reader.inMessage());
    reader.read(serverFrame(0x0, "end"), recorder);
    QVERIFY(!reader.inMessage());
    QVERIFY(!reader.failed());
    QVERIFY(!reader.closeReceived());
    reader.read(serverFrame(0x3, ""), recorder);
    QVERIFY(reader.failed());
    reader.read(serverFrame(0x1, "ignored"), recorder);
    QCOMPARE(recorder.frames.size(), 2);

    // A fault lets go of the start of a frame it held.
    FrameReader masked;
    Recorder maskedRecorder;
    masked.read("\x82", maskedRecorder);
    QCOMPARE(masked.pendingBytes(), 1);
    masked.read("\xFE", maskedRecorder);
    QVERIFY(maskedRecorder.failure);
    QCOMPARE(masked.pendingBytes(), 0);
}

// The engine's flood: 256 KiB reads of 64-byte messages, cut wherever the reads fall.
void TestFrameReader::floodOfSmallFrames()
{
    QByteArray stream;
    const QByteArray one = serverFrame(0x1, bytesOf(64));
    const int count = 50000;
    stream.reserve(one.size() * count);
    for (int i = 0; i < count; ++i)
        stream += one;
    FrameReader reader({1 << 20, 1 << 20});
    Recorder recorder;
    recorder.frames.reserve(count);
    QBENCHMARK_ONCE {
        for (qsizetype at = 0; at < stream.size(); at += 256 * 1024)
            reader.read(QByteArrayView(stream).sliced(at, qMin<qsizetype>(256 * 1024, stream.size() - at)),
                        recorder);
    }
    QVERIFY(!recorder.failure);
    QCOMPARE(recorder.frames.size(), count);
    QCOMPARE(recorder.frames.last().payload, bytesOf(64));
}

QTEST_GUILESS_MAIN(TestFrameReader)
#include "tst_framereader.moc"
