#include "k6export.h"

#include "exportvariables.h"
#include "scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

using Part = ExportVariables::Part;

// A JavaScript string literal: JSON's is one.
QString jsString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString duration(qint64 ms)
{
    return jsString(ms % 1000 == 0 ? QString::number(ms / 1000) + u's' : QString::number(ms) + u"ms"_s);
}

// What every exported script carries: a client that queues what arrives, so that an expect
// takes the first matching message as wsprobe does, and the matchers' helpers.
constexpr QStringView Runtime = uR"JS(
function env(name) {
  const value = __ENV[name];
  if (value === undefined) throw new Error(`set ${name} first: k6 run -e ${name}=... (or export it)`);
  return value;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Client {
  constructor(name) {
    this.name = name;
    this.ws = null;
    this.inbox = [];
    this.last = null;
    this.pongs = 0;
    this.closed = false;
    this.wake = null;
  }

  open(url, protocols, params, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: not open within ${timeoutMs} ms`)), timeoutMs);
      const ws = new WebSocket(url, protocols, params);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => { clearTimeout(timer); resolve(); };
      ws.onerror = (event) => { clearTimeout(timer); reject(new Error(`${this.name}: ${event.error}`)); this.notify(); };
      ws.onmessage = (event) => { this.inbox.push(event.data); this.notify(); };
      ws.onpong = () => { this.pongs += 1; this.notify(); };
      ws.onclose = () => { this.closed = true; this.notify(); };
      this.ws = ws;
    });
  }

  notify() {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
  }

  // Resolves when something arrives or ms pass.
  idle(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  // The first message not taken yet that matches (the very next one when strict), or null.
  async take(matches, timeoutMs, strict) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = strict ? (this.inbox.length === 0 ? -1 : (matches(this.inbox[0]) ? 0 : -2))
                           : this.inbox.findIndex(matches);
      if (index >= 0) {
        this.last = this.inbox.splice(index, 1)[0];
        return this.last;
      }
      const left = deadline - Date.now();
      if (index === -2 || this.closed || left <= 0) return null;
      await this.idle(left);
    }
  }

  // True when no matching message arrives within ms.
  async none(matches, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.inbox.some(matches)) return false;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return true;
      await this.idle(left);
    }
  }

  async until(condition, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.idle(left);
    }
    return true;
  }
}

function passes(ok, name) {
  if (!check(ok, { [name]: (value) => value === true })) throw new Error(`failed: ${name}`);
}

function text(message) {
  return typeof message === 'string' ? message : null;
}

function parse(message) {
  if (typeof message !== 'string') return undefined;
  try { return JSON.parse(message); } catch (e) { return undefined; }
}

// RFC 6901: undefined when nothing is there.
function at(doc, pointer) {
  if (pointer === '') return doc;
  let node = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(token in node)) return undefined;
    node = node[token];
  }
  return node;
}

function equal(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((key) => key in a && equal(a[key], b[key]));
}

// wsprobe's jsonSubset: objects may have more members, arrays have the same length.
function subset(actual, expected) {
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(expected)) {
    return actual.length === expected.length && expected.every((item, i) => subset(actual[i], item));
  }
  return Object.keys(expected).every((key) => key in actual && subset(actual[key], expected[key]));
}
)JS";

class Translator
{
public:
    Translator(const Scenario &scenario, const LoadExportOptions &options)
        : m_scenario(scenario), m_options(options), m_variables(scenario, options.values)
    {
    }

    LoadExport run();

private:
    // A template as a JavaScript expression.
    QString templ(const QString &text)
    {
        QStringList terms;
        const QList<Part> parts = m_variables.parts(text);
        for (const Part &part : parts) {
            switch (part.kind) {
            case Part::Literal:
                terms.append(jsString(part.text));
                break;
            case Part::Value:
                terms.append(u"vars["_s + jsString(part.text) + u']');
                break;
            case Part::Environment:
                terms.append(u"env("_s + jsString(part.text) + u')');
                break;
            case Part::Captured:
                terms.append(u"captured["_s + jsString(part.text) + u']');
                break;
            }
        }
        if (terms.isEmpty())
            return u"''"_s;
        if (terms.size() == 1 && parts.first().kind == Part::Literal)
            return terms.first();
        return u'(' + (parts.first().kind == Part::Literal ? QString() : u"'' + "_s)
               + terms.join(u" + "_s) + u')';
    }

    QString json(const QJsonValue &value)
    {
        if (value.isString())
            return templ(value.toString());
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
                members.append(jsString(it.key()) + u": "_s + json(it.value()));
            return u'{' + members.join(u", "_s) + u'}';
        }
        const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(array.mid(1, array.size() - 2));
    }

    // The matcher as a predicate on `m`; "" when k6 cannot check it here (*why says why).
    QString predicate(const QJsonValue &spec, QString *why)
    {
        const QJsonObject m = spec.toObject();
        if (m.contains(u"text"_s))
            return u"text(m) === "_s + templ(m.value(u"text"_s).toString());
        if (m.contains(u"textContains"_s))
            return u"(text(m) ?? '\\u0000').includes("_s + templ(m.value(u"textContains"_s).toString()) + u')';
        if (m.contains(u"textMatches"_s)) {
            const QString flags = m.value(u"flags"_s).toString();
            if (flags.contains(u'x')) {
                *why = u"the x flag has no JavaScript equivalent"_s;
                return {};
            }
            return u"text(m) !== null && new RegExp("_s + templ(m.value(u"textMatches"_s).toString())
                   + u", "_s + jsString(flags) + u").test(m)"_s;
        }
        if (m.contains(u"json"_s))
            return u"equal(parse(m), "_s + json(m.value(u"json"_s)) + u')';
        if (m.contains(u"jsonSubset"_s))
            return u"subset(parse(m), "_s + json(m.value(u"jsonSubset"_s)) + u')';
        if (m.contains(u"pointer"_s)) {
            const QString value = u"at(parse(m), "_s + jsString(m.value(u"pointer"_s).toString()) + u')';
            if (m.contains(u"equals"_s))
                return u"equal("_s + value + u", "_s + json(m.value(u"equals"_s)) + u')';
            return value + (m.value(u"exists"_s).toBool(true) ? u" !== undefined"_s : u" === undefined"_s);
        }
        if (m.contains(u"anyMessage"_s)) {
            const QString type = m.value(u"anyMessage"_s).toString();
            if (type == "text"_L1)
                return u"typeof m === 'string'"_s;
            if (type == "binary"_L1)
                return u"typeof m !== 'string'"_s;
            return u"true"_s;
        }
        if (m.contains(u"allOf"_s) || m.contains(u"anyOf"_s)) {
            const bool all = m.contains(u"allOf"_s);
            QStringList parts;
            for (const QJsonValue &part : m.value(all ? u"allOf"_s : u"anyOf"_s).toArray()) {
                const QString p = predicate(part, why);
                if (p.isEmpty())
                    return {};
                parts.append(u'(' + p + u')');
            }
            return parts.isEmpty() ? (all ? u"true"_s : u"false"_s) : parts.join(all ? u" && "_s : u" || "_s);
        }
        if (m.contains(u"not"_s)) {
            const QString p = predicate(m.value(u"not"_s), why);
            return p.isEmpty() ? QString() : u"!("_s + p + u')';
        }
        *why = u"the script has no check for the matcher %1"_s.arg(
                QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
        return {};
    }

    QString matcherOf(const Step &step, QString *why)
    {
        const QJsonValue spec = step.matcherSpec ? *step.matcherSpec
                                : step.matcher ? step.matcher->toJson()
                                               : QJsonValue(QJsonObject{{u"anyMessage"_s, true}});
        const QString p = predicate(spec, why);
        return p.isEmpty() ? QString() : u"(m) => "_s + p;
    }

    QString payload(const Payload &p)
    {
        switch (p.kind) {
        case Payload::Kind::Text:
            return templ(p.text);
        case Payload::Kind::Json:
            return u"JSON.stringify("_s + json(p.json) + u')';
        case Payload::Kind::Binary: {
            QStringList bytes;
            for (const char byte : p.bytes)
                bytes.append(QString::number(quint8(byte)));
            return u"new Uint8Array(["_s + bytes.join(u", "_s) + u"]).buffer"_s;
        }
        }
        return {};
    }

    QString client(const QString &name) const { return u"clients["_s + jsString(name) + u']'; }
    int timeout(const Step &step) const { return step.timeoutMs >= 0 ? step.timeoutMs : m_scenario.stepTimeoutMs; }

    void notExported(qsizetype index, const Step &step, const QString &why)
    {
        m_result.notExported.append(LoadExportText::stepLabel(m_scenario, index, step) + u": "_s + why);
        m_body += u"  // not exported: step %1, %2\n"_s.arg(index + 1).arg(describe(step).replace(u'\n', u' '));
    }
    void approximated(qsizetype index, const Step &step, const QString &how)
    {
        m_result.approximated.append(LoadExportText::stepLabel(m_scenario, index, step) + u": "_s + how);
    }

    QString connectCode(const ClientSpec &spec);
    void step(qsizetype index, const Step &step);

    const Scenario &m_scenario;
    const LoadExportOptions &m_options;
    ExportVariables m_variables;
    LoadExport m_result;
    QString m_body;
};

QString Translator::connectCode(const ClientSpec &spec)
{
    QString url = templ(spec.url);
    for (qsizetype i = 0; i < spec.query.size(); ++i) {
        url += u" + "_s + jsString(u"%1%2="_s.arg((i == 0 && !spec.url.contains(u'?')) ? u'?' : u'&')
                                           .arg(QString::fromUtf8(QUrl::toPercentEncoding(spec.query[i].key))))
               + u" + encodeURIComponent("_s + templ(spec.query[i].value) + u')';
    }
    QStringList headers;
    for (const KeyValue &header : spec.headers)
        headers.append(jsString(header.key) + u": "_s + templ(header.value));
    if (!spec.origin.isEmpty())
        headers.append(u"Origin: "_s + templ(spec.origin));
    QStringList protocols;
    for (const QString &protocol : spec.subprotocols)
        protocols.append(templ(protocol));
    const QString who = u"client \"%1\": "_s.arg(spec.name);
    if (spec.autoPingMs > 0)
        m_result.notExported.append(who + u"autoPing (add ws.ping() calls by hand)"_s);
    if (spec.reconnect.enabled)
        m_result.notExported.append(who + u"reconnect (k6 does not reconnect)"_s);
    if (spec.tls.ignoreCertificateErrors || !spec.tls.caCertificateFile.isEmpty() || !spec.tls.clientCertificateFile.isEmpty())
        m_result.notExported.append(who + u"TLS settings (k6 takes them in options.tlsAuth / insecureSkipTLSVerify)"_s);
    return u"await %1.open(%2, %3, { headers: { %4 } }, %5);\n"_s
            .arg(client(spec.name), url,
                 protocols.isEmpty() ? u"null"_s : u'[' + protocols.join(u", "_s) + u']',
                 headers.join(u", "_s))
            .arg(spec.connectTimeoutMs);
}

void Translator::step(qsizetype index, const Step &step)
{
    const QString label = jsString(u"step %1: %2"_s.arg(index + 1).arg(describe(step)));
    const QString c = step.clients.isEmpty() ? QString() : client(step.clients.first());
    QString why;
    switch (step.type) {
    case Step::Type::Connect:
        for (const QString &name : step.clients) {
            if (const ClientSpec *spec = m_scenario.client(name))
                m_body += u"  "_s + connectCode(*spec);
        }
        if (step.subprotocol)
            approximated(index, step, u"the subprotocol the server chose is not checked"_s);
        return;
    case Step::Type::Send:
        m_body += u"  %1.ws.send(%2);\n"_s.arg(c, payload(step.payload));
        return;
    case Step::Type::Expect: {
        const QString matcher = matcherOf(step, &why);
        if (matcher.isEmpty())
            return notExported(index, step, why);
        for (int i = 0; i < step.count; ++i) {
            m_body += u"  passes((await %1.take(%2, %3, %4)) !== null, %5);\n"_s
                              .arg(c, matcher).arg(timeout(step))
                              .arg(step.strict ? u"true"_s : u"false"_s, label);
        }
        return;
    }
    case Step::Type::ExpectNone: {
        const QString matcher = matcherOf(step, &why);
        if (matcher.isEmpty())
            return notExported(index, step, why);
        m_body += u"  passes(await %1.none(%2, %3), %4);\n"_s.arg(c, matcher).arg(step.withinMs).arg(label);
        return;
    }
    case Step::Type::Wait:
        m_body += u"  await sleep(%1);\n"_s.arg(step.waitMs);
        return;
    case Step::Type::Ping:
        m_body += u"  %1.ws.ping();\n"_s.arg(c);
        if (!step.pingPayload.isEmpty())
            approximated(index, step, u"k6 sends a ping without a payload"_s);
        return;
    case Step::Type::ExpectPong:
        m_body += u"  { const pongs = %1.pongs; passes(await %1.until(() => %1.pongs > pongs || %1.pongs > 0, %2), %3); }\n"_s
                          .arg(c).arg(timeout(step)).arg(label);
        approximated(index, step, u"any pong counts; its round trip is not checked"_s);
        return;
    case Step::Type::Close:
        m_body += u"  %1.ws.close(%2);\n  passes(await %1.until(() => %1.closed, %3), %4);\n"_s
                          .arg(c).arg(step.closeCode.value_or(1000)).arg(timeout(step)).arg(label);
        return;
    case Step::Type::ExpectClose:
        m_body += u"  passes(await %1.until(() => %1.closed, %2), %3);\n"_s.arg(c).arg(timeout(step)).arg(label);
        if (step.closeCode || step.closeReason || !step.reasonPattern.isEmpty() || step.clean)
            approximated(index, step, u"only that the connection ends is checked, not how"_s);
        return;
    case Step::Type::Capture:
        if (!step.pointer.isEmpty()) {
            m_body += u"  captured[%1] = String(at(parse(%2.last), %3));\n"_s
                              .arg(jsString(step.variable), c, jsString(step.pointer));
        } else {
            m_body += u"  captured[%1] = String((new RegExp(%2).exec(text(%3.last) ?? '') || [])[%4]);\n"_s
                              .arg(jsString(step.variable), jsString(step.captureRegex), c)
                              .arg(step.captureGroup);
        }
        return;
    case Step::Type::ExpectSequence:
        return notExported(index, step, u"no sequence check in the script; use expects"_s);
    case Step::Type::ExpectRejected:
        return notExported(index, step, u"k6 counts a refused upgrade as an error, it cannot expect one"_s);
    case Step::Type::Drop:
    case Step::Type::Reconnect:
        return notExported(index, step, u"k6 cannot drop a connection without closing it"_s);
    case Step::Type::RoundTrip:
        return notExported(index, step, u"k6 reports its own timings; give a threshold in options instead"_s);
    case Step::Type::ExpectServer:
        return notExported(index, step, u"the scenario's mock servers run in wsprobe, not in k6"_s);
    }
}

LoadExport Translator::run()
{
    for (qsizetype i = 0; i < m_scenario.steps.size(); ++i)
        step(i, m_scenario.steps[i]);
    for (const Trigger &trigger : m_scenario.triggers) {
        m_result.notExported.append(u"a trigger on \"%1\" (line %2): the script does not answer messages as they come"_s
                                            .arg(trigger.on).arg(trigger.where.line));
    }

    const LoadProfile &load = m_options.load;
    QString scenario;
    if (load.arrivalRate > 0) {
        const qint64 perMinute = std::max<qint64>(1, std::llround(load.arrivalRate * 60));
        scenario = u"      executor: 'constant-arrival-rate',\n      rate: %1,\n      timeUnit: '1m',\n      duration: %2,\n      preAllocatedVUs: %3,\n      maxVUs: %3,\n"_s
                           .arg(perMinute).arg(duration(load.durationMs)).arg(load.users);
        if (load.rampUpMs > 0)
            m_result.approximated.append(u"with an arrival rate, the ramp-up is left out"_s);
    } else if (load.rampUpMs > 0) {
        scenario = u"      executor: 'ramping-vus',\n      startVUs: 0,\n      stages: [\n        { duration: %1, target: %3 },\n        { duration: %2, target: %3 },\n      ],\n"_s
                           .arg(duration(load.rampUpMs), duration(load.durationMs)).arg(load.users);
    } else {
        scenario = u"      executor: 'constant-vus',\n      vus: %1,\n      duration: %2,\n"_s
                           .arg(load.users).arg(duration(load.durationMs));
    }

    QString variables;
    const QMap<QString, QString> &values = m_variables.values();
    for (auto it = values.begin(); it != values.end(); ++it)
        variables += u"  "_s + jsString(it.key()) + u": "_s + jsString(it.value()) + u",\n"_s;
    m_result.environment = m_variables.environment();

    QStringList clients;
    for (const ClientSpec &spec : m_scenario.clients)
        clients.append(u"    "_s + jsString(spec.name) + u": new Client("_s + jsString(spec.name) + u"),\n"_s);

    QString text = u"// k6 script (k6/experimental/websockets), exported by wsprobe-run from "_s
                   + (m_options.sourceName.isEmpty() ? u"a scenario"_s : m_options.sourceName)
                   + u": "_s + jsString(m_scenario.name) + u"\n"_s
                   + u"// %1 user(s), starting over %2 ms, then %3 ms. Run it with: k6 run FILE\n"_s
                             .arg(load.users).arg(load.rampUpMs).arg(load.durationMs);
    text += LoadExportText::notesAsComment(m_result, u"// "_s);
    text += u"import { WebSocket } from 'k6/experimental/websockets';\n"
            "import { check } from 'k6';\n"
            "import { setTimeout, clearTimeout } from 'k6/timers';\n\n"
            "export const options = {\n  scenarios: {\n    wsprobe: {\n"_s
            + scenario + u"    },\n  },\n};\n\nconst vars = {\n"_s + variables + u"};\n"_s
            + Runtime.toString()
            + u"\nexport default async function () {\n  const captured = {};\n  const clients = {\n"_s
            + clients.join(QString()) + u"  };\n  try {\n"_s;
    // The steps, one level deeper inside the try.
    const QStringList lines = m_body.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines)
        text += u"  "_s + line + u'\n';
    text += u"  } finally {\n    for (const c of Object.values(clients)) if (c.ws && !c.closed) c.ws.close();\n  }\n}\n"_s;
    m_result.text = text;
    return m_result;
}

} // namespace

namespace K6Export {

LoadExport toScript(const Scenario &scenario, const LoadExportOptions &options)
{
    return Translator(scenario, options).run();
}

} // namespace K6Export
} // namespace wsprobe
