#pragma once

// Private to ScenarioRunner's two source files: scenariorunner.cpp (the run: steps in order,
// timeouts, verdicts, closing) and scenariosteps.cpp (what each kind of step does).

#include "scenariorunner.h"
#include "session.h"
#include "sessionstats.h"

#include <QJsonValue>

#include <memory>
#include <vector>

namespace wsprobe::runner {

// Each name once, however many clients or fields use it.
QString undefinedVariables(QStringList names, const QString &where = {});
// A message as a failure shows it: text cut at maxChars, binary as hex.
QString preview(const FrameEvent &event, int maxChars = 300);
// A value as a message or a variable carries it: a string as it is, anything else as JSON.
QString textOf(const QJsonValue &value);

} // namespace wsprobe::runner

namespace wsprobe {

// A scenario client at run time: its session and what it has received.
struct ScenarioRunner::Client
{
    QString name;
    const ClientSpec *spec = nullptr;  // Not owned: points into m_scenario.
    std::unique_ptr<Session> session;
    std::unique_ptr<SessionStats> stats;  // round trips, read from the session's log
    std::vector<qint64> inbox;         // sequence numbers of incoming messages, in order
    std::vector<bool> consumed;        // parallel to inbox
    qint64 lastMatched = -1;           // what the last expect took, for capture
    QByteArray lastPing;
    qint64 lastPingSequence = -1;
};

} // namespace wsprobe
