#include "locatedjson.h"

#include "inputfilereader.h"

#include <QHash>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::LocatedJson {
namespace {

constexpr char16_t ByteOrderMark = 0xfeff;

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isWordCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || isDigit(c) || c == u'_';
}

int hexValue(QChar c)
{
    if (isDigit(c))
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

// "00E9", "1F600": the way Unicode writes code points after "U+".
QString hex4(char32_t codePoint)
{
    return QString::number(uint(codePoint), 16).rightJustified(4, u'0').toUpper();
}

// Columns count characters, so the second half of a surrogate pair takes none.
int columnsBetween(QStringView text, qsizetype from, qsizetype to)
{
    int columns = 0;
    for (qsizetype i = from; i < to; ++i) {
        if (!(text[i].isLowSurrogate() && i > 0 && text[i - 1].isHighSurrogate()))
            ++columns;
    }
    return columns;
}

// Reads one document. Recursion is bounded by MaxDepth, so hostile nesting cannot exhaust the
// stack; every error stops the parse at once, so there is exactly one.
class Parser
{
public:
    Parser(QStringView text, const QString &fileName, JsonError *error)
        : m_text(text), m_fileName(fileName), m_error(error)
    {
        if (m_text.startsWith(QChar(ByteOrderMark)))
            m_pos = m_lineStart = m_columnPos = 1;
    }

    std::optional<LocatedValue> parseDocument()
    {
        skipWhitespace();
        if (atEnd())
            return fail(SourceLocation{1, 1}, u"the file is empty: expected a JSON value"_s);
        std::optional<LocatedValue> value = parseValue(0);
        if (!value)
            return std::nullopt;
        skipWhitespace();
        if (!atEnd())
            return fail(m_pos, u"expected the end of the file after the top-level value, found "_s
                                   + found(m_pos));
        return value;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    bool at(char16_t c) const { return m_pos < m_text.size() && m_text[m_pos] == QChar(c); }

    std::nullopt_t fail(SourceLocation where, const QString &message)
    {
        if (m_error)
            *m_error = JsonError{m_fileName, where, message};
        return std::nullopt;
    }

    std::nullopt_t fail(qsizetype pos, const QString &message)
    {
        return fail(locationAt(pos), message);
    }

    // Positions are asked for in order along the current line (line breaks are only ever
    // crossed in whitespace), so the column is counted on from the last answer, never from the
    // start of the line again: a minified one-line file stays linear.
    SourceLocation locationAt(qsizetype pos)
    {
        if (pos < m_lineStart)
            return locate(m_text, pos);
        if (pos < m_columnPos) {
            m_columnPos = m_lineStart;
            m_column = 1;
        }
        m_column += columnsBetween(m_text, m_columnPos, pos);
        m_columnPos = pos;
        return SourceLocation{m_line, m_column};
    }

    void skipWhitespace()
    {
        while (!atEnd()) {
            const QChar c = m_text[m_pos];
            if (c == u' ' || c == u'\t') {
                ++m_pos;
            } else if (c == u'\n' || c == u'\r') {
                ++m_pos;
                if (c == u'\r' && at(u'\n'))
                    ++m_pos;
                ++m_line;
                m_lineStart = m_columnPos = m_pos;
                m_column = 1;
            } else {
                return;
            }
        }
    }

    // What stands at pos, for "found ...", with a hint for the usual mistakes.
    QString found(qsizetype pos) const
    {
        if (pos >= m_text.size())
            return u"the end of the file"_s;
        const QChar c = m_text[pos];
        if (c == u'"')
            return u"a string"_s;
        if (isDigit(c))
            return u"a number"_s;
        if (isWordCharacter(c)) {
            qsizetype end = pos;
            while (end < m_text.size() && end - pos < 24 && isWordCharacter(m_text[end]))
                ++end;
            const QStringView word = m_text.sliced(pos, end - pos);
            QString result = u"'%1'"_s.arg(word);
            for (QLatin1StringView literal : {"true"_L1, "false"_L1, "null"_L1}) {
                if (word.compare(literal, Qt::CaseInsensitive) == 0)
                    result += u" (JSON writes true, false and null in lower case)"_s;
            }
            if (word == u"NaN" || word == u"Infinity")
                result += u" (NaN and Infinity are not JSON numbers)"_s;
            return result;
        }
        if (c == u'\'')
            return u"a single quote (JSON strings use double quotes)"_s;
        if (c == u'/' || c == u'#')
            return u"'%1' (comments are not allowed in JSON)"_s.arg(c);
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return u"the control character U+"_s + hex4(c.unicode());
        if (c.unicode() < 0x80)
            return u"'%1'"_s.arg(c);
        const qsizetype length = c.isHighSurrogate() && pos + 1 < m_text.size()
                && m_text[pos + 1].isLowSurrogate() ? 2 : 1;
        const char32_t codePoint = length == 2
            ? QChar::surrogateToUcs4(c, m_text[pos + 1]) : char32_t(c.unicode());
        return u"'%1' (U+%2)"_s.arg(m_text.sliced(pos, length), hex4(codePoint));
    }

    std::optional<LocatedValue> parseValue(int depth)
    {
        if (atEnd())
            return fail(m_pos, u"expected a value, found the end of the file"_s);
        const QChar c = m_text[m_pos];
        if (c == u'{')
            return parseObject(depth);
        if (c == u'[')
            return parseArray(depth);
        if (c == u'"') {
            const SourceLocation where = locationAt(m_pos);
            std::optional<QString> text = parseString();
            if (!text)
                return std::nullopt;
            return LocatedValue::string(*text, where);
        }
        if (c == u'-' || isDigit(c))
            return parseNumber();
        if (c == u'+')
            return fail(m_pos, u"numbers may not start with '+'"_s);
        if (c == u'.' && m_pos + 1 < m_text.size() && isDigit(m_text[m_pos + 1]))
            return fail(m_pos, u"numbers need a digit before the decimal point (0.5, not .5)"_s);
        if (isWord(u"true") || isWord(u"false")) {
            const bool value = c == u't';
            const SourceLocation where = locationAt(m_pos);
            m_pos += value ? 4 : 5;
            return LocatedValue::boolean(value, where);
        }
        if (isWord(u"null")) {
            const SourceLocation where = locationAt(m_pos);
            m_pos += 4;
            return LocatedValue::null(where);
        }
        return fail(m_pos, u"expected a value, found "_s + found(m_pos));
    }

    // The literal stands at m_pos as a whole word ("nullable" is not null).
    bool isWord(QStringView word) const
    {
        const qsizetype end = m_pos + word.size();
        return m_text.sliced(m_pos).startsWith(word)
            && (end >= m_text.size() || !isWordCharacter(m_text[end]));
    }

    std::optional<LocatedValue> parseObject(int depth)
    {
        const qsizetype open = m_pos;
        if (depth >= MaxDepth)
            return fail(open, u"nesting is deeper than %1 levels"_s.arg(MaxDepth));
        const SourceLocation where = locationAt(open);
        ++m_pos;
        std::vector<LocatedMember> members;
        QHash<QString, SourceLocation> seen;
        skipWhitespace();
        if (at(u'}')) {
            ++m_pos;
            return LocatedValue::object(std::move(members), where);
        }
        while (true) {
            if (!at(u'"')) {
                return fail(m_pos, u"expected an object key (a string in double quotes)%1, found %2"_s
                                       .arg(members.empty() ? u" or '}'"_s : u" after ','"_s,
                                            found(m_pos)));
            }
            const SourceLocation keyLocation = locationAt(m_pos);
            std::optional<QString> key = parseString();
            if (!key)
                return std::nullopt;
            if (const auto first = seen.constFind(*key); first != seen.cend()) {
                return fail(keyLocation, u"duplicate key \"%1\" (first defined at line %2, column %3)"_s
                                             .arg(*key, QString::number(first->line),
                                                  QString::number(first->column)));
            }
            seen.insert(*key, keyLocation);
            skipWhitespace();
            if (!at(u':'))
                return fail(m_pos, u"expected ':' after the object key, found "_s + found(m_pos));
            ++m_pos;
            skipWhitespace();
            std::optional<LocatedValue> value = parseValue(depth + 1);
            if (!value)
                return std::nullopt;
            members.push_back(LocatedMember{std::move(*key), keyLocation, std::move(*value)});
            skipWhitespace();
            if (at(u',')) {
                const SourceLocation comma = locationAt(m_pos);
                ++m_pos;
                skipWhitespace();
                if (at(u'}'))
                    return fail(comma, u"trailing comma is not allowed"_s);
                continue;
            }
            if (at(u'}')) {
                ++m_pos;
                return LocatedValue::object(std::move(members), where);
            }
            return fail(m_pos, u"expected ',' or '}' after an object member, found "_s
                                   + found(m_pos));
        }
    }

    std::optional<LocatedValue> parseArray(int depth)
    {
        const qsizetype open = m_pos;
        if (depth >= MaxDepth)
            return fail(open, u"nesting is deeper than %1 levels"_s.arg(MaxDepth));
        const SourceLocation where = locationAt(open);
        ++m_pos;
        std::vector<LocatedValue> elements;
        skipWhitespace();
        if (at(u']')) {
            ++m_pos;
            return LocatedValue::array(std::move(elements), where);
        }
        while (true) {
            std::optional<LocatedValue> value = parseValue(depth + 1);
            if (!value)
                return std::nullopt;
            elements.push_back(std::move(*value));
            skipWhitespace();
            if (at(u',')) {
                const SourceLocation comma = locationAt(m_pos);
                ++m_pos;
                skipWhitespace();
                if (at(u']'))
                    return fail(comma, u"trailing comma is not allowed"_s);
                continue;
            }
            if (at(u']')) {
                ++m_pos;
                return LocatedValue::array(std::move(elements), where);
            }
            return fail(m_pos, u"expected ',' or ']' after an array element, found "_s
                                   + found(m_pos));
        }
    }

    // At the opening quote; leaves m_pos after the closing one.
    std::optional<QString> parseString()
    {
        const qsizetype open = m_pos++;
        QString result;
        while (true) {
            // Copy plain runs in one go; stop at whatever needs a decision.
            const qsizetype runStart = m_pos;
            while (!atEnd()) {
                const char16_t c = m_text[m_pos].unicode();
                if (c == u'"' || c == u'\\' || c < 0x20)
                    break;
                ++m_pos;
            }
            result.append(m_text.sliced(runStart, m_pos - runStart));
            if (atEnd())
                return fail(open, u"unterminated string"_s);
            const char16_t c = m_text[m_pos].unicode();
            if (c == u'"') {
                ++m_pos;
                return result;
            }
            if (c == u'\n' || c == u'\r') {
                return fail(open, u"unterminated string (a string ends on the line it starts; "
                                  u"write \\n for a line break)"_s);
            }
            if (c == u'\t')
                return fail(m_pos, u"tab characters must be written as \\t inside a string"_s);
            if (c < 0x20) {
                return fail(m_pos, u"control character U+%1 must be written as \\u%1 inside a string"_s
                                       .arg(hex4(c)));
            }
            if (!parseEscape(open, &result))
                return std::nullopt;
        }
    }

    // At a backslash inside the string that opened at open.
    bool parseEscape(qsizetype open, QString *result)
    {
        const qsizetype backslash = m_pos++;
        if (atEnd()) {
            fail(open, u"unterminated string"_s);
            return false;
        }
        const QChar c = m_text[m_pos++];
        switch (c.unicode()) {
        case u'"': result->append(u'"'); return true;
        case u'\\': result->append(u'\\'); return true;
        case u'/': result->append(u'/'); return true;
        case u'b': result->append(u'\b'); return true;
        case u'f': result->append(u'\f'); return true;
        case u'n': result->append(u'\n'); return true;
        case u'r': result->append(u'\r'); return true;
        case u't': result->append(u'\t'); return true;
        case u'u': break;
        default: {
            const QString shown = c.unicode() > 0x20 && c.unicode() < 0x7f
                ? u"\\"_s + c : u"\\ followed by U+"_s + hex4(c.unicode());
            fail(backslash, u"invalid escape %1 (valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r "
                            u"\\t and \\uXXXX)"_s.arg(shown));
            return false;
        }
        }
        const std::optional<char16_t> unit = readHex4(m_pos);
        if (!unit) {
            fail(backslash, u"invalid escape: \\u must be followed by four hex digits"_s);
            return false;
        }
        m_pos += 4;
        if (QChar::isLowSurrogate(*unit)) {
            fail(backslash, u"unpaired surrogate \\u%1: a low surrogate must follow a high "
                            u"surrogate (\\uD800 to \\uDBFF)"_s.arg(hex4(*unit)));
            return false;
        }
        if (QChar::isHighSurrogate(*unit)) {
            const bool escapeFollows = m_pos + 1 < m_text.size() && m_text[m_pos] == u'\\'
                && m_text[m_pos + 1] == u'u';
            const std::optional<char16_t> low = escapeFollows ? readHex4(m_pos + 2) : std::nullopt;
            if (!low || !QChar::isLowSurrogate(*low)) {
                fail(backslash, u"unpaired surrogate \\u%1: a high surrogate must be followed by "
                                u"a low surrogate (\\uDC00 to \\uDFFF)"_s.arg(hex4(*unit)));
                return false;
            }
            m_pos += 6;
            result->append(QChar(*unit));
            result->append(QChar(*low));
            return true;
        }
        result->append(QChar(*unit));
        return true;
    }

    std::optional<char16_t> readHex4(qsizetype pos) const
    {
        if (pos + 4 > m_text.size())
            return std::nullopt;
        char16_t unit = 0;
        for (qsizetype i = pos; i < pos + 4; ++i) {
            const int digit = hexValue(m_text[i]);
            if (digit < 0)
                return std::nullopt;
            unit = char16_t(unit * 16 + digit);
        }
        return unit;
    }

    std::optional<LocatedValue> parseNumber()
    {
        const qsizetype start = m_pos;
        if (at(u'-')) {
            ++m_pos;
            if (atEnd() || !isDigit(m_text[m_pos]))
                return fail(m_pos, u"expected a digit after '-', found "_s + found(m_pos));
        }
        if (at(u'0')) {
            ++m_pos;
            if (!atEnd() && isDigit(m_text[m_pos]))
                return fail(start, u"numbers may not have leading zeros"_s);
        } else {
            skipDigits();
        }
        if (at(u'.')) {
            ++m_pos;
            if (atEnd() || !isDigit(m_text[m_pos]))
                return fail(m_pos, u"expected a digit after the decimal point, found "_s
                                       + found(m_pos));
            skipDigits();
        }
        if (at(u'e') || at(u'E')) {
            ++m_pos;
            if (at(u'+') || at(u'-'))
                ++m_pos;
            if (atEnd() || !isDigit(m_text[m_pos]))
                return fail(m_pos, u"expected a digit in the exponent, found "_s + found(m_pos));
            skipDigits();
        }
        const QStringView text = m_text.sliced(start, m_pos - start);
        bool ok = false;
        const double value = text.toDouble(&ok);
        // Qt reports both overflow (infinity) and underflow (zero) as failures; a number too
        // small for a double is simply zero, but one too large has no value at all.
        if (!ok && !std::isfinite(value))
            return fail(start, u"number is too large: %1"_s.arg(text.left(40)));
        return LocatedValue::number(ok ? value : 0.0, text.toString(), locationAt(start));
    }

    void skipDigits()
    {
        while (!atEnd() && isDigit(m_text[m_pos]))
            ++m_pos;
    }

    QStringView m_text;
    const QString &m_fileName;
    JsonError *m_error; // Not owned; may be null.
    qsizetype m_pos = 0;
    int m_line = 1;
    qsizetype m_lineStart = 0;
    qsizetype m_columnPos = 0; // locationAt's last answer: m_column is that position's column
    int m_column = 1;
};

// Where the first byte of an invalid UTF-8 sequence is, or -1 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF).
qsizetype firstInvalidUtf8(QByteArrayView data)
{
    const qsizetype size = data.size();
    qsizetype i = 0;
    auto continuation = [&](qsizetype at, uchar low = 0x80, uchar high = 0xbf) {
        return at < size && uchar(data[at]) >= low && uchar(data[at]) <= high;
    };
    while (i < size) {
        const uchar b = uchar(data[i]);
        qsizetype length = 0;
        if (b < 0x80)
            length = 1;
        else if (b >= 0xc2 && b <= 0xdf && continuation(i + 1))
            length = 2;
        else if (b == 0xe0 && continuation(i + 1, 0xa0) && continuation(i + 2))
            length = 3;
        else if (((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef) && continuation(i + 1)
                 && continuation(i + 2))
            length = 3;
        else if (b == 0xed && continuation(i + 1, 0x80, 0x9f) && continuation(i + 2))
            length = 3;
        else if (b == 0xf0 && continuation(i + 1, 0x90) && continuation(i + 2) && continuation(i + 3))
            length = 4;
        else if (b >= 0xf1 && b <= 0xf3 && continuation(i + 1) && continuation(i + 2)
                 && continuation(i + 3))
            length = 4;
        else if (b == 0xf4 && continuation(i + 1, 0x80, 0x8f) && continuation(i + 2)
                 && continuation(i + 3))
            length = 4;
        if (length == 0)
            return i;
        i += length;
    }
    return -1;
}

} // namespace

SourceLocation locate(QStringView text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    qsizetype lineStart = text.startsWith(QChar(ByteOrderMark)) ? 1 : 0;
    int line = 1;
    for (qsizetype i = lineStart; i < offset; ++i) {
        const QChar c = text[i];
        if (c == u'\n' || (c == u'\r' && !(i + 1 < text.size() && text[i + 1] == u'\n'))) {
            ++line;
            lineStart = i + 1;
        }
    }
    return SourceLocation{line, 1 + columnsBetween(text, qMin(lineStart, offset), offset)};
}

std::optional<LocatedValue> parse(QStringView text, const QString &fileName, JsonError *error)
{
    return Parser(text, fileName, error).parseDocument();
}

std::optional<LocatedValue> parseUtf8(QByteArrayView data, const QString &fileName,
                                      JsonError *error)
{
    if (data.startsWith("\xef\xbb\xbf"))
        data = data.sliced(3);
    const qsizetype invalid = firstInvalidUtf8(data);
    if (invalid >= 0) {
        if (error) {
            const QString before = QString::fromUtf8(data.first(invalid));
            *error = JsonError{fileName, locate(before, before.size()),
                               u"the file is not valid UTF-8 (byte 0x%1)"_s.arg(
                                   QString::number(uchar(data[invalid]), 16).toUpper())};
        }
        return std::nullopt;
    }
    return parse(QString::fromUtf8(data), fileName, error);
}

std::optional<LocatedValue> parseFile(const QString &filePath, JsonError *error)
{
    InputFileReader reader;
    const std::optional<QByteArray> data = reader.read(filePath);
    if (!data) {
        if (error)
            *error = JsonError{filePath, {}, reader.error()};
        return std::nullopt;
    }
    return parseUtf8(*data, filePath, error);
}

} // namespace wsprobe::LocatedJson
