#pragma once

#include "loaddata.h"
#include "loadprofile.h"
#include "loadsummary.h"
#include "scenario.h"
#include "scenarioresult.h"
#include "variables.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace wsprobe {

class IoThreadPool;
class ScenarioRunner;

// Runs one scenario as many virtual users, each iteration a ScenarioRunner of its own (so its
// own Sessions; how sessions do their I/O is the engine's business), and adds what each
// iteration measured to one LoadSummary.
//
// Closed model (arrivalRate 0): `users` users start evenly over the ramp-up; each runs the
// scenario again and again, `thinkTime` apart, until it has run `iterations` (when set) or the
// ramp-up plus `duration` has passed. Open model (arrivalRate > 0): iterations start at that
// rate (rising from 0 over the ramp-up), whether earlier ones have ended or not, on at most
// `users` users at once; one due while all are busy is dropped and counted. Either way an
// iteration running when the time is up finishes (within the scenario's timeout).
//
// Each iteration sees {{__user}} (1, 2, ...), {{__iteration}} (the user's, from 0), {{__uuid}}
// (fresh each time) and the next row of the data file as variables; --var still wins.
class LoadRunner : public QObject
{
    Q_OBJECT

public:
    LoadRunner(const Scenario &scenario, const Variables &variables, const LoadProfile &profile,
               QObject *parent = nullptr);
    ~LoadRunner() override;

    void setData(const LoadData &data) { m_data = data; }
    // Overrides each iteration's scenario timeout (ms); 0 keeps the scenario's.
    void setScenarioTimeout(int ms) { m_timeoutOverrideMs = ms; }

    void start();
    // Starts nothing more and cancels the iterations running; finished() follows.
    void stop();
    bool isRunning() const { return m_running; }
    // The virtual users running now: in the closed model each user from its first iteration to
    // the end of its last (its think time included), in the open model those with an iteration
    // under way. 0 before the start and after the end.
    int activeUsers() const;

    const LoadProfile &profile() const { return m_profile; }
    const Scenario &scenario() const { return m_scenario; }
    // The figures so far (elapsed to now), or of the whole run once it finished.
    LoadSummary summary() const;
    // The first failure's report, for a person to start from; empty when all passed.
    const QString &firstFailure() const { return m_firstFailure; }

Q_SIGNALS:
    void iterationFinished(int user, const wsprobe::ScenarioResult &result);
    void finished();

private:
    struct User
    {
        int number = 0;         // {{__user}}
        int iterations = 0;     // started so far
        std::unique_ptr<ScenarioRunner> runner;  // Owned; the iteration running, if any.
        QTimer thinkTimer;
        bool done = false;
    };

    bool timeIsUp() const;
    void startIteration(User &user);
    void onIterationFinished(User &user, const ScenarioResult &result);
    void afterIteration(User &user);
    void onArrivalTick();
    qint64 arrivalsDue(qint64 elapsedMs) const;
    void finishIfDone();
    int busyUsers() const;

    Scenario m_scenario;
    Variables m_variables;
    LoadProfile m_profile;
    LoadData m_data;
    std::vector<std::unique_ptr<User>> m_users;  // Owned.
    // The first iteration's I/O threads, shared by all later ones: how many there are is the
    // engine's choice, made in ScenarioRunner; this class never looks inside.
    std::shared_ptr<IoThreadPool> m_ioThreads;
    LoadSummary m_summary;
    QString m_firstFailure;
    QElapsedTimer m_clock;
    QTimer m_arrivalTimer;
    qint64 m_arrivals = 0;    // open model: iterations due so far (started or dropped)
    qint64 m_dataRow = 0;     // the next row of the data file
    int m_timeoutOverrideMs = 0;
    int m_usersStarted = 0;
    bool m_running = false;
    bool m_stopping = false;
};

} // namespace wsprobe
