#include "proxyrules.h"

#include "closecodes.h"
#include "locatedjson.h"
#include "objectreader.h"

#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace wsprobe {

QString displayName(ProxyRule::Action action)
{
    switch (action) {
    case ProxyRule::Action::Hold: return u"hold"_s;
    case ProxyRule::Action::Rewrite: return u"rewrite"_s;
    case ProxyRule::Action::Drop: return u"drop"_s;
    case ProxyRule::Action::Delay: return u"delay"_s;
    case ProxyRule::Action::Inject: return u"inject"_s;
    case ProxyRule::Action::Close: return u"close"_s;
    }
    return {};
}

namespace ProxyRulesReader {
namespace {

constexpr int MaxMs = 3'600'000;

class Reader
{
public:
    Reader(const QString &fileName, QList<JsonError> *errors) : m_fileName(fileName), m_errors(errors) {}

    std::optional<ProxyRules> read(const LocatedValue &root)
    {
        ObjectReader top(root, m_fileName, m_errors);
        ProxyRules result;
        result.fileName = m_fileName;
        top.allow(u"$schema");
        top.allow(u"description");
        top.integer(u"wsprobe", 1, 1, ObjectReader::Optional);
        if (const LocatedValue *rules = top.array(u"rules", ObjectReader::Required)) {
            int index = 0;
            for (const LocatedValue &element : rules->elements()) {
                ProxyRule rule;
                rule.name = u"rule %1"_s.arg(++index);
                if (readRule(top.nested(element), &rule))
                    result.rules.append(std::move(rule));
            }
        }
        if (!top.finish())
            return std::nullopt;
        return result;
    }

private:
    bool readRule(ObjectReader reader, ProxyRule *rule)
    {
        if (!reader.isObject()) {
            reader.finish();
            return false;
        }
        if (const std::optional<QString> name = reader.string(u"name", ObjectReader::Optional))
            rule->name = *name;
        const QString direction = reader.choice(u"direction", {u"toServer"_s, u"toClient"_s, u"both"_s},
                                                ObjectReader::Optional)
                                          .value_or(u"both"_s);
        rule->toServer = direction != "toClient"_L1;
        rule->toClient = direction != "toServer"_L1;
        if (const LocatedValue *when = reader.value(u"when", ObjectReader::Optional)) {
            QString error;
            const QJsonValue spec = when->toJsonValue();
            if (std::optional<Matcher> matcher = Matcher::fromJson(
                        spec, &error, QString(), QUrl::fromLocalFile(m_fileName).toString())) {
                rule->when = *matcher;
                const QJsonObject object = spec.toObject();
                if (object.contains(u"textMatches"_s))
                    rule->groups = QRegularExpression(object.value(u"textMatches"_s).toString());
            } else {
                reader.addError(when->location(), u"\"when\" is not a matcher: %1"_s.arg(error));
            }
        }

        const QList<QString> actions{u"hold"_s, u"rewrite"_s, u"drop"_s, u"delay"_s, u"inject"_s, u"close"_s};
        int found = 0;
        for (const QString &key : actions)
            found += reader.has(key) ? 1 : 0;
        if (found != 1) {
            reader.addError(reader.location(),
                            u"a rule needs exactly one action of hold, rewrite, drop, delay, "
                            "inject and close; this one has %1"_s.arg(found));
            reader.finish();
            return false;
        }
        if (const LocatedValue *hold = reader.value(u"hold", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Hold;
            if (hold->isObject()) {
                ObjectReader nested = reader.nested(*hold);
                rule->holdTimeoutMs = nested.integer(u"timeoutMs", 0, MaxMs, ObjectReader::Optional)
                                              .value_or(rule->holdTimeoutMs);
                nested.finish();
            } else if (!hold->isBool() || !hold->toBool()) {
                reader.addError(hold->location(), u"\"hold\" is true or {\"timeoutMs\": N}"_s);
            }
        } else if (const std::optional<QString> rewrite = reader.string(u"rewrite", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Rewrite;
            rule->replacement = *rewrite;
        } else if (const std::optional<bool> drop = reader.boolean(u"drop", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Drop;
            if (!*drop)
                reader.addError(reader.location(), u"\"drop\" is true or left out"_s);
        } else if (const LocatedValue *delay = reader.object(u"delay", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Delay;
            ObjectReader nested = reader.nested(*delay);
            if (const std::optional<int> ms = nested.integer(u"ms", 0, MaxMs, ObjectReader::Optional)) {
                rule->delayMinMs = rule->delayMaxMs = *ms;
            } else {
                rule->delayMinMs = nested.integer(u"minMs", 0, MaxMs, ObjectReader::Required).value_or(0);
                rule->delayMaxMs = nested.integer(u"maxMs", 0, MaxMs, ObjectReader::Required).value_or(0);
                if (rule->delayMaxMs < rule->delayMinMs)
                    nested.addError(delay->location(), u"\"maxMs\" is less than \"minMs\""_s);
            }
            nested.finish();
        } else if (const LocatedValue *inject = reader.object(u"inject", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Inject;
            ObjectReader nested = reader.nested(*inject);
            rule->side = readSide(nested, u"to");
            rule->text = nested.string(u"text", ObjectReader::Required).value_or(QString());
            rule->afterMs = nested.integer(u"afterMs", 0, MaxMs, ObjectReader::Optional).value_or(0);
            nested.finish();
        } else if (const LocatedValue *close = reader.object(u"close", ObjectReader::Optional)) {
            rule->action = ProxyRule::Action::Close;
            ObjectReader nested = reader.nested(*close);
            rule->side = readSide(nested, u"side");
            rule->closeCode = nested.integer(u"code", 1000, 4999, ObjectReader::Optional).value_or(1000);
            if (!CloseCodes::canBeSent(rule->closeCode))
                nested.addError(close->location(),
                                u"close code %1 may not be sent on the wire"_s.arg(rule->closeCode));
            rule->closeReason = nested.string(u"reason", ObjectReader::Optional).value_or(QString());
            if (rule->closeReason.toUtf8().size() > 123)
                nested.addError(close->location(), u"a close reason holds at most 123 bytes"_s);
            rule->afterMs = nested.integer(u"afterMs", 0, MaxMs, ObjectReader::Optional).value_or(0);
            nested.finish();
        }
        return reader.finish();
    }

    static ProxyRule::Side readSide(ObjectReader &reader, QStringView key)
    {
        const QString side = reader.choice(key, {u"client"_s, u"server"_s}, ObjectReader::Required)
                                     .value_or(u"server"_s);
        return side == "client"_L1 ? ProxyRule::Side::Client : ProxyRule::Side::Server;
    }

    QString m_fileName;
    QList<JsonError> *m_errors;
};

} // namespace

std::optional<ProxyRules> readFile(const QString &path, QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> root = LocatedJson::parseFile(path, &error);
    if (!root) {
        errors->append(error);
        return std::nullopt;
    }
    return Reader(path, errors).read(*root);
}

std::optional<ProxyRules> readText(const QByteArray &text, const QString &fileName,
                                   QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> root = LocatedJson::parseUtf8(text, fileName, &error);
    if (!root) {
        errors->append(error);
        return std::nullopt;
    }
    return Reader(fileName, errors).read(*root);
}

} // namespace ProxyRulesReader
} // namespace wsprobe
