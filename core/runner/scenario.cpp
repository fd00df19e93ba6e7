#include "scenario.h"

#include "closecodes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString payloadSummary(const Payload &payload)
{
    switch (payload.kind) {
    case Payload::Kind::Text:
        return payload.text.size() > 60 ? payload.text.left(60) + u'…' : payload.text;
    case Payload::Kind::Json: {
        const QString text = payload.json.isObject()
            ? QString::fromUtf8(QJsonDocument(payload.json.toObject()).toJson(QJsonDocument::Compact))
            : payload.json.isArray()
            ? QString::fromUtf8(QJsonDocument(payload.json.toArray()).toJson(QJsonDocument::Compact))
            : payload.json.toVariant().toString();
        return text.size() > 60 ? text.left(60) + u'…' : text;
    }
    case Payload::Kind::Binary:
        return u"%1 bytes of binary"_s.arg(payload.bytes.size());
    }
    return {};
}

} // namespace

const ClientSpec *Scenario::client(const QString &name) const
{
    for (const ClientSpec &spec : clients) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

QString displayName(Step::Type type)
{
    switch (type) {
    case Step::Type::Connect: return u"connect"_s;
    case Step::Type::Send: return u"send"_s;
    case Step::Type::Expect: return u"expect"_s;
    case Step::Type::ExpectSequence: return u"expectSequence"_s;
    case Step::Type::ExpectNone: return u"expectNone"_s;
    case Step::Type::Ping: return u"ping"_s;
    case Step::Type::ExpectPong: return u"expectPong"_s;
    case Step::Type::RoundTrip: return u"roundTrip"_s;
    case Step::Type::ExpectServer: return u"expectServer"_s;
    case Step::Type::Wait: return u"wait"_s;
    case Step::Type::Close: return u"close"_s;
    case Step::Type::ExpectClose: return u"expectClose"_s;
    case Step::Type::ExpectRejected: return u"expectRejected"_s;
    case Step::Type::Capture: return u"capture"_s;
    case Step::Type::Drop: return u"drop"_s;
    case Step::Type::Reconnect: return u"reconnect"_s;
    }
    return {};
}

QString describe(const Step &step)
{
    if (!step.title.isEmpty())
        return step.title;
    const QString who = step.clients.join(u", "_s);
    const QString action = displayName(step.type);
    switch (step.type) {
    case Step::Type::Connect:
    case Step::Type::Drop:
    case Step::Type::Reconnect:
    case Step::Type::Ping:
        return action + u' ' + who;
    case Step::Type::Send:
        return u"send %1: %2"_s.arg(who, payloadSummary(step.payload));
    case Step::Type::Expect: {
        QString text = u"expect %1: %2"_s.arg(who, step.matcher ? step.matcher->describe() : u"any message"_s);
        if (step.count > 1)
            text += u" ×%1"_s.arg(step.count);
        if (step.strict)
            text += u" (next message)"_s;
        return text;
    }
    case Step::Type::ExpectServer:
        return u"expect server %1 to receive %2"_s.arg(who, step.matcher ? step.matcher->describe() : u"any message"_s)
            + (step.count > 1 ? u" ×%1"_s.arg(step.count) : QString());
    case Step::Type::ExpectSequence:
        return u"expect %1: %2 messages"_s.arg(who).arg(step.count)
            + (step.pointer.isEmpty() ? QString() : u", %1 increasing"_s.arg(step.pointer));
    case Step::Type::ExpectNone:
        return u"expect nothing on %1 for %2 ms"_s.arg(who).arg(step.withinMs);
    case Step::Type::ExpectPong:
        return u"expect pong on "_s + who;
    case Step::Type::RoundTrip:
        return u"round trips on %1: %2"_s.arg(who, step.roundTripLimit.describe());
    case Step::Type::Wait:
        return u"wait %1 ms"_s.arg(step.waitMs);
    case Step::Type::Close:
        return u"close %1 with %2"_s.arg(who, CloseCodes::label(step.closeCode.value_or(1000)));
    case Step::Type::ExpectClose:
        return u"expect %1 closed"_s.arg(who)
            + (step.closeCode ? u" with "_s + CloseCodes::label(*step.closeCode) : QString());
    case Step::Type::ExpectRejected:
        return u"expect %1's upgrade refused"_s.arg(who)
            + (step.httpStatus ? u" with HTTP %1"_s.arg(step.httpStatus) : QString());
    case Step::Type::Capture:
        return u"capture %1 from %2 into %3"_s.arg(step.pointer.isEmpty() ? u'/' + step.captureRegex + u'/' : step.pointer,
                                                   who, step.variable);
    }
    return action;
}

} // namespace wsprobe
