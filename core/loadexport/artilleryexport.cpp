#include "artilleryexport.h"

#include "exportvariables.h"
#include "scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

using Part = ExportVariables::Part;

// A double-quoted YAML scalar: JSON's escapes are YAML's too.
QString quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString variableName(const QString &prefix, const QString &name)
{
    static const QRegularExpression plain(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (plain.match(name).hasMatch())
        return prefix.isEmpty() ? name : prefix + u'.' + name;
    // Artillery looks names up as lodash paths: a dot or dash would split them.
    return prefix + u"['"_s + name + u"']"_s;
}

// One step's checks on the message that answers it: `match` and `capture` entries (YAML flow).
struct Checks
{
    QStringList match;
    QStringList capture;
    bool isEmpty() const { return match.isEmpty() && capture.isEmpty(); }
};

struct FlowItem
{
    enum Kind { Send, Wait, Think, Raw };
    Kind kind = Raw;
    QString text;   // Send: the payload (YAML); Think: seconds; Raw: the whole item
    Checks checks;
};

class Translator
{
public:
    Translator(const Scenario &scenario, const LoadExportOptions &options)
        : m_scenario(scenario), m_options(options), m_variables(scenario, options.values)
    {
    }

    LoadExport run();

private:
    QString templ(const QString &text)
    {
        QString out;
        const QList<Part> parts = m_variables.parts(text);
        for (const Part &part : parts) {
            switch (part.kind) {
            case Part::Literal:
                if (part.text.contains(u"{{"_s))
                    m_literalBraces = true;
                out += part.text;
                break;
            case Part::Value:
                if (m_inlineValues) {
                    out += m_variables.values().value(part.text);
                    break;
                }
                Q_FALLTHROUGH();
            case Part::Captured:
                out += u"{{ "_s + variableName({}, part.text) + u" }}"_s;
                break;
            case Part::Environment:
                out += u"{{ "_s + variableName(u"$env"_s, part.text) + u" }}"_s;
                break;
            }
        }
        return out;
    }

    // A JSON value as a YAML flow value, its strings templated.
    QString json(const QJsonValue &value)
    {
        if (value.isString())
            return quoted(templ(value.toString()));
        if (value.isArray()) {
            QStringList items;
            for (const QJsonValue &item : value.toArray())
                items.append(json(item));
            return u'[' + items.join(u", "_s) + u']';
        }
        if (value.isObject()) {
            QStringList members;
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                members.append(quoted(it.key()) + u": "_s + json(it.value()));
            return u'{' + members.join(u", "_s) + u'}';
        }
        const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(array.mid(1, array.size() - 2));
    }

    static QString jsonPath(const QString &pointer)
    {
        QString path = u"$"_s;
        if (pointer.isEmpty())
            return path;
        const QStringList tokens = pointer.mid(1).split(u'/');
        static const QRegularExpression index(u"^(0|[1-9][0-9]*)$"_s);
        for (QString token : tokens) {
            token.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
            if (index.match(token).hasMatch())
                path += u'[' + token + u']';
            else
                path += u"['"_s + QString(token).replace(u"'"_s, u"\\'"_s) + u"']"_s;
        }
        return path;
    }

    // Every scalar of expected as an equality at its path; false when none can be checked.
    void leaves(const QJsonValue &expected, const QString &path, Checks *checks, bool *loose)
    {
        if (expected.isObject()) {
            const QJsonObject object = expected.toObject();
            if (object.isEmpty())
                *loose = true;
            for (auto it = object.begin(); it != object.end(); ++it) {
                leaves(it.value(), path + u"['"_s + QString(it.key()).replace(u"'"_s, u"\\'"_s)
                                       + u"']"_s, checks, loose);
            }
        } else if (expected.isArray()) {
            const QJsonArray array = expected.toArray();
            *loose = true;  // the length is not checked
            for (qsizetype i = 0; i < array.size(); ++i)
                leaves(array.at(i), path + u'[' + QString::number(i) + u']', checks, loose);
        } else {
            checks->match.append(u"{json: "_s + quoted(path) + u", value: "_s + json(expected)
                                 + u'}');
        }
    }

    QString anyName() { return u"wsprobe_message_%1"_s.arg(++m_captureCount); }

    static QString escapeRegex(const QString &text)
    {
        return QRegularExpression::escape(text);
    }

    // The matcher as Artillery checks; false when Artillery cannot express it. *why says why.
    bool checksFor(const QJsonValue &spec, Checks *checks, QStringList *loose, QString *why)
    {
        const QJsonObject m = spec.toObject();
        if (m.contains(u"text"_s)) {
            checks->match.append(u"{regexp: \"[\\\\s\\\\S]*\", value: "_s
                                 + quoted(templ(m.value(u"text"_s).toString())) + u'}');
            return true;
        }
        if (m.contains(u"textContains"_s)) {
            const QString text = m.value(u"textContains"_s).toString();
            if (!ExportVariables::isLiteral(m_variables.parts(text)))
                loose->append(u"the variables in the text are not escaped for the regular expression"_s);
            checks->match.append(u"{regexp: "_s + quoted(templ(escapeRegex(text))) + u", value: "_s
                                 + quoted(templ(text)) + u'}');
            return true;
        }
        if (m.contains(u"textMatches"_s)) {
            const QString flags = m.value(u"flags"_s).toString();
            if (flags.contains(u'x')) {
                *why = u"the x flag has no JavaScript equivalent"_s;
                return false;
            }
            QString entry = u"{regexp: "_s + quoted(templ(m.value(u"textMatches"_s).toString()));
            if (!flags.isEmpty())
                entry += u", flags: "_s + quoted(flags);
            checks->capture.append(entry + u", as: "_s + quoted(anyName()) + u'}');
            loose->append(u"an empty match counts as no match (Artillery's capture)"_s);
            return true;
        }
        if (m.contains(u"json"_s) || m.contains(u"jsonSubset"_s)) {
            const bool exact = m.contains(u"json"_s);
            bool partial = false;
            leaves(m.value(exact ? u"json"_s : u"jsonSubset"_s), u"$"_s, checks, &partial);
            if (exact)
                loose->append(u"only the values given are compared: members the message has on top are not refused"_s);
            else if (partial)
                loose->append(u"array lengths and empty objects are not checked"_s);
            return true;
        }
        if (m.contains(u"pointer"_s)) {
            const QString path = jsonPath(m.value(u"pointer"_s).toString());
            if (m.contains(u"equals"_s)) {
                bool partial = false;
                leaves(m.value(u"equals"_s), path, checks, &partial);
                if (partial)
                    loose->append(u"array lengths and empty objects are not checked"_s);
                return true;
            }
            if (m.value(u"exists"_s).toBool(true)) {
                checks->capture.append(u"{json: "_s + quoted(path) + u", as: "_s + quoted(anyName())
                                       + u'}');
                loose->append(u"an empty string there counts as missing (Artillery's capture)"_s);
                return true;
            }
            *why = u"Artillery cannot check that a member is absent"_s;
            return false;
        }
        if (m.contains(u"anyMessage"_s)) {
            checks->capture.append(u"{regexp: \"[\\\\s\\\\S]*\", as: "_s + quoted(anyName())
                                   + u", strict: false}"_s);
            if (m.value(u"anyMessage"_s).isString())
                loose->append(u"any message is taken, text or binary"_s);
            return true;
        }
        if (m.contains(u"allOf"_s)) {
            for (const QJsonValue &part : m.value(u"allOf"_s).toArray()) {
                if (!checksFor(part, checks, loose, why))
                    return false;
            }
            return true;
        }
        *why = u"Artillery's match cannot express the matcher %1"_s.arg(
                QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
        return false;
    }

    QString payload(const Payload &p, bool wrapped, QString *why)
    {
        switch (p.kind) {
        case Payload::Kind::Text:
            return quoted(templ(p.text));
        case Payload::Kind::Json:
            // An object is sent as JSON by Artillery; a bare one with "match" or "capture"
            // would be read as the step's own options, and a string must keep its quotes.
            if (p.json.isObject() && (wrapped || (!p.json.toObject().contains(u"match"_s)
                                                  && !p.json.toObject().contains(u"capture"_s)
                                                  && !p.json.toObject().contains(u"payload"_s)))) {
                return json(p.json);
            }
            if (p.json.isArray())
                return json(p.json);
            if (p.json.isString()) {
                return quoted(u'"' + templ(p.json.toString()).replace(u"\\"_s, u"\\\\"_s)
                                             .replace(u"\""_s, u"\\\""_s) + u'"');
            }
            return quoted(QString::fromUtf8(QJsonDocument(QJsonArray{p.json})
                                                    .toJson(QJsonDocument::Compact)).mid(1).chopped(1));
        case Payload::Kind::Binary:
            *why = u"Artillery's ws engine sends text only"_s;
            return {};
        }
        return {};
    }

    // Noted by step, so that the list follows the scenario whichever client a step is for.
    void notExported(qsizetype index, const Step &step, const QString &why)
    {
        m_stepNotes.insert(index, LoadExportText::stepLabel(m_scenario, index, step) + u": "_s + why);
    }

    void flowFor(const ClientSpec &client, QStringList *lines);

    const Scenario &m_scenario;
    const LoadExportOptions &m_options;
    ExportVariables m_variables;
    LoadExport m_result;
    int m_captureCount = 0;
    bool m_literalBraces = false;
    bool m_inlineValues = false;  // for config.target, which Artillery reads as a URL
    QMap<qsizetype, QString> m_stepNotes;
};

QString seconds(qint64 ms)
{
    return QString::number(std::max<qint64>(1, (ms + 999) / 1000));
}

void Translator::flowFor(const ClientSpec &client, QStringList *lines)
{
    QList<FlowItem> flow;
    // The connection, always the flow's first item: Artillery opens it before any step.
    QString url = templ(client.url);
    for (qsizetype i = 0; i < client.query.size(); ++i) {
        url += (i == 0 && !url.contains(u'?')) ? u'?' : u'&';
        url += templ(QString::fromUtf8(QUrl::toPercentEncoding(client.query[i].key))) + u'='
               + templ(QString::fromUtf8(QUrl::toPercentEncoding(client.query[i].value, "{} $.'[]")));
    }
    QString connect = u"  - connect:\n      target: "_s + quoted(url) + u'\n';
    if (!client.headers.isEmpty()) {
        connect += u"      headers:\n"_s;
        for (const KeyValue &header : client.headers)
            connect += u"        "_s + quoted(header.key) + u": "_s + quoted(templ(header.value)) + u'\n';
    }
    if (!client.subprotocols.isEmpty()) {
        QStringList protocols;
        for (const QString &protocol : client.subprotocols)
            protocols.append(quoted(templ(protocol)));
        connect += u"      subprotocols: ["_s + protocols.join(u", "_s) + u"]\n"_s;
    }
    if (!client.origin.isEmpty())
        connect += u"      origin: "_s + quoted(templ(client.origin)) + u'\n';
    connect += u"      handshakeTimeout: "_s + QString::number(client.connectTimeoutMs) + u'\n';
    if (client.maxMessageSize > 0)
        connect += u"      maxPayload: "_s + QString::number(client.maxMessageSize) + u'\n';
    if (client.tls.ignoreCertificateErrors)
        connect += u"      rejectUnauthorized: false\n"_s;
    flow.append(FlowItem{FlowItem::Raw, connect, {}});

    const QString who = u"client \"%1\": "_s.arg(client.name);
    if (client.autoPingMs > 0)
        m_result.notExported.append(who + u"autoPing (Artillery's ws engine sends no pings)"_s);
    if (client.reconnect.enabled)
        m_result.notExported.append(who + u"reconnect (Artillery does not reconnect)"_s);
    if (!client.tls.caCertificateFile.isEmpty() || !client.tls.clientCertificateFile.isEmpty()
        || !client.tls.clientKeyFile.isEmpty()) {
        m_result.notExported.append(who + u"TLS files (give them in config.tls by hand)"_s);
    }

    bool closed = false;
    for (qsizetype i = 0; i < m_scenario.steps.size(); ++i) {
        const Step &step = m_scenario.steps[i];
        if (step.type == Step::Type::Wait) {
            if (!closed)
                flow.append(FlowItem{FlowItem::Think, QString::number(step.waitMs / 1000.0), {}});
            continue;
        }
        if (!step.clients.contains(client.name))
            continue;
        QString why;
        switch (step.type) {
        case Step::Type::Connect:
            if (step.subprotocol)
                m_result.approximated.append(LoadExportText::stepLabel(m_scenario, i, step)
                                             + u": the subprotocol the server chose is not checked"_s);
            break;
        case Step::Type::Send: {
            const bool binary = step.payload.kind == Payload::Kind::Binary;
            const QString text = payload(step.payload, false, &why);
            if (binary)
                notExported(i, step, why);
            else
                flow.append(FlowItem{FlowItem::Send, text, {}});
            break;
        }
        case Step::Type::Expect: {
            if (step.count > 1) {
                notExported(i, step, u"Artillery checks one message a step"_s);
                break;
            }
            Checks checks;
            QStringList loose;
            const QJsonValue spec = step.matcherSpec ? *step.matcherSpec
                                    : step.matcher ? step.matcher->toJson()
                                                   : QJsonValue(QJsonObject{{u"anyMessage"_s, true}});
            if (!checksFor(spec, &checks, &loose, &why)) {
                notExported(i, step, why);
                break;
            }
            if (!step.strict)
                loose.prepend(u"the next message is checked, not the first one that matches"_s);
            loose.removeDuplicates();
            m_result.approximated.append(LoadExportText::stepLabel(m_scenario, i, step) + u": "_s
                                         + loose.join(u"; "_s));
            // Artillery listens for the answer only from its step on: a check right after a
            // send goes into the send, so the answer cannot come before anyone listens.
            if (!flow.isEmpty() && flow.last().kind == FlowItem::Send && flow.last().checks.isEmpty())
                flow.last().checks = checks;
            else
                flow.append(FlowItem{FlowItem::Wait, {}, checks});
            break;
        }
        case Step::Type::Capture: {
            if (flow.isEmpty() || flow.last().checks.isEmpty()) {
                notExported(i, step, u"no check right before it whose message it could read"_s);
                break;
            }
            if (!step.pointer.isEmpty()) {
                flow.last().checks.capture.append(u"{json: "_s + quoted(jsonPath(step.pointer))
                                                  + u", as: "_s + quoted(step.variable) + u'}');
            } else if (step.captureGroup == 0) {
                flow.last().checks.capture.append(u"{regexp: "_s + quoted(step.captureRegex)
                                                  + u", as: "_s + quoted(step.variable) + u'}');
            } else {
                notExported(i, step, u"Artillery captures a whole match or a named group, not group %1"_s
                                             .arg(step.captureGroup));
            }
            break;
        }
        case Step::Type::Close:
            closed = true;
            if ((step.closeCode && *step.closeCode != 1000) || step.closeReason) {
                m_result.approximated.append(LoadExportText::stepLabel(m_scenario, i, step)
                                             + u": Artillery closes at the end of the flow, without a code"_s);
            }
            break;
        case Step::Type::ExpectNone:
            notExported(i, step, u"Artillery cannot wait for the absence of a message"_s);
            break;
        case Step::Type::ExpectSequence:
            notExported(i, step, u"Artillery checks one message a step"_s);
            break;
        case Step::Type::Ping:
        case Step::Type::ExpectPong:
            notExported(i, step, u"Artillery's ws engine has no pings"_s);
            break;
        case Step::Type::ExpectClose:
            notExported(i, step, u"Artillery cannot wait for the server to close"_s);
            break;
        case Step::Type::ExpectRejected:
            notExported(i, step, u"Artillery counts a refused upgrade as an error, it cannot expect one"_s);
            break;
        case Step::Type::Drop:
        case Step::Type::Reconnect:
            notExported(i, step, u"Artillery keeps one connection a virtual user"_s);
            break;
        case Step::Type::RoundTrip:
            notExported(i, step, u"Artillery reports round trips in its summary but cannot check them in a flow"_s);
            break;
        case Step::Type::ExpectServer:
            notExported(i, step, u"the scenario's mock servers run in wsprobe, not in Artillery"_s);
            break;
        case Step::Type::Wait:
            break;
        }
    }

    for (const FlowItem &item : std::as_const(flow)) {
        switch (item.kind) {
        case FlowItem::Raw:
            *lines << item.text;
            break;
        case FlowItem::Think:
            *lines << u"  - think: "_s + item.text + u'\n';
            break;
        case FlowItem::Send:
        case FlowItem::Wait: {
            if (item.kind == FlowItem::Send && item.checks.isEmpty()) {
                *lines << u"  - send: "_s + item.text + u'\n';
                break;
            }
            QString text = item.kind == FlowItem::Send ? u"  - send:\n"_s : u"  - wait:\n"_s;
            if (item.kind == FlowItem::Send)
                text += u"      payload: "_s + item.text + u'\n';
            const auto list = [&](const QString &key, const QStringList &entries) {
                if (entries.isEmpty())
                    return;
                text += u"      "_s + key + u":\n"_s;
                for (const QString &entry : entries)
                    text += u"        - "_s + entry + u'\n';
            };
            list(u"match"_s, item.checks.match);
            list(u"capture"_s, item.checks.capture);
            *lines << text;
            break;
        }
        }
    }
}

LoadExport Translator::run()
{
    QStringList scenarios;
    for (const ClientSpec &client : m_scenario.clients) {
        QStringList flow;
        flowFor(client, &flow);
        QString name = m_scenario.name;
        if (m_scenario.clients.size() > 1)
            name += u" ("_s + client.name + u')';
        // Each flow item is indented for "    flow:" below.
        QString text = u"  - name: "_s + quoted(name) + u"\n    engine: ws\n    flow:\n"_s;
        for (const QString &item : std::as_const(flow)) {
            const QStringList itemLines = item.split(u'\n', Qt::SkipEmptyParts);
            for (const QString &line : itemLines)
                text += u"    "_s + line + u'\n';
        }
        scenarios.append(text);
    }
    QStringList stepNotes = m_stepNotes.values();
    m_result.notExported = stepNotes + m_result.notExported;
    if (m_scenario.clients.size() > 1) {
        m_result.approximated.append(
                u"%1 clients: each is an Artillery scenario of its own, run by its own virtual users; what one client waits for from another is not coordinated"_s
                        .arg(m_scenario.clients.size()));
    }
    for (const Trigger &trigger : m_scenario.triggers) {
        m_result.notExported.append(
                u"a trigger on \"%1\" (line %2): Artillery cannot answer messages as they come"_s
                        .arg(trigger.on).arg(trigger.where.line));
    }
    if (m_literalBraces)
        m_result.approximated.append(u"a literal \"{{\" in a text is read as a variable by Artillery"_s);

    const LoadProfile &load = m_options.load;
    const double rate = load.arrivalRate > 0 ? load.arrivalRate : double(load.users);
    const qint64 perSecond = std::max<qint64>(1, std::llround(rate));
    if (double(perSecond) != rate)
        m_result.approximated.append(u"an arrival rate of %1 a second is rounded to %2"_s.arg(rate).arg(perSecond));

    m_inlineValues = true;
    QString config = u"config:\n  target: "_s
                     + quoted(m_scenario.clients.isEmpty() ? QString() : templ(m_scenario.clients.first().url))
                     + u"\n  phases:\n"_s;
    m_inlineValues = false;
    if (load.rampUpMs > 0) {
        config += u"    - name: \"ramp-up\"\n      duration: %1\n      arrivalRate: 1\n      rampTo: %2\n      maxVusers: %3\n"_s
                          .arg(seconds(load.rampUpMs)).arg(perSecond).arg(load.users);
    }
    config += u"    - name: \"steady\"\n      duration: %1\n      arrivalRate: %2\n      maxVusers: %3\n"_s
                      .arg(seconds(load.durationMs)).arg(perSecond).arg(load.users);
    // How long a check waits for its message: the scenario's step timeout.
    config += u"  ws:\n    timeout: "_s + seconds(m_scenario.stepTimeoutMs) + u'\n';
    const QMap<QString, QString> &values = m_variables.values();
    if (!values.isEmpty()) {
        config += u"  variables:\n"_s;
        for (auto it = values.begin(); it != values.end(); ++it)
            config += u"    "_s + quoted(it.key()) + u": "_s + quoted(it.value()) + u'\n';
    }
    m_result.environment = m_variables.environment();

    QString header = u"# Artillery 2.x script (ws engine), exported by wsprobe-run from "_s
                     + (m_options.sourceName.isEmpty() ? u"a scenario"_s : m_options.sourceName)
                     + u": \""_s + m_scenario.name + u"\"\n"_s
                     + u"# %1 user(s), starting over %2 ms, then %3 ms. Run it with: artillery run FILE\n"_s
                               .arg(load.users).arg(load.rampUpMs).arg(load.durationMs);
    header += LoadExportText::notesAsComment(m_result, u"# "_s);
    m_result.text = header + config + u"scenarios:\n"_s + scenarios.join(QString());
    return m_result;
}

} // namespace

namespace ArtilleryExport {

LoadExport toYaml(const Scenario &scenario, const LoadExportOptions &options)
{
    return Translator(scenario, options).run();
}

} // namespace ArtilleryExport
} // namespace wsprobe
