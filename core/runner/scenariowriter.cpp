#include "scenariowriter.h"

#include "closecodes.h"
#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe::ScenarioWriter {
namespace {

using Members = std::vector<std::pair<QString, QJsonValue>>;
using JsonText::compact;

// One object on one line, keys in the order given.
QString inlineObject(const Members &members)
{
    QStringList parts;
    for (const auto &[key, value] : members)
        parts.append(compact(key) + u": "_s + compact(value));
    return u"{ "_s + parts.join(u", "_s) + u" }"_s;
}

QJsonValue clientsValue(const QStringList &clients)
{
    if (clients.size() == 1)
        return clients.first();
    return QJsonArray::fromStringList(clients);
}

QJsonObject keyValues(const QList<KeyValue> &rows)
{
    QJsonObject object;
    for (const KeyValue &row : rows) {
        if (row.enabled)
            object.insert(row.key, row.value);
    }
    return object;
}

void addPayload(Members &members, const Payload &payload)
{
    switch (payload.kind) {
    case Payload::Kind::Text:
        members.emplace_back(u"text"_s, payload.text);
        break;
    case Payload::Kind::Json:
        members.emplace_back(u"json"_s, payload.json);
        break;
    case Payload::Kind::Binary:
        members.emplace_back(u"binary"_s, QString::fromLatin1(payload.bytes.toHex(' ')));
        break;
    }
}

QJsonValue closeCodeValue(int code)
{
    // Standard codes read better by name; application codes are only numbers.
    const QString symbol = CloseCodes::symbol(code);
    return symbol.isEmpty() ? QJsonValue(code) : QJsonValue(symbol);
}

Members stepMembers(const Step &step)
{
    Members m;
    m.emplace_back(displayName(step.type), step.type == Step::Type::Wait ? QJsonValue(step.waitMs)
                                                                         : clientsValue(step.clients));
    if (!step.title.isEmpty())
        m.emplace_back(u"title"_s, step.title);
    switch (step.type) {
    case Step::Type::Send:
        addPayload(m, step.payload);
        break;
    case Step::Type::Expect:
        if (step.matcher)
            m.emplace_back(u"match"_s, step.matcher->toJson());
        if (step.count > 1)
            m.emplace_back(u"count"_s, step.count);
        if (step.strict)
            m.emplace_back(u"strict"_s, true);
        break;
    case Step::Type::ExpectServer:
        if (step.matcher)
            m.emplace_back(u"match"_s, step.matcher->toJson());
        if (step.count > 1)
            m.emplace_back(u"count"_s, step.count);
        break;
    case Step::Type::ExpectSequence:
        m.emplace_back(u"count"_s, step.count);
        if (step.matcher)
            m.emplace_back(u"match"_s, step.matcher->toJson());
        if (!step.pointer.isEmpty())
            m.emplace_back(u"increasing"_s, step.pointer);
        if (step.increment)
            m.emplace_back(u"step"_s, *step.increment);
        break;
    case Step::Type::ExpectNone:
        if (step.matcher)
            m.emplace_back(u"match"_s, step.matcher->toJson());
        m.emplace_back(u"within"_s, step.withinMs);
        break;
    case Step::Type::Ping:
        if (!step.pingPayload.isEmpty())
            m.emplace_back(u"payload"_s, QString::fromUtf8(step.pingPayload));
        break;
    case Step::Type::ExpectPong:
        if (step.withinMs > 0)
            m.emplace_back(u"within"_s, step.withinMs);
        break;
    case Step::Type::RoundTrip: {
        const QJsonObject limit = step.roundTripLimit.toJson();
        m.emplace_back(step.roundTripLimit.key(), limit.value(step.roundTripLimit.key()));
        if (limit.contains(u"over"))
            m.emplace_back(u"over"_s, limit.value(u"over"));
        break;
    }
    case Step::Type::Wait:
        if (step.optional)
            m.emplace_back(u"optional"_s, true);
        break;
    case Step::Type::Close:
        if (step.closeCode && *step.closeCode != 1000)
            m.emplace_back(u"code"_s, closeCodeValue(*step.closeCode));
        if (step.closeReason && !step.closeReason->isEmpty())
            m.emplace_back(u"reason"_s, *step.closeReason);
        break;
    case Step::Type::ExpectClose:
        if (step.closeCode)
            m.emplace_back(u"code"_s, closeCodeValue(*step.closeCode));
        if (step.closeReason)
            m.emplace_back(u"reason"_s, *step.closeReason);
        if (!step.reasonPattern.isEmpty())
            m.emplace_back(u"reasonMatches"_s, step.reasonPattern);
        if (step.clean)
            m.emplace_back(u"clean"_s, *step.clean);
        break;
    case Step::Type::ExpectRejected:
        if (step.httpStatus)
            m.emplace_back(u"status"_s, step.httpStatus);
        break;
    case Step::Type::Capture:
        if (!step.pointer.isEmpty())
            m.emplace_back(u"pointer"_s, step.pointer);
        else {
            m.emplace_back(u"regex"_s, step.captureRegex);
            if (step.captureGroup != 1)
                m.emplace_back(u"group"_s, step.captureGroup);
        }
        m.emplace_back(u"as"_s, step.variable);
        break;
    case Step::Type::Connect:
        if (step.subprotocol)
            m.emplace_back(u"subprotocol"_s, *step.subprotocol);
        break;
    case Step::Type::Drop:
    case Step::Type::Reconnect:
        break;
    }
    if (step.timeoutMs >= 0 && step.type != Step::Type::Wait)
        m.emplace_back(u"timeout"_s, step.timeoutMs);
    return m;
}

QJsonObject clientObject(const ClientSpec &client)
{
    // Written through QJsonObject: key order inside a client matters less than in steps.
    QJsonObject object;
    object.insert(u"url"_s, client.url);
    if (!client.query.isEmpty())
        object.insert(u"query"_s, keyValues(client.query));
    if (!client.headers.isEmpty())
        object.insert(u"headers"_s, keyValues(client.headers));
    if (!client.origin.isEmpty())
        object.insert(u"origin"_s, client.origin);
    if (!client.subprotocols.isEmpty())
        object.insert(u"subprotocols"_s, QJsonArray::fromStringList(client.subprotocols));
    if (client.connectTimeoutMs != 10000)
        object.insert(u"connectTimeout"_s, client.connectTimeoutMs);
    if (client.maxFrameSize > 0 && client.maxFrameSize != SessionSettings::DefaultMaxIncomingSize)
        object.insert(u"maxFrameSize"_s, double(client.maxFrameSize));
    if (client.maxMessageSize > 0 && client.maxMessageSize != SessionSettings::DefaultMaxIncomingSize)
        object.insert(u"maxMessageSize"_s, double(client.maxMessageSize));
    if (client.autoPingMs > 0)
        object.insert(u"autoPing"_s, client.autoPingMs);
    if (client.maxMissedPongs > 0)
        object.insert(u"maxMissedPongs"_s, client.maxMissedPongs);
    if (!client.correlate.isEmpty())
        object.insert(u"correlate"_s, client.correlate);
    if (client.reconnect.enabled) {
        object.insert(u"reconnect"_s, QJsonObject{
            {u"maxAttempts"_s, client.reconnect.maxAttempts},
            {u"initialDelay"_s, client.reconnect.initialDelayMs},
            {u"maxDelay"_s, client.reconnect.maxDelayMs},
            {u"jitter"_s, client.reconnect.jitter},
        });
    }
    const TlsSettings &tls = client.tls;
    if (tls != TlsSettings{}) {
        QJsonObject tlsObject;
        if (tls.ignoreCertificateErrors)
            tlsObject.insert(u"ignoreCertificateErrors"_s, true);
        if (!tls.caCertificateFile.isEmpty())
            tlsObject.insert(u"caFile"_s, tls.caCertificateFile);
        if (!tls.clientCertificateFile.isEmpty())
            tlsObject.insert(u"certificateFile"_s, tls.clientCertificateFile);
        if (!tls.clientKeyFile.isEmpty())
            tlsObject.insert(u"keyFile"_s, tls.clientKeyFile);
        object.insert(u"tls"_s, tlsObject);
    }
    return object;
}

} // namespace

QString toText(const Scenario &scenario)
{
    QStringList top;
    top.append(u"  \"wsprobe\": %1"_s.arg(scenario.version));
    top.append(u"  \"name\": "_s + compact(scenario.name));
    if (!scenario.description.isEmpty())
        top.append(u"  \"description\": "_s + compact(scenario.description));
    if (!scenario.variables.isEmpty()) {
        QJsonObject variables;
        for (auto it = scenario.variables.cbegin(); it != scenario.variables.cend(); ++it)
            variables.insert(it.key(), it.value());
        top.append(u"  \"variables\": "_s + compact(variables));
    }
    if (scenario.timeoutMs != 30000)
        top.append(u"  \"timeout\": %1"_s.arg(scenario.timeoutMs));
    if (scenario.stepTimeoutMs != 5000)
        top.append(u"  \"stepTimeout\": %1"_s.arg(scenario.stepTimeoutMs));

    if (!scenario.servers.isEmpty()) {
        QJsonObject servers;
        for (const ServerSpec &server : scenario.servers)
            servers.insert(server.name, server.file);
        top.append(u"  \"servers\": "_s + compact(servers));
    }

    QStringList clients;
    for (const ClientSpec &client : scenario.clients)
        clients.append(u"    "_s + compact(client.name) + u": "_s + compact(clientObject(client)));
    top.append(u"  \"clients\": {\n"_s + clients.join(u",\n"_s) + u"\n  }"_s);

    if (!scenario.triggers.isEmpty()) {
        QStringList triggers;
        for (const Trigger &trigger : scenario.triggers) {
            Members m;
            m.emplace_back(u"on"_s, trigger.on);
            m.emplace_back(u"match"_s, trigger.matcher.toJson());
            if (!trigger.sender.isEmpty() && trigger.sender != trigger.on)
                m.emplace_back(u"send"_s, trigger.sender);
            addPayload(m, trigger.payload);
            if (trigger.once)
                m.emplace_back(u"once"_s, true);
            triggers.append(u"    "_s + inlineObject(m));
        }
        top.append(u"  \"triggers\": [\n"_s + triggers.join(u",\n"_s) + u"\n  ]"_s);
    }

    QStringList steps;
    for (const Step &step : scenario.steps)
        steps.append(u"    "_s + inlineObject(stepMembers(step)));
    top.append(u"  \"steps\": [\n"_s + steps.join(u",\n"_s) + (steps.isEmpty() ? u"]"_s : u"\n  ]"_s));
    return u"{\n"_s + top.join(u",\n"_s) + u"\n}\n"_s;
}

bool save(const Scenario &scenario, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = u"Cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    file.write(toText(scenario).toUtf8());
    if (!file.commit()) {
        *error = u"Cannot save %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace wsprobe::ScenarioWriter
