#include "variablesyntax.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using Segment = VariableSyntax::Segment;

namespace {

// 'literal' {reference} ?malformed?: a whole split in one comparable, readable string.
QString render(const QList<Segment> &segments)
{
    QString result;
    for (const Segment &segment : segments) {
        switch (segment.kind) {
        case Segment::Literal: result += u'\'' + segment.text + u'\''; break;
        case Segment::Reference: result += u'{' + segment.text + u'}'; break;
        case Segment::Malformed: result += u'?' + segment.text + u'?'; break;
        }
    }
    return result;
}

// Adjacent literals are one segment in split()'s answer.
QList<Segment> merged(const QList<Segment> &segments)
{
    QList<Segment> result;
    for (const Segment &segment : segments) {
        if (segment.kind == Segment::Literal && segment.text.isEmpty())
            continue;
        if (segment.kind == Segment::Literal && !result.isEmpty()
            && result.last().kind == Segment::Literal) {
            result.last().text += segment.text;
        } else {
            result.append(segment);
        }
    }
    return result;
}

} // namespace

class TestVariableSyntax : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitsTemplates_data();
    void splitsTemplates();
    void keepsWhatWasWritten();
    void listsReferencedNames();
    void validatesNames_data();
    void validatesNames();
    void escapesLiteralText_data();
    void escapesLiteralText();
    void escapeRoundTripsAnyText();
    void composeRoundTripsAnySegments();
    void parsesAssignments_data();
    void parsesAssignments();
};

void TestVariableSyntax::splitsTemplates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("segments");
    QTest::newRow("empty") << u""_s << u""_s;
    QTest::newRow("plain") << u"hello"_s << u"'hello'"_s;
    QTest::newRow("one reference") << u"hi {{name}}!"_s << u"'hi '{name}'!'"_s;
    QTest::newRow("spaces inside") << u"{{ token }}"_s << u"{token}"_s;
    QTest::newRow("tabs inside") << u"{{\ttoken\t}}"_s << u"{token}"_s;
    QTest::newRow("dotted and dashed name") << u"{{login.session-id}}"_s << u"{login.session-id}"_s;
    QTest::newRow("adjacent references") << u"{{a}}{{b}}"_s << u"{a}{b}"_s;
    QTest::newRow("in a JSON payload") << u"{\"user\":\"{{user}}\",\"n\":1}"_s
                                       << u"'{\"user\":\"'{user}'\",\"n\":1}'"_s;
    QTest::newRow("escaped") << u"\\{{name}}"_s << u"'{{name}}'"_s;
    QTest::newRow("escaped backslash") << u"\\\\{{name}}"_s << u"'\\'{name}"_s;
    QTest::newRow("escaped backslash, escaped braces") << u"\\\\\\{{x}}"_s << u"'\\{{x}}'"_s;
    QTest::newRow("backslashes elsewhere are literal") << u"a\\nb\\{c\\\\"_s << u"'a\\nb\\{c\\\\'"_s;
    QTest::newRow("single braces") << u"{a} }}"_s << u"'{a} }}'"_s;
    QTest::newRow("triple braces") << u"{{{a}}}"_s << u"'{'{a}'}'"_s;
    QTest::newRow("escaped triple braces") << u"\\{{{a}}}"_s << u"'{{{a}}}'"_s;
    QTest::newRow("empty reference") << u"{{}}"_s << u"?{{}}?"_s;
    QTest::newRow("name with a space") << u"a {{ a b }} c"_s << u"'a '?{{ a b }}?' c'"_s;
    QTest::newRow("name starting with a digit") << u"{{1a}}"_s << u"?{{1a}}?"_s;
    QTest::newRow("unclosed") << u"x {{name"_s << u"'x '?{{name?"_s;
    QTest::newRow("single closing brace") << u"{{name}"_s << u"?{{name}?"_s;
    QTest::newRow("malformed, then a reference") << u"{{ oops {{a}}"_s << u"?{{ oops ?{a}"_s;
    QTest::newRow("malformed, then escaped") << u"{{ oops \\{{a}}"_s << u"?{{ oops ?'{{a}}'"_s;
}

void TestVariableSyntax::splitsTemplates()
{
    QFETCH(QString, text);
    QFETCH(QString, segments);
    QCOMPARE(render(VariableSyntax::split(text)), segments);
}

void TestVariableSyntax::keepsWhatWasWritten()
{
    const QList<Segment> segments = VariableSyntax::split(u"{{ token }} and {{ bad name }}");
    QCOMPARE(segments.size(), 3);
    QCOMPARE(segments.at(0).source, u"{{ token }}"_s);
    QCOMPARE(segments.at(2).source, u"{{ bad name }}"_s);
}

void TestVariableSyntax::listsReferencedNames()
{
    QCOMPARE(VariableSyntax::referencedNames(u"{{b}} {{a}} {{ b }} \\{{c}} {{d e}}"),
             (QStringList{u"b"_s, u"a"_s}));
}

void TestVariableSyntax::validatesNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("letters") << u"host"_s << true;
    QTest::newRow("underscore first") << u"_x"_s << true;
    QTest::newRow("digits, dots and dashes") << u"login.session-id2"_s << true;
    QTest::newRow("empty") << u""_s << false;
    QTest::newRow("digit first") << u"2fa"_s << false;
    QTest::newRow("dot first") << u".x"_s << false;
    QTest::newRow("dash first") << u"-x"_s << false;
    QTest::newRow("space") << u"a b"_s << false;
    QTest::newRow("non-ASCII letter") << u"größe"_s << false;
}

void TestVariableSyntax::validatesNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(VariableSyntax::isValidName(name), valid);
}

void TestVariableSyntax::escapesLiteralText_data()
{
    QTest::addColumn<QString>("literal");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("nothing to do") << u"a {b} }} \\n"_s << u"a {b} }} \\n"_s;
    QTest::newRow("braces") << u"{{x}}"_s << u"\\{{x}}"_s;
    QTest::newRow("backslash before braces") << u"\\{{"_s << u"\\\\\\{{"_s;
    QTest::newRow("three braces") << u"{{{"_s << u"\\{{{"_s;
    QTest::newRow("four braces") << u"{{{{"_s << u"\\{{\\{{"_s;
}

void TestVariableSyntax::escapesLiteralText()
{
    QFETCH(QString, literal);
    QFETCH(QString, escaped);
    QCOMPARE(VariableSyntax::escape(literal), escaped);
}

void TestVariableSyntax::escapeRoundTripsAnyText()
{
    // The characters that matter, in every order: escape() must survive split().
    const QString alphabet = u"\\{} a"_s;
    QRandomGenerator random(7);
    for (int i = 0; i < 20000; ++i) {
        QString literal;
        const int length = int(random.bounded(14));
        for (int c = 0; c < length; ++c)
            literal += alphabet[random.bounded(int(alphabet.size()))];
        const QList<Segment> expected = merged({Segment{Segment::Literal, literal, QString()}});
        QVERIFY2(VariableSyntax::split(VariableSyntax::escape(literal)) == expected,
                 qPrintable(literal + u" -> "_s + VariableSyntax::escape(literal)));
    }
}

void TestVariableSyntax::composeRoundTripsAnySegments()
{
    // Literals full of braces and backslashes right next to references.
    const QString alphabet = u"\\{}a"_s;
    QRandomGenerator random(11);
    for (int i = 0; i < 20000; ++i) {
        QList<Segment> segments;
        const int count = int(random.bounded(6));
        for (int s = 0; s < count; ++s) {
            if (random.bounded(3) == 0) {
                const QString name = random.bounded(2) ? u"a"_s : u"b.c"_s;
                segments.append(Segment{Segment::Reference, name, VariableSyntax::reference(name)});
            } else {
                QString literal;
                const int length = 1 + int(random.bounded(5));
                for (int c = 0; c < length; ++c)
                    literal += alphabet[random.bounded(int(alphabet.size()))];
                segments.append(Segment{Segment::Literal, literal, QString()});
            }
        }
        const QString text = VariableSyntax::compose(segments);
        QVERIFY2(VariableSyntax::split(text) == merged(segments),
                 qPrintable(render(segments) + u" -> "_s + text + u" -> "_s
                            + render(VariableSyntax::split(text))));
    }
}

void TestVariableSyntax::parsesAssignments_data()
{
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("simple") << u"host=localhost:8080"_s << u"host"_s << u"localhost:8080"_s << QString();
    QTest::newRow("equals in the value") << u"query=a=b&c=d"_s << u"query"_s << u"a=b&c=d"_s << QString();
    QTest::newRow("empty value") << u"empty="_s << u"empty"_s << u""_s << QString();
    QTest::newRow("no equals sign") << u"novalue"_s << QString() << QString()
                                    << u"expected name=value, found \"novalue\""_s;
    QTest::newRow("invalid name") << u"1x=2"_s << QString() << QString()
                                  << u"\"1x\" is not a valid variable name (letters, digits, '_', "
                                     u"'.' and '-', starting with a letter or '_')"_s;
    QTest::newRow("no name") << u"=x"_s << QString() << QString()
                             << u"\"\" is not a valid variable name (letters, digits, '_', "
                                u"'.' and '-', starting with a letter or '_')"_s;
}

void TestVariableSyntax::parsesAssignments()
{
    QFETCH(QString, assignment);
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, error);
    QString message;
    const auto parsed = VariableSyntax::parseAssignment(assignment, &message);
    QCOMPARE(parsed.has_value(), error.isEmpty());
    QCOMPARE(message, error);
    if (parsed) {
        QCOMPARE(parsed->first, name);
        QCOMPARE(parsed->second, value);
    }
}

QTEST_GUILESS_MAIN(TestVariableSyntax)
#include "tst_variablesyntax.moc"
