#include "didyoumean.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class TestDidYouMean : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsEdits_data();
    void countsEdits();
    void suggestsTheClosestName_data();
    void suggestsTheClosestName();
};

void TestDidYouMean::countsEdits_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("distance");
    QTest::newRow("same") << u"url"_s << u"url"_s << 0;
    QTest::newRow("case is ignored") << u"URL"_s << u"url"_s << 0;
    QTest::newRow("one extra letter") << u"urll"_s << u"url"_s << 1;
    QTest::newRow("one missing letter") << u"timout"_s << u"timeout"_s << 1;
    QTest::newRow("swapped neighbours are one edit") << u"tiemout"_s << u"timeout"_s << 1;
    QTest::newRow("substitution") << u"verfy"_s << u"verify"_s << 1;
    QTest::newRow("from nothing") << u""_s << u"abc"_s << 3;
    QTest::newRow("kitten") << u"kitten"_s << u"sitting"_s << 3;
}

void TestDidYouMean::countsEdits()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, distance);
    QCOMPARE(DidYouMean::editDistance(a, b), distance);
    QCOMPARE(DidYouMean::editDistance(b, a), distance);
}

void TestDidYouMean::suggestsTheClosestName_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QStringList>("candidates");
    QTest::addColumn<QString>("suggestion"); // empty: none

    const QStringList keys{u"url"_s, u"timeout"_s, u"title"_s, u"headers"_s};
    QTest::newRow("typo") << u"timout"_s << keys << u"timeout"_s;
    QTest::newRow("case") << u"Headers"_s << keys << u"headers"_s;
    QTest::newRow("two edits") << u"hedars"_s << keys << u"headers"_s;
    QTest::newRow("three edits is too far") << u"hdrs"_s << keys << QString();
    QTest::newRow("closest wins") << u"titl"_s << keys << u"title"_s;
    QTest::newRow("unrelated") << u"payload"_s << keys << QString();
    QTest::newRow("one letter is not a typo of two") << u"x"_s << QStringList{u"id"_s} << QString();
    QTest::newRow("one letter, other case") << u"X"_s << QStringList{u"x"_s} << u"x"_s;
    QTest::newRow("tie goes to the first") << u"ab"_s << QStringList{u"abc"_s, u"abd"_s} << u"abc"_s;
    QTest::newRow("no candidates") << u"url"_s << QStringList() << QString();
}

void TestDidYouMean::suggestsTheClosestName()
{
    QFETCH(QString, word);
    QFETCH(QStringList, candidates);
    QFETCH(QString, suggestion);
    QCOMPARE(DidYouMean::closest(word, candidates).value_or(QString()), suggestion);
}

QTEST_GUILESS_MAIN(TestDidYouMean)
#include "tst_didyoumean.moc"
