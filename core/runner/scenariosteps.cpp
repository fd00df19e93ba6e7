#include "scenariorunner.h"

#include "closecodes.h"
#include "framelog.h"
#include "jsonpointer.h"
#include "jsontext.h"
#include "session.h"
#include "variables.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Each name once, however many clients or fields use it.
QString undefinedVariables(QStringList names, const QString &where = {})
{
    names.removeDuplicates();
    return u"Undefined variable(s)%1: %2"_s.arg(where, names.join(u", "_s));
}

// After the last step, connections get this long to finish their closing handshakes.
constexpr int CloseGraceMs = 2000;

QString preview(const FrameEvent &event, int maxChars = 300)
{
    QString text = event.kind == EventKind::Binary
        ? u"binary "_s + QString::fromLatin1(event.data.left(maxChars / 3).toHex(' '))
        : event.text.left(maxChars);
    if (event.size > maxChars)
        text += u" … (%1 bytes)"_s.arg(event.size);
    return text;
}

// A value as a message or a variable carries it: a string as it is, anything else as JSON.
QString textOf(const QJsonValue &value)
{
    return value.isString() ? value.toString() : JsonText::compact(value);
}

} // namespace

// A scenario client at run time: its session and what it has received.
struct ScenarioRunner::Client
{
    QString name;
    const ClientSpec *spec = nullptr;  // Not owned: points into m_scenario.
    std::unique_ptr<Session> session;
    std::vector<qint64> inbox;         // sequence numbers of incoming messages, in order
    std::vector<bool> consumed;        // parallel to inbox
    qint64 lastMatched = -1;           // what the last expect took, for capture
    QByteArray lastPing;
    qint64 lastPingSequence = -1;
};

ScenarioRunner::ScenarioRunner(const Scenario &scenario, const Variables &variables, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_variables(variables)
{
    for (auto it = m_scenario.variables.cbegin(); it != m_scenario.variables.cend(); ++it)
        m_variables.set(Variables::Layer::Scenario, it.key(), it.value());

    m_result.name = m_scenario.name;
    m_result.filePath = m_scenario.filePath;
    for (int i = 0; i < m_scenario.steps.size(); ++i) {
        StepResult step;
        step.index = i;
        step.title = describe(m_scenario.steps[i]);
        step.line = m_scenario.steps[i].where.line;
        m_result.steps.append(step);
    }

    for (const ClientSpec &spec : std::as_const(m_scenario.clients)) {
        auto client = std::make_unique<Client>();
        client->name = spec.name;
        client->spec = &spec;
        client->session = std::make_unique<Session>();
        Client *raw = client.get();
        connect(client->session->log(), &FrameLog::appended, this, [this, raw](qint64 sequence) {
            onIncoming(*raw, sequence);
        });
        connect(client->session.get(), &Session::stateChanged, this, &ScenarioRunner::evaluate);
        m_clients.push_back(std::move(client));
    }
    m_triggerFired.assign(std::size_t(m_scenario.triggers.size()), false);

    m_stepTimer.setSingleShot(true);
    m_stepTimer.setTimerType(Qt::PreciseTimer);  // a coarse timer ends waits up to 5 % early
    connect(&m_stepTimer, &QTimer::timeout, this, [this] {
        if (m_onStepTimeout) {
            const std::function<void()> onTimeout = m_onStepTimeout;  // it may be replaced meanwhile
            onTimeout();
        } else {
            failStep(m_timeoutMessage);
        }
    });
    m_scenarioTimer.setSingleShot(true);
    connect(&m_scenarioTimer, &QTimer::timeout, this, &ScenarioRunner::onScenarioTimeout);
    m_closeGraceTimer.setSingleShot(true);
    connect(&m_closeGraceTimer, &QTimer::timeout, this, &ScenarioRunner::finishRun);
}

ScenarioRunner::~ScenarioRunner()
{
    // Sessions first: their signals must not reach a half-destroyed runner.
    for (auto &client : m_clients) {
        client->session->disconnect(this);
        client->session->log()->disconnect(this);
    }
    m_clients.clear();
}

Session *ScenarioRunner::session(const QString &name) const
{
    for (const auto &client : m_clients) {
        if (client->name == name)
            return client->session.get();
    }
    return nullptr;
}

QStringList ScenarioRunner::clientNames() const
{
    QStringList names;
    for (const auto &client : m_clients)
        names.append(client->name);
    return names;
}

ScenarioRunner::Client *ScenarioRunner::client(const QString &name)
{
    for (auto &client : m_clients) {
        if (client->name == name)
            return client.get();
    }
    return nullptr;
}

void ScenarioRunner::start()
{
    if (m_running)
        return;
    m_running = true;
    m_clock.start();
    const int timeout = m_timeoutOverrideMs > 0 ? m_timeoutOverrideMs : m_scenario.timeoutMs;
    if (timeout > 0)
        m_scenarioTimer.start(timeout);
    m_current = -1;
    QMetaObject::invokeMethod(this, &ScenarioRunner::runNextStep, Qt::QueuedConnection);
}

void ScenarioRunner::cancel()
{
    if (!m_running)
        return;
    if (m_closing) {
        // The verdict is in; only the closing handshakes were still under way.
        finishRun();
        return;
    }
    if (m_stepOpen)
        failStep(u"Cancelled"_s);
    else
        closeAllAndFinish();
}

int ScenarioRunner::timeoutFor(const Step &step) const
{
    return step.timeoutMs >= 0 ? step.timeoutMs : m_scenario.stepTimeoutMs;
}

QString ScenarioRunner::expand(const QString &text, QStringList *unresolved) const
{
    const Variables::Expansion expansion = m_variables.expand(text);
    if (unresolved) {
        *unresolved += expansion.unresolved;
        *unresolved += expansion.malformed;
    }
    return expansion.text;
}

std::optional<Matcher> ScenarioRunner::matcherFor(const Step &step)
{
    if (!step.matcher)
        return Matcher();
    // A matcher written with {{variables}} is built again from its spec now that they have values.
    if (step.matcherSpec) {
        QStringList unresolved;
        const QJsonValue expanded = JsonText::mapStrings(*step.matcherSpec, [this, &unresolved](const QString &text) {
            return expand(text, &unresolved);
        });
        if (!unresolved.isEmpty()) {
            failStep(undefinedVariables(unresolved, u" in the matcher"_s));
            return std::nullopt;
        }
        QString problem;
        std::optional<Matcher> matcher = Matcher::fromJson(expanded, &problem);
        if (!matcher)
            failStep(u"The matcher is invalid once its variables are expanded: "_s + problem);
        return matcher;
    }
    return step.matcher;
}

SessionSettings ScenarioRunner::settingsFor(const ClientSpec &spec, QStringList *unresolved) const
{
    SessionSettings settings;
    settings.url = QUrl(expand(spec.url, unresolved));
    for (const KeyValue &row : spec.query)
        settings.query.append({row.key, expand(row.value, unresolved), row.enabled});
    for (const KeyValue &row : spec.headers)
        settings.headers.append({row.key, expand(row.value, unresolved), row.enabled});
    settings.origin = expand(spec.origin, unresolved);
    for (const QString &protocol : spec.subprotocols)
        settings.subprotocols.append(expand(protocol, unresolved));
    settings.connectTimeoutMs = spec.connectTimeoutMs;
    settings.maxIncomingFrameSize = spec.maxFrameSize;
    settings.maxIncomingMessageSize = spec.maxMessageSize;
    settings.autoPingIntervalMs = spec.autoPingMs;
    settings.reconnect = spec.reconnect;
    settings.tls = spec.tls;
    return settings;
}

void ScenarioRunner::runNextStep()
{
    if (!m_running)
        return;
    ++m_current;
    if (m_current >= m_scenario.steps.size()) {
        m_result.passed = true;
        closeAllAndFinish();
        return;
    }
    const Step &step = m_scenario.steps[m_current];
    StepResult &result = m_result.steps[m_current];
    // A trigger that failed between two steps fails the next one.
    result.status = StepResult::Status::Running;
    result.startedMs = m_clock.elapsed();
    m_stepOpen = true;
    m_check = {};
    m_onStepTimeout = {};
    m_timeoutMessage.clear();
    m_stepClock.start();
    Q_EMIT stepStarted(m_current);
    if (!m_triggerError.isEmpty()) {
        failStep(m_triggerError);
        return;
    }
    beginStep(step);
}

void ScenarioRunner::beginStep(const Step &step)
{
    for (const QString &name : step.clients) {
        if (!client(name)) {
            failStep(u"No client named \"%1\" in this scenario"_s.arg(name));
            return;
        }
    }
    switch (step.type) {
    case Step::Type::Connect: stepConnect(step); return;
    case Step::Type::Send: stepSend(step); return;
    case Step::Type::Expect: stepExpect(step); return;
    case Step::Type::ExpectSequence: stepExpectSequence(step); return;
    case Step::Type::ExpectNone: stepExpectNone(step); return;
    case Step::Type::Ping: stepPing(step); return;
    case Step::Type::ExpectPong: stepExpectPong(step); return;
    case Step::Type::Wait:
        if (step.optional && m_skipOptionalWaits) {
            passStep(u"skipped (optional wait)"_s);
            return;
        }
        m_onStepTimeout = [this] { passStep(); };
        m_stepTimer.start(step.waitMs);
        return;
    case Step::Type::Close: stepClose(step); return;
    case Step::Type::ExpectClose: stepExpectClose(step); return;
    case Step::Type::ExpectRejected: stepExpectRejected(step); return;
    case Step::Type::Capture: stepCapture(step); return;
    case Step::Type::Drop: stepDrop(step); return;
    case Step::Type::Reconnect: stepReconnect(step); return;
    }
}

void ScenarioRunner::waitFor(Check check)
{
    m_check = std::move(check);
    evaluate();
}

void ScenarioRunner::evaluate()
{
    if (m_closing) {
        if (allClosed())
            finishRun();
        return;
    }
    // A check may send, which may log, which calls back here: one evaluation at a time. While
    // triggers answer a message, the step waits until they are done (their failure counts).
    if (!m_stepOpen || !m_check || m_evaluating || m_inTriggers)
        return;
    m_evaluating = true;
    // A check that ends its step replaces m_check: run a copy, so that the closure (and the
    // captures its arguments refer to) lives until it returns.
    const Check check = m_check;
    check();
    m_evaluating = false;
}

void ScenarioRunner::passStep(const QString &note)
{
    if (!m_stepOpen)
        return;
    m_stepOpen = false;
    m_check = {};
    m_stepTimer.stop();
    StepResult &result = m_result.steps[m_current];
    result.status = StepResult::Status::Passed;
    result.durationMs = m_stepClock.elapsed();
    result.message = note;
    Q_EMIT stepFinished(m_current, result);
    // Queued: a long scenario must not grow the stack step by step.
    QMetaObject::invokeMethod(this, &ScenarioRunner::runNextStep, Qt::QueuedConnection);
}

void ScenarioRunner::failStep(const QString &message, const QString &expected, const QString &actual)
{
    if (!m_stepOpen)
        return;
    m_stepOpen = false;
    m_check = {};
    m_stepTimer.stop();
    StepResult &result = m_result.steps[m_current];
    result.status = StepResult::Status::Failed;
    result.durationMs = m_stepClock.elapsed();
    result.message = m_variables.maskSecrets(message);
    result.expected = m_variables.maskSecrets(expected);
    result.actual = m_variables.maskSecrets(actual);
    Q_EMIT stepFinished(m_current, result);
    for (int i = m_current + 1; i < m_result.steps.size(); ++i)
        m_result.steps[i].status = StepResult::Status::Skipped;
    m_result.passed = false;
    closeAllAndFinish();
}

void ScenarioRunner::onScenarioTimeout()
{
    const int timeout = m_timeoutOverrideMs > 0 ? m_timeoutOverrideMs : m_scenario.timeoutMs;
    m_result.error = u"The scenario timed out after %1 ms"_s.arg(timeout);
    if (m_stepOpen)
        failStep(m_result.error);
    else
        finishRun();
}

void ScenarioRunner::closeAllAndFinish()
{
    m_scenarioTimer.stop();
    m_stepTimer.stop();
    bool anyClosing = false;
    for (auto &client : m_clients) {
        Session *session = client->session.get();
        switch (session->state()) {
        case SessionState::Open:
            session->close(1000, u"scenario finished"_s);
            anyClosing = true;
            break;
        case SessionState::Connecting:
        case SessionState::WaitingToReconnect:
            session->abort();
            break;
        case SessionState::Closing:
            anyClosing = true;
            break;
        case SessionState::Idle:
        case SessionState::Closed:
            break;
        }
    }
    if (!anyClosing) {
        finishRun();
        return;
    }
    // Finish as soon as every connection is closed (evaluate() looks on each state change), or
    // when the grace period runs out.
    m_closing = true;
    m_closeGraceTimer.start(CloseGraceMs);
}

bool ScenarioRunner::allClosed() const
{
    for (const auto &client : m_clients) {
        const SessionState state = client->session->state();
        if (state == SessionState::Open || state == SessionState::Closing)
            return false;
    }
    return true;
}

void ScenarioRunner::finishRun()
{
    if (!m_running)
        return;
    m_running = false;
    m_closing = false;
    m_stepOpen = false;
    m_check = {};
    m_closeGraceTimer.stop();
    m_scenarioTimer.stop();
    m_stepTimer.stop();
    for (auto &client : m_clients) {
        if (client->session->state() != SessionState::Closed
            && client->session->state() != SessionState::Idle) {
            client->session->abort();
        }
    }
    m_result.durationMs = m_clock.elapsed();
    Q_EMIT finished(m_result);
}

void ScenarioRunner::onIncoming(Client &client, qint64 sequence)
{
    const FrameEvent &event = client.session->log()->at(sequence);
    if (event.direction == Direction::Incoming && event.isMessage() && !m_closing) {
        client.inbox.push_back(sequence);
        client.consumed.push_back(false);
        m_inTriggers = true;
        for (int i = 0; i < m_scenario.triggers.size(); ++i) {
            const Trigger &trigger = m_scenario.triggers[i];
            if (trigger.on != client.name || (trigger.once && m_triggerFired[std::size_t(i)]))
                continue;
            if (!trigger.matcher.match(event).matched)
                continue;
            m_triggerFired[std::size_t(i)] = true;
            Client *sender = this->client(trigger.sender.isEmpty() ? trigger.on : trigger.sender);
            QString error;
            if (sender && !sendPayload(*sender, trigger.payload, &error) && m_triggerError.isEmpty())
                m_triggerError = u"Trigger at line %1 could not send: %2"_s.arg(trigger.where.line).arg(error);
        }
        m_inTriggers = false;
        if (!m_triggerError.isEmpty() && m_stepOpen) {
            failStep(m_triggerError);
            return;
        }
    }
    evaluate();
}

bool ScenarioRunner::sendPayload(Client &from, const Payload &payload, QString *error)
{
    QStringList unresolved;
    const std::function<QString(const QString &)> expander = [this, &unresolved](const QString &text) {
        return expand(text, &unresolved);
    };
    bool sent = false;
    switch (payload.kind) {
    case Payload::Kind::Text: {
        const QString text = expander(payload.text);
        if (!unresolved.isEmpty())
            break;
        sent = from.session->sendText(text);
        break;
    }
    case Payload::Kind::Json: {
        const QString text = textOf(JsonText::mapStrings(payload.json, expander));
        if (!unresolved.isEmpty())
            break;
        sent = from.session->sendText(text);
        break;
    }
    case Payload::Kind::Binary:
        sent = from.session->sendBinary(payload.bytes);
        break;
    }
    if (!unresolved.isEmpty()) {
        *error = undefinedVariables(unresolved);
        return false;
    }
    if (!sent)
        *error = u"Client \"%1\" is not open (%2)"_s.arg(from.name, displayName(from.session->state()));
    return sent;
}

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
    waitFor([this, targets] {
        for (Client *c : targets) {
            const SessionState state = c->session->state();
            if (state == SessionState::Closed || state == SessionState::WaitingToReconnect) {
                const FrameLog *log = c->session->log();
                QString why = u"the connection ended"_s;
                for (qint64 seq = log->endSequence() - 1; seq >= log->firstSequence(); --seq) {
                    if (log->at(seq).kind == EventKind::Error) {
                        why = log->at(seq).text;
                        break;
                    }
                }
                failStep(u"Client \"%1\" could not connect: %2"_s.arg(c->name, why),
                         u"open"_s, displayName(state));
                return true;
            }
            if (state != SessionState::Open)
                return false;
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

void ScenarioRunner::stepExpect(const Step &step)
{
    Client *c = client(step.clients.first());
    const std::optional<Matcher> matcher = matcherFor(step);
    if (!matcher)
        return;
    auto taken = std::make_shared<int>(0);
    auto lastMiss = std::make_shared<MatchResult>();
    auto missCount = std::make_shared<int>(0);
    auto scanFrom = std::make_shared<std::size_t>(0);
    const int timeout = timeoutFor(step);
    m_onStepTimeout = [this, &step, c, taken, lastMiss, missCount, timeout, matcher] {
        const QString expected = matcher->describe();
        QString actual = *missCount == 0
            ? u"no message arrived"_s
            : u"%1 message(s) did not match; the last: %2"_s.arg(*missCount).arg(lastMiss->actual);
        QString message = step.count > 1
            ? u"Got %1 of %2 matching messages within %3 ms"_s.arg(*taken).arg(step.count).arg(timeout)
            : u"No matching message on \"%1\" within %2 ms"_s.arg(c->name).arg(timeout);
        if (!lastMiss->explanation.isEmpty())
            message += u" ("_s + lastMiss->explanation + u')';
        failStep(message, expected, actual);
    };
    m_stepTimer.start(timeout);
    waitFor([this, &step, c, taken, lastMiss, missCount, scanFrom, matcher] {
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
    auto previous = std::make_shared<std::optional<double>>();
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
                const double number = value->toDouble();
                if (previous->has_value()) {
                    const double before = **previous;
                    const bool ok = step.increment ? number == before + *step.increment : number > before;
                    if (!ok) {
                        const QString expected = step.increment
                            ? u"%1 = %2"_s.arg(step.pointer).arg(before + *step.increment)
                            : u"%1 > %2"_s.arg(step.pointer).arg(before);
                        failStep(u"%1 did not increase at message %2 of %3"_s.arg(step.pointer).arg(position).arg(step.count),
                                 expected, u"%1 = %2"_s.arg(step.pointer).arg(number));
                        return true;
                    }
                }
                *previous = number;
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
    waitFor([this, &step, c, scanFrom, window, matcher] {
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
            if (event.kind != EventKind::Pong || event.data != c->lastPing)
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
        const FrameEvent *rejection = nullptr;
        QString otherError;
        for (qint64 seq = std::max(from, log->firstSequence()); seq < log->endSequence(); ++seq) {
            const FrameEvent &event = log->at(seq);
            if (event.isMessage() && event.direction == Direction::Incoming) {
                failStep(u"A message arrived although the upgrade should be refused"_s, expected, preview(event));
                return true;
            }
            if (event.kind == EventKind::Error && event.error == ErrorKind::HandshakeRejected)
                rejection = &event;
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
