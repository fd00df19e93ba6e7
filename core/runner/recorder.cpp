#include "recorder.h"

#include "closecodes.h"
#include "framelog.h"
#include "jsoncorrelationkey.h"
#include "jsontext.h"
#include "secretmasker.h"
#include "variables.h"
#include "variablesyntax.h"
#include "volatilejson.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace wsprobe::Recorder {
namespace {

// "X-Api-Key" -> "x_api_key": a variable name a person recognises.
QString variableNameFor(const QString &name, const QMap<QString, QString> &taken, const QString &value)
{
    QString base = name.toLower();
    base.replace(QRegularExpression(u"[^a-z0-9_]+"_s), u"_"_s);
    if (base.isEmpty() || base.front().isDigit())
        base.prepend(u"secret_"_s);
    QString candidate = base;
    for (int n = 2; taken.contains(candidate) && taken.value(candidate) != value; ++n)
        candidate = base + u'_' + QString::number(n);
    return candidate;
}

// Recorded text becomes a template: known secrets become {{references}} and a literal "{{" is
// escaped, so that replaying expands it back to exactly what was recorded.
using Abstract = std::function<QString(const QString &)>;

Matcher matcherFor(const FrameEvent &event, const Abstract &abstract, bool looseJson)
{
    QJsonObject spec;
    if (event.kind == EventKind::Binary) {
        spec.insert(u"binary"_s, QString::fromLatin1(event.data.toHex(' ')));
    } else {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(event.text.toUtf8(), &error);
        const QJsonValue json = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        if (error.error == QJsonParseError::NoError && looseJson && (document.isObject() || document.isArray()))
            spec.insert(u"jsonSubset"_s, JsonText::mapStrings(VolatileJson::withoutVolatileFields(json), abstract));
        else if (error.error == QJsonParseError::NoError && (document.isObject() || document.isArray()))
            spec.insert(u"json"_s, JsonText::mapStrings(json, abstract));
        else
            spec.insert(u"text"_s, abstract(event.text));
    }
    QString problem;
    std::optional<Matcher> matcher = Matcher::fromJson(spec, &problem);
    Q_ASSERT(matcher);
    return *matcher;
}

// A code a scenario file can hold (a session may have sent 1005 at the user's insistence, an
// imported log may hold anything): without one, a close sends 1000 and an expected close takes
// any code, rather than the file not loading again.
bool isScenarioCloseCode(int code, bool sent)
{
    return sent ? CloseCodes::canBeSent(code) : CloseCodes::category(code) != CloseCodeCategory::Invalid;
}

Payload payloadFor(const FrameEvent &event, const Abstract &abstract)
{
    Payload payload;
    if (event.kind == EventKind::Binary) {
        payload.kind = Payload::Kind::Binary;
        payload.bytes = event.data;
        return payload;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(event.text.toUtf8(), &error);
    // Only a text that JSON writes back the same way becomes a json payload: the server must get
    // the bytes the user sent.
    if (error.error == QJsonParseError::NoError && document.isObject()
        && QString::fromUtf8(document.toJson(QJsonDocument::Compact)) == event.text) {
        payload.kind = Payload::Kind::Json;
        payload.json = JsonText::mapStrings(document.object(), abstract);
        return payload;
    }
    payload.kind = Payload::Kind::Text;
    payload.text = abstract(event.text);
    return payload;
}

// "{{demoUrl}}/echo" for "ws://127.0.0.1:61800/echo" when demoUrl is that server: the same
// scheme, host and port, and the rest of the URL after it.
QString withServerVariable(const QString &url, const QMap<QString, QString> &servers)
{
    for (auto it = servers.cbegin(); it != servers.cend(); ++it) {
        QString server = it.value();
        while (server.endsWith(u'/'))
            server.chop(1);
        if (server.isEmpty() || !url.startsWith(server, Qt::CaseInsensitive))
            continue;
        const QStringView rest = QStringView(url).sliced(server.size());
        if (rest.isEmpty() || rest.front() == u'/' || rest.front() == u'?' || rest.front() == u'#')
            return VariableSyntax::reference(it.key()).append(rest);
    }
    return url;
}

} // namespace

Recording record(const SessionSettings &settings, const FrameLog &log, const RecordOptions &options)
{
    Recording recording;
    recording.secrets = options.knownSecrets;
    Scenario &scenario = recording.scenario;
    scenario.name = options.scenarioName.isEmpty()
        ? u"Recorded session to %1"_s.arg(settings.url.host() + settings.url.path())
        : options.scenarioName;

    ClientSpec client;
    client.name = options.clientName;
    QUrl url = settings.url;
    // Secret query parameters of the URL itself go to variables too.
    if (url.hasQuery()) {
        QUrlQuery query(url);
        auto items = query.queryItems(QUrl::FullyDecoded);
        for (auto &item : items) {
            if (SecretMasker::isSecretParameter(item.first)) {
                const QString name = variableNameFor(item.first, recording.secrets, item.second);
                recording.secrets.insert(name, item.second);
                item.second = u"{{"_s + name + u"}}"_s;
            }
        }
        QUrlQuery rebuilt;
        rebuilt.setQueryItems(items);
        url.setQuery(rebuilt);
    }
    // QUrl percent-encodes braces; the file must keep "{{name}}" readable and expandable.
    client.url = withServerVariable(url.toString(QUrl::PrettyDecoded)
                                        .replace(u"%7B%7B"_s, u"{{"_s)
                                        .replace(u"%7D%7D"_s, u"}}"_s),
                                    options.serverVariables);
    for (KeyValue row : settings.query) {
        if (SecretMasker::isSecretParameter(row.key) && !row.value.isEmpty()) {
            const QString name = variableNameFor(row.key, recording.secrets, row.value);
            recording.secrets.insert(name, row.value);
            row.value = u"{{"_s + name + u"}}"_s;
        }
        client.query.append(row);
    }
    for (KeyValue row : settings.headers) {
        if (SecretMasker::isSecretHeader(row.key) && !row.value.isEmpty()) {
            // Keep an auth scheme readable: "Bearer {{authorization}}".
            const qsizetype space = row.value.indexOf(u' ');
            const bool hasScheme = row.key.compare(u"authorization"_s, Qt::CaseInsensitive) == 0 && space > 0;
            const QString secret = hasScheme ? row.value.mid(space + 1) : row.value;
            const QString name = variableNameFor(row.key, recording.secrets, secret);
            recording.secrets.insert(name, secret);
            row.value = (hasScheme ? row.value.left(space + 1) : QString()) + u"{{"_s + name + u"}}"_s;
        }
        client.headers.append(row);
    }
    client.origin = settings.origin;
    client.subprotocols = settings.subprotocols;
    client.connectTimeoutMs = settings.connectTimeoutMs;
    client.maxFrameSize = settings.maxIncomingFrameSize;
    client.maxMessageSize = settings.maxIncomingMessageSize;
    client.autoPingMs = settings.autoPingIntervalMs;
    client.maxMissedPongs = settings.maxMissedPongs;
    if (JsonCorrelationKey::check(settings.correlation).isEmpty())
        client.correlate = settings.correlation;
    client.tls = settings.tls;
    scenario.clients.append(client);

    Variables secrets;
    for (auto it = recording.secrets.cbegin(); it != recording.secrets.cend(); ++it)
        secrets.set(Variables::Layer::CommandLine, it.key(), it.value(), Variables::Secrecy::Secret);
    const Abstract abstract = [&secrets](const QString &text) { return secrets.abstractSecrets(text); };

    const QStringList who = {client.name};
    qint64 currentEvent = -1;
    auto addStep = [&](Step step) {
        step.clients = who;
        recording.stepEvents.append(step.type == Step::Type::Wait ? -1 : currentEvent);
        scenario.steps.append(std::move(step));
    };

    // The recording is the last connection that opened, up to its end: the settings (URL,
    // headers) are the ones it was made with, and a session connected again and again records
    // what the user did last, not a mix of connections.
    qint64 lastOpened = log.endSequence();
    for (qint64 seq = log.endSequence() - 1; seq >= log.firstSequence(); --seq) {
        const FrameEvent &event = log.at(seq);
        if (event.acceptsUpgrade()) {
            lastOpened = seq;
            break;
        }
    }

    bool connected = false;
    qint64 previousNs = -1;
    for (qint64 seq = lastOpened; seq < log.endSequence(); ++seq) {
        const FrameEvent &event = log.at(seq);
        currentEvent = seq;
        if (!connected) {
            if (event.acceptsUpgrade()) {
                connected = true;
                Step step;
                step.type = Step::Type::Connect;
                addStep(step);
                previousNs = event.monotonicNs;
            }
            continue;
        }
        const bool userAction = event.direction == Direction::Outgoing;
        if (userAction && options.keepPauses && previousNs >= 0) {
            // A pause of more than a day is a day: the longest wait a file may hold.
            const int pauseMs = int(std::min<qint64>((event.monotonicNs - previousNs) / 1'000'000, MaxScenarioDurationMs));
            if (pauseMs >= options.minPauseMs) {
                Step wait;
                wait.type = Step::Type::Wait;
                wait.waitMs = pauseMs;
                wait.optional = true;
                addStep(wait);
            }
        }
        previousNs = event.monotonicNs;

        Step step;
        switch (event.kind) {
        case EventKind::Text:
        case EventKind::Binary:
            if (event.direction == Direction::Outgoing) {
                step.type = Step::Type::Send;
                step.payload = payloadFor(event, abstract);
            } else {
                step.type = Step::Type::Expect;
                step.matcher = matcherFor(event, abstract, options.looseJson);
                if (JsonText::compact(step.matcher->toJson()).contains(u"{{"_s))
                    step.matcherSpec = step.matcher->toJson();
            }
            addStep(step);
            break;
        case EventKind::Ping:
            // The server's pings are answered by the engine, not by a step.
            if (event.direction == Direction::Outgoing) {
                step.type = Step::Type::Ping;
                addStep(step);
            }
            break;
        case EventKind::Pong:
            if (event.direction == Direction::Incoming) {
                step.type = Step::Type::ExpectPong;
                addStep(step);
            }
            break;
        case EventKind::Close:
            if (event.direction == Direction::Outgoing) {
                step.type = Step::Type::Close;
                if (isScenarioCloseCode(event.closeCode, true))
                    step.closeCode = event.closeCode;
                if (!event.text.isEmpty())
                    step.closeReason = abstract(event.text);
                addStep(step);
            } else if (event.closeInitiator == CloseInitiator::Server) {
                step.type = Step::Type::ExpectClose;
                if (isScenarioCloseCode(event.closeCode, false))
                    step.closeCode = event.closeCode;
                step.closeReason = abstract(event.text);
                addStep(step);
            }
            if (event.direction != Direction::Outgoing)
                return recording;  // the connection is over: so is the recording
            break;
        case EventKind::TextFrame:
        case EventKind::BinaryFrame:
        case EventKind::Handshake:
        case EventKind::Error:
        case EventKind::Info:
            break;
        }
    }
    return recording;
}

} // namespace wsprobe::Recorder
