#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>

namespace wsprobe {

class MessageView;

// The frame a live assertion failed on, and what was wrong with it.
struct LiveFailure
{
    qint64 sequence = -1;  // FrameLog sequence number of the frame the failure is pinned on
    QString expected;
    QString actual;
    QString explanation;

    friend bool operator==(const LiveFailure &, const LiveFailure &) = default;
};

// One assertion of the run-assertions panel: runs on every event of a live session as it is
// logged and counts the events that passed and failed, where a scenario's check would stop at
// the first failure. Fed by LiveAssertions; the kinds and their specs are in docs/matchers.md.
class LiveAssertion
{
public:
    enum class Kind {
        EveryMessage,  // every received message matches a Matcher
        NoMessage,     // no received message matches a Matcher
        Monotonic,     // a number in the received messages goes up ({"monotonic": ...})
        ReplyWithin,   // each sent message gets a reply in time ({"replyWithinMs": ...})
        Count,         // how many received events match ({"count": ..., "atLeast": ...})
        RoundTrip,     // a round-trip percentile stays under a limit ({"p95": 200, "over": 100})
    };
    static constexpr int KindCount = 6;

    enum class Status {
        NotChecked,  // nothing to check has arrived yet
        Waiting,     // checked, but not satisfied yet: too few counted, replies awaited
        Passing,
        Failing,
    };

    // Null, with *error saying what and where (as Matcher::fromJson does), when spec is not an
    // assertion of that kind. EveryMessage and NoMessage take a matcher; the others the
    // sequence check of the same name, without "messages" and "withinMs": a live assertion runs
    // until its counts are reset.
    static std::unique_ptr<LiveAssertion> create(Kind kind, const QJsonValue &spec, QString *error);
    // {"kind": "everyMessage", "spec": <spec>}: what toJson() writes.
    static std::unique_ptr<LiveAssertion> fromJson(const QJsonValue &json, QString *error);

    static QString kindKey(Kind kind);  // "everyMessage", for files
    static std::optional<Kind> kindFromKey(QStringView key);
    static QString kindName(Kind kind);  // "Every message matches", for people

    virtual ~LiveAssertion();
    LiveAssertion(const LiveAssertion &) = delete;
    LiveAssertion &operator=(const LiveAssertion &) = delete;

    Kind kind() const { return m_kind; }
    // Canonical: create(kind(), spec()) builds the same assertion.
    const QJsonValue &spec() const { return m_spec; }
    QJsonObject toJson() const;
    // One line for the UI: `every message matches json schema {"type":"object"}`.
    const QString &describe() const { return m_description; }

    // Events (or sent messages) this assertion has looked at.
    qint64 checked() const { return m_checked; }
    qint64 passed() const { return m_passed; }
    qint64 failed() const { return m_failed; }
    const std::optional<LiveFailure> &firstFailure() const { return m_firstFailure; }
    const std::optional<LiveFailure> &lastFailure() const { return m_lastFailure; }
    virtual Status status() const;
    // What the counts alone do not say, e.g. "3 of at least 5", "2 awaiting a reply"; may be empty.
    virtual QString progress() const { return {}; }
    // Goes up whenever a count, a failure or the progress changes: lets a reader tell cheaply
    // whether there is anything new to show.
    quint64 revision() const { return m_revision; }

    // The next event of the session, in log order. Cheap: a few comparisons and the matchers.
    void feed(qint64 sequence, MessageView &message);
    // The clock (FrameEvent::monotonicNs's) moved on without an event: deadlines due by then
    // are decided.
    virtual void advanceTo(qint64 monotonicNs) { Q_UNUSED(monotonicNs); }
    // When advanceTo() will next have something to decide; nullopt when nothing waits.
    virtual std::optional<qint64> nextDeadlineNs() const { return std::nullopt; }
    // Counts, failures and what is waiting, all forgotten.
    void reset();

protected:
    LiveAssertion(Kind kind, QJsonValue spec, QString description);

    virtual void onEvent(qint64 sequence, MessageView &message) = 0;
    virtual void onReset() = 0;

    void recordSeen() { ++m_checked; ++m_revision; }
    void recordPass() { ++m_passed; ++m_revision; }
    void recordFailure(LiveFailure failure);
    void touch() { ++m_revision; }

private:
    Kind m_kind;
    QJsonValue m_spec;
    QString m_description;

    qint64 m_checked = 0;
    qint64 m_passed = 0;
    qint64 m_failed = 0;
    std::optional<LiveFailure> m_firstFailure;
    std::optional<LiveFailure> m_lastFailure;
    quint64 m_revision = 0;
};

} // namespace wsprobe
