#include "loadrunner.h"

#include "scenariorunner.h"
#include "sessionstats.h"

#include <QUuid>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {

LoadRunner::LoadRunner(const Scenario &scenario, const Variables &variables,
                       const LoadProfile &profile, QObject *parent)
    : QObject(parent), m_scenario(scenario), m_variables(variables), m_profile(profile)
{
    m_profile.users = std::max(1, m_profile.users);
    m_arrivalTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_arrivalTimer, &QTimer::timeout, this, &LoadRunner::onArrivalTick);
}

LoadRunner::~LoadRunner() = default;

void LoadRunner::start()
{
    if (m_running)
        return;
    m_running = true;
    m_stopping = false;
    m_summary = {};
    m_clock.start();
    for (int i = 0; i < m_profile.users; ++i) {
        auto user = std::make_unique<User>();
        user->number = i + 1;
        user->thinkTimer.setSingleShot(true);
        // A coarse timer may fire 5 % early; a think time is a promise about the pause.
        user->thinkTimer.setTimerType(Qt::PreciseTimer);
        m_users.push_back(std::move(user));
    }
    if (m_profile.arrivalRate > 0) {
        // Often enough that arrivals are at most ~10 ms late, seldom enough to cost nothing.
        m_arrivalTimer.start(int(std::clamp(1000.0 / m_profile.arrivalRate, 5.0, 10.0)));
        onArrivalTick();
        return;
    }
    for (int i = 0; i < m_profile.users; ++i) {
        User *user = m_users[std::size_t(i)].get();
        connect(&user->thinkTimer, &QTimer::timeout, this, [this, user] {
            if (m_stopping || timeIsUp()) {
                user->done = true;
                finishIfDone();
            } else {
                startIteration(*user);
            }
        });
        // Evenly over the ramp-up: the first at once, the last one step before its end.
        user->thinkTimer.start(int(m_profile.rampUpMs * i / m_profile.users));
    }
}

void LoadRunner::stop()
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    m_arrivalTimer.stop();
    for (const auto &user : m_users) {
        if (!user->runner) {
            user->thinkTimer.stop();
            user->done = true;
        }
    }
    for (const auto &user : m_users) {
        if (user->runner)
            user->runner->cancel();
    }
    finishIfDone();
}

LoadSummary LoadRunner::summary() const
{
    LoadSummary summary = m_summary;
    if (m_running)
        summary.elapsedNs = m_clock.nsecsElapsed();
    return summary;
}

bool LoadRunner::timeIsUp() const
{
    return m_clock.elapsed() >= m_profile.rampUpMs + m_profile.durationMs;
}

int LoadRunner::activeUsers() const
{
    if (!m_running)
        return 0;
    if (m_profile.arrivalRate > 0)
        return busyUsers();
    return int(std::count_if(m_users.begin(), m_users.end(),
                             [](const auto &user) { return user->iterations > 0 && !user->done; }));
}

int LoadRunner::busyUsers() const
{
    return int(std::count_if(m_users.begin(), m_users.end(),
                             [](const auto &user) { return user->runner != nullptr; }));
}

void LoadRunner::startIteration(User &user)
{
    Variables variables = m_variables;
    // The environment-file layer: above the scenario's defaults, below --var.
    constexpr Variables::Layer layer = Variables::Layer::EnvironmentFile;
    variables.set(layer, u"__user"_s, QString::number(user.number));
    variables.set(layer, u"__iteration"_s, QString::number(user.iterations));
    variables.set(layer, u"__uuid"_s, QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (!m_data.isEmpty()) {
        const QStringList row = m_data.row(m_dataRow++);
        for (qsizetype c = 0; c < row.size(); ++c)
            variables.set(layer, m_data.columns().at(c), row.at(c));
    }
    ++user.iterations;
    user.runner = std::make_unique<ScenarioRunner>(m_scenario, variables);
    user.runner->setScenarioTimeout(m_timeoutOverrideMs);
    if (m_ioThreads)
        user.runner->shareIoThreads(m_ioThreads);
    else
        m_ioThreads = user.runner->ioThreads();
    connect(user.runner.get(), &ScenarioRunner::finished, this,
            [this, &user](const ScenarioResult &result) { onIterationFinished(user, result); });
    m_summary.usersMax = std::max(m_summary.usersMax, busyUsers());
    user.runner->start();
}

void LoadRunner::onIterationFinished(User &user, const ScenarioResult &result)
{
    ScenarioRunner *runner = user.runner.get();
    if (!runner)
        return;
    // Each client's last connection; the stats start over when a client reconnects.
    for (const QString &name : runner->clientNames()) {
        const SessionStats *stats = runner->stats(name);
        if (!stats)
            continue;
        const StatsFigures figures = stats->figures();
        if (figures.connectNs >= 0)
            m_summary.connect.record(figures.connectNs);
        m_summary.roundTrips.merge(stats->roundTrips());
        m_summary.messagesIn += figures.messagesIn;
        m_summary.messagesOut += figures.messagesOut;
        m_summary.bytesIn += figures.bytesIn;
        m_summary.bytesOut += figures.bytesOut;
    }
    ++m_summary.iterations;
    if (result.passed) {
        ++m_summary.passed;
    } else {
        const StepResult *failure = result.firstFailure();
        const bool atConnect = failure && failure->index < m_scenario.steps.size()
                               && m_scenario.steps[failure->index].type == Step::Type::Connect;
        ++(atConnect ? m_summary.connectionFailures : m_summary.failedSteps);
        if (m_firstFailure.isEmpty())
            m_firstFailure = u"user %1, iteration %2:\n%3"_s.arg(user.number).arg(user.iterations - 1)
                                     .arg(result.failureReport());
    }
    Q_EMIT iterationFinished(user.number, result);
    // Not here: the runner is still inside its own signal.
    user.runner.release()->deleteLater();
    afterIteration(user);
}

void LoadRunner::afterIteration(User &user)
{
    if (m_profile.arrivalRate > 0) {
        finishIfDone();  // the user waits for the next arrival
        return;
    }
    const bool enough = m_profile.iterations > 0 && user.iterations >= m_profile.iterations;
    if (m_stopping || enough || timeIsUp()) {
        user.done = true;
        finishIfDone();
        return;
    }
    user.thinkTimer.start(int(m_profile.thinkTimeMs));
}

qint64 LoadRunner::arrivalsDue(qint64 elapsedMs) const
{
    const double rate = m_profile.arrivalRate;
    const double t = double(elapsedMs) / 1000;
    const double ramp = double(m_profile.rampUpMs) / 1000;
    // The rate rises linearly over the ramp-up: the arrivals are the area under it.
    const double due = t < ramp ? rate * t * t / (2 * ramp) : rate * ramp / 2 + rate * (t - ramp);
    return qint64(std::ceil(due - 1e-9));
}

void LoadRunner::onArrivalTick()
{
    const qint64 end = m_profile.rampUpMs + m_profile.durationMs;
    const qint64 elapsed = std::min(m_clock.elapsed(), end);
    const qint64 due = m_stopping ? m_arrivals : arrivalsDue(elapsed);
    while (m_arrivals < due) {
        ++m_arrivals;
        const auto free = std::find_if(m_users.begin(), m_users.end(),
                                       [](const auto &user) { return user->runner == nullptr; });
        if (free == m_users.end())
            ++m_summary.dropped;
        else
            startIteration(**free);
    }
    if (m_stopping || elapsed >= end) {
        m_arrivalTimer.stop();
        for (const auto &user : m_users)
            user->done = true;
        finishIfDone();
    }
}

void LoadRunner::finishIfDone()
{
    if (!m_running)
        return;
    if (m_profile.arrivalRate > 0 ? m_arrivalTimer.isActive() || busyUsers() > 0
                                  : std::any_of(m_users.begin(), m_users.end(),
                                                [](const auto &user) { return !user->done; })) {
        return;
    }
    m_running = false;
    m_summary.elapsedNs = m_clock.nsecsElapsed();
    Q_EMIT finished();
}

} // namespace wsprobe
