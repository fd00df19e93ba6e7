#include "closerule.h"

#include "closecodes.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

void CloseRule::prepare()
{
    QStringList parts;
    parts.append(m_code ? CloseCodes::label(*m_code) : u"any code"_s);
    if (m_reason)
        parts.append(u"reason "_s + Preview::quoted(*m_reason, 80));
    if (m_reasonPattern)
        parts.append(u"reason matching /"_s + *m_reasonPattern + u'/');
    if (m_clean)
        parts.append(*m_clean ? u"clean"_s : u"not clean"_s);
    m_expected = parts.join(u", "_s);
}

std::shared_ptr<const MatchRule> CloseRule::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"close", {u"close", u"reason", u"reasonMatches", u"clean"})
        || !reader.atMostOneOf({u"reason", u"reasonMatches"}))
        return nullptr;

    std::shared_ptr<CloseRule> rule(new CloseRule);
    const QJsonValue code = reader.value(u"close");
    if (code.isString() && code.toString() == u"any") {
        // any code
    } else if (code.isString() || code.isDouble()) {
        std::optional<int> parsed;
        if (code.isString())
            parsed = CloseCodes::fromString(code.toString());
        else if (code.toDouble() == double(code.toInt(-1)))
            parsed = code.toInt();
        if (!parsed || CloseCodes::category(*parsed) == CloseCodeCategory::Invalid) {
            reader.fail(u"close", u"%1 is not a close code: give a number from 1000 to 4999, a "
                                  "name such as \"NORMAL_CLOSURE\", or \"any\""_s
                                      .arg(code.isString() ? Preview::quoted(code.toString(), 40)
                                                           : QString::number(code.toDouble())));
            return nullptr;
        }
        rule->m_code = parsed;
    } else {
        reader.fail(u"close", u"must be a close code (number or name) or \"any\""_s);
        return nullptr;
    }

    if (reader.has(u"reason")) {
        rule->m_reason = reader.string(u"reason");
        if (!rule->m_reason)
            return nullptr;
    }
    if (reader.has(u"reasonMatches")) {
        const std::optional<QString> pattern = reader.string(u"reasonMatches");
        if (!pattern)
            return nullptr;
        QRegularExpression regex(*pattern);
        if (!regex.isValid()) {
            reader.fail(u"reasonMatches", u"invalid regular expression at offset %1: %2"_s
                                              .arg(regex.patternErrorOffset())
                                              .arg(regex.errorString()));
            return nullptr;
        }
        regex.optimize();
        rule->m_reasonPattern = *pattern;
        rule->m_reasonRegex = std::move(regex);
    }
    if (reader.has(u"clean")) {
        rule->m_clean = reader.boolean(u"clean");
        if (!rule->m_clean)
            return nullptr;
    }
    rule->prepare();
    return rule;
}

MatchResult CloseRule::match(MessageView &message) const
{
    const FrameEvent &event = message.event();
    if (event.kind != EventKind::Close)
        return MatchResult::fail(m_expected, Preview::event(event), u"not a close event"_s);

    const QString actual = CloseCodes::label(event.closeCode) + u", reason "_s
        + Preview::quoted(event.text, 80) + (event.cleanClose ? u", clean"_s : u", not clean"_s);
    QStringList problems;
    if (m_code && *m_code != event.closeCode)
        problems.append(u"code %1 instead of %2"_s.arg(event.closeCode).arg(*m_code));
    if (m_reason && *m_reason != event.text)
        problems.append(u"reason differs"_s);
    if (m_reasonPattern && !m_reasonRegex.match(event.text).hasMatch())
        problems.append(u"reason does not match /"_s + *m_reasonPattern + u'/');
    if (m_clean && *m_clean != event.cleanClose)
        problems.append(event.cleanClose ? u"the close was clean"_s : u"the close was not clean"_s);
    if (problems.isEmpty())
        return MatchResult::pass(m_expected, actual);
    return MatchResult::fail(m_expected, actual, problems.join(u"; "_s));
}

QJsonObject CloseRule::toJson() const
{
    QJsonObject spec;
    if (!m_code)
        spec.insert(u"close", u"any"_s);
    else if (const QString symbol = CloseCodes::symbol(*m_code); !symbol.isEmpty())
        spec.insert(u"close", symbol);
    else
        spec.insert(u"close", *m_code);
    if (m_reason)
        spec.insert(u"reason", *m_reason);
    if (m_reasonPattern)
        spec.insert(u"reasonMatches", *m_reasonPattern);
    if (m_clean)
        spec.insert(u"clean", *m_clean);
    return spec;
}

QString CloseRule::describe() const
{
    return u"close "_s + m_expected;
}

bool CloseRule::equals(const MatchRule &other) const
{
    const auto &rule = static_cast<const CloseRule &>(other);
    return m_code == rule.m_code && m_reason == rule.m_reason
        && m_reasonPattern == rule.m_reasonPattern && m_clean == rule.m_clean;
}

} // namespace wsprobe
