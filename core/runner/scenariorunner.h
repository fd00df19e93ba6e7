#pragma once

#include "scenario.h"
#include "scenarioresult.h"
#include "variables.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace wsprobe {

class FrameLog;
class MockServer;
class Session;
struct FrameEvent;

// Runs one scenario: all its clients at once, each step waiting on events with its own timeout,
// triggers answering messages for as long as the scenario runs, and a scenario timeout that ends
// anything stuck and closes every connection. Event-driven: nothing polls.
class ScenarioRunner : public QObject
{
    Q_OBJECT

public:
    // variables: the layers from outside the file (command line, environment file, process
    // environment, built-in); the scenario's own defaults (withDefaults) and the captures are
    // added here.
    ScenarioRunner(const Scenario &scenario, const Variables &variables, QObject *parent = nullptr);
    ~ScenarioRunner() override;

    // variables with the scenario's own defaults added: what its {{references}} resolve with
    // before any capture. A default may be made of built-in variables ("{{demoUrl}}"); one whose
    // built-in is not defined is left out, so its name is undefined.
    static Variables withDefaults(const Scenario &scenario, Variables variables);

    void start();
    // Ends the run now: the current step fails with "cancelled".
    void cancel();
    bool isRunning() const { return m_running; }
    // Skip waits marked optional (recorded pauses).
    void setSkipOptionalWaits(bool skip) { m_skipOptionalWaits = skip; }
    // Overrides the scenario's own timeout (ms); 0 keeps it.
    void setScenarioTimeout(int ms) { m_timeoutOverrideMs = ms; }

    const Scenario &scenario() const { return m_scenario; }
    const ScenarioResult &result() const { return m_result; }
    const Variables &variables() const { return m_variables; }
    // The client's session (its log holds everything it saw); null for an unknown name.
    Session *session(const QString &client) const;
    QStringList clientNames() const;

Q_SIGNALS:
    void stepStarted(int index);
    void stepFinished(int index, const wsprobe::StepResult &result);
    void finished(const wsprobe::ScenarioResult &result);

private:
    struct Client;
    using Check = std::function<bool()>;  // returns true when the step is over

    void runNextStep();
    void beginStep(const Step &step);
    void waitFor(Check check);
    void evaluate();
    void passStep(const QString &note = {});
    void failStep(const QString &message, const QString &expected = {}, const QString &actual = {});
    void finishRun();
    void closeAllAndFinish();
    bool allClosed() const;
    void onScenarioTimeout();
    void onIncoming(Client &client, qint64 sequence);

    Client *client(const QString &name);
    SessionSettings settingsFor(const ClientSpec &spec, QStringList *unresolved) const;
    QString expand(const QString &text, QStringList *unresolved) const;
    // The step's matcher with its {{variables}} expanded; fails the step and returns nothing
    // when that cannot be done.
    std::optional<Matcher> matcherFor(const Step &step);
    bool sendPayload(Client &from, const Payload &payload, QString *error);
    int timeoutFor(const Step &step) const;

    void stepConnect(const Step &step);
    void stepSend(const Step &step);
    void stepExpect(const Step &step);
    void stepExpectSequence(const Step &step);
    void stepExpectNone(const Step &step);
    void stepPing(const Step &step);
    void stepExpectPong(const Step &step);
    void stepRoundTrip(const Step &step);
    void stepExpectServer(const Step &step);
    void startServers();
    void stepClose(const Step &step);
    void stepExpectClose(const Step &step);
    void stepExpectRejected(const Step &step);
    void stepCapture(const Step &step);
    void stepDrop(const Step &step);
    void stepReconnect(const Step &step);

    Scenario m_scenario;
    Variables m_variables;
    std::vector<std::unique_ptr<Client>> m_clients;  // Owned.
    // The scenario's mock servers, and the logs of every client they served (kept after the
    // client left: an expectServer step counts what they received).
    struct Server
    {
        QString name;
        std::unique_ptr<MockServer> server;
        std::vector<std::shared_ptr<FrameLog>> clientLogs;
    };
    std::vector<Server> m_servers;
    ScenarioResult m_result;
    QElapsedTimer m_clock;
    QElapsedTimer m_stepClock;
    QTimer m_stepTimer;
    QTimer m_scenarioTimer;
    QTimer m_closeGraceTimer;
    Check m_check;
    QString m_timeoutMessage;  // what a step timeout means for the current step
    std::function<void()> m_onStepTimeout;
    std::vector<bool> m_triggerFired;
    int m_current = -1;
    int m_timeoutOverrideMs = 0;
    bool m_running = false;
    bool m_stepOpen = false;
    bool m_evaluating = false;
    bool m_skipOptionalWaits = false;
    bool m_closing = false;        // the verdict is in; connections are closing
    bool m_inTriggers = false;
    QString m_triggerError;        // the first trigger that could not send
};

} // namespace wsprobe
