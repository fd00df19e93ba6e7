#include "sequencecheck.h"

#include "jsontext.h"
#include "messagecountcheck.h"
#include "messageview.h"
#include "monotonicfieldcheck.h"
#include "replywithincheck.h"
#include "specreader.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

std::unique_ptr<SequenceCheck> SequenceCheck::fromJson(const QJsonValue &spec, QString *error,
                                                       const QString &path)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = SpecReader::withPath(path, message);
        return nullptr;
    };
    if (!spec.isObject())
        return fail(u"a sequence check must be an object, not %1"_s.arg(JsonText::typeName(spec)));

    SpecReader reader(spec.toObject(), path);
    const int kinds = int(reader.has(u"monotonic")) + int(reader.has(u"replyWithinMs"))
        + int(reader.has(u"count"));
    if (kinds != 1)
        return fail(u"a sequence check has exactly one of \"monotonic\", \"replyWithinMs\" and "
                    "\"count\""_s);

    std::unique_ptr<SequenceCheck> check;
    if (reader.has(u"monotonic"))
        check = MonotonicFieldCheck::fromSpec(reader);
    else if (reader.has(u"replyWithinMs"))
        check = ReplyWithinCheck::fromSpec(reader);
    else
        check = MessageCountCheck::fromSpec(reader);
    if (!check && error)
        *error = reader.error();
    return check;
}

void SequenceCheck::feed(qint64 sequence, const FrameEvent &event, qint64 messageNumber)
{
    if (m_verdict.isDecided())
        return;
    MessageView message(event, messageNumber);
    onEvent(sequence, message);
}

void SequenceCheck::feed(qint64 sequence, MessageView &message)
{
    if (!m_verdict.isDecided())
        onEvent(sequence, message);
}

void SequenceCheck::advanceTo(qint64 monotonicNs)
{
    if (!m_verdict.isDecided())
        onTime(monotonicNs);
}

void SequenceCheck::finish(qint64 monotonicNs)
{
    if (!m_verdict.isDecided())
        onFinish(monotonicNs);
}

void SequenceCheck::pass(QString expected, QString actual)
{
    m_verdict = {CheckVerdict::State::Passed, std::move(expected), std::move(actual), QString(), -1};
}

void SequenceCheck::fail(QString expected, QString actual, QString explanation, qint64 failedAt)
{
    m_verdict = {CheckVerdict::State::Failed, std::move(expected), std::move(actual),
                 std::move(explanation), failedAt};
}

} // namespace wsprobe
