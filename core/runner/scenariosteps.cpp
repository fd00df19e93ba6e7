// ScenarioRunner's step kinds: what connect, send, expect, close and the others do, each
// installing the check that ends it. The run itself (order, timeouts, verdicts) is in
// scenariorunner.cpp.
#include "scenariorunner.h"
#include "scenariorunner_p.h"

#include "closecodes.h"
#include "framelog.h"
#include "jsoncompare.h"
#include "jsonpointer.h"
#include "jsontext.h"
#include "mockserver.h"
#include "preview.h"
#include "session.h"
#include "variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wsprobe {

using namespace runner;

void ScenarioRunner::stepConnect(const Step &step)
{
    QStringList unresolved;
    QList<Client *> targets;
    for (const QString &name : step.clients) {
        Client *c = client(name);
        c->session->setSettings(settingsFor(*c->spec, &unresolved));
        targets.append(c);
    }
    if (!unresolved.isEmpty()) {
        failStep(undefinedVariables(unresolved));
        return;
    }
    for (Client *c : targets) {
        c->inbox.clear();
        c->consumed.clear();
        c->session->open();
    }
    m_timeoutMessage = u"Not all connections opened within %1 ms"_s.arg(timeoutFor(step));
    m_stepTimer.start(timeoutFor(step));
    waitFor([this, &step, targets] {
        for (Client *c : targets) {
            const SessionState state = c->session->state();
            if (state == SessionState::Closed || state == SessionState::WaitingToReconnect) {
                const FrameLog *log = c->session->log();
                // The cause, not what followed it: a refused upgrade or a timeout before the
                // TCP end it leads to.
                QString why = u"the connection ended"_s;
                QString cause;
                for (qint64 seq = log->endSequence() - 1; seq >= log->firstSequence(); --seq) {
                    const FrameEvent &event = log->at(seq);
                    if (event.kind == EventKind::Handshake && event.direction == Direction::Outgoing)
                        break;  // this attempt's errors only
                    if (event.kind != EventKind::Error)
                        continue;
                    if (why == u"the connection ended"_s)
                        why = event.text;
                    if (event.error == ErrorKind::HandshakeRejected || event.error == ErrorKind::Timeout)
                        cause = event.text;
                }
                if (!cause.isEmpty())
                    why = cause;
                failStep(u"Client \"%1\" could not connect: %2"_s.arg(c->name, why),
                         u"open"_s, displayName(state));
                return true;
            }
            if (state != SessionState::Open)
                return false;
        }
        if (step.subprotocol) {
            for (Client *c : targets) {
                const QString chosen = c->session->negotiatedSubprotocol();
                if (chosen != *step.subprotocol) {
                    const auto name = [](const QString &p) {
                        return p.isEmpty() ? u"no subprotocol"_s : u"subprotocol \"%1\""_s.arg(p);
                    };
                    failStep(u"Client \"%1\" connected with another subprotocol"_s.arg(c->name),
                             name(*step.subprotocol), name(chosen));
                    return true;
                }
            }
        }
        passStep();
        return true;
    });
}

void ScenarioRunner::stepSend(const Step &step)
{
    for (const QString &name : step.clients) {
        QString error;
        if (!sendPayload(*client(name), step.payload, &error)) {
            failStep(error);
            return;
        }
    }
    passStep();
}

namespace {

// The ends of a connection an expect or expectNone step shows a matcher that looks at closes
// ({"close": ...}, alone or combined): those logged from the step's start on, and the one that
// had already ended the connection, if it had. Without this such a matcher saw messages only,
// and never matched.
class CloseScan
{
public:
    explicit CloseScan(const Session &session) : m_from(session.log()->endSequence())
    {
        const SessionState state = session.state();
        if (state != SessionState::Closed && state != SessionState::WaitingToReconnect)
            return;
        const FrameLog *log = session.log();
        // The end is among the last events: only notes and errors follow it.
        for (qint64 seq = log->endSequence() - 1; seq >= log->firstSequence() && seq >= m_from - 64; --seq) {
            if (isEnd(log->headerAt(seq))) {
                m_from = seq;
                break;
            }
        }
    }

    // The next end not yet seen, if any.
    std::optional<FrameEvent> next(const Session &session)
    {
        const FrameLog *log = session.log();
        for (qint64 seq = qMax(m_from, log->firstSequence()); seq < log->endSequence(); ++seq) {
            m_from = seq + 1;
            if (isEnd(log->headerAt(seq)))
                return log->at(seq);
        }
        return std::nullopt;
    }

private:
    // The close frame we send is logged too; the connection's end is the one that follows it.
    static bool isEnd(const FrameEvent &event)
    {
        return event.kind == EventKind::Close && event.direction != Direction::Outgoing;
    }

    qint64 m_from;
};

} // namespace

void ScenarioRunner::stepExpect(const Step &step)
{
    Client *c = client(step.clients.first());
    const std::optional<Matcher> matcher = matcherFor(step);
    if (!matcher)
        return;
    auto taken = std::make_shared<int>(0);
    auto lastMiss = std::make_shared<MatchResult>();
    auto missCount = std::make_shared<int>(0);
    auto endMiss = std::make_shared<MatchResult>();  // the connection's end, when it did not match
    auto scanFrom = std::make_shared<std::size_t>(0);
    auto closes = matcher->looksAtCloses() ? std::make_shared<CloseScan>(*c->session) : nullptr;
    const int timeout = timeoutFor(step);
    m_onStepTimeout = [this, &step, c, taken, lastMiss, missCount, endMiss, timeout, matcher] {
        // With a count, expected and actual are both counts, as expectSequence says them.
        const bool counting = step.count > 1;
        const QString expected = counting
            ? u"%1 matching %2"_s.arg(Preview::messages(step.count), matcher->describe())
            : matcher->describe();
        QString actual;
        if (counting)
            actual = *taken == 0 ? u"no matching message"_s : Preview::messages(*taken) + u" matching"_s;
        const auto add = [&actual](const QString &part) {
            actual += (actual.isEmpty() ? QString() : u"; "_s) + part;
        };
        if (*missCount > 0)
            add(u"%1 did not match; the last: %2"_s.arg(Preview::messages(*missCount), lastMiss->actual));
        if (!endMiss->actual.isEmpty())
            add(u"the connection ended: "_s + endMiss->actual);
        if (actual.isEmpty())
            actual = u"no message arrived"_s;
        QString message = counting
            ? u"Got %1 of %2 matching messages within %3 ms"_s.arg(*taken).arg(step.count).arg(timeout)
            : u"No matching %1 on \"%2\" within %3 ms"_s
                  .arg(matcher->looksAtCloses() ? u"message or close"_s : u"message"_s, c->name)
                  .arg(timeout);
        const QString why = !endMiss->explanation.isEmpty() ? endMiss->explanation : lastMiss->explanation;
        if (!why.isEmpty())
            message += u" ("_s + why + u')';
        failStep(message, expected, actual);
    };
    m_stepTimer.start(timeout);
    waitFor([this, &step, c, taken, lastMiss, missCount, endMiss, scanFrom, closes, matcher] {
        while (const std::optional<FrameEvent> end = closes ? closes->next(*c->session) : std::nullopt) {
            const MatchResult match = matcher->match(*end);
            if (match.matched) {
                if (++*taken >= step.count) {
                    passStep();
                    return true;
                }
            } else {
                // Not a message: "strict" does not apply, but the report shows it.
                *endMiss = match;
                if (endMiss->actual.isEmpty())
                    endMiss->actual = preview(*end);
            }
        }
        for (std::size_t i = *scanFrom; i < c->inbox.size(); ++i) {
            if (c->consumed[i])
                continue;
            const FrameEvent &event = c->session->log()->at(c->inbox[i]);
            const MatchResult match = matcher->match(event);
            if (match.matched) {
                c->consumed[i] = true;
                c->lastMatched = c->inbox[i];
                if (++*taken >= step.count) {
                    passStep();
                    return true;
                }
            } else {
                ++*missCount;
                *lastMiss = match;
                if (lastMiss->actual.isEmpty())
                    lastMiss->actual = preview(event);
                if (step.strict) {
                    failStep(u"The next message on \"%1\" did not match"_s.arg(c->name)
                                 + (match.explanation.isEmpty() ? QString() : u" ("_s + match.explanation + u')'),
                             matcher->describe(), preview(event));
                    return true;
                }
            }
            *scanFrom = i + 1;
        }
        return false;
    });
}

void ScenarioRunner::stepExpectSequence(const Step &step)
{
    Client *c = client(step.clients.first());
    const std::optional<Matcher> matcher = matcherFor(step);
    if (!matcher)
        return;
    auto seen = std::make_shared<int>(0);
    auto previous = std::make_shared<QJsonValue>(QJsonValue::Undefined);  // none yet
    auto pointer = std::make_shared<JsonPointer>();
    if (!step.pointer.isEmpty()) {
        QString error;
        const std::optional<JsonPointer> parsed = JsonPointer::parse(step.pointer, &error);
        if (!parsed) {
            failStep(u"Invalid JSON Pointer \"%1\": %2"_s.arg(step.pointer, error));
            return;
        }
        *pointer = *parsed;
    }
    const int timeout = timeoutFor(step);
    m_onStepTimeout = [this, &step, seen, timeout] {
        failStep(u"Got %1 of %2 messages within %3 ms"_s.arg(*seen).arg(step.count).arg(timeout),
                 u"%1 messages"_s.arg(step.count), u"%1 messages"_s.arg(*seen));
    };
    m_stepTimer.start(timeout);
    waitFor([this, &step, c, seen, previous, pointer, matcher] {
        for (std::size_t i = 0; i < c->inbox.size(); ++i) {
            if (c->consumed[i])
                continue;
            const FrameEvent &event = c->session->log()->at(c->inbox[i]);
            c->consumed[i] = true;
            c->lastMatched = c->inbox[i];
            const int position = ++*seen;
            const MatchResult match = matcher->match(event);
            if (!match.matched) {
                failStep(u"Message %1 of %2 did not match"_s.arg(position).arg(step.count)
                             + (match.explanation.isEmpty() ? QString() : u" ("_s + match.explanation + u')'),
                         matcher->describe(), preview(event));
                return true;
            }
            if (!step.pointer.isEmpty()) {
                QJsonParseError parseError;
                const QJsonDocument document = QJsonDocument::fromJson(event.text.toUtf8(), &parseError);
                const QJsonValue root = document.isObject() ? QJsonValue(document.object())
                                                            : QJsonValue(document.array());
                const std::optional<QJsonValue> value =
                    parseError.error == QJsonParseError::NoError ? pointer->resolve(root) : std::nullopt;
                if (!value || !value->isDouble()) {
                    failStep(u"Message %1 of %2 has no number at %3"_s.arg(position).arg(step.count).arg(step.pointer),
                             u"a number at "_s + step.pointer, preview(event));
                    return true;
                }
                // Compared as JSON numbers, shown with every digit: a timestamp or an id past
                // 2^53 stays exact, and 1733280000000 is not written 1.73328e+12.
                if (!previous->isUndefined()) {
                    const bool ok = step.increment ? JsonCompare::isStepAfter(*previous, *value, *step.increment)
                                                   : JsonCompare::compareNumbers(*value, *previous) > 0;
                    if (!ok) {
                        const QString expected = step.increment
                            ? u"%1 = %2"_s.arg(step.pointer, JsonText::compact(JsonCompare::plus(*previous, *step.increment)))
                            : u"%1 > %2"_s.arg(step.pointer, JsonText::compact(*previous));
                        failStep(u"%1 did not increase at message %2 of %3"_s.arg(step.pointer).arg(position).arg(step.count),
                                 expected, u"%1 = %2"_s.arg(step.pointer, JsonText::compact(*value)));
                        return true;
                    }
                }
                *previous = *value;
            }
            if (*seen >= step.count) {
                passStep();
                return true;
            }
        }
        return false;
    });
}

void ScenarioRunner::stepExpectNone(const Step &step)
{
    Client *c = client(step.clients.first());
    const std::optional<Matcher> matcher = matcherFor(step);
    if (!matcher)
        return;
    const int window = step.withinMs > 0 ? step.withinMs : timeoutFor(step);
    m_onStepTimeout = [this] { passStep(); };
    m_stepTimer.start(window);
    auto scanFrom = std::make_shared<std::size_t>(0);
    auto closes = matcher->looksAtCloses() ? std::make_shared<CloseScan>(*c->session) : nullptr;
    waitFor([this, &step, c, scanFrom, closes, window, matcher] {
        while (const std::optional<FrameEvent> end = closes ? closes->next(*c->session) : std::nullopt) {
            const MatchResult match = matcher->match(*end);
            if (match.matched) {
                failStep(u"The connection on \"%1\" ended where no such end was expected within %2 ms"_s
                             .arg(c->name).arg(window),
                         u"no close matching "_s + matcher->describe(), match.actual);
                return true;
            }
        }
        for (std::size_t i = *scanFrom; i < c->inbox.size(); ++i) {
            *scanFrom = i + 1;
            if (c->consumed[i])
                continue;
            const FrameEvent &event = c->session->log()->at(c->inbox[i]);
            if (matcher->match(event).matched) {
                failStep(u"A message arrived on \"%1\" where none was expected within %2 ms"_s.arg(c->name).arg(window),
                         u"no message matching "_s + matcher->describe(),
                         preview(event));
                return true;
            }
        }
        return false;
    });
}

void ScenarioRunner::stepPing(const Step &step)
{
    for (const QString &name : step.clients) {
        Client *c = client(name);
        const QByteArray payload = step.pingPayload.isEmpty()
            ? "wsprobe-" + QByteArray::number(m_clock.nsecsElapsed())
            : step.pingPayload;
        c->lastPingSequence = c->session->log()->endSequence();
        c->lastPing = payload;
        if (!c->session->ping(payload)) {
            failStep(u"Client \"%1\" could not ping: it is %2"_s.arg(name, displayName(c->session->state())));
            return;
        }
    }
    passStep();
}

void ScenarioRunner::stepExpectPong(const Step &step)
{
    Client *c = client(step.clients.first());
    if (c->lastPingSequence < 0) {
        failStep(u"No ping was sent on \"%1\" before this step"_s.arg(c->name));
        return;
    }
    const int timeout = timeoutFor(step);
    m_timeoutMessage = u"No pong on \"%1\" within %2 ms"_s.arg(c->name).arg(timeout);
    m_stepTimer.start(timeout);
    auto scanFrom = std::make_shared<qint64>(c->lastPingSequence);
    waitFor([this, &step, c, scanFrom] {
        const FrameLog *log = c->session->log();
        for (qint64 seq = std::max(*scanFrom, log->firstSequence()); seq < log->endSequence(); ++seq) {
            *scanFrom = seq + 1;
            const FrameEvent &event = log->at(seq);
            if (event.kind != EventKind::Pong || event.direction != Direction::Incoming
                || event.data != c->lastPing)
                continue;
            const double rttMs = event.rttNs / 1e6;
            if (step.withinMs > 0 && rttMs > step.withinMs) {
                failStep(u"The pong came too late"_s, u"round trip ≤ %1 ms"_s.arg(step.withinMs),
                         u"%1 ms"_s.arg(rttMs, 0, 'f', 3));
                return true;
            }
            passStep(u"round trip %1 ms"_s.arg(rttMs, 0, 'f', 3));
            return true;
        }
        return false;
    });
}

// Waits until the client has made enough pairs on its current connection (`over`; without it, at
// least one and none still awaiting an answer), then judges the latest of them once: a limit is
// about round trips already measured, not a watch.
void ScenarioRunner::stepRoundTrip(const Step &step)
{
    Client *c = client(step.clients.first());
    const RoundTripLimit &limit = step.roundTripLimit;
    const int timeout = timeoutFor(step);
    m_stepTimer.start(timeout);
    m_onStepTimeout = [this, c, &limit, timeout] {
        const RoundTripLimit::Verdict verdict = limit.evaluate(c->stats->recentPairs(), RoundTripLimit::namesFrom(c->session->log()));
        failStep(u"Only %1 on \"%2\" within %3 ms, %4 needed (%5 still awaiting an answer)"_s
                     .arg(verdict.actual, c->name)
                     .arg(timeout)
                     .arg(limit.pairsNeeded())
                     .arg(c->stats->awaiting()),
                 verdict.expected, verdict.actual);
    };
    waitFor([this, c, &limit] {
        const RoundTripLimit::Verdict verdict = limit.evaluate(c->stats->recentPairs(), RoundTripLimit::namesFrom(c->session->log()));
        if (!verdict.decided || (limit.over() == 0 && c->stats->awaiting() > 0))
            return false;
        if (verdict.passed)
            passStep(verdict.actual);
        else
            failStep(u"Round trips on \"%1\": %2"_s.arg(c->name, verdict.explanation), verdict.expected,
                     verdict.actual);
        return true;
    });
}

void ScenarioRunner::stepExpectServer(const Step &step)
{
    const auto running = std::find_if(m_servers.begin(), m_servers.end(),
                                      [&](const Server &s) { return s.name == step.clients.first(); });
    if (running == m_servers.end()) {
        failStep(u"No server named \"%1\" is running"_s.arg(step.clients.first()));
        return;
    }
    const std::optional<Matcher> matcher = matcherFor(step);
    if (!matcher)
        return;
    // Counted from the start of the run, over every client the server has served; each log is
    // read once, from where the last look stopped.
    struct Progress
    {
        std::vector<qint64> scanned;  // per client log: the next sequence to look at
        int matched = 0;
        QString lastMiss;
    };
    auto progress = std::make_shared<Progress>();
    const Server *server = &*running;
    const int timeout = timeoutFor(step);
    m_stepTimer.start(timeout);
    m_onStepTimeout = [this, &step, progress, server, timeout] {
        failStep(u"Server \"%1\" received %2 matching message(s) within %3 ms, %4 expected"_s
                     .arg(server->name)
                     .arg(progress->matched)
                     .arg(timeout)
                     .arg(step.count),
                 step.matcher ? step.matcher->describe() : u"any message"_s,
                 progress->lastMiss.isEmpty() ? u"(nothing received)"_s : progress->lastMiss);
    };
    waitFor([this, &step, progress, server, matcher] {
        progress->scanned.resize(server->clientLogs.size(), 0);
        for (std::size_t i = 0; i < server->clientLogs.size(); ++i) {
            const FrameLog &log = *server->clientLogs[i];
            qint64 &next = progress->scanned[i];
            for (next = std::max(next, log.firstSequence()); next < log.endSequence(); ++next) {
                if (log.directionAt(next) != Direction::Incoming
                    || (log.kindAt(next) != EventKind::Text && log.kindAt(next) != EventKind::Binary)) {
                    continue;
                }
                const FrameEvent event = log.at(next);
                if (matcher->match(event).matched)
                    ++progress->matched;
                else
                    progress->lastMiss = preview(event);
            }
        }
        if (progress->matched < step.count)
            return false;
        passStep(u"%1 matching message(s)"_s.arg(progress->matched));
        return true;
    });
}

void ScenarioRunner::stepClose(const Step &step)
{
    QList<Client *> targets;
    for (const QString &name : step.clients) {
        Client *c = client(name);
        if (c->session->state() != SessionState::Open) {
            failStep(u"Client \"%1\" is not open (%2)"_s.arg(name, displayName(c->session->state())));
            return;
        }
        QStringList unresolved;
        const QString reason = expand(step.closeReason.value_or(QString()), &unresolved);
        if (!unresolved.isEmpty()) {
            failStep(undefinedVariables(unresolved));
            return;
        }
        c->session->close(step.closeCode.value_or(1000), reason);
        targets.append(c);
    }
    m_timeoutMessage = u"The connection did not close within %1 ms"_s.arg(timeoutFor(step));
    m_stepTimer.start(timeoutFor(step));
    waitFor([this, targets] {
        for (Client *c : targets) {
            if (c->session->state() != SessionState::Closed)
                return false;
        }
        passStep(u"closed: "_s + CloseCodes::label(targets.first()->session->lastClose().code));
        return true;
    });
}

void ScenarioRunner::stepExpectClose(const Step &step)
{
    Client *c = client(step.clients.first());
    QStringList unresolved;
    const QString expectedReason = expand(step.closeReason.value_or(QString()), &unresolved);
    if (!unresolved.isEmpty()) {
        failStep(undefinedVariables(unresolved));
        return;
    }
    const int timeout = timeoutFor(step);
    m_timeoutMessage = u"\"%1\" was still %2 after %3 ms"_s.arg(c->name).arg(displayName(c->session->state())).arg(timeout);
    m_onStepTimeout = [this, c, timeout] {
        failStep(u"The server did not close \"%1\" within %2 ms"_s.arg(c->name).arg(timeout),
                 u"closed"_s, displayName(c->session->state()));
    };
    m_stepTimer.start(timeout);
    waitFor([this, &step, c, expectedReason] {
        const SessionState state = c->session->state();
        if (state != SessionState::Closed && state != SessionState::WaitingToReconnect)
            return false;
        const CloseInfo info = c->session->lastClose();
        QStringList expected;
        QStringList actual;
        bool ok = true;
        if (step.closeCode) {
            expected.append(CloseCodes::label(*step.closeCode));
            ok = ok && info.code == *step.closeCode;
        }
        if (step.closeReason) {
            expected.append(u"reason \"%1\""_s.arg(expectedReason));
            ok = ok && info.reason == expectedReason;
        }
        if (!step.reasonPattern.isEmpty()) {
            expected.append(u"reason matching /%1/"_s.arg(step.reasonPattern));
            ok = ok && QRegularExpression(step.reasonPattern).match(info.reason).hasMatch();
        }
        if (step.clean) {
            expected.append(*step.clean ? u"clean"_s : u"not clean"_s);
            ok = ok && info.clean == *step.clean;
        }
        actual.append(CloseCodes::label(info.code));
        actual.append(u"reason \"%1\""_s.arg(info.reason));
        actual.append(info.clean ? u"clean"_s : u"not clean"_s);
        actual.append(u"closed by "_s + displayName(info.initiator));
        if (ok)
            passStep(actual.join(u", "_s));
        else
            failStep(u"\"%1\" closed, but not as expected"_s.arg(c->name), expected.join(u", "_s),
                     actual.join(u", "_s));
        return true;
    });
}

void ScenarioRunner::stepExpectRejected(const Step &step)
{
    Client *c = client(step.clients.first());
    QStringList unresolved;
    SessionSettings settings = settingsFor(*c->spec, &unresolved);
    settings.reconnect.enabled = false;
    if (!unresolved.isEmpty()) {
        failStep(undefinedVariables(unresolved));
        return;
    }
    c->session->setSettings(settings);
    const qint64 from = c->session->log()->endSequence();
    c->session->open();
    const int timeout = timeoutFor(step);
    m_timeoutMessage = u"Neither accepted nor refused within %1 ms"_s.arg(timeout);
    m_stepTimer.start(timeout);
    const QString expected = step.httpStatus ? u"upgrade refused with HTTP %1"_s.arg(step.httpStatus)
                                             : u"upgrade refused"_s;
    waitFor([this, &step, c, from, expected] {
        const SessionState state = c->session->state();
        if (state == SessionState::Open) {
            failStep(u"The server accepted the upgrade"_s, expected, u"101 Switching Protocols"_s);
            return true;
        }
        if (state != SessionState::Closed)
            return false;
        const FrameLog *log = c->session->log();
        std::optional<FrameEvent> rejection;
        QString otherError;
        for (qint64 seq = std::max(from, log->firstSequence()); seq < log->endSequence(); ++seq) {
            const FrameEvent &event = log->at(seq);
            if (event.isMessage() && event.direction == Direction::Incoming) {
                failStep(u"A message arrived although the upgrade should be refused"_s, expected, preview(event));
                return true;
            }
            if (event.kind == EventKind::Error && event.error == ErrorKind::HandshakeRejected)
                rejection = event;
            else if (event.kind == EventKind::Error && otherError.isEmpty())
                otherError = event.text;
        }
        if (!rejection) {
            failStep(u"The connection failed, but not by a refused upgrade"_s, expected,
                     otherError.isEmpty() ? u"closed"_s : otherError);
            return true;
        }
        if (step.httpStatus && rejection->httpStatus != step.httpStatus) {
            failStep(u"The upgrade was refused with another status"_s, expected,
                     rejection->httpStatus ? u"HTTP %1"_s.arg(rejection->httpStatus) : rejection->text);
            return true;
        }
        passStep(u"refused with HTTP %1"_s.arg(rejection->httpStatus));
        return true;
    });
}

void ScenarioRunner::stepCapture(const Step &step)
{
    Client *c = client(step.clients.first());
    if (c->lastMatched < 0 || !c->session->log()->contains(c->lastMatched)) {
        failStep(u"Nothing to capture from: no expect on \"%1\" has matched a message yet"_s.arg(c->name));
        return;
    }
    const FrameEvent &event = c->session->log()->at(c->lastMatched);
    QString value;
    if (!step.pointer.isEmpty()) {
        QString error;
        const std::optional<JsonPointer> pointer = JsonPointer::parse(step.pointer, &error);
        if (!pointer) {
            failStep(u"Invalid JSON Pointer \"%1\": %2"_s.arg(step.pointer, error));
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(event.text.toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            failStep(u"The message is not JSON: "_s + parseError.errorString(), step.pointer, preview(event));
            return;
        }
        const QJsonValue root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
        const std::optional<QJsonValue> found = pointer->resolve(root);
        if (!found) {
            failStep(u"Nothing at %1"_s.arg(step.pointer), u"a value at "_s + step.pointer, preview(event));
            return;
        }
        value = textOf(*found);
    } else {
        const QRegularExpression regex(step.captureRegex);
        const QRegularExpressionMatch match = regex.match(event.text);
        if (!match.hasMatch()) {
            failStep(u"The regex did not match"_s, u"/%1/"_s.arg(step.captureRegex), preview(event));
            return;
        }
        value = match.captured(step.captureGroup);
    }
    m_variables.set(Variables::Layer::Captured, step.variable, value);
    passStep(u"%1 = %2"_s.arg(step.variable, m_variables.maskSecrets(value)));
}

void ScenarioRunner::stepDrop(const Step &step)
{
    for (const QString &name : step.clients)
        client(name)->session->abort();
    passStep();
}

void ScenarioRunner::stepReconnect(const Step &step)
{
    Client *c = client(step.clients.first());
    const SessionState state = c->session->state();
    if (state == SessionState::Closed || state == SessionState::Idle)
        c->session->open();
    m_timeoutMessage = u"\"%1\" was not open again within %2 ms"_s.arg(c->name).arg(timeoutFor(step));
    m_stepTimer.start(timeoutFor(step));
    waitFor([this, c] {
        if (c->session->state() != SessionState::Open)
            return false;
        passStep();
        return true;
    });
}

} // namespace wsprobe
