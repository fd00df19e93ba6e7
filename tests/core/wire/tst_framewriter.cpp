#include "framewriter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

void referenceMask(char *data, qsizetype size, quint32 key, qsizetype offset)
{
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(quint8(data[i]) ^ quint8(key >> (24 - 8 * ((offset + i) % 4))));
}

} // namespace

class TestFrameWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clientFrame_data();
    void clientFrame();
    void applyMaskMatchesByteByByte();
    void closePayload();
    void serverFrameIsNotMasked();
};

void TestFrameWriter::clientFrame_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("lengthBytes");  // after the second byte: 0, 2 or 8

    QTest::newRow("empty text") << 0x1 << true << 0 << 0;
    QTest::newRow("1 byte binary") << 0x2 << true << 1 << 0;
    QTest::newRow("125: 7-bit") << 0x1 << true << 125 << 0;
    QTest::newRow("126: 16-bit") << 0x2 << true << 126 << 2;
    QTest::newRow("65535: 16-bit") << 0x2 << true << 65535 << 2;
    QTest::newRow("65536: 64-bit") << 0x2 << true << 65536 << 8;
    QTest::newRow("not fin") << 0x1 << false << 10 << 0;
    QTest::newRow("continuation") << 0x0 << true << 10 << 0;
    QTest::newRow("ping") << 0x9 << true << 4 << 0;
    QTest::newRow("close") << 0x8 << true << 2 << 0;
}

void TestFrameWriter::clientFrame()
{
    QFETCH(int, opcode);
    QFETCH(bool, fin);
    QFETCH(int, size);
    QFETCH(int, lengthBytes);

    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char(i * 7 + 3);
    const quint32 key = 0xA1B2C3D4;
    const QByteArray frame = FrameWriter::clientFrame(WireOpcode(opcode), payload, key, fin);

    const int headerSize = 2 + lengthBytes + 4;
    QCOMPARE(frame.size(), headerSize + size);
    const auto byte = [&](int i) { return quint8(frame[i]); };
    QCOMPARE(byte(0), quint8((fin ? 0x80 : 0) | opcode));  // RSV clear
    QVERIFY(byte(1) & 0x80);                               // masked
    quint64 length = byte(1) & 0x7F;
    if (lengthBytes == 2) {
        QCOMPARE(length, 126u);
        length = (quint64(byte(2)) << 8) | byte(3);
    } else if (lengthBytes == 8) {
        QCOMPARE(length, 127u);
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | byte(2 + i);
    }
    QCOMPARE(length, quint64(size));
    QCOMPARE(frame.mid(2 + lengthBytes, 4), QByteArray("\xA1\xB2\xC3\xD4"));

    QByteArray unmasked = frame.mid(headerSize);
    for (int i = 0; i < unmasked.size(); ++i)
        unmasked[i] = char(quint8(unmasked[i]) ^ byte(2 + lengthBytes + i % 4));
    QCOMPARE(unmasked, payload);
    if (size >= 4)
        QVERIFY(frame.mid(headerSize) != payload);  // it is masked
}

// Every offset and size, from every alignment of the start.
void TestFrameWriter::applyMaskMatchesByteByByte()
{
    const quint32 key = 0x12345678;
    for (int align = 0; align < 8; ++align) {
        for (int offset = 0; offset < 4; ++offset) {
            for (int size = 0; size <= 70; ++size) {
                QByteArray storage(align + size + 8, Qt::Uninitialized);
                for (int i = 0; i < storage.size(); ++i)
                    storage[i] = char(i * 31 + 5);
                QByteArray expected = storage;
                FrameWriter::applyMask(storage.data() + align, size, key, offset);
                referenceMask(expected.data() + align, size, key, offset);
                if (storage != expected) {
                    QFAIL(qPrintable(QStringLiteral("align %1, offset %2, size %3")
                                         .arg(align)
                                         .arg(offset)
                                         .arg(size)));
                }
            }
        }
    }
    // An offset past 3 counts modulo 4; twice unmasks.
    QByteArray data("abcdefghijklmnopqrstuvwxyz");
    QByteArray expected = data;
    FrameWriter::applyMask(data.data(), data.size(), key, 6);
    referenceMask(expected.data(), expected.size(), key, 2);
    QCOMPARE(data, expected);
    FrameWriter::applyMask(data.data(), data.size(), key, 2);
    QCOMPARE(data, QByteArray("abcdefghijklmnopqrstuvwxyz"));
}

void TestFrameWriter::closePayload()
{
    QCOMPARE(FrameWriter::closePayload(0, "ignored"), QByteArray());
    QCOMPARE(FrameWriter::closePayload(1000, {}), QByteArray("\x03\xE8"));
    QCOMPARE(FrameWriter::closePayload(4001, "caf\xC3\xA9"), QByteArray("\x0F\xA1" "caf\xC3\xA9"));
}

void TestFrameWriter::serverFrameIsNotMasked()
{
    QCOMPARE(FrameWriter::serverFrame(WireOpcode::Text, "Hello"), "\x81\x05Hello"_ba);
    QCOMPARE(FrameWriter::serverFrame(WireOpcode::Ping, {}, true), "\x89\x00"_ba);
    QCOMPARE(FrameWriter::serverFrame(WireOpcode::Binary, "ab", false), "\x02\x02" "ab"_ba);
    const QByteArray mid(126, 'x');
    QCOMPARE(FrameWriter::serverFrame(WireOpcode::Binary, mid).left(4), "\x82\x7E\x00\x7E"_ba);
    const QByteArray big(65536, 'y');
    const QByteArray frame = FrameWriter::serverFrame(WireOpcode::Binary, big);
    QCOMPARE(frame.size(), 10 + 65536);
    QCOMPARE(frame.left(10), QByteArray("\x82\x7F\x00\x00\x00\x00\x00\x01\x00\x00", 10));
    QCOMPARE(frame.mid(10), big);
}

QTEST_GUILESS_MAIN(TestFrameWriter)
#include "tst_framewriter.moc"
