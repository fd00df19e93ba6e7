#include "liveassertion.h"

#include "frameevent.h"
#include "jsoncorrelationkey.h"
#include "jsonpointer.h"
#include "matcher.h"
#include "messageview.h"
#include "monotonicfieldcheck.h"
#include "preview.h"
#include "roundtriplimit.h"
#include "roundtrippairer.h"
#include "sequencecheck.h"
#include "specreader.h"

#include <QJsonObject>

#include <QHash>

#include <deque>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// The kinds below are private to this file: nothing outside needs more than LiveAssertion's
// interface, and each is a few lines over a Matcher or a SequenceCheck.

bool isReceivedMessage(const FrameEvent &event)
{
    return event.direction == Direction::Incoming && event.isMessage();
}

// The sequence-check spec of `kind`, parsed and checked for the members a live assertion has
// no use for. The check comes back canonical, so its parts can be read from its toJson().
std::unique_ptr<SequenceCheck> liveCheck(const QJsonValue &spec, QStringView kindKey,
                                         const QString &example,
                                         std::initializer_list<QStringView> notLive, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return nullptr;
    };
    if (!spec.isObject() || !spec.toObject().contains(kindKey))
        return fail(u"this kind of assertion is written %1"_s.arg(example));
    std::unique_ptr<SequenceCheck> check = SequenceCheck::fromJson(spec, error);
    if (!check)
        return nullptr;
    for (QStringView key : notLive) {
        if (spec.toObject().contains(key)) {
            return fail(SpecReader::withPath(
                u"/"_s + key.toString(),
                u"not for a live assertion, which checks every message until its counts are "
                "reset; \"%1\" is for scenarios"_s.arg(key)));
        }
    }
    return check;
}

Matcher canonicalMatcher(const QJsonValue &spec)
{
    QString error;
    std::optional<Matcher> matcher = Matcher::fromJson(spec, &error);
    Q_ASSERT_X(matcher, "LiveAssertion", "a canonical spec no longer reads");
    return matcher ? std::move(*matcher) : Matcher();
}

// "Every message matches M" and "no message matches M", over received messages.
class MatcherAssertion final : public LiveAssertion
{
public:
    MatcherAssertion(Kind kind, Matcher matcher)
        : LiveAssertion(kind, matcher.toJson(),
                        (kind == Kind::EveryMessage ? u"every message matches "_s
                                                    : u"no message matches "_s)
                            + matcher.describe()),
          m_matcher(std::move(matcher)),
          m_noneExpected(u"no message matching "_s + m_matcher.describe()),
          m_noneExplanation(u"matches "_s + m_matcher.describe())
    {
    }

protected:
    void onEvent(qint64 sequence, MessageView &message) override
    {
        if (!isReceivedMessage(message.event()))
            return;
        recordSeen();
        MatchResult result = m_matcher.match(message);
        if (kind() == Kind::EveryMessage) {
            if (result.matched)
                recordPass();
            else
                recordFailure({sequence, std::move(result.expected), std::move(result.actual),
                               std::move(result.explanation)});
        } else if (result.matched) {
            recordFailure({sequence, m_noneExpected, std::move(result.actual), m_noneExplanation});
        } else {
            recordPass();
        }
    }
    void onReset() override {}

private:
    Matcher m_matcher;
    QString m_noneExpected;
    QString m_noneExplanation;
};

// A number in the received messages goes up. Each message is checked against the one before,
// by a MonotonicFieldCheck; after a failure the failing value is the new base, so one bad value
// counts as one failure and not as a failure of every message after it.
class MonotonicAssertion final : public LiveAssertion
{
public:
    MonotonicAssertion(const SequenceCheck &check, JsonPointer field, std::optional<double> step,
                       std::optional<Matcher> where)
        : LiveAssertion(Kind::Monotonic, check.toJson(), check.describe()),
          m_check(std::move(field), 0, step), m_where(std::move(where))
    {
    }

protected:
    void onEvent(qint64 sequence, MessageView &message) override
    {
        // `where` is applied here, not by the check, to know which messages were counted.
        if (!isReceivedMessage(message.event()) || (m_where && !m_where->match(message).matched))
            return;
        recordSeen();
        m_check.feed(sequence, message);
        const CheckVerdict &verdict = m_check.verdict();
        if (verdict.state != CheckVerdict::State::Failed) {
            recordPass();
            return;
        }
        recordFailure({sequence, verdict.expected, verdict.actual, verdict.explanation});
        m_check.reset();
        m_check.feed(sequence, message);
        if (m_check.verdict().isDecided())  // not a number: no base to go on from
            m_check.reset();
    }
    void onReset() override { m_check.reset(); }

private:
    MonotonicFieldCheck m_check;  // fed until finish(), so it never passes; it only fails
    std::optional<Matcher> m_where;
};

// Each sent message gets a reply within a time limit, counted per sent message. Pairs replies
// with sent messages as ReplyWithinCheck does (the next matching received message answers the
// oldest waiting one), but goes on after a failure: a message past its deadline is counted as
// failed at once and stays in line, so that its late reply still answers it and not the next.
class ReplyAssertion final : public LiveAssertion
{
public:
    // Messages past their deadline kept for their late replies, at most; older ones are taken
    // to have gone unanswered, so a server that never answers does not make the queue grow.
    static constexpr qsizetype MaxOverdue = 1024;

    ReplyAssertion(const SequenceCheck &check, qint64 limitMs, Matcher reply,
                   std::optional<Matcher> to)
        : LiveAssertion(Kind::ReplyWithin, check.toJson(), check.describe()),
          m_limitMs(limitMs), m_limitNs(limitMs * 1'000'000), m_reply(std::move(reply)),
          m_to(std::move(to)),
          m_expected(u"a reply (%1) within %2 ms"_s.arg(m_reply.describe()).arg(limitMs))
    {
    }

    Status status() const override
    {
        if (checked() == 0 && awaiting() > 0)
            return Status::Waiting;
        return LiveAssertion::status();
    }

    QString progress() const override
    {
        const qsizetype count = awaiting();
        if (count == 0)
            return {};
        return count == 1 ? u"1 awaiting a reply"_s : u"%1 awaiting replies"_s.arg(count);
    }

    void advanceTo(qint64 monotonicNs) override
    {
        while (m_overdue < qsizetype(m_waiting.size())
               && monotonicNs - m_waiting[std::size_t(m_overdue)].sentNs > m_limitNs) {
            const Waiting &late = m_waiting[std::size_t(m_overdue)];
            ++m_overdue;
            recordSeen();
            recordFailure({late.sequence, m_expected, u"no reply within %1 ms"_s.arg(m_limitMs),
                           u"%1 got no reply within %2 ms"_s.arg(Preview::messageName(late.messageNumber, late.sequence))
                               .arg(m_limitMs)});
        }
        while (m_overdue > MaxOverdue) {
            m_waiting.pop_front();
            --m_overdue;
        }
    }

    std::optional<qint64> nextDeadlineNs() const override
    {
        if (m_overdue == qsizetype(m_waiting.size()))
            return std::nullopt;
        return m_waiting[std::size_t(m_overdue)].sentNs + m_limitNs + 1;
    }

protected:
    void onEvent(qint64 sequence, MessageView &message) override
    {
        const FrameEvent &event = message.event();
        // A reply first: a late one is reported as late, with its delay, rather than as missing.
        if (event.direction == Direction::Incoming && !m_waiting.empty()
            && m_reply.match(message).matched) {
            answer(sequence, message.messageNumber(), event.monotonicNs);
        }
        advanceTo(event.monotonicNs);
        if (event.direction == Direction::Outgoing && event.isMessage()
            && (!m_to || m_to->match(message).matched)) {
            m_waiting.push_back({sequence, message.messageNumber(), event.monotonicNs});
            touch();
        }
    }

    void onReset() override
    {
        m_waiting.clear();
        m_overdue = 0;
    }

private:
    struct Waiting
    {
        qint64 sequence;
        qint64 messageNumber;
        qint64 sentNs;
    };

    qsizetype awaiting() const { return qsizetype(m_waiting.size()) - m_overdue; }

    void answer(qint64 sequence, qint64 messageNumber, qint64 receivedNs)
    {
        const Waiting oldest = m_waiting.front();
        m_waiting.pop_front();
        if (m_overdue > 0) {  // counted as failed at its deadline already
            --m_overdue;
            touch();
            return;
        }
        recordSeen();
        const qint64 latencyNs = receivedNs - oldest.sentNs;
        if (latencyNs <= m_limitNs) {
            recordPass();
            return;
        }
        recordFailure({oldest.sequence, m_expected,
                       u"reply in %1 after %2"_s.arg(Preview::messageName(messageNumber, sequence),
                                                     Preview::duration(latencyNs)),
                       u"%1 got its reply %2 late"_s.arg(Preview::messageName(oldest.messageNumber, oldest.sequence),
                                                         Preview::duration(latencyNs - m_limitNs))});
    }

    qint64 m_limitMs;
    qint64 m_limitNs;
    Matcher m_reply;
    std::optional<Matcher> m_to;
    QString m_expected;

    std::deque<Waiting> m_waiting;  // in the order sent
    qsizetype m_overdue = 0;        // the first m_overdue of m_waiting are past their deadline
};

// How many received events a matcher matches: a running count, passing while it is within the
// bounds, waiting while it is below the lower one, failing at each event over the upper one.
class CountAssertion final : public LiveAssertion
{
public:
    CountAssertion(const SequenceCheck &check, Matcher matcher, std::optional<qint64> atLeast,
                   std::optional<qint64> atMost)
        : LiveAssertion(Kind::Count, check.toJson(), check.describe()),
          m_matcher(std::move(matcher)), m_atLeast(atLeast), m_atMost(atMost)
    {
        if (m_atLeast && m_atMost && *m_atLeast == *m_atMost)
            m_bounds = u"exactly %1"_s.arg(*m_atLeast);
        else if (m_atLeast && m_atMost)
            m_bounds = u"%1 to %2"_s.arg(*m_atLeast).arg(*m_atMost);
        else if (m_atLeast)
            m_bounds = u"at least %1"_s.arg(*m_atLeast);
        else
            m_bounds = u"at most %1"_s.arg(*m_atMost);
        m_expected = m_bounds + u" matching "_s + m_matcher.describe();
    }

    Status status() const override
    {
        if (failed() == 0 && checked() > 0 && m_atLeast && m_count < *m_atLeast)
            return Status::Waiting;
        return LiveAssertion::status();
    }

    QString progress() const override
    {
        return u"%1 of %2"_s.arg(m_count).arg(m_bounds);
    }

protected:
    void onEvent(qint64 sequence, MessageView &message) override
    {
        if (message.event().direction != Direction::Incoming)
            return;
        recordSeen();
        if (!m_matcher.match(message).matched)
            return;
        ++m_count;
        if (m_atMost && m_count > *m_atMost) {
            recordFailure({sequence, m_expected, Preview::messages(m_count),
                           u"%1 is match number %2, over the limit of %3"_s
                               .arg(Preview::eventName(message.event(), message.messageNumber(), sequence))
                               .arg(m_count)
                               .arg(*m_atMost)});
            return;
        }
        recordPass();
    }
    void onReset() override { m_count = 0; }

private:
    Matcher m_matcher;
    std::optional<qint64> m_atLeast;
    std::optional<qint64> m_atMost;
    QString m_bounds;    // "at least 5"
    QString m_expected;  // "at least 5 matching any message"
    qint64 m_count = 0;
};

// A round-trip percentile over the latest pairs stays under a limit: each sent message is paired
// with its answer (by a correlation id, or the next message), and every new pair, once there are
// `over` of them (or one, without `over`), is judged with the pairs before it: passed or failed,
// pinned on the answer that made the pair. Same meaning and texts as the scenario step.
class RoundTripAssertion final : public LiveAssertion
{
public:
    RoundTripAssertion(QJsonValue spec, RoundTripLimit limit,
                       std::unique_ptr<const CorrelationKey> key)
        : LiveAssertion(Kind::RoundTrip, std::move(spec), describeOf(limit, key.get())),
          m_limit(std::move(limit)), m_key(std::move(key)), m_pairer(m_key != nullptr),
          m_kept(m_limit.over() > 0 ? m_limit.over() : RoundTripLimit::MaxOver)
    {
    }

    static QString describeOf(const RoundTripLimit &limit, const CorrelationKey *key)
    {
        return limit.describe()
            + (key ? u", paired by "_s + key->toString() : u", paired with the next message"_s);
    }

    Status status() const override
    {
        if (checked() == 0 && !m_pairs.empty())
            return Status::Waiting;
        return LiveAssertion::status();
    }

    QString progress() const override
    {
        const qsizetype pairs = qsizetype(m_pairs.size());
        if (pairs < m_limit.pairsNeeded())
            return u"%1 of %2 pairs"_s.arg(pairs).arg(m_limit.pairsNeeded());
        return m_lastActual;
    }

protected:
    void onEvent(qint64 sequence, MessageView &message) override
    {
        const FrameEvent &event = message.event();
        if (!event.isMessage())
            return;
        const std::optional<QString> key = m_key ? m_key->keyOf(event) : std::nullopt;
        if (event.direction == Direction::Outgoing) {
            m_numbers.insert(sequence, message.messageNumber());
            m_pairer.sent(sequence, event.monotonicNs, key);
            return;
        }
        if (event.direction != Direction::Incoming)
            return;
        const std::optional<RoundTripPair> pair = m_pairer.received(sequence, event.monotonicNs, key);
        if (!pair)
            return;
        m_numbers.insert(sequence, message.messageNumber());
        m_pairs.push_back(*pair);
        while (qsizetype(m_pairs.size()) > m_kept) {
            m_numbers.remove(m_pairs.front().sentSequence);
            m_numbers.remove(m_pairs.front().receivedSequence);
            m_pairs.pop_front();
        }
        touch();
        const RoundTripLimit::Verdict verdict = m_limit.evaluate(m_pairs, [this](qint64 seq) {
            return Preview::messageName(m_numbers.value(seq), seq);
        });
        if (!verdict.decided)
            return;
        m_lastActual = verdict.actual;
        recordSeen();
        if (verdict.passed)
            recordPass();
        else
            recordFailure({sequence, verdict.expected, verdict.actual, verdict.explanation});
    }

    void onReset() override
    {
        m_pairer.clear();
        m_pairs.clear();
        m_numbers.clear();
        m_lastActual.clear();
    }

private:
    RoundTripLimit m_limit;
    std::unique_ptr<const CorrelationKey> m_key;  // Owned. Null: the next message answers.
    RoundTripPairer m_pairer;
    qsizetype m_kept;
    std::deque<RoundTripPair> m_pairs;
    // Message numbers of the sent messages waiting and of the pairs kept. A sent message that is
    // never answered stays here; the pairer bounds how many wait.
    QHash<qint64, qint64> m_numbers;
    QString m_lastActual;
};

} // namespace

std::unique_ptr<LiveAssertion> LiveAssertion::create(Kind kind, const QJsonValue &spec,
                                                     QString *error)
{
    switch (kind) {
    case Kind::EveryMessage:
    case Kind::NoMessage: {
        // A sequence check's spec under a matcher kind: name the kind it belongs to.
        for (Kind other : {Kind::Monotonic, Kind::ReplyWithin, Kind::Count}) {
            const QString key = other == Kind::ReplyWithin ? u"replyWithinMs"_s : kindKey(other);
            if (spec.isObject() && spec.toObject().contains(key)) {
                if (error)
                    *error = u"\"%1\" makes a \"%2\" assertion, not a matcher: choose that kind"_s
                                 .arg(key, kindName(other));
                return nullptr;
            }
        }
        std::optional<Matcher> matcher = Matcher::fromJson(spec, error);
        if (!matcher)
            return nullptr;
        return std::make_unique<MatcherAssertion>(kind, std::move(*matcher));
    }
    case Kind::Monotonic: {
        const std::unique_ptr<SequenceCheck> check =
            liveCheck(spec, u"monotonic", u"{\"monotonic\": \"/seq\"}, with \"step\" and "
                                          "\"where\" when needed"_s,
                      {u"messages"}, error);
        if (!check)
            return nullptr;
        const QJsonObject canonical = check->toJson();
        std::optional<JsonPointer> field =
            JsonPointer::parse(canonical.value(u"monotonic").toString(), error);
        if (!field)
            return nullptr;
        std::optional<double> step;
        if (canonical.contains(u"step"))
            step = canonical.value(u"step").toDouble();
        std::optional<Matcher> where;
        if (canonical.contains(u"where"))
            where = canonicalMatcher(canonical.value(u"where"));
        return std::make_unique<MonotonicAssertion>(*check, std::move(*field), step,
                                                    std::move(where));
    }
    case Kind::ReplyWithin: {
        const std::unique_ptr<SequenceCheck> check =
            liveCheck(spec, u"replyWithinMs", u"{\"replyWithinMs\": 200}, with \"reply\" and "
                                              "\"to\" when needed"_s,
                      {u"messages"}, error);
        if (!check)
            return nullptr;
        const QJsonObject canonical = check->toJson();
        std::optional<Matcher> to;
        if (canonical.contains(u"to"))
            to = canonicalMatcher(canonical.value(u"to"));
        return std::make_unique<ReplyAssertion>(
            *check, canonical.value(u"replyWithinMs").toInteger(),
            canonicalMatcher(canonical.value(u"reply")), std::move(to));
    }
    case Kind::Count: {
        const std::unique_ptr<SequenceCheck> check = liveCheck(
            spec, u"count", u"{\"count\": <matcher>, \"atLeast\": 1} (or \"exactly\", \"atMost\")"_s,
            {u"withinMs"}, error);
        if (!check)
            return nullptr;
        const QJsonObject canonical = check->toJson();
        std::optional<qint64> atLeast;
        std::optional<qint64> atMost;
        if (canonical.contains(u"exactly"))
            atLeast = atMost = canonical.value(u"exactly").toInteger();
        if (canonical.contains(u"atLeast"))
            atLeast = canonical.value(u"atLeast").toInteger();
        if (canonical.contains(u"atMost"))
            atMost = canonical.value(u"atMost").toInteger();
        return std::make_unique<CountAssertion>(*check, canonicalMatcher(canonical.value(u"count")),
                                                atLeast, atMost);
    }
    case Kind::RoundTrip: {
        if (!spec.isObject()) {
            if (error)
                *error = u"this kind of assertion is written {\"p95\": 200, \"over\": 100}, with "
                         "\"correlate\": \"/id\" when answers carry the id of their message"_s;
            return nullptr;
        }
        const QJsonObject object = spec.toObject();
        std::optional<RoundTripLimit> limit = RoundTripLimit::fromJson(object, error, {u"correlate"_s});
        if (!limit)
            return nullptr;
        QJsonObject canonical = limit->toJson();
        std::unique_ptr<const CorrelationKey> key;
        if (object.contains(u"correlate")) {
            QString problem;
            key = JsonCorrelationKey::fromSetting(object.value(u"correlate").toString(), &problem);
            if (!object.value(u"correlate").isString() || !problem.isEmpty()) {
                if (error)
                    *error = u"/correlate: "_s + (problem.isEmpty() ? u"expected a JSON Pointer such as \"/id\""_s : problem);
                return nullptr;
            }
            if (key)
                canonical.insert(u"correlate", key->toString());
        }
        return std::make_unique<RoundTripAssertion>(canonical, std::move(*limit), std::move(key));
    }
    }
    return nullptr;
}

std::unique_ptr<LiveAssertion> LiveAssertion::fromJson(const QJsonValue &json, QString *error)
{
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return nullptr;
    };
    if (!json.isObject())
        return fail(u"an assertion is an object: {\"kind\": \"everyMessage\", \"spec\": {...}}"_s);
    const QJsonObject object = json.toObject();
    const std::optional<Kind> kind = kindFromKey(object.value(u"kind").toString());
    if (!kind) {
        return fail(u"/kind: must be one of \"everyMessage\", \"noMessage\", \"monotonic\", "
                    "\"replyWithin\", \"count\" and \"roundTrip\""_s);
    }
    QString specError;
    std::unique_ptr<LiveAssertion> assertion = create(*kind, object.value(u"spec"), &specError);
    if (!assertion)
        return fail(specError.startsWith(u'/') ? u"/spec"_s + specError : u"/spec: "_s + specError);
    return assertion;
}

QString LiveAssertion::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::EveryMessage: return u"everyMessage"_s;
    case Kind::NoMessage: return u"noMessage"_s;
    case Kind::Monotonic: return u"monotonic"_s;
    case Kind::ReplyWithin: return u"replyWithin"_s;
    case Kind::Count: return u"count"_s;
    case Kind::RoundTrip: return u"roundTrip"_s;
    }
    return {};
}

std::optional<LiveAssertion::Kind> LiveAssertion::kindFromKey(QStringView key)
{
    for (int i = 0; i < KindCount; ++i) {
        if (kindKey(Kind(i)) == key)
            return Kind(i);
    }
    return std::nullopt;
}

QString LiveAssertion::kindName(Kind kind)
{
    switch (kind) {
    case Kind::EveryMessage: return u"Every message matches"_s;
    case Kind::NoMessage: return u"No message matches"_s;
    case Kind::Monotonic: return u"Field increases"_s;
    case Kind::ReplyWithin: return u"Reply within"_s;
    case Kind::Count: return u"Count of messages"_s;
    case Kind::RoundTrip: return u"Round trips under"_s;
    }
    return {};
}

LiveAssertion::LiveAssertion(Kind kind, QJsonValue spec, QString description)
    : m_kind(kind), m_spec(std::move(spec)), m_description(std::move(description))
{
}

LiveAssertion::~LiveAssertion() = default;

QJsonObject LiveAssertion::toJson() const
{
    return {{u"kind"_s, kindKey(m_kind)}, {u"spec"_s, m_spec}};
}

LiveAssertion::Status LiveAssertion::status() const
{
    if (m_failed > 0)
        return Status::Failing;
    if (m_checked == 0)
        return Status::NotChecked;
    return Status::Passing;
}

void LiveAssertion::feed(qint64 sequence, MessageView &message)
{
    onEvent(sequence, message);
}

void LiveAssertion::reset()
{
    onReset();
    m_checked = m_passed = m_failed = 0;
    m_firstFailure.reset();
    m_lastFailure.reset();
    ++m_revision;
}

void LiveAssertion::recordFailure(LiveFailure failure)
{
    ++m_failed;
    ++m_revision;
    if (!m_firstFailure)
        m_firstFailure = failure;
    m_lastFailure = std::move(failure);
}

} // namespace wsprobe
