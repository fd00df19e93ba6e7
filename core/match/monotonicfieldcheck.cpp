#include "monotonicfieldcheck.h"

#include "frameevent.h"
#include "jsoncompare.h"
#include "jsontext.h"
#include "messageview.h"
#include "preview.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString number(double value)
{
    return JsonText::compact(QJsonValue(value));
}

QString signedNumber(double value)
{
    return (value >= 0 ? u"+"_s : QString()) + number(value);
}

// b - a with its sign, exact for integers.
QString signedDifference(const QJsonValue &a, const QJsonValue &b)
{
    qint64 difference = 0;
    const bool integers = a.toInteger(0) == a.toInteger(1) && b.toInteger(0) == b.toInteger(1);
    if (integers && !qSubOverflow(b.toInteger(), a.toInteger(), &difference))
        return (difference >= 0 ? u"+"_s : QString()) + QString::number(difference);
    return signedNumber(b.toDouble() - a.toDouble());
}

} // namespace

MonotonicFieldCheck::MonotonicFieldCheck(JsonPointer field, qint64 messages,
                                         std::optional<double> step, std::optional<Matcher> where)
    : m_field(std::move(field)), m_messages(messages), m_step(step), m_where(std::move(where)),
      m_shownField(m_field.isRoot() ? u"(the message)"_s : m_field.toString())
{
}

std::unique_ptr<SequenceCheck> MonotonicFieldCheck::fromSpec(SpecReader &reader)
{
    if (!reader.allowOnly(u"monotonic", {u"monotonic", u"step", u"messages", u"where"}))
        return nullptr;
    const std::optional<QString> text = reader.string(u"monotonic");
    if (!text)
        return nullptr;
    QString error;
    std::optional<JsonPointer> field = JsonPointer::parse(*text, &error);
    if (!field) {
        reader.fail(u"monotonic", error);
        return nullptr;
    }
    std::optional<double> step;
    if (reader.has(u"step")) {
        step = reader.number(u"step");
        if (!step)
            return nullptr;
        if (*step == 0) {
            reader.fail(u"step", u"must not be 0"_s);
            return nullptr;
        }
    }
    qint64 messages = 0;
    if (reader.has(u"messages")) {
        const std::optional<qint64> count = reader.integer(u"messages", 1);
        if (!count)
            return nullptr;
        messages = *count;
    }
    std::optional<Matcher> where;
    if (reader.has(u"where")) {
        where = Matcher::fromJson(reader.value(u"where"), &error, reader.pathOf(u"where"));
        if (!where) {
            reader.adoptError(error);
            return nullptr;
        }
    }
    return std::make_unique<MonotonicFieldCheck>(std::move(*field), messages, step, std::move(where));
}

QJsonObject MonotonicFieldCheck::toJson() const
{
    QJsonObject spec{{u"monotonic"_s, m_field.toString()}};
    if (m_step)
        spec.insert(u"step", *m_step);
    if (m_messages > 0)
        spec.insert(u"messages", m_messages);
    if (m_where)
        spec.insert(u"where", m_where->toJson());
    return spec;
}

QString MonotonicFieldCheck::expected() const
{
    QString text = m_shownField;
    if (!m_step)
        text += u" strictly increasing"_s;
    else if (*m_step > 0)
        text += u" going up by "_s + number(*m_step) + u" each time"_s;
    else
        text += u" going down by "_s + number(-*m_step) + u" each time"_s;
    if (m_messages > 0)
        text += u" over "_s + Preview::messages(m_messages);
    return text;
}

QString MonotonicFieldCheck::describe() const
{
    QString text = u"monotonic "_s + expected();
    if (m_where)
        text += u" where "_s + m_where->describe();
    return text;
}

QString MonotonicFieldCheck::seen() const
{
    if (m_count == 0)
        return u"no message"_s;
    return u"%1, %2 from %3 to %4"_s.arg(Preview::messages(m_count), m_shownField,
                                        JsonText::compact(m_first), JsonText::compact(m_last));
}

void MonotonicFieldCheck::reset()
{
    resetVerdict();
    m_count = 0;
    m_first = m_last = QJsonValue();
}

void MonotonicFieldCheck::onEvent(qint64 sequence, MessageView &view)
{
    const FrameEvent &event = view.event();
    if (event.direction != Direction::Incoming || !event.isMessage())
        return;
    if (m_where && !m_where->match(view).matched)
        return;

    const QString wantNumber = u"a number at "_s + m_shownField;
    const QJsonValue *json = view.json();
    if (!json) {
        fail(wantNumber, view.jsonPreview(), u"not JSON: "_s + view.jsonError(), sequence);
        return;
    }
    QString why;
    const std::optional<QJsonValue> found = m_field.resolve(*json, &why);
    if (!found) {
        fail(wantNumber, m_shownField + u" absent"_s, why, sequence);
        return;
    }
    const QString actual = m_shownField + u" = "_s + JsonText::compactPreview(*found, 80);
    if (!found->isDouble()) {
        fail(wantNumber, actual,
             u"%1 is %2, not a number"_s.arg(m_shownField, JsonText::typeName(*found)), sequence);
        return;
    }

    if (m_count > 0) {
        // Compared as JSON numbers: integers past 2^53 (ids, nanosecond times) stay exact.
        if (m_step && !JsonCompare::isStepAfter(m_last, *found, *m_step)) {
            fail(m_shownField + u" = "_s + JsonText::compact(JsonCompare::plus(m_last, *m_step)),
                 actual,
                 u"expected %1 after %2, got %3"_s.arg(signedNumber(*m_step),
                                                       JsonText::compact(m_last),
                                                       signedDifference(m_last, *found)),
                 sequence);
            return;
        }
        if (!m_step && JsonCompare::compareNumbers(*found, m_last) <= 0) {
            fail(m_shownField + u" > "_s + JsonText::compact(m_last), actual,
                 u"not increasing: %1 after %2"_s.arg(JsonText::compact(*found),
                                                      JsonText::compact(m_last)),
                 sequence);
            return;
        }
    } else {
        m_first = *found;
    }
    m_last = *found;
    ++m_count;
    if (m_messages > 0 && m_count == m_messages)
        pass(expected(), seen());
}

void MonotonicFieldCheck::onFinish(qint64 monotonicNs)
{
    Q_UNUSED(monotonicNs);
    if (m_count == 0) {
        fail(expected(), seen(), u"no message to check arrived"_s);
        return;
    }
    if (m_messages > 0 && m_count < m_messages) {
        fail(expected(), seen(),
             u"only %1 of %2 arrived"_s.arg(m_count).arg(Preview::messages(m_messages)));
        return;
    }
    pass(expected(), seen());
}

} // namespace wsprobe
