#include "utf8validator.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wsprobe;

namespace {

// A plain decoder written from RFC 3629 section 4, one code point at a time: what the
// automaton must agree with.
bool referenceValid(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (i < bytes.size()) {
        const auto lead = quint8(bytes[i]);
        int extra;
        quint32 cp;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            cp = lead & 0x07;
        } else {
            return false;
        }
        if (i + extra >= bytes.size())
            return false;
        for (int k = 1; k <= extra; ++k) {
            const auto next = quint8(bytes[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (next & 0x3F);
        }
        const quint32 minimum = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

bool feedInSlices(QByteArrayView bytes, QList<qsizetype> cuts, Utf8Validator *validator)
{
    bool ok = true;
    qsizetype from = 0;
    cuts << bytes.size();
    for (qsizetype cut : cuts) {
        ok = validator->feed(bytes.sliced(from, cut - from));
        from = cut;
    }
    return ok;
}

} // namespace

class TestUtf8Validator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cases_data();
    void cases();
    void failsAtTheFirstBadByte_data();
    void failsAtTheFirstBadByte();
    void agreesWithAReferenceDecoder();
    void failedStaysFailedUntilReset();
};

void TestUtf8Validator::cases_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");     // no invalid byte
    QTest::addColumn<bool>("boundary");  // valid and complete

    QTest::newRow("empty") << QByteArray() << true << true;
    QTest::newRow("ascii") << QByteArray("hello, world and more than eight") << true << true;
    QTest::newRow("2-byte") << QByteArray("caf\xC3\xA9") << true << true;
    QTest::newRow("3-byte euro") << QByteArray("\xE2\x82\xAC") << true << true;
    QTest::newRow("4-byte emoji") << QByteArray("\xF0\x9F\x98\x80") << true << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xF4\x8F\xBF\xBF") << true << true;
    QTest::newRow("U+D7FF") << QByteArray("\xED\x9F\xBF") << true << true;
    QTest::newRow("U+E000") << QByteArray("\xEE\x80\x80") << true << true;
    QTest::newRow("ascii then emoji after 8")
        << QByteArray("abcdefghijk\xF0\x9F\x98\x80xyz") << true << true;
    QTest::newRow("ends mid 2-byte") << QByteArray("ab\xC3") << true << false;
    QTest::newRow("ends mid 4-byte") << QByteArray("\xF0\x9F\x98") << true << false;
    QTest::newRow("overlong C0 80") << QByteArray("\xC0\x80", 2) << false << false;
    QTest::newRow("overlong C1 BF") << QByteArray("\xC1\xBF") << false << false;
    QTest::newRow("overlong E0 80 80") << QByteArray("\xE0\x80\x80") << false << false;
    QTest::newRow("overlong F0 80 80 80") << QByteArray("\xF0\x80\x80\x80") << false << false;
    QTest::newRow("surrogate ED A0 80") << QByteArray("\xED\xA0\x80") << false << false;
    QTest::newRow("surrogate ED BF BF") << QByteArray("\xED\xBF\xBF") << false << false;
    QTest::newRow("above U+10FFFF F4 90 80 80") << QByteArray("\xF4\x90\x80\x80") << false << false;
    QTest::newRow("F5") << QByteArray("\xF5\x80\x80\x80") << false << false;
    QTest::newRow("FF") << QByteArray("a\xFF") << false << false;
    QTest::newRow("stray continuation") << QByteArray("abc\x80") << false << false;
    QTest::newRow("lead then ascii") << QByteArray("\xC3(") << false << false;
    QTest::newRow("bad byte after 8 ascii") << QByteArray("12345678\xC0\xAF") << false << false;
}

// Whole, byte by byte, and cut at every point: the same answer.
void TestUtf8Validator::cases()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QFETCH(bool, boundary);

    Utf8Validator whole;
    QCOMPARE(whole.feed(bytes), valid);
    QCOMPARE(whole.failed(), !valid);
    QCOMPARE(whole.atBoundary(), boundary);

    Utf8Validator byByte;
    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < bytes.size(); ++i)
        everyByte << i;
    QCOMPARE(feedInSlices(bytes, everyByte, &byByte), valid);
    QCOMPARE(byByte.atBoundary(), boundary);

    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        Utf8Validator twoPieces;
        QCOMPARE(feedInSlices(bytes, {cut}, &twoPieces), valid);
        QCOMPARE(twoPieces.atBoundary(), boundary);
    }
}

void TestUtf8Validator::failsAtTheFirstBadByte_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("badAt");  // the first byte no continuation can make valid

    QTest::newRow("C0") << QByteArray("\xC0") << 0;
    QTest::newRow("E0 80") << QByteArray("\xE0\x80") << 1;
    QTest::newRow("ED A0") << QByteArray("\xED\xA0") << 1;
    QTest::newRow("F0 8F") << QByteArray("\xF0\x8F") << 1;
    QTest::newRow("F4 90") << QByteArray("\xF4\x90") << 1;
    QTest::newRow("F5") << QByteArray("abc\xF5") << 3;
    QTest::newRow("E2 82 41") << QByteArray("\xE2\x82\x41") << 2;
}

void TestUtf8Validator::failsAtTheFirstBadByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, badAt);
    Utf8Validator validator;
    QVERIFY(validator.feed(QByteArrayView(bytes).first(badAt)));
    QVERIFY(!validator.feed(QByteArrayView(bytes).sliced(badAt, 1)));
    QVERIFY(validator.failed());
}

void TestUtf8Validator::agreesWithAReferenceDecoder()
{
    // Bytes drawn mostly from the interesting edges of the table, so that valid and invalid
    // sequences of every kind come up.
    static const quint8 pool[] = {'a',  'Z',  0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                  0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
                                  0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    QRandomGenerator random(6455);
    int valids = 0;
    for (int round = 0; round < 200000; ++round) {
        QByteArray bytes;
        const int size = random.bounded(1, 12);
        for (int i = 0; i < size; ++i)
            bytes += char(pool[random.bounded(int(sizeof pool))]);
        Utf8Validator validator;
        const bool ok = validator.feed(bytes) && validator.atBoundary();
        if (ok != referenceValid(bytes))
            QFAIL(qPrintable(QStringLiteral("disagrees on %1").arg(QString::fromLatin1(bytes.toHex(' ')))));
        valids += ok;
    }
    QVERIFY(valids > 1000);  // the pool does make valid text
}

void TestUtf8Validator::failedStaysFailedUntilReset()
{
    Utf8Validator validator;
    QVERIFY(!validator.feed("\xFF"));
    QVERIFY(!validator.feed("abc"));
    QVERIFY(!validator.atBoundary());
    validator.reset();
    QVERIFY(validator.feed("abc"));
    QVERIFY(validator.atBoundary());
}

QTEST_GUILESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
