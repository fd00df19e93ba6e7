#include "binaryrule.h"

#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

int hexValue(QChar c)
{
    if (c >= u'0' && c <= u'9')
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

std::optional<QByteArray> fromHex(const QString &text, QString *error)
{
    QByteArray bytes;
    bytes.reserve(text.size() / 2);
    int high = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isSpace())
            continue;
        const int value = hexValue(c);
        if (value < 0) {
            *error = u"invalid hex digit \"%1\" at offset %2"_s.arg(c).arg(i);
            return std::nullopt;
        }
        if (high < 0) {
            high = value;
        } else {
            bytes.append(char(high << 4 | value));
            high = -1;
        }
    }
    if (high >= 0) {
        *error = u"odd number of hex digits: the last byte is incomplete"_s;
        return std::nullopt;
    }
    return bytes;
}

std::optional<QByteArray> fromBase64(const QString &text, QString *error)
{
    QByteArray compact;
    for (QChar c : text) {
        if (!c.isSpace())
            compact.append(char(c.unicode() < 0x80 ? c.unicode() : '!'));
    }
    const QByteArray::FromBase64Result result =
        QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!result) {
        *error = u"not valid base64"_s;
        return std::nullopt;
    }
    return *result;
}

qsizetype firstDifference(QByteArrayView a, QByteArrayView b)
{
    const qsizetype n = qMin(a.size(), b.size());
    qsizetype i = 0;
    while (i < n && a[i] == b[i])
        ++i;
    return i;
}

QString keyword(MatchKind kind)
{
    return kind == MatchKind::BinaryBase64 ? u"binaryBase64"_s : u"binary"_s;
}

} // namespace

BinaryRule::BinaryRule(MatchKind kind, QByteArray bytes)
    : m_kind(kind), m_bytes(std::move(bytes)), m_expected(shown(m_bytes))
{
}

QString BinaryRule::shown(QByteArrayView data) const
{
    if (m_kind == MatchKind::BinaryBase64)
        return Preview::base64(data);
    return Preview::hex(data);
}

std::shared_ptr<const MatchRule> BinaryRule::fromSpec(MatchKind kind, SpecReader &reader)
{
    const QString key = keyword(kind);
    if (!reader.allowOnly(key, {key}))
        return nullptr;
    const std::optional<QString> text = reader.string(key);
    if (!text)
        return nullptr;
    QString error;
    std::optional<QByteArray> bytes =
        kind == MatchKind::BinaryBase64 ? fromBase64(*text, &error) : fromHex(*text, &error);
    if (!bytes) {
        reader.fail(key, error);
        return nullptr;
    }
    return std::shared_ptr<const MatchRule>(new BinaryRule(kind, std::move(*bytes)));
}

MatchResult BinaryRule::match(MessageView &message) const
{
    const FrameEvent &event = message.event();
    if (event.kind != EventKind::Binary)
        return MatchResult::fail(m_expected, Preview::event(event), u"not a binary message"_s);
    const QString actual = shown(event.data);
    if (event.data == m_bytes)
        return MatchResult::pass(m_expected, actual);
    QString explanation =
        u"first difference at offset %1"_s.arg(firstDifference(event.data, m_bytes));
    if (event.data.size() != m_bytes.size())
        explanation += u"; expected %1, got %2"_s.arg(Preview::bytes(m_bytes.size()),
                                                      Preview::bytes(event.data.size()));
    return MatchResult::fail(m_expected, actual, explanation);
}

QJsonObject BinaryRule::toJson() const
{
    const QByteArray text = m_kind == MatchKind::BinaryBase64 ? m_bytes.toBase64() : m_bytes.toHex(' ');
    return {{keyword(m_kind), QString::fromLatin1(text)}};
}

QString BinaryRule::describe() const
{
    const QString text = m_kind == MatchKind::BinaryBase64 ? Preview::base64(m_bytes, 80)
                                                           : Preview::hex(m_bytes, 24);
    return (m_kind == MatchKind::BinaryBase64 ? u"binary base64 "_s : u"binary equals "_s) + text;
}

bool BinaryRule::equals(const MatchRule &other) const
{
    return m_bytes == static_cast<const BinaryRule &>(other).m_bytes;
}

} // namespace wsprobe
