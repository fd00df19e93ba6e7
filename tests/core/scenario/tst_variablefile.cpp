#include "variablefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using Layer = Variables::Layer;
using Secrecy = Variables::Secrecy;

namespace {

QStringList strings(const QList<JsonError> &errors)
{
    QStringList result;
    for (const JsonError &error : errors)
        result.append(error.toString());
    return result;
}

} // namespace

class TestVariableFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void setsEveryVariable();
    void marksAWholeFileSecret();
    void loadsFiles();
    void reportsEveryProblemAndSetsNothing();
    void reportsANonObject();
    void passesSyntaxErrorsOn();
    void reportsUnreadableFiles();
};

void TestVariableFile::setsEveryVariable()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(VariableFile::parse(u"{\n  \"host\": \"localhost:8080\",\n  \"api_token\": \"abc123\"\n}",
                                u"dev.json"_s, Layer::EnvironmentFile, Secrecy::ByName, &variables,
                                &errors));
    QVERIFY(errors.isEmpty());
    QCOMPARE(variables.value(u"host"), u"localhost:8080"_s);
    QCOMPARE(variables.layerOf(u"api_token"), Layer::EnvironmentFile);
    QVERIFY(!variables.isSecret(u"host"));
    QVERIFY(variables.isSecret(u"api_token"));
}

void TestVariableFile::marksAWholeFileSecret()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(VariableFile::parse(u"{\"user\": \"alice-smith\"}", u"secrets.json"_s,
                                Layer::EnvironmentFile, Secrecy::Secret, &variables, &errors));
    QVERIFY(variables.isSecret(u"user"));
    QCOMPARE(variables.maskSecrets(u"hello alice-smith"), u"hello ••••••"_s);
}

void TestVariableFile::loadsFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"staging.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\r\n  \"room\": \"K\xc3\xbc" "che\"\r\n}\r\n");
    file.close();

    Variables variables;
    QList<JsonError> errors;
    QVERIFY(VariableFile::load(path, Layer::EnvironmentFile, Secrecy::ByName, &variables, &errors));
    QCOMPARE(variables.value(u"room"), u"Küche"_s);
}

void TestVariableFile::reportsEveryProblemAndSetsNothing()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(!VariableFile::parse(u"{\n"
                                 u"  \"port\": 8080,\n"
                                 u"  \"my var\": \"x\",\n"
                                 u"  \"verbose\": true,\n"
                                 u"  \"nested\": {},\n"
                                 u"  \"ok\": \"fine\"\n"
                                 u"}"_s,
                                 u"env.json"_s, Layer::EnvironmentFile, Secrecy::ByName, &variables,
                                 &errors));
    QCOMPARE(strings(errors),
             (QStringList{u"env.json:2:11: expected a string, found 8080 (write \"8080\")"_s,
                          u"env.json:3:3: \"my var\" is not a valid variable name (letters, digits, "
                          u"'_', '.' and '-', starting with a letter or '_')"_s,
                          u"env.json:4:14: expected a string, found true (write \"true\")"_s,
                          u"env.json:5:13: expected a string, found an object"_s}));
    QVERIFY(!variables.value(u"ok"));
}

void TestVariableFile::reportsANonObject()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(!VariableFile::parse(u"[\"host=x\"]", u"env.json"_s, Layer::EnvironmentFile,
                                 Secrecy::ByName, &variables, &errors));
    QCOMPARE(strings(errors), QStringList{u"env.json:1:1: expected an object of variable names and "
                                          u"string values, found an array"_s});
}

void TestVariableFile::passesSyntaxErrorsOn()
{
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(!VariableFile::parse(u"{\n  \"a\": \"b\",\n}", u"env.json"_s, Layer::EnvironmentFile,
                                 Secrecy::ByName, &variables, &errors));
    QCOMPARE(strings(errors), QStringList{u"env.json:2:11: trailing comma is not allowed"_s});
}

void TestVariableFile::reportsUnreadableFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"none.json"_s);
    Variables variables;
    QList<JsonError> errors;
    QVERIFY(!VariableFile::load(path, Layer::EnvironmentFile, Secrecy::ByName, &variables, &errors));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.at(0).toString().startsWith(path + u": cannot open the file: "_s));
}

QTEST_GUILESS_MAIN(TestVariableFile)
#include "tst_variablefile.moc"
