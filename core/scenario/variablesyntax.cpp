#include "variablesyntax.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe::VariableSyntax {
namespace {

bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isNameCharacter(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9') || c == u'.' || c == u'-';
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool opensAt(QStringView text, qsizetype pos)
{
    return pos + 1 < text.size() && text[pos] == u'{' && text[pos + 1] == u'{';
}

// The name of the reference that opens at text[open] ("{{"), and where it ends; or nothing.
std::optional<QStringView> referenceAt(QStringView text, qsizetype open, qsizetype *end)
{
    qsizetype pos = open + 2;
    while (pos < text.size() && isBlank(text[pos]))
        ++pos;
    const qsizetype nameStart = pos;
    if (pos >= text.size() || !isNameStart(text[pos]))
        return std::nullopt;
    while (pos < text.size() && isNameCharacter(text[pos]))
        ++pos;
    const QStringView name = text.sliced(nameStart, pos - nameStart);
    while (pos < text.size() && isBlank(text[pos]))
        ++pos;
    if (!text.sliced(pos).startsWith(u"}}"))
        return std::nullopt;
    *end = pos + 2;
    return name;
}

// Where the malformed fragment opening at text[open] ends.
qsizetype malformedEnd(QStringView text, qsizetype open)
{
    const qsizetype close = text.indexOf(u"}}", open + 2);
    qsizetype reopen = text.indexOf(u"{{", open + 2);
    if (reopen < 0 || (close >= 0 && close < reopen))
        return close < 0 ? text.size() : close + 2;
    // A later "{{" starts afresh ("{{ oops {{a}}" still uses a), with its escaping backslashes.
    while (reopen > open + 2 && text[reopen - 1] == u'\\')
        --reopen;
    return reopen;
}

// One character of literal text, or one reference, for compose().
struct Unit
{
    QChar character;
    const Segment *reference = nullptr; // Not owned.
};

} // namespace

bool isValidName(QStringView name)
{
    if (name.isEmpty() || !isNameStart(name[0]))
        return false;
    for (QChar c : name) {
        if (!isNameCharacter(c))
            return false;
    }
    return true;
}

QList<Segment> split(QStringView text)
{
    QList<Segment> segments;
    QString literal;
    auto flushLiteral = [&] {
        if (!literal.isEmpty())
            segments.append(Segment{Segment::Literal, std::exchange(literal, QString()), QString()});
    };
    qsizetype pos = 0;
    while (pos < text.size()) {
        // Ordinary text goes over in one piece.
        qsizetype plain = pos;
        while (plain < text.size() && text[plain] != u'\\' && text[plain] != u'{')
            ++plain;
        literal += text.sliced(pos, plain - pos);
        pos = plain;
        if (pos >= text.size())
            break;
        if (text[pos] == u'\\') {
            qsizetype run = 0;
            while (pos + run < text.size() && text[pos + run] == u'\\')
                ++run;
            if (!opensAt(text, pos + run)) {
                literal += text.sliced(pos, run);
                pos += run;
                continue;
            }
            literal += QString(run / 2, u'\\');
            pos += run;
            if (run % 2 == 1) {
                literal += u"{{"_s;
                pos += 2;
            }
            continue; // an unescaped "{{" is read on the next round
        }
        if (!opensAt(text, pos)) {
            literal += u'{';
            ++pos;
            continue;
        }
        qsizetype end = 0;
        if (const std::optional<QStringView> name = referenceAt(text, pos, &end)) {
            flushLiteral();
            segments.append(Segment{Segment::Reference, name->toString(),
                                    text.sliced(pos, end - pos).toString()});
        } else if (opensAt(text, pos + 1)) {
            literal += u'{'; // "{{{a}}": the reference may start one further on
            end = pos + 1;
        } else {
            flushLiteral();
            end = malformedEnd(text, pos);
            const QString source = text.sliced(pos, end - pos).toString();
            segments.append(Segment{Segment::Malformed, source, source});
        }
        pos = end;
    }
    flushLiteral();
    return segments;
}

QString compose(const QList<Segment> &segments)
{
    // split() decides at each "{{" of the result, so what a character must look like depends on
    // what comes after it: lay the whole text out first.
    std::vector<Unit> units;
    QString result;
    for (const Segment &segment : segments) {
        if (segment.kind == Segment::Reference) {
            units.push_back(Unit{QChar(), &segment});
        } else {
            for (QChar c : segment.kind == Segment::Literal ? segment.text : segment.source)
                units.push_back(Unit{c, nullptr});
        }
    }
    auto isLiteral = [&](size_t i, char16_t c) {
        return i < units.size() && !units[i].reference && units[i].character == QChar(c);
    };
    auto isReference = [&](size_t i) { return i < units.size() && units[i].reference; };
    // Whether the result at unit i starts with "{{" that split() treats as special: a reference,
    // an escaped literal "{{", or a '{' that a reference follows.
    auto bracesAt = [&](size_t i) {
        return isReference(i) || (isLiteral(i, u'{') && (isLiteral(i + 1, u'{') || isReference(i + 1)));
    };
    size_t i = 0;
    while (i < units.size()) {
        if (isReference(i)) {
            result += reference(units[i].reference->text);
            ++i;
        } else if (isLiteral(i, u'\\')) {
            size_t run = 0;
            while (isLiteral(i + run, u'\\'))
                ++run;
            result += QString(qsizetype(bracesAt(i + run) ? 2 * run : run), u'\\');
            i += run;
        } else if (isLiteral(i, u'{') && isLiteral(i + 1, u'{')) {
            result += u"\\{{"_s;
            i += 2;
        } else {
            result += units[i].character;
            ++i;
        }
    }
    return result;
}

QString escape(QStringView literal)
{
    return compose({Segment{Segment::Literal, literal.toString(), QString()}});
}

QStringList referencedNames(QStringView text)
{
    QStringList names;
    for (const Segment &segment : split(text)) {
        if (segment.kind == Segment::Reference && !names.contains(segment.text))
            names.append(segment.text);
    }
    return names;
}

QString reference(QStringView name)
{
    QString result = u"{{"_s;
    result += name;
    result += u"}}"_s;
    return result;
}

std::optional<std::pair<QString, QString>> parseAssignment(QStringView assignment, QString *error)
{
    const qsizetype equals = assignment.indexOf(u'=');
    if (equals < 0) {
        if (error)
            *error = u"expected name=value, found \"%1\""_s.arg(assignment);
        return std::nullopt;
    }
    const QStringView name = assignment.first(equals);
    if (!isValidName(name)) {
        if (error) {
            *error = u"\"%1\" is not a valid variable name (letters, digits, '_', '.' and '-', "
                     u"starting with a letter or '_')"_s.arg(name);
        }
        return std::nullopt;
    }
    return std::pair{name.toString(), assignment.sliced(equals + 1).toString()};
}

} // namespace wsprobe::VariableSyntax
