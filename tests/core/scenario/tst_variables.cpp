#include "secretmasker.h"
#include "variables.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;
using Layer = Variables::Layer;

namespace {

const QString Mask = SecretMasker::Mask.toString();

} // namespace

class TestVariables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Values and precedence
    void higherLayersHideLowerOnes_data();
    void higherLayersHideLowerOnes();
    void readsTheProcessEnvironmentLast();
    void rejectsInvalidNames();
    void removesAndClears();
    void defaultsMayBeMadeOfBuiltIns();

    // Expansion
    void expandsReferences_data();
    void expandsReferences();
    void reportsUnresolvedNamesOnce();
    void reportsMalformedReferences();
    void neverExpandsValuesAgain();

    // Secrets
    void decidesWhatIsSecret_data();
    void decidesWhatIsSecret();
    void masksSecretValues();
    void masksTheLongestSecretFirst();
    void masksPercentEncodedSecrets();
    void masksOnlyTheValueInUse();
    void leavesShortValuesAlone();
    void masksProcessVariablesOnceUsed();
    void abstractsSecretsIntoReferences();
    void abstractingRoundTrips();
};

void TestVariables::higherLayersHideLowerOnes_data()
{
    QTest::addColumn<int>("highest");
    QTest::newRow("captured") << int(Layer::Captured);
    QTest::newRow("command line") << int(Layer::CommandLine);
    QTest::newRow("environment file") << int(Layer::EnvironmentFile);
    QTest::newRow("scenario") << int(Layer::Scenario);
    QTest::newRow("process environment") << int(Layer::ProcessEnvironment);
    QTest::newRow("built in") << int(Layer::BuiltIn);
}

void TestVariables::higherLayersHideLowerOnes()
{
    QFETCH(int, highest);
    Variables variables;
    for (int layer = Variables::LayerCount - 1; layer >= highest; --layer)
        QVERIFY(variables.set(Layer(layer), u"host"_s, u"host-from-%1"_s.arg(layer)));
    QCOMPARE(variables.value(u"host"), u"host-from-%1"_s.arg(highest));
    QCOMPARE(variables.layerOf(u"host"), Layer(highest));
    QCOMPARE(variables.expand(u"ws://{{host}}/").text, u"ws://host-from-%1/"_s.arg(highest));
}

void TestVariables::readsTheProcessEnvironmentLast()
{
    QProcessEnvironment environment;
    environment.insert(u"WS_HOST"_s, u"from-env"_s);
    environment.insert(u"PORT"_s, u"8080"_s);
    environment.insert(u"ProgramFiles(x86)"_s, u"C:\\x"_s); // no valid name: not offered
    Variables variables;
    variables.setProcessEnvironment(environment);
    variables.set(Layer::Scenario, u"PORT"_s, u"9000"_s);
    QCOMPARE(variables.value(u"WS_HOST"), u"from-env"_s);
    QCOMPARE(variables.value(u"PORT"), u"9000"_s);
    QCOMPARE(variables.names(Layer::ProcessEnvironment), (QStringList{u"PORT"_s, u"WS_HOST"_s}));
}

void TestVariables::rejectsInvalidNames()
{
    Variables variables;
    QVERIFY(!variables.set(Layer::CommandLine, u"a b"_s, u"x"_s));
    QVERIFY(!variables.set(Layer::CommandLine, QString(), u"x"_s));
    QVERIFY(variables.names(Layer::CommandLine).isEmpty());
}

// A scenario's "baseUrl": "{{demoUrl}}" runs against the demo server wherever it listens;
// references to anything else in a value stay as written, as ever.
void TestVariables::defaultsMayBeMadeOfBuiltIns()
{
    Variables variables;
    QCOMPARE(variables.resolveDefault(u"{{demoUrl}}"_s), std::nullopt);  // no demo server
    QCOMPARE(variables.resolveDefault(u"ws://fixed"_s), u"ws://fixed"_s);
    QVERIFY(variables.set(Layer::BuiltIn, u"demoUrl"_s, u"ws://127.0.0.1:61800"_s));
    QCOMPARE(variables.resolveDefault(u"{{ demoUrl }}/echo"_s), u"ws://127.0.0.1:61800/echo"_s);
    QCOMPARE(variables.resolveDefault(u"\\\\{{demoUrl}}"_s), u"\\ws://127.0.0.1:61800"_s);
    QCOMPARE(variables.resolveDefault(u"\\{{demoUrl}}"_s), u"\\{{demoUrl}}"_s);  // escaped: as is
    variables.set(Layer::CommandLine, u"demoUrl"_s, u"ws://elsewhere"_s);
    QCOMPARE(variables.resolveDefault(u"{{demoUrl}}"_s), u"ws://elsewhere"_s);
    variables.set(Layer::CommandLine, u"host"_s, u"h"_s);
    QCOMPARE(variables.resolveDefault(u"{{demoUrl}}/{{host}}"_s), u"{{demoUrl}}/{{host}}"_s);
    QVERIFY(Variables::isBuiltInName(u"demoUrl"));
    QVERIFY(!Variables::isBuiltInName(u"baseUrl"));
}

void TestVariables::removesAndClears()
{
    Variables variables;
    variables.set(Layer::Captured, u"id"_s, u"1"_s);
    variables.set(Layer::Scenario, u"id"_s, u"2"_s);
    variables.remove(Layer::Captured, u"id"_s);
    QCOMPARE(variables.value(u"id"), u"2"_s);
    variables.clear(Layer::Scenario);
    QVERIFY(!variables.value(u"id"));
    QVERIFY(!variables.layerOf(u"id"));
}

void TestVariables::expandsReferences_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expanded");
    QTest::newRow("no references") << u"plain {text}"_s << u"plain {text}"_s;
    QTest::newRow("url") << u"wss://{{host}}:{{port}}/chat"_s << u"wss://example.test:8443/chat"_s;
    QTest::newRow("spaces inside") << u"{{ host }}"_s << u"example.test"_s;
    QTest::newRow("dotted name") << u"Bearer {{login.token}}"_s << u"Bearer t0k3n-value"_s;
    QTest::newRow("json payload") << u"{\"room\":\"{{room}}\"}"_s << u"{\"room\":\"lobby\"}"_s;
    QTest::newRow("empty value") << u"[{{empty}}]"_s << u"[]"_s;
    QTest::newRow("escaped") << u"\\{{host}} is {{host}}"_s << u"{{host}} is example.test"_s;
    QTest::newRow("backslash before a reference") << u"C:\\\\{{room}}"_s << u"C:\\lobby"_s;
}

void TestVariables::expandsReferences()
{
    QFETCH(QString, text);
    QFETCH(QString, expanded);
    Variables variables;
    variables.set(Layer::Scenario, u"host"_s, u"example.test"_s);
    variables.set(Layer::Scenario, u"port"_s, u"8443"_s);
    variables.set(Layer::Scenario, u"room"_s, u"lobby"_s);
    variables.set(Layer::Scenario, u"empty"_s, QString());
    variables.set(Layer::Captured, u"login.token"_s, u"t0k3n-value"_s);
    const Variables::Expansion expansion = variables.expand(text);
    QCOMPARE(expansion.text, expanded);
    QVERIFY(expansion.isComplete());
}

void TestVariables::reportsUnresolvedNamesOnce()
{
    Variables variables;
    variables.set(Layer::Scenario, u"host"_s, u"h"_s);
    const Variables::Expansion expansion =
        variables.expand(u"{{host}}/{{missing}}/{{ missing }}/{{other}}");
    // Kept as written, never replaced by nothing.
    QCOMPARE(expansion.text, u"h/{{missing}}/{{ missing }}/{{other}}"_s);
    QCOMPARE(expansion.unresolved, (QStringList{u"missing"_s, u"other"_s}));
    QVERIFY(!expansion.isComplete());
}

void TestVariables::reportsMalformedReferences()
{
    Variables variables;
    variables.set(Layer::Scenario, u"a"_s, u"A"_s);
    const Variables::Expansion expansion = variables.expand(u"{{ user name }} {{a}} {{}}");
    QCOMPARE(expansion.text, u"{{ user name }} A {{}}"_s);
    QCOMPARE(expansion.malformed, (QStringList{u"{{ user name }}"_s, u"{{}}"_s}));
    QVERIFY(expansion.unresolved.isEmpty());
    QVERIFY(!expansion.isComplete());
}

void TestVariables::neverExpandsValuesAgain()
{
    // A server could send "{{api_token}}" in a message a test captures.
    Variables variables;
    variables.set(Layer::Captured, u"echo"_s, u"{{api_token}}"_s);
    variables.set(Layer::Scenario, u"api_token"_s, u"s3cr3t-value"_s);
    const Variables::Expansion expansion = variables.expand(u"got {{echo}}");
    QCOMPARE(expansion.text, u"got {{api_token}}"_s);
    QVERIFY(expansion.isComplete());
}

void TestVariables::decidesWhatIsSecret_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("layer");
    QTest::addColumn<bool>("markedSecret");
    QTest::addColumn<bool>("secret");
    const int scenario = int(Layer::Scenario);
    QTest::newRow("token") << u"api_token"_s << scenario << false << true;
    QTest::newRow("password") << u"Password"_s << scenario << false << true;
    QTest::newRow("dotted token") << u"login.token"_s << int(Layer::Captured) << false << true;
    QTest::newRow("api key") << u"apiKey"_s << scenario << false << true;
    QTest::newRow("auth") << u"auth"_s << scenario << false << true;
    QTest::newRow("cookie") << u"cookie"_s << scenario << false << true;
    QTest::newRow("host") << u"host"_s << scenario << false << false;
    QTest::newRow("author") << u"author"_s << scenario << false << false;
    QTest::newRow("marked secret") << u"host"_s << int(Layer::EnvironmentFile) << true << true;
    QTest::newRow("process environment") << u"HOME"_s << int(Layer::ProcessEnvironment) << false << true;
}

void TestVariables::decidesWhatIsSecret()
{
    QFETCH(QString, name);
    QFETCH(int, layer);
    QFETCH(bool, markedSecret);
    QFETCH(bool, secret);
    Variables variables;
    variables.set(Layer(layer), name, u"value"_s,
                  markedSecret ? Variables::Secrecy::Secret : Variables::Secrecy::ByName);
    QCOMPARE(variables.isSecret(name), secret);
}

void TestVariables::masksSecretValues()
{
    Variables variables;
    variables.set(Layer::CommandLine, u"api_token"_s, u"s3cr3t-value"_s);
    variables.set(Layer::Scenario, u"host"_s, u"example.test"_s);
    variables.set(Layer::EnvironmentFile, u"user"_s, u"alice-smith"_s, Variables::Secrecy::Secret);
    QCOMPARE(variables.maskSecrets(u"GET wss://example.test/?t=s3cr3t-value (alice-smith) s3cr3t-value"),
             u"GET wss://example.test/?t=%1 (%1) %1"_s.arg(Mask));
}

void TestVariables::masksTheLongestSecretFirst()
{
    Variables variables;
    variables.set(Layer::Scenario, u"short_token"_s, u"abcd"_s);
    variables.set(Layer::Scenario, u"long_token"_s, u"abcdef"_s);
    QCOMPARE(variables.maskSecrets(u"abcdefgh abcdx"), u"%1gh %1x"_s.arg(Mask));
}

void TestVariables::masksPercentEncodedSecrets()
{
    Variables variables;
    variables.set(Layer::Scenario, u"api_key"_s, u"a+b/c=d"_s);
    QCOMPARE(variables.maskSecrets(u"wss://h/?key=a%2Bb%2Fc%3Dd and a+b/c=d"),
             u"wss://h/?key=%1 and %1"_s.arg(Mask));
}

void TestVariables::masksOnlyTheValueInUse()
{
    // Only the winning value can reach the output through a reference.
    Variables variables;
    variables.set(Layer::Scenario, u"token"_s, u"old-token-value"_s);
    variables.set(Layer::Captured, u"token"_s, u"new-token-value"_s);
    QCOMPARE(variables.maskSecrets(u"old-token-value new-token-value"),
             u"old-token-value %1"_s.arg(Mask));
}

void TestVariables::leavesShortValuesAlone()
{
    Variables variables;
    variables.set(Layer::Scenario, u"pin_secret"_s, u"123"_s);
    QCOMPARE(variables.maskSecrets(u"1234 123"), u"1234 123"_s);
    QCOMPARE(variables.abstractSecrets(u"1234 123"), u"1234 123"_s);
}

void TestVariables::masksProcessVariablesOnceUsed()
{
    QProcessEnvironment environment;
    environment.insert(u"DEPLOY_KEY"_s, u"k-0123456789"_s);
    environment.insert(u"LANG"_s, u"en_US.UTF-8"_s);
    Variables variables;
    variables.setProcessEnvironment(environment);
    const QString log = u"lang en_US.UTF-8 key k-0123456789"_s;
    // The environment holds hundreds of unrelated values: unused ones are left alone.
    QCOMPARE(variables.maskSecrets(log), log);
    QCOMPARE(variables.expand(u"{{DEPLOY_KEY}}").text, u"k-0123456789"_s);
    QCOMPARE(variables.maskSecrets(log), u"lang en_US.UTF-8 key %1"_s.arg(Mask));
    QCOMPARE(variables.value(u"LANG"), u"en_US.UTF-8"_s);
    QCOMPARE(variables.maskSecrets(log), u"lang %1 key %1"_s.arg(Mask));
}

void TestVariables::abstractsSecretsIntoReferences()
{
    Variables variables;
    variables.set(Layer::EnvironmentFile, u"api_token"_s, u"s3cr3t-value"_s);
    variables.set(Layer::Scenario, u"host"_s, u"example.test"_s);
    QCOMPARE(variables.abstractSecrets(u"Authorization: Bearer s3cr3t-value"),
             u"Authorization: Bearer {{api_token}}"_s);
    // Literal braces in the recorded text must stay literal in the scenario.
    QCOMPARE(variables.abstractSecrets(u"{\"t\":\"{{s3cr3t-value}}\",\"h\":\"example.test\"}"),
             u"{\"t\":\"\\{{{{api_token}}}}\",\"h\":\"example.test\"}"_s);
}

void TestVariables::abstractingRoundTrips()
{
    // Whatever surrounds a secret, the template expands back to the recorded text, and the
    // secret is gone from it.
    Variables variables;
    variables.set(Layer::EnvironmentFile, u"api_token"_s, u"s3cr3t"_s);
    variables.set(Layer::Captured, u"session_id"_s, u"XYZW"_s);
    const QStringList pieces{u"\\"_s, u"{"_s, u"}"_s, u"{{"_s, u"a"_s, u" "_s, u"s3cr3t"_s,
                             u"XYZW"_s, u"s3c"_s};
    QRandomGenerator random(3);
    for (int i = 0; i < 20000; ++i) {
        QString text;
        const int count = int(random.bounded(8));
        for (int p = 0; p < count; ++p)
            text += pieces.at(random.bounded(int(pieces.size())));
        const QString abstracted = variables.abstractSecrets(text);
        QVERIFY2(!abstracted.contains(u"s3cr3t"_s) && !abstracted.contains(u"XYZW"_s),
                 qPrintable(text + u" -> "_s + abstracted));
        const Variables::Expansion expansion = variables.expand(abstracted);
        QVERIFY2(expansion.isComplete() && expansion.text == text,
                 qPrintable(text + u" -> "_s + abstracted + u" -> "_s + expansion.text));
    }
}

QTEST_GUILESS_MAIN(TestVariables)
#include "tst_variables.moc"
