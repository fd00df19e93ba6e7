#include "mockscriptreader.h"

#include "closecodes.h"
#include "locatedjson.h"
#include "mocktemplate.h"
#include "objectreader.h"

#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe::MockScriptReader {
namespace {

constexpr int MaxDelayMs = 3'600'000;
constexpr int MaxCount = 1'000'000;

class Reader
{
public:
    Reader(const QString &fileName, QList<JsonError> *errors)
        : m_fileName(fileName), m_errors(errors) {}

    std::optional<MockScript> read(const LocatedValue &root)
    {
        ObjectReader top(root, m_fileName, m_errors);
        MockScript script;
        script.fileName = m_fileName;
        top.allow(u"$schema");
        top.allow(u"description");
        if (const std::optional<int> version = top.integer(u"wsprobe", 1, 1, ObjectReader::Optional))
            Q_UNUSED(version);
        script.name = top.string(u"name", ObjectReader::Optional).value_or(QString());
        if (const LocatedValue *variables = top.object(u"variables", ObjectReader::Optional)) {
            for (const LocatedMember &member : variables->members()) {
                if (!member.value.isString())
                    top.addError(member.value.location(),
                                 u"expected a string, found %1"_s.arg(member.value.describe()));
                else
                    script.variables.append({member.key, member.value.toString()});
            }
        }
        if (const LocatedValue *server = top.object(u"server", ObjectReader::Required))
            readServer(top.nested(*server), &script);
        if (!top.finish())
            return std::nullopt;
        return script;
    }

private:
    void readServer(ObjectReader reader, MockScript *script)
    {
        if (const std::optional<QString> host = reader.string(u"host", ObjectReader::Optional)) {
            const QHostAddress address(*host == "localhost"_L1 ? u"127.0.0.1"_s : *host);
            if (address.isNull() || !address.isLoopback())
                reader.addError(reader.location(),
                                u"\"host\" must be a loopback address (127.0.0.1, ::1), not \"%1\": "
                                "the mock serves anything a file says to whoever connects"_s.arg(*host));
            else
                script->host = address;
        }
        script->port = quint16(reader.integer(u"port", 0, 65535, ObjectReader::Optional).value_or(0));
        const LocatedValue *routes = reader.object(u"routes", ObjectReader::Required);
        if (routes) {
            if (routes->members().empty())
                reader.addError(routes->location(), u"\"routes\" needs at least one path"_s);
            for (const LocatedMember &member : routes->members()) {
                if (!member.key.startsWith(u'/')) {
                    reader.addError(member.keyLocation,
                                    u"a route is a path starting with \"/\", not \"%1\""_s.arg(member.key));
                    continue;
                }
                MockRoute route;
                route.path = member.key;
                readRoute(reader.nested(member.value), &route);
                script->routes.append(std::move(route));
            }
        }
        reader.finish();
    }

    void readRoute(ObjectReader reader, MockRoute *route)
    {
        route->rejectStatus = reader.integer(u"reject", 400, 599, ObjectReader::Optional).value_or(0);
        if (const LocatedValue *headers = reader.object(u"requireHeaders", ObjectReader::Optional)) {
            for (const LocatedMember &member : headers->members()) {
                if (!member.value.isString())
                    reader.addError(member.value.location(),
                                    u"expected a string (\"\" for any value), found %1"_s.arg(
                                            member.value.describe()));
                else
                    route->requiredHeaders.append(
                            {member.key.toLower().toUtf8(), member.value.toString()});
            }
        }
        route->missingHeaderStatus =
                reader.integer(u"rejectWithout", 400, 599, ObjectReader::Optional).value_or(401);
        if (const LocatedValue *headers = reader.object(u"responseHeaders", ObjectReader::Optional)) {
            for (const LocatedMember &member : headers->members()) {
                const bool badName = member.key.isEmpty() || member.key.contains(u':')
                        || member.key.contains(u' ') || member.key.contains(u'\r') || member.key.contains(u'\n');
                if (!member.value.isString())
                    reader.addError(member.value.location(),
                                    u"expected a string, found %1"_s.arg(member.value.describe()));
                else if (badName)
                    reader.addError(member.keyLocation, u"\"%1\" is not a header name"_s.arg(member.key));
                else if (member.value.toString().contains(u'\r') || member.value.toString().contains(u'\n'))
                    reader.addError(member.value.location(), u"a header value holds no line break"_s);
                else
                    route->responseHeaders.append({member.key.toLatin1(), member.value.toString()});
            }
        }
        route->subprotocols = strings(reader, u"subprotocols");
        route->groups = strings(reader, u"groups");
        if (const LocatedValue *messages = reader.array(u"onConnect", ObjectReader::Optional))
            route->onConnect = readMessages(reader, *messages);
        if (const LocatedValue *rules = reader.array(u"rules", ObjectReader::Optional)) {
            for (const LocatedValue &rule : rules->elements()) {
                MockRule read;
                if (readRule(reader.nested(rule), &read))
                    route->rules.append(std::move(read));
            }
        }
        if (const LocatedValue *unmatched = reader.value(u"unmatched", ObjectReader::Optional))
            readUnmatched(reader, *unmatched, &route->unmatched);
        if (const LocatedValue *limit = reader.object(u"closeAfter", ObjectReader::Optional)) {
            ObjectReader nested = reader.nested(*limit);
            MockLimit read;
            read.afterMs = nested.integer(u"ms", 1, MaxDelayMs, ObjectReader::Optional).value_or(0);
            read.afterMessages =
                    nested.integer(u"messages", 1, MaxCount, ObjectReader::Optional).value_or(0);
            read.withinMs = nested.integer(u"withinMs", 1, MaxDelayMs, ObjectReader::Optional).value_or(0);
            if (read.afterMs == 0 && read.afterMessages == 0)
                nested.addError(limit->location(), u"\"closeAfter\" needs \"ms\" or \"messages\""_s);
            if (read.withinMs > 0 && read.afterMessages == 0)
                nested.addError(limit->location(), u"\"withinMs\" counts \"messages\": give it too"_s);
            readCloseMembers(nested, &read.close);
            nested.finish();
            route->closeAfter = read;
        }
        if (const LocatedValue *pings = reader.value(u"pings", ObjectReader::Optional))
            readPings(reader, *pings, route);
        if (const LocatedValue *timer = reader.object(u"timer", ObjectReader::Optional)) {
            ObjectReader nested = reader.nested(*timer);
            MockTimer read;
            read.everyMs = nested.integer(u"everyMs", 1, MaxDelayMs, ObjectReader::Required).value_or(1000);
            read.count = nested.integer(u"count", 0, MaxCount, ObjectReader::Optional).value_or(0);
            if (const LocatedValue *messages = nested.array(u"send", ObjectReader::Required))
                read.send = readMessages(nested, *messages);
            nested.finish();
            route->timer = read;
        }
        reader.finish();
    }

    // "answer", "ignore" or {"ignoreAfter": N}.
    void readPings(ObjectReader &reader, const LocatedValue &value, MockRoute *route)
    {
        if (value.isString()) {
            if (value.toString() == "answer"_L1)
                route->pingsAnswered.reset();
            else if (value.toString() == "ignore"_L1)
                route->pingsAnswered = 0;
            else
                reader.addError(value.location(),
                                u"\"pings\" is \"answer\", \"ignore\" or {\"ignoreAfter\": N}, not %1"_s.arg(
                                        value.describe()));
            return;
        }
        ObjectReader nested = reader.nested(value);
        if (const std::optional<int> after = nested.integer(u"ignoreAfter", 0, MaxCount, ObjectReader::Required))
            route->pingsAnswered = *after;
        nested.finish();
    }

    QStringList strings(ObjectReader &reader, QAnyStringView key)
    {
        QStringList result;
        if (const LocatedValue *array = reader.array(key, ObjectReader::Optional)) {
            for (const LocatedValue &element : array->elements()) {
                if (!element.isString() || element.toString().isEmpty())
                    reader.addError(element.location(),
                                    u"expected a non-empty string, found %1"_s.arg(element.describe()));
                else
                    result.append(element.toString());
            }
        }
        return result;
    }

    bool readRule(ObjectReader reader, MockRule *rule)
    {
        bool ok = true;
        if (const LocatedValue *when = reader.value(u"when", ObjectReader::Required)) {
            QString error;
            const QJsonValue spec = when->toJsonValue();
            if (std::optional<Matcher> matcher = Matcher::fromJson(spec, &error, QString(),
                                                                   QUrl::fromLocalFile(m_fileName).toString())) {
                rule->when = *matcher;
                const QJsonObject object = spec.toObject();
                if (object.contains(u"textMatches"_s)) {
                    QRegularExpression::PatternOptions options;
                    const QString flags = object.value(u"flags"_s).toString();
                    if (flags.contains(u'i')) options |= QRegularExpression::CaseInsensitiveOption;
                    if (flags.contains(u'm')) options |= QRegularExpression::MultilineOption;
                    if (flags.contains(u's')) options |= QRegularExpression::DotMatchesEverythingOption;
                    if (flags.contains(u'x')) options |= QRegularExpression::ExtendedPatternSyntaxOption;
                    rule->groups = QRegularExpression(object.value(u"textMatches"_s).toString(), options);
                }
            } else {
                reader.addError(when->location(), u"\"when\" is not a matcher: %1"_s.arg(error));
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const LocatedValue *reply = reader.value(u"reply", ObjectReader::Optional))
            rule->reply = readMessages(reader, *reply);
        if (const std::optional<QString> pings =
                    reader.choice(u"pings", {u"answer"_s, u"ignore"_s}, ObjectReader::Optional))
            rule->answerPings = *pings == "answer"_L1;
        if (const LocatedValue *close = reader.object(u"close", ObjectReader::Optional)) {
            ObjectReader nested = reader.nested(*close);
            MockClose read;
            read.delayMs = nested.integer(u"delayMs", 0, MaxDelayMs, ObjectReader::Optional).value_or(0);
            readCloseMembers(nested, &read);
            nested.finish();
            rule->close = read;
        }
        return reader.finish() && ok;
    }

    // "code", "reason" and "drop" of a close, wherever one is described.
    void readCloseMembers(ObjectReader &reader, MockClose *close)
    {
        close->drop = reader.boolean(u"drop", ObjectReader::Optional).value_or(false);
        if (const LocatedValue *code = reader.value(u"code", ObjectReader::Optional)) {
            const int value = int(code->toDouble());
            if (!code->isNumber() || !CloseCodes::canBeSent(value))
                reader.addError(code->location(),
                                u"expected a close code an endpoint may send (1000-1003, 1007-1014, "
                                "3000-4999), found %1"_s.arg(code->describe()));
            else
                close->code = value;
        }
        close->reason = reader.string(u"reason", ObjectReader::Optional).value_or(QString());
        if (close->reason.toUtf8().size() > 123)
            reader.addError(reader.location(), u"a close reason holds at most 123 bytes of UTF-8"_s);
    }

    void readUnmatched(ObjectReader &reader, const LocatedValue &value, MockUnmatched *unmatched)
    {
        if (value.isString()) {
            if (value.toString() == "ignore"_L1)
                unmatched->action = MockUnmatched::Action::Ignore;
            else if (value.toString() == "echo"_L1)
                unmatched->action = MockUnmatched::Action::Echo;
            else
                reader.addError(value.location(),
                                u"\"unmatched\" is \"ignore\", \"echo\" or {\"close\": 1003}, not %1"_s.arg(
                                        value.describe()));
            return;
        }
        ObjectReader nested = reader.nested(value);
        unmatched->action = MockUnmatched::Action::Close;
        unmatched->close.code = 1003;
        if (const LocatedValue *code = nested.value(u"close", ObjectReader::Required)) {
            const int number = int(code->toDouble());
            if (!code->isNumber() || !CloseCodes::canBeSent(number))
                nested.addError(code->location(), u"expected a close code an endpoint may send, found %1"_s.arg(code->describe()));
            else
                unmatched->close.code = number;
        }
        unmatched->close.reason = nested.string(u"reason", ObjectReader::Optional).value_or(QString());
        nested.finish();
    }

    // One message or an array of them.
    QList<MockMessage> readMessages(ObjectReader &reader, const LocatedValue &value)
    {
        QList<MockMessage> messages;
        if (value.isArray()) {
            for (const LocatedValue &element : value.elements())
                if (std::optional<MockMessage> message = readMessage(reader.nested(element)))
                    messages.append(*message);
        } else if (std::optional<MockMessage> message = readMessage(reader.nested(value))) {
            messages.append(*message);
        }
        return messages;
    }

    std::optional<MockMessage> readMessage(ObjectReader reader)
    {
        if (!reader.isObject()) {
            reader.finish();
            return std::nullopt;
        }
        MockMessage message;
        const bool hasText = reader.has(u"text");
        const bool hasJson = reader.has(u"json");
        // Bytes are written as the binary matchers take them: hex, or base64.
        const bool hasBase64 = reader.has(u"binaryBase64");
        const bool hasHex = reader.has(u"binary");
        if (int(hasText) + int(hasJson) + int(hasBase64) + int(hasHex) != 1) {
            reader.addError(reader.location(),
                            u"a message has one of \"text\", \"json\", \"binary\" (hex) or \"binaryBase64\""_s);
        } else if (hasText) {
            message.body = MockMessage::Body::Text;
            message.value = reader.string(u"text", ObjectReader::Required).value_or(QString());
        } else if (hasJson) {
            message.body = MockMessage::Body::Json;
            if (const LocatedValue *json = reader.value(u"json", ObjectReader::Required))
                message.value = json->toJsonValue();
        } else {
            // Bytes: checked here when the text is literal, when it is sent when a template.
            const QAnyStringView key = hasHex ? QAnyStringView(u"binary") : QAnyStringView(u"binaryBase64");
            message.body = hasHex ? MockMessage::Body::Hex : MockMessage::Body::Base64;
            if (const LocatedValue *bytes = reader.value(key, ObjectReader::Required)) {
                QString error;
                if (!bytes->isString())
                    reader.addError(bytes->location(), u"expected a string, found %1"_s.arg(bytes->describe()));
                else if (!bytes->toString().contains(u"{{"_s)
                         && !MockTemplate::decodeBytes(bytes->toString(), hasHex, &error))
                    reader.addError(bytes->location(), error);
                else
                    message.value = bytes->toString();
            }
        }
        message.delayMs = reader.integer(u"delayMs", 0, MaxDelayMs, ObjectReader::Optional).value_or(0);
        if (const std::optional<QString> to = reader.choice(u"to", {u"sender"_s, u"all"_s, u"others"_s},
                                                           ObjectReader::Optional)) {
            message.to = *to == "all"_L1      ? MockMessage::Target::All
                    : *to == "others"_L1 ? MockMessage::Target::Others
                                         : MockMessage::Target::Sender;
        }
        if (const std::optional<QString> group = reader.string(u"group", ObjectReader::Optional)) {
            if (reader.has(u"to"))
                reader.addError(reader.location(), u"a message goes \"to\" clients or to a \"group\", not both"_s);
            message.to = MockMessage::Target::Group;
            message.group = *group;
        }
        if (!reader.finish())
            return std::nullopt;
        return message;
    }

    QString m_fileName;
    QList<JsonError> *m_errors;  // Not owned.
};

} // namespace

std::optional<MockScript> readText(const QString &text, const QString &fileName,
                                   QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> root = LocatedJson::parse(text, fileName, &error);
    if (!root) {
        errors->append(error);
        return std::nullopt;
    }
    return Reader(fileName, errors).read(*root);
}

std::optional<MockScript> readFile(const QString &path, QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> root = LocatedJson::parseFile(path, &error);
    if (!root) {
        errors->append(error);
        return std::nullopt;
    }
    return Reader(path, errors).read(*root);
}

bool isMockFileName(const QString &fileName)
{
    return fileName.endsWith(u".mock.json"_s);
}

} // namespace wsprobe::MockScriptReader

