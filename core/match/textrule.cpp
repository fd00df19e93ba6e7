#include "textrule.h"

#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString keyword(MatchKind kind)
{
    switch (kind) {
    case MatchKind::TextContains: return u"textContains"_s;
    case MatchKind::TextMatches: return u"textMatches"_s;
    default: break;
    }
    return u"text"_s;
}

struct Flag
{
    char16_t letter;
    QRegularExpression::PatternOption option;
};

constexpr Flag Flags[] = {
    {u'i', QRegularExpression::CaseInsensitiveOption},
    {u'm', QRegularExpression::MultilineOption},
    {u's', QRegularExpression::DotMatchesEverythingOption},
    {u'x', QRegularExpression::ExtendedPatternSyntaxOption},
};

QString slashed(const QString &pattern, const QString &flags)
{
    return u'/' + pattern + u'/' + flags;
}

// Where two texts part, for "first difference at offset N".
qsizetype firstDifference(QStringView a, QStringView b)
{
    const qsizetype n = qMin(a.size(), b.size());
    qsizetype i = 0;
    while (i < n && a[i] == b[i])
        ++i;
    return i;
}

} // namespace

TextRule::TextRule(MatchKind kind, QString text, QString flags, QRegularExpression regex)
    : m_kind(kind), m_text(std::move(text)), m_flags(std::move(flags)), m_regex(std::move(regex))
{
    switch (m_kind) {
    case MatchKind::TextContains:
        m_expected = u"text containing "_s + Preview::quoted(m_text);
        break;
    case MatchKind::TextMatches:
        m_expected = u"text matching "_s + slashed(m_text, m_flags);
        break;
    default:
        m_expected = Preview::quoted(m_text);
        break;
    }
}

std::shared_ptr<const MatchRule> TextRule::fromSpec(MatchKind kind, SpecReader &reader)
{
    const QString key = keyword(kind);
    if (kind == MatchKind::TextMatches) {
        if (!reader.allowOnly(key, {key, u"flags"}))
            return nullptr;
    } else if (!reader.allowOnly(key, {key})) {
        return nullptr;
    }
    const std::optional<QString> text = reader.string(key);
    if (!text)
        return nullptr;
    if (kind != MatchKind::TextMatches)
        return std::shared_ptr<const MatchRule>(new TextRule(kind, *text, {}, {}));

    QString flags;
    QRegularExpression::PatternOptions options;
    if (reader.has(u"flags")) {
        const std::optional<QString> given = reader.string(u"flags");
        if (!given)
            return nullptr;
        for (QChar c : *given) {
            const auto flag = std::find_if(std::begin(Flags), std::end(Flags),
                                           [c](const Flag &f) { return f.letter == c; });
            if (flag == std::end(Flags)) {
                reader.fail(u"flags", u"unknown flag \"%1\": the flags are i (ignore case), "
                                      "m (multi-line), s (dot matches newline) and x (extended)"_s
                                          .arg(c));
                return nullptr;
            }
            options |= flag->option;
        }
        for (const Flag &flag : Flags) {
            if (options & flag.option)
                flags.append(QChar(flag.letter));
        }
    }
    QRegularExpression regex(*text, options);
    if (!regex.isValid()) {
        reader.fail(key, u"invalid regular expression at offset %1: %2"_s
                             .arg(regex.patternErrorOffset())
                             .arg(regex.errorString()));
        return nullptr;
    }
    regex.optimize();
    return std::shared_ptr<const MatchRule>(new TextRule(kind, *text, flags, std::move(regex)));
}

MatchResult TextRule::match(MessageView &message) const
{
    const FrameEvent &event = message.event();
    if (event.kind != EventKind::Text)
        return MatchResult::fail(m_expected, Preview::event(event), u"not a text message"_s);

    const QString actual = Preview::quoted(event.text);
    switch (m_kind) {
    case MatchKind::TextContains:
        if (event.text.contains(m_text))
            return MatchResult::pass(m_expected, actual);
        return MatchResult::fail(m_expected, actual,
                                 u"does not contain "_s + Preview::quoted(m_text, 60));
    case MatchKind::TextMatches:
        if (m_regex.match(event.text).hasMatch())
            return MatchResult::pass(m_expected, actual);
        return MatchResult::fail(m_expected, actual,
                                 u"no match for "_s + slashed(m_text, m_flags));
    default:
        break;
    }
    if (event.text == m_text)
        return MatchResult::pass(m_expected, actual);
    QString explanation =
        u"first difference at offset %1"_s.arg(firstDifference(event.text, m_text));
    if (event.text.size() != m_text.size())
        explanation += u"; expected %1 characters, got %2"_s.arg(m_text.size()).arg(event.text.size());
    return MatchResult::fail(m_expected, actual, explanation);
}

QJsonObject TextRule::toJson() const
{
    QJsonObject spec{{keyword(m_kind), m_text}};
    if (!m_flags.isEmpty())
        spec.insert(u"flags", m_flags);
    return spec;
}

QString TextRule::describe() const
{
    switch (m_kind) {
    case MatchKind::TextContains: return u"text contains "_s + Preview::quoted(m_text, 80);
    case MatchKind::TextMatches: return u"text matches "_s + slashed(m_text, m_flags);
    default: break;
    }
    return u"text equals "_s + Preview::quoted(m_text, 80);
}

bool TextRule::equals(const MatchRule &other) const
{
    const auto &rule = static_cast<const TextRule &>(other);
    return m_text == rule.m_text && m_flags == rule.m_flags;
}

} // namespace wsprobe
