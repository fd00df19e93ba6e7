#include "secretmasker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class TestSecretMasker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recognisesSecretHeaders_data();
    void recognisesSecretHeaders();
    void keepsTheAuthorizationScheme();
    void masksWholeValuesOfOtherSecrets();
    void leavesOrdinaryHeadersAlone();
    void masksSecretQueryParametersAndPasswords();
};

void TestSecretMasker::recognisesSecretHeaders_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("secret");
    QTest::newRow("Authorization") << u"Authorization"_s << true;
    QTest::newRow("lower") << u"authorization"_s << true;
    QTest::newRow("Cookie") << u"Cookie"_s << true;
    QTest::newRow("X-Api-Key") << u"X-Api-Key"_s << true;
    QTest::newRow("X-Auth-Token") << u"X-Auth-Token"_s << true;
    QTest::newRow("X-Auth") << u"X-Auth"_s << true;
    QTest::newRow("Proxy-Authorization") << u"Proxy-Authorization"_s << true;
    QTest::newRow("User-Agent") << u"User-Agent"_s << false;
    QTest::newRow("X-Author") << u"X-Author"_s << false;
    QTest::newRow("Accept") << u"Accept"_s << false;
}

void TestSecretMasker::recognisesSecretHeaders()
{
    QFETCH(QString, name);
    QFETCH(bool, secret);
    QCOMPARE(SecretMasker::isSecretHeader(name), secret);
}

void TestSecretMasker::keepsTheAuthorizationScheme()
{
    const QString masked = SecretMasker::maskHeaderValue(u"Authorization", u"Bearer abc.def.ghi");
    QCOMPARE(masked, u"Bearer "_s + SecretMasker::Mask.toString());
    QVERIFY(!masked.contains(u"abc"_s));
}

void TestSecretMasker::masksWholeValuesOfOtherSecrets()
{
    QCOMPARE(SecretMasker::maskHeaderValue(u"Cookie", u"sid=123; theme=dark"),
             SecretMasker::Mask.toString());
    QCOMPARE(SecretMasker::maskHeaderValue(u"Authorization", u"opaque"),
             SecretMasker::Mask.toString());
}

void TestSecretMasker::leavesOrdinaryHeadersAlone()
{
    QCOMPARE(SecretMasker::maskHeaderValue(u"X-Probe", u"42"), u"42"_s);
}

void TestSecretMasker::masksSecretQueryParametersAndPasswords()
{
    const QString masked = SecretMasker::maskUrl(
        QUrl(u"wss://bob:hunter2@example.com/ws?room=7&token=abc123&api_key=zz"_s));
    QVERIFY2(!masked.contains(u"hunter2"_s), qPrintable(masked));
    QVERIFY2(!masked.contains(u"abc123"_s), qPrintable(masked));
    QVERIFY2(!masked.contains(u"zz"_s), qPrintable(masked));
    QVERIFY2(masked.contains(u"room=7"_s), qPrintable(masked));
    QVERIFY2(masked.contains(u"bob"_s), qPrintable(masked));
    QCOMPARE(SecretMasker::maskUrl(QUrl(u"ws://127.0.0.1:80/echo?author=ann"_s)),
             u"ws://127.0.0.1:80/echo?author=ann"_s);
}

QTEST_GUILESS_MAIN(TestSecretMasker)
#include "tst_secretmasker.moc"
