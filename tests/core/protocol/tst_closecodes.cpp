#include "closecodes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class TestCloseCodes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesEveryStandardCode_data();
    void namesEveryStandardCode();
    void categories_data();
    void categories();
    void labels();
    void onlySendableCodesCanBeSent_data();
    void onlySendableCodesCanBeSent();
    void parsesNumbersAndNames_data();
    void parsesNumbersAndNames();
    void descriptionsAreNeverEmpty();
};

void TestCloseCodes::namesEveryStandardCode_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("symbol");
    const std::array<std::pair<const char *, const char *>, 16> expected = {{
        {"Normal Closure", "NORMAL_CLOSURE"},
        {"Going Away", "GOING_AWAY"},
        {"Protocol Error", "PROTOCOL_ERROR"},
        {"Unsupported Data", "UNSUPPORTED_DATA"},
        {"Reserved", "RESERVED"},
        {"No Status Received", "NO_STATUS_RECEIVED"},
        {"Abnormal Closure", "ABNORMAL_CLOSURE"},
        {"Invalid Frame Payload Data", "INVALID_FRAME_PAYLOAD_DATA"},
        {"Policy Violation", "POLICY_VIOLATION"},
        {"Message Too Big", "MESSAGE_TOO_BIG"},
        {"Mandatory Extension", "MANDATORY_EXTENSION"},
        {"Internal Error", "INTERNAL_ERROR"},
        {"Service Restart", "SERVICE_RESTART"},
        {"Try Again Later", "TRY_AGAIN_LATER"},
        {"Bad Gateway", "BAD_GATEWAY"},
        {"TLS Handshake", "TLS_HANDSHAKE"},
    }};
    for (int i = 0; i < 16; ++i) {
        QTest::addRow("%d", 1000 + i) << 1000 + i << QString::fromLatin1(expected[i].first)
                                      << QString::fromLatin1(expected[i].second);
    }
}

void TestCloseCodes::namesEveryStandardCode()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    QFETCH(QString, symbol);
    QCOMPARE(CloseCodes::name(code), name);
    QCOMPARE(CloseCodes::symbol(code), symbol);
    QCOMPARE(CloseCodes::category(code), CloseCodeCategory::Standard);
}

void TestCloseCodes::categories_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<CloseCodeCategory>("category");
    QTest::newRow("0") << 0 << CloseCodeCategory::Invalid;
    QTest::newRow("999") << 999 << CloseCodeCategory::Invalid;
    QTest::newRow("1000") << 1000 << CloseCodeCategory::Standard;
    QTest::newRow("1015") << 1015 << CloseCodeCategory::Standard;
    QTest::newRow("1016") << 1016 << CloseCodeCategory::Unassigned;
    QTest::newRow("2999") << 2999 << CloseCodeCategory::Unassigned;
    QTest::newRow("3000") << 3000 << CloseCodeCategory::Registered;
    QTest::newRow("3999") << 3999 << CloseCodeCategory::Registered;
    QTest::newRow("4000") << 4000 << CloseCodeCategory::Application;
    QTest::newRow("4001") << 4001 << CloseCodeCategory::Application;
    QTest::newRow("4999") << 4999 << CloseCodeCategory::Application;
    QTest::newRow("5000") << 5000 << CloseCodeCategory::Invalid;
    QTest::newRow("-1") << -1 << CloseCodeCategory::Invalid;
}

void TestCloseCodes::categories()
{
    QFETCH(int, code);
    QFETCH(CloseCodeCategory, category);
    QCOMPARE(CloseCodes::category(code), category);
}

void TestCloseCodes::labels()
{
    QCOMPARE(CloseCodes::label(1000), u"1000 Normal Closure"_s);
    QCOMPARE(CloseCodes::label(1006), u"1006 Abnormal Closure"_s);
    QCOMPARE(CloseCodes::label(4001), u"4001 application code"_s);
    QCOMPARE(CloseCodes::label(3008), u"3008 registered code"_s);
    QCOMPARE(CloseCodes::label(2000), u"2000 unassigned code"_s);
    QCOMPARE(CloseCodes::label(42), u"42 invalid code"_s);
    QVERIFY(CloseCodes::name(4001).isEmpty());
}

void TestCloseCodes::onlySendableCodesCanBeSent_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("sendable");
    QTest::newRow("1000") << 1000 << true;
    QTest::newRow("1001") << 1001 << true;
    QTest::newRow("1004 reserved") << 1004 << false;
    QTest::newRow("1005 local") << 1005 << false;
    QTest::newRow("1006 local") << 1006 << false;
    QTest::newRow("1011") << 1011 << true;
    QTest::newRow("1015 local") << 1015 << false;
    QTest::newRow("1016 unassigned") << 1016 << false;
    QTest::newRow("3000") << 3000 << true;
    QTest::newRow("4001") << 4001 << true;
    QTest::newRow("5000") << 5000 << false;
    QTest::newRow("999") << 999 << false;
}

void TestCloseCodes::onlySendableCodesCanBeSent()
{
    QFETCH(int, code);
    QFETCH(bool, sendable);
    QCOMPARE(CloseCodes::canBeSent(code), sendable);
}

void TestCloseCodes::parsesNumbersAndNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");  // -1: not parsed
    QTest::newRow("number") << u"4001"_s << 4001;
    QTest::newRow("padded number") << u" 1000 "_s << 1000;
    QTest::newRow("symbol") << u"NORMAL_CLOSURE"_s << 1000;
    QTest::newRow("lower symbol") << u"going_away"_s << 1001;
    QTest::newRow("name") << u"Policy Violation"_s << 1008;
    QTest::newRow("kebab") << u"message-too-big"_s << 1009;
    QTest::newRow("unknown name") << u"sort of closed"_s << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("too large") << u"70000"_s << -1;
}

void TestCloseCodes::parsesNumbersAndNames()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    const std::optional<int> parsed = CloseCodes::fromString(text);
    if (expected < 0) {
        QVERIFY(!parsed.has_value());
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, expected);
    }
}

void TestCloseCodes::descriptionsAreNeverEmpty()
{
    for (int code : {0, 1000, 1006, 1015, 1016, 3000, 4001, 4999, 5000})
        QVERIFY2(!CloseCodes::description(code).isEmpty(), qPrintable(QString::number(code)));
    QVERIFY(CloseCodes::description(4001).contains(u"application"_s));
}

QTEST_GUILESS_MAIN(TestCloseCodes)
#include "tst_closecodes.moc"
