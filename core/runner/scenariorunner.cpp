#include "scenariorunner.h"
#include "scenariorunner_p.h"

#include "closecodes.h"
#include "framelog.h"
#include "jsoncorrelationkey.h"
#include "jsontext.h"
#include "mockserver.h"
#include "session.h"
#include "variables.h"
#include "variablesyntax.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace runner {

QString undefinedVariables(QStringList names, const QString &where)
{
    names.removeDuplicates();
    return u"Undefined variable(s)%1: %2"_s.arg(where, names.join(u", "_s));
}

QString preview(const FrameEvent &event, int maxChars)
{
    QString text = event.kind == EventKind::Binary
        ? u"binary "_s + QString::fromLatin1(event.data.left(maxChars / 3).toHex(' '))
        : event.text.left(maxChars);
    if (event.size > maxChars)
        text += u" … (%1 bytes)"_s.arg(event.size);
    return text;
}

QString textOf(const QJsonValue &value)
{
    return value.isString() ? value.toString() : JsonText::compact(value);
}

} // namespace runner

namespace {

// After the last step, connections get this long to finish their closing handshakes.
constexpr int CloseGraceMs = 2000;

} // namespace

using namespace runner;

Variables ScenarioRunner::withDefaults(const Scenario &scenario, Variables variables)
{
    for (auto it = scenario.variables.cbegin(); it != scenario.variables.cend(); ++it) {
        if (const std::optional<QString> value = variables.resolveDefault(it.value()))
            variables.set(Variables::Layer::Scenario, it.key(), *value);
    }
    return variables;
}

ScenarioRunner::ScenarioRunner(const Scenario &scenario, const Variables &variables, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_variables(withDefaults(scenario, variables))
{

    m_result.name = m_scenario.name;
    m_result.filePath = m_scenario.filePath;
    for (int i = 0; i < m_scenario.steps.size(); ++i) {
        StepResult step;
        step.index = i;
        step.title = describe(m_scenario.steps[i]);
        step.line = m_scenario.steps[i].where.line;
        m_result.steps.append(step);
    }

    // The clients' sockets share a thread per core, as the window's sessions do.
    const auto ioThreads = std::make_shared<IoThreadPool>();
    for (const ClientSpec &spec : std::as_const(m_scenario.clients)) {
        auto client = std::make_unique<Client>();
        client->name = spec.name;
        client->spec = &spec;
        client->session = std::make_unique<Session>();
        client->session->setIoThreads(ioThreads);
        // Before the runner's own reader of the log: a step's check sees the stats up to date.
        client->stats = std::make_unique<SessionStats>();
        client->stats->setCorrelation(JsonCorrelationKey::fromSetting(spec.correlate, nullptr));
        client->stats->setLog(client->session->log());
        Client *raw = client.get();
        connect(client->session->log(), &FrameLog::eventsAppended, this, [this, raw](qint64 first, qint64 end) {
            for (qint64 sequence = first; sequence < end; ++sequence)
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
    startServers();
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
        for (const QString &name : expansion.unresolved) {
            // A default left out because the built-in it is made of is not defined: say which.
            const auto fallback = m_scenario.variables.constFind(name);
            const QStringList needs = fallback == m_scenario.variables.cend()
                ? QStringList()
                : VariableSyntax::referencedNames(*fallback);
            *unresolved += needs.isEmpty()
                ? name
                : u"%1 (its default needs %2, which wsprobe-run --with-demo and the window define)"_s
                      .arg(name, needs.join(u", "_s));
        }
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
        std::optional<Matcher> matcher =
            Matcher::fromJson(expanded, &problem, QString(), m_scenario.schemaBaseUri);
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
    settings.maxMissedPongs = spec.maxMissedPongs;
    settings.correlation = spec.correlate;
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
        if (step.type == Step::Type::ExpectServer)
            break;  // a server's name, checked by the step
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
    case Step::Type::RoundTrip: stepRoundTrip(step); return;
    case Step::Type::ExpectServer: stepExpectServer(step); return;
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

void ScenarioRunner::startServers()
{
    for (const ServerSpec &spec : std::as_const(m_scenario.servers)) {
        Server running;
        running.name = spec.name;
        running.server = std::make_unique<MockServer>(spec.script);
        running.server->setVariables(m_variables);
        // Any free port: a self-contained test must not depend on one being free.
        if (!running.server->listen(quint16(0))) {
            if (m_triggerError.isEmpty())
                m_triggerError = u"Server \"%1\" (%2) could not listen: %3"_s
                                     .arg(spec.name, spec.file, running.server->errorString());
            continue;
        }
        m_variables.set(Variables::Layer::Scenario, u"servers.%1.url"_s.arg(spec.name),
                        running.server->url().toString());
        MockServer *server = running.server.get();
        const QString name = spec.name;
        connect(server, &MockServer::clientAccepted, this, [this, server, name](quint64 id) {
            const std::shared_ptr<FrameLog> log = server->clientLog(id);
            if (!log)
                return;
            for (Server &s : m_servers) {
                if (s.name == name)
                    s.clientLogs.push_back(log);
            }
            connect(log.get(), &FrameLog::eventsAppended, this, &ScenarioRunner::evaluate);
        });
        m_servers.push_back(std::move(running));
    }
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
    for (Server &server : m_servers)
        server.server->close();
    m_result.durationMs = m_clock.elapsed();
    Q_EMIT finished(m_result);
}

void ScenarioRunner::onIncoming(Client &client, qint64 sequence)
{
    const FrameLog *log = client.session->log();
    const bool message = log->contains(sequence) && log->directionAt(sequence) == Direction::Incoming
        && (log->kindAt(sequence) == EventKind::Text || log->kindAt(sequence) == EventKind::Binary);
    if (message && !m_closing) {
        const FrameEvent event = log->at(sequence);
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

} // namespace wsprobe
