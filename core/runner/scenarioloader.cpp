#include "scenarioloader.h"

#include "closecodes.h"
#include "inputfilereader.h"
#include "jsoncorrelationkey.h"
#include "jsonpointer.h"
#include "jsontext.h"
#include "locatedjson.h"
#include "mockscriptreader.h"
#include "objectreader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <array>

using namespace Qt::StringLiterals;

namespace wsprobe::ScenarioLoader {
namespace {

constexpr int CurrentVersion = 1;
constexpr int MaxTimeoutMs = MaxScenarioDurationMs;

struct ActionKey
{
    QLatin1StringView key;
    Step::Type type;
};

constexpr std::array<ActionKey, 16> ActionKeys = {{
    {"connect"_L1, Step::Type::Connect},
    {"send"_L1, Step::Type::Send},
    {"expect"_L1, Step::Type::Expect},
    {"expectSequence"_L1, Step::Type::ExpectSequence},
    {"expectNone"_L1, Step::Type::ExpectNone},
    {"ping"_L1, Step::Type::Ping},
    {"expectPong"_L1, Step::Type::ExpectPong},
    {"wait"_L1, Step::Type::Wait},
    {"close"_L1, Step::Type::Close},
    {"expectClose"_L1, Step::Type::ExpectClose},
    {"expectRejected"_L1, Step::Type::ExpectRejected},
    {"capture"_L1, Step::Type::Capture},
    {"drop"_L1, Step::Type::Drop},
    {"reconnect"_L1, Step::Type::Reconnect},
    {"roundTrip"_L1, Step::Type::RoundTrip},
    {"expectServer"_L1, Step::Type::ExpectServer},
}};

QString actionKeyList()
{
    QStringList keys;
    for (const ActionKey &action : ActionKeys)
        keys.append(QString(action.key));
    return keys.join(u", "_s);
}

// Reads one scenario; every problem goes to errors.
class Reader
{
public:
    Reader(const QString &fileName, const QString &baseDirectory, QList<JsonError> *errors)
        : m_fileName(fileName), m_baseDirectory(baseDirectory), m_errors(errors)
    {
        // A schema's relative "$ref" names a file beside the scenario.
        if (!baseDirectory.isEmpty())
            m_schemaBaseUri = QUrl::fromLocalFile(QDir(baseDirectory).absoluteFilePath(QFileInfo(fileName).fileName()))
                                  .toString(QUrl::FullyEncoded);
    }

    Scenario read(const LocatedValue &root);

private:
    void error(SourceLocation where, const QString &message)
    {
        m_errors->append({m_fileName, where, message});
    }
    QString resolvePath(const QString &path) const
    {
        return QFileInfo(path).isAbsolute() ? path : QDir(m_baseDirectory).filePath(path);
    }
    std::optional<QStringList> clientNames(const LocatedValue &value, bool allowList);
    std::optional<Matcher> matcher(const LocatedValue &value);
    std::optional<int> closeCode(const LocatedValue &value, bool mustBeSendable);
    bool readPayload(ObjectReader &reader, Payload *payload, bool required);
    ClientSpec readClient(const QString &name, const LocatedValue &value);
    std::optional<Step> readStep(const LocatedValue &value);
    std::optional<Trigger> readTrigger(const LocatedValue &value);
    QList<KeyValue> keyValues(ObjectReader &reader, QStringView key);

    QString m_fileName;
    QString m_baseDirectory;
    QString m_schemaBaseUri;
    QList<JsonError> *m_errors;  // Not owned.
    QStringList m_clientNames;
    QStringList m_serverNames;
};

std::optional<QStringList> Reader::clientNames(const LocatedValue &value, bool allowList)
{
    QStringList names;
    if (value.isString()) {
        names.append(value.toString());
    } else if (allowList && value.isArray() && !value.elements().empty()) {
        for (const LocatedValue &element : value.elements()) {
            if (!element.isString()) {
                error(element.location(), u"expected a client name, found %1"_s.arg(element.describe()));
                return std::nullopt;
            }
            names.append(element.toString());
        }
    } else {
        error(value.location(), (allowList ? u"expected a client name or a list of them, found %1"_s
                                           : u"expected a client name, found %1"_s)
                                    .arg(value.describe()));
        return std::nullopt;
    }
    for (const QString &name : std::as_const(names)) {
        if (!m_clientNames.contains(name)) {
            error(value.location(), u"no client named \"%1\" (the clients are: %2)"_s
                                        .arg(name, m_clientNames.join(u", "_s)));
            return std::nullopt;
        }
    }
    return names;
}

// A matcher's error starts with the JSON pointer of what it is about ("/schema/items/$ref: ...");
// it is shown at the deepest value on that path the file has.
SourceLocation locationOf(const LocatedValue &matcher, const QString &problem)
{
    const LocatedValue *value = &matcher;
    const qsizetype colon = problem.indexOf(u": "_s);
    QString ignored;
    const std::optional<JsonPointer> pointer =
        problem.startsWith(u'/') && colon > 0 ? JsonPointer::parse(problem.left(colon), &ignored) : std::nullopt;
    if (!pointer)
        return value->location();
    for (const QString &token : pointer->tokens()) {
        const LocatedValue *next = nullptr;
        if (value->isObject()) {
            if (const LocatedMember *member = value->member(token))
                next = &member->value;
        } else if (value->isArray()) {
            bool isIndex = false;
            const qsizetype index = token.toLongLong(&isIndex);
            if (isIndex && index >= 0 && index < qsizetype(value->elements().size()))
                next = &value->elements()[std::size_t(index)];
        }
        if (!next)
            break;
        value = next;
    }
    return value->location();
}

std::optional<Matcher> Reader::matcher(const LocatedValue &value)
{
    QString problem;
    std::optional<Matcher> result = Matcher::fromJson(value.toJsonValue(), &problem, QString(), m_schemaBaseUri);
    if (!result)
        error(locationOf(value, problem), u"invalid matcher: "_s + problem);
    return result;
}

std::optional<int> Reader::closeCode(const LocatedValue &value, bool mustBeSendable)
{
    std::optional<int> code;
    if (value.isNumber() && value.toDouble() == double(int(value.toDouble())))
        code = int(value.toDouble());
    else if (value.isString())
        code = CloseCodes::fromString(value.toString());
    if (!code || CloseCodes::category(*code) == CloseCodeCategory::Invalid) {
        error(value.location(), u"expected a close code (1000-4999, or a name such as \"NORMAL_CLOSURE\"), found %1"_s
                                    .arg(value.describe()));
        return std::nullopt;
    }
    if (mustBeSendable && !CloseCodes::canBeSent(*code)) {
        error(value.location(), u"%1 cannot be sent in a close frame: %2"_s
                                    .arg(CloseCodes::label(*code), CloseCodes::description(*code)));
        return std::nullopt;
    }
    return code;
}

bool Reader::readPayload(ObjectReader &reader, Payload *payload, bool required)
{
    static const QStringList kinds = {u"text"_s, u"json"_s, u"binary"_s, u"base64"_s, u"file"_s};
    const LocatedValue *found = nullptr;
    QString foundKey;
    for (const QString &kind : kinds) {
        if (!reader.has(kind))
            continue;
        const LocatedValue *value = reader.value(kind, ObjectReader::Optional);
        if (found) {
            error(value->location(), u"a message has one of text, json, binary, base64 or file; "
                                     "this one has both \"%1\" and \"%2\""_s.arg(foundKey, kind));
            return false;
        }
        found = value;
        foundKey = kind;
    }
    reader.allow(u"as");
    if (!found) {
        if (required)
            reader.addError(reader.location(), u"missing the message: give one of text, json, binary, base64 or file"_s);
        return !required;
    }
    if (foundKey == u"json"_s) {
        payload->kind = Payload::Kind::Json;
        payload->json = found->toJsonValue();
        return true;
    }
    if (!found->isString()) {
        error(found->location(), u"expected a string, found %1"_s.arg(found->describe()));
        return false;
    }
    const QString text = found->toString();
    if (foundKey == u"text"_s) {
        payload->kind = Payload::Kind::Text;
        payload->text = text;
    } else if (foundKey == u"binary"_s) {
        QString hex = text;
        hex.remove(QRegularExpression(u"\\s+"_s));
        if (hex.size() % 2 != 0 || !QRegularExpression(u"^[0-9A-Fa-f]*$"_s).match(hex).hasMatch()) {
            error(found->location(), u"expected hexadecimal bytes such as \"00 ff 1a\", found %1"_s.arg(found->describe()));
            return false;
        }
        payload->kind = Payload::Kind::Binary;
        payload->bytes = QByteArray::fromHex(hex.toLatin1());
    } else if (foundKey == u"base64"_s) {
        const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            error(found->location(), u"expected base64, found %1"_s.arg(found->describe()));
            return false;
        }
        payload->kind = Payload::Kind::Binary;
        payload->bytes = *decoded;
    } else {
        const QString path = resolvePath(text);
        InputFileReader fileReader;
        const std::optional<QByteArray> read = fileReader.read(path);
        if (!read) {
            error(found->location(), u"cannot send %1: %2"_s.arg(path, fileReader.error()));
            return false;
        }
        const QByteArray &data = *read;
        const std::optional<QString> as = reader.choice(u"as", {u"binary"_s, u"text"_s}, ObjectReader::Optional);
        if (as.value_or(u"binary"_s) == u"text"_s) {
            payload->kind = Payload::Kind::Text;
            payload->text = QString::fromUtf8(data);
        } else {
            payload->kind = Payload::Kind::Binary;
            payload->bytes = data;
        }
    }
    return true;
}

QList<KeyValue> Reader::keyValues(ObjectReader &reader, QStringView key)
{
    QList<KeyValue> rows;
    const LocatedValue *object = reader.object(key, ObjectReader::Optional);
    if (!object)
        return rows;
    for (const LocatedMember &member : object->members()) {
        if (!member.value.isString()) {
            error(member.value.location(), u"expected a string, found %1"_s.arg(member.value.describe()));
            continue;
        }
        rows.append({member.key, member.value.toString(), true});
    }
    return rows;
}

ClientSpec Reader::readClient(const QString &name, const LocatedValue &value)
{
    ClientSpec client;
    client.name = name;
    ObjectReader reader(value, m_fileName, m_errors);
    client.url = reader.string(u"url", ObjectReader::Required).value_or(QString());
    client.query = keyValues(reader, u"query");
    client.headers = keyValues(reader, u"headers");
    client.origin = reader.string(u"origin", ObjectReader::Optional).value_or(QString());
    if (const LocatedValue *protocols = reader.array(u"subprotocols", ObjectReader::Optional)) {
        for (const LocatedValue &protocol : protocols->elements()) {
            if (protocol.isString())
                client.subprotocols.append(protocol.toString());
            else
                error(protocol.location(), u"expected a subprotocol name, found %1"_s.arg(protocol.describe()));
        }
    }
    client.connectTimeoutMs = reader.integer(u"connectTimeout", 1, MaxTimeoutMs, ObjectReader::Optional).value_or(10000);
    client.maxFrameSize = reader.integer(u"maxFrameSize", 1, std::numeric_limits<int>::max(), ObjectReader::Optional).value_or(SessionSettings::DefaultMaxIncomingSize);
    client.maxMessageSize = reader.integer(u"maxMessageSize", 1, std::numeric_limits<int>::max(), ObjectReader::Optional).value_or(SessionSettings::DefaultMaxIncomingSize);
    client.autoPingMs = reader.integer(u"autoPing", 0, MaxTimeoutMs, ObjectReader::Optional).value_or(0);
    client.maxMissedPongs = reader.integer(u"maxMissedPongs", 0, 1000, ObjectReader::Optional).value_or(0);
    if (const LocatedValue *correlate = reader.value(u"correlate", ObjectReader::Optional)) {
        const QString problem = correlate->isString()
            ? JsonCorrelationKey::check(correlate->toString())
            : u"expected a JSON Pointer such as \"/id\", found %1"_s.arg(correlate->describe());
        if (problem.isEmpty())
            client.correlate = correlate->toString();
        else
            error(correlate->location(), u"correlate: "_s + problem);
    }
    if (const LocatedValue *reconnect = reader.object(u"reconnect", ObjectReader::Optional)) {
        ObjectReader policy = reader.nested(*reconnect);
        client.reconnect.enabled = true;
        client.reconnect.maxAttempts = policy.integer(u"maxAttempts", 0, 1000000, ObjectReader::Optional).value_or(5);
        client.reconnect.initialDelayMs = policy.integer(u"initialDelay", 0, MaxTimeoutMs, ObjectReader::Optional).value_or(500);
        client.reconnect.maxDelayMs = policy.integer(u"maxDelay", 0, MaxTimeoutMs, ObjectReader::Optional).value_or(30000);
        client.reconnect.jitter = policy.number(u"jitter", 0.0, 1.0, ObjectReader::Optional).value_or(0.2);
        policy.finish();
    }
    if (const LocatedValue *tls = reader.object(u"tls", ObjectReader::Optional)) {
        ObjectReader options = reader.nested(*tls);
        client.tls.ignoreCertificateErrors = options.boolean(u"ignoreCertificateErrors", ObjectReader::Optional).value_or(false);
        if (auto path = options.string(u"caFile", ObjectReader::Optional))
            client.tls.caCertificateFile = resolvePath(*path);
        if (auto path = options.string(u"certificateFile", ObjectReader::Optional))
            client.tls.clientCertificateFile = resolvePath(*path);
        if (auto path = options.string(u"keyFile", ObjectReader::Optional))
            client.tls.clientKeyFile = resolvePath(*path);
        options.finish();
    }
    reader.finish();
    return client;
}

std::optional<Step> Reader::readStep(const LocatedValue &value)
{
    if (!value.isObject()) {
        error(value.location(), u"expected a step object such as {\"send\": \"alice\", \"text\": \"hi\"}, found %1"_s
                                    .arg(value.describe()));
        return std::nullopt;
    }
    const LocatedMember *action = nullptr;
    Step step;
    for (const LocatedMember &member : value.members()) {
        for (const ActionKey &candidate : ActionKeys) {
            if (member.key != candidate.key)
                continue;
            if (action) {
                error(member.keyLocation, u"a step does one thing: it has both \"%1\" and \"%2\""_s.arg(action->key, member.key));
                return std::nullopt;
            }
            action = &member;
            step.type = candidate.type;
        }
    }
    if (!action) {
        error(value.location(), u"a step needs one action key: %1"_s.arg(actionKeyList()));
        return std::nullopt;
    }
    step.where = value.location();
    ObjectReader reader(value, m_fileName, m_errors);
    reader.allow(action->key);
    const qsizetype errorsBefore = m_errors->size();

    if (step.type == Step::Type::Wait) {
        const std::optional<int> ms = reader.integer(u"wait", 0, MaxTimeoutMs, ObjectReader::Required);
        step.waitMs = ms.value_or(0);
        step.optional = reader.boolean(u"optional", ObjectReader::Optional).value_or(false);
    } else if (step.type == Step::Type::ExpectServer) {
        if (!action->value.isString())
            error(action->value.location(), u"expected a server name, found %1"_s.arg(action->value.describe()));
        else if (!m_serverNames.contains(action->value.toString()))
            error(action->value.location(), m_serverNames.isEmpty()
                      ? u"no server named \"%1\": the scenario declares none (\"servers\")"_s.arg(action->value.toString())
                      : u"no server named \"%1\" (the servers are: %2)"_s.arg(action->value.toString(), m_serverNames.join(u", "_s)));
        else
            step.clients = {action->value.toString()};
    } else {
        const bool many = step.type == Step::Type::Connect || step.type == Step::Type::Close
            || step.type == Step::Type::Send || step.type == Step::Type::Ping || step.type == Step::Type::Drop;
        if (auto names = clientNames(action->value, many))
            step.clients = *names;
    }
    step.title = reader.string(u"title", ObjectReader::Optional).value_or(QString());
    step.timeoutMs = reader.integer(u"timeout", 0, MaxTimeoutMs, ObjectReader::Optional).value_or(-1);
    auto readMatcher = [&](ObjectReader::Presence presence) {
        if (const LocatedValue *spec = reader.value(u"match", presence)) {
            step.matcher = matcher(*spec);
            // Kept only when it has {{variables}}: the runner builds such a matcher again, once
            // their values are known; the others are built once, here.
            const QJsonValue json = spec->toJsonValue();
            if (JsonText::compact(json).contains(u"{{"_s))
                step.matcherSpec = json;
        }
    };

    switch (step.type) {
    case Step::Type::Send:
        readPayload(reader, &step.payload, true);
        break;
    case Step::Type::Expect:
        readMatcher(ObjectReader::Optional);
        step.strict = reader.boolean(u"strict", ObjectReader::Optional).value_or(false);
        step.count = reader.integer(u"count", 1, 10000000, ObjectReader::Optional).value_or(1);
        break;
    case Step::Type::ExpectSequence:
        readMatcher(ObjectReader::Optional);
        // It takes the next messages, each of which must match: a close never is one.
        if (step.matcher && step.matcher->kind() == MatchKind::Close)
            error(reader.value(u"match", ObjectReader::Optional)->location(),
                  u"expectSequence counts messages, and a \"close\" matcher matches none: "
                  u"check the end with expectClose"_s);
        step.count = reader.integer(u"count", 1, 10000000, ObjectReader::Required).value_or(1);
        step.pointer = reader.string(u"increasing", ObjectReader::Optional).value_or(QString());
        step.increment = reader.number(u"step", -1e15, 1e15, ObjectReader::Optional);
        if (step.increment && step.pointer.isEmpty())
            reader.addError(value.location(), u"\"step\" needs \"increasing\": the JSON Pointer of the number that grows"_s);
        break;
    case Step::Type::ExpectServer:
        readMatcher(ObjectReader::Optional);
        step.count = reader.integer(u"count", 1, 10000000, ObjectReader::Optional).value_or(1);
        break;
    case Step::Type::ExpectNone:
        readMatcher(ObjectReader::Optional);
        step.withinMs = reader.integer(u"within", 1, MaxTimeoutMs, ObjectReader::Required).value_or(0);
        break;
    case Step::Type::Ping:
        step.pingPayload = reader.string(u"payload", ObjectReader::Optional).value_or(QString()).toUtf8();
        if (step.pingPayload.size() > 125)
            reader.addError(value.location(), u"a ping payload has at most 125 bytes"_s);
        break;
    case Step::Type::ExpectPong:
        step.withinMs = reader.integer(u"within", 1, MaxTimeoutMs, ObjectReader::Optional).value_or(0);
        break;
    case Step::Type::RoundTrip: {
        QString key;
        double limitMs = 0;
        for (const QString &candidate : RoundTripLimit::percentileKeys()) {
            if (!reader.has(candidate))
                continue;
            const std::optional<double> ms = reader.number(candidate, 0.001, MaxTimeoutMs, ObjectReader::Required);
            if (!key.isEmpty())
                reader.addError(value.location(), u"a roundTrip step has one limit: it has both \"%1\" and \"%2\""_s.arg(key, candidate));
            key = candidate;
            limitMs = ms.value_or(0);
        }
        if (key.isEmpty())
            reader.addError(value.location(), u"a roundTrip step needs a limit in ms: one of p50, p90, p95, p99 and max, e.g. \"p95\": 200"_s);
        const int over = reader.integer(u"over", 1, int(RoundTripLimit::MaxOver), ObjectReader::Optional).value_or(0);
        step.roundTripLimit = RoundTripLimit(key.isEmpty() ? u"p95"_s : key, limitMs, over);
        break;
    }
    case Step::Type::Close:
        if (const LocatedValue *code = reader.value(u"code", ObjectReader::Optional))
            step.closeCode = closeCode(*code, true);
        step.closeReason = reader.string(u"reason", ObjectReader::Optional);
        if (step.closeReason && step.closeReason->toUtf8().size() > 123)
            reader.addError(value.location(), u"a close reason has at most 123 bytes (UTF-8)"_s);
        break;
    case Step::Type::ExpectClose:
        if (const LocatedValue *code = reader.value(u"code", ObjectReader::Optional))
            step.closeCode = closeCode(*code, false);
        step.closeReason = reader.string(u"reason", ObjectReader::Optional);
        if (const LocatedValue *pattern = reader.value(u"reasonMatches", ObjectReader::Optional)) {
            const QRegularExpression regex(pattern->toString());
            if (!pattern->isString() || !regex.isValid())
                error(pattern->location(), u"expected a regular expression: %1"_s.arg(regex.errorString()));
            step.reasonPattern = pattern->toString();
        }
        step.clean = reader.boolean(u"clean", ObjectReader::Optional);
        break;
    case Step::Type::ExpectRejected:
        step.httpStatus = reader.integer(u"status", 300, 599, ObjectReader::Optional).value_or(0);
        break;
    case Step::Type::Capture: {
        step.pointer = reader.string(u"pointer", ObjectReader::Optional).value_or(QString());
        const LocatedValue *regex = reader.value(u"regex", ObjectReader::Optional);
        if (regex) {
            const QRegularExpression compiled(regex->toString());
            if (!regex->isString() || !compiled.isValid())
                error(regex->location(), u"expected a regular expression: %1"_s.arg(compiled.errorString()));
            step.captureRegex = regex->toString();
        }
        step.captureGroup = reader.integer(u"group", 0, 99, ObjectReader::Optional).value_or(1);
        if (step.pointer.isEmpty() == step.captureRegex.isEmpty())
            reader.addError(value.location(), u"a capture takes its value with either \"pointer\" or \"regex\""_s);
        const std::optional<QString> as = reader.string(u"as", ObjectReader::Required);
        if (as && !QRegularExpression(u"^[A-Za-z_][A-Za-z0-9_.-]*$"_s).match(*as).hasMatch())
            reader.addError(value.location(), u"\"%1\" is not a variable name (letters, digits, _ . -)"_s.arg(*as));
        step.variable = as.value_or(QString());
        break;
    }
    case Step::Type::Connect:
        step.subprotocol = reader.string(u"subprotocol", ObjectReader::Optional);
        break;
    case Step::Type::Drop:
    case Step::Type::Reconnect:
    case Step::Type::Wait:
        break;
    }
    reader.finish();
    if (m_errors->size() != errorsBefore)
        return std::nullopt;
    return step;
}

std::optional<Trigger> Reader::readTrigger(const LocatedValue &value)
{
    const qsizetype errorsBefore = m_errors->size();
    ObjectReader reader(value, m_fileName, m_errors);
    Trigger trigger;
    trigger.where = value.location();
    if (const LocatedValue *on = reader.value(u"on", ObjectReader::Required)) {
        if (auto names = clientNames(*on, false))
            trigger.on = names->first();
    }
    if (const LocatedValue *spec = reader.value(u"match", ObjectReader::Required)) {
        if (auto parsed = matcher(*spec)) {
            trigger.matcher = *parsed;
            if (parsed->kind() == MatchKind::Close)
                error(spec->location(), u"a trigger answers messages, and a \"close\" matcher "
                                        u"matches none: it would never fire"_s);
        }
    }
    if (const LocatedValue *sender = reader.value(u"send", ObjectReader::Optional)) {
        if (auto names = clientNames(*sender, false))
            trigger.sender = names->first();
    }
    readPayload(reader, &trigger.payload, true);
    trigger.once = reader.boolean(u"once", ObjectReader::Optional).value_or(false);
    reader.finish();
    if (m_errors->size() != errorsBefore)
        return std::nullopt;
    return trigger;
}

Scenario Reader::read(const LocatedValue &root)
{
    Scenario scenario;
    scenario.filePath = m_fileName;
    scenario.schemaBaseUri = m_schemaBaseUri;
    ObjectReader reader(root, m_fileName, m_errors);
    if (!reader.isObject()) {
        reader.finish();
        return scenario;
    }
    reader.allow(u"$schema");
    if (const std::optional<int> version = reader.integer(u"wsprobe", 1, 1000, ObjectReader::Required)) {
        if (*version != CurrentVersion)
            error(reader.value(u"wsprobe", ObjectReader::Optional)->location(),
                  u"this is a version %1 scenario; this wsprobe reads version %2"_s.arg(*version).arg(CurrentVersion));
        scenario.version = *version;
    }
    scenario.name = reader.string(u"name", ObjectReader::Required).value_or(QString());
    scenario.description = reader.string(u"description", ObjectReader::Optional).value_or(QString());
    if (const LocatedValue *variables = reader.object(u"variables", ObjectReader::Optional)) {
        for (const LocatedMember &member : variables->members()) {
            if (member.value.isString())
                scenario.variables.insert(member.key, member.value.toString());
            else if (member.value.isNumber() || member.value.isBool())
                scenario.variables.insert(member.key, member.value.isBool()
                                                          ? (member.value.toBool() ? u"true"_s : u"false"_s)
                                                          : member.value.numberText());
            else
                error(member.value.location(), u"a variable's value is a string, found %1"_s.arg(member.value.describe()));
        }
    }
    scenario.timeoutMs = reader.integer(u"timeout", 1, MaxTimeoutMs, ObjectReader::Optional).value_or(30000);
    scenario.stepTimeoutMs = reader.integer(u"stepTimeout", 1, MaxTimeoutMs, ObjectReader::Optional).value_or(5000);

    if (const LocatedValue *servers = reader.object(u"servers", ObjectReader::Optional)) {
        for (const LocatedMember &member : servers->members()) {
            if (!member.value.isString()) {
                error(member.value.location(), u"a server is the path of its mock file (*.mock.json), found %1"_s
                                                   .arg(member.value.describe()));
                continue;
            }
            ServerSpec server;
            server.name = member.key;
            server.file = member.value.toString();
            server.where = member.value.location();
            const QString path = resolvePath(server.file);
            if (!MockScriptReader::isMockFileName(path)) {
                error(server.where, u"a server is a mock file, named *.mock.json: %1"_s.arg(server.file));
                continue;
            }
            if (!QFileInfo(path).isFile()) {
                error(server.where, u"no mock file %1"_s.arg(QDir::toNativeSeparators(path)));
                continue;
            }
            // Its own problems are reported in its own file, line and column.
            if (std::optional<MockScript> script = MockScriptReader::readFile(path, m_errors)) {
                server.script = std::move(*script);
                scenario.servers.append(server);
            }
            m_serverNames.append(member.key);
        }
    }
    if (const LocatedValue *clients = reader.object(u"clients", ObjectReader::Required)) {
        if (clients->members().empty())
            error(clients->location(), u"a scenario needs at least one client"_s);
        for (const LocatedMember &member : clients->members())
            m_clientNames.append(member.key);
        for (const LocatedMember &member : clients->members())
            scenario.clients.append(readClient(member.key, member.value));
    }
    if (const LocatedValue *triggers = reader.array(u"triggers", ObjectReader::Optional)) {
        for (const LocatedValue &element : triggers->elements()) {
            if (auto trigger = readTrigger(element))
                scenario.triggers.append(*trigger);
        }
    }
    if (const LocatedValue *steps = reader.array(u"steps", ObjectReader::Required)) {
        for (const LocatedValue &element : steps->elements()) {
            if (auto step = readStep(element))
                scenario.steps.append(*step);
        }
    }
    reader.finish();
    return scenario;
}

} // namespace

QString Result::errorText() const
{
    QStringList lines;
    for (const JsonError &error : errors)
        lines.append(error.toString());
    return lines.join(u'\n');
}

Result loadText(QStringView text, const QString &fileName, const QString &baseDirectory)
{
    Result result;
    JsonError parseError;
    const std::optional<LocatedValue> root = LocatedJson::parse(text, fileName, &parseError);
    if (!root) {
        result.errors.append(parseError);
        return result;
    }
    Reader reader(fileName, baseDirectory, &result.errors);
    Scenario scenario = reader.read(*root);
    if (result.errors.isEmpty())
        result.scenario = std::move(scenario);
    return result;
}

Result loadFile(const QString &path)
{
    Result result;
    JsonError parseError;
    const std::optional<LocatedValue> root = LocatedJson::parseFile(path, &parseError);
    if (!root) {
        result.errors.append(parseError);
        return result;
    }
    Reader reader(path, QFileInfo(path).absolutePath(), &result.errors);
    Scenario scenario = reader.read(*root);
    if (result.errors.isEmpty())
        result.scenario = std::move(scenario);
    return result;
}

QStringList findFiles(const QStringList &paths, QStringList *problems)
{
    QStringList files;
    // Environment files (*.env.json), mock server files (*.mock.json, served by
    // `wsprobe-run --serve`), schemas that scenarios refer to (*.schema.json) and names starting
    // with '_' or '.' are not scenarios.
    const auto skipped = [](const QString &name) {
        return name.startsWith(u'_') || name.startsWith(u'.') || name.endsWith(u".env.json"_s)
            || name.endsWith(u".mock.json"_s) || name.endsWith(u".schema.json"_s);
    };
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isFile()) {
            files.append(info.filePath());
        } else if (info.isDir()) {
            QStringList found;
            // QDir::System too: a FIFO or a device named *.json is listed, and says why it cannot
            // be read, instead of being skipped without a word.
            QDirIterator it(path, {u"*.json"_s}, QDir::Files | QDir::System, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                const QString relative = QDir(path).relativeFilePath(file);
                bool hidden = false;
                for (const QString &part : relative.split(u'/'))
                    hidden = hidden || skipped(part);
                if (!hidden)
                    found.append(QDir::cleanPath(file));
            }
            found.sort();
            files.append(found);
        } else if (info.exists()) {
            files.append(info.filePath());  // a FIFO or a device: loading it says what it is
        } else {
            problems->append(u"%1: no such file or folder"_s.arg(path));
        }
    }
    files.removeDuplicates();
    return files;
}

} // namespace wsprobe::ScenarioLoader
