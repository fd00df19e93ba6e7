#include "captureimport.h"

#include "framelog.h"
#include "recorder.h"
#include "secretmasker.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe::CaptureImport {
namespace {

// A step of one client's recording with the time of the event it came from.
struct TimedStep
{
    qint64 ns = 0;
    int client = 0;
    int index = 0;
    Step step;
};

// The runner's default step timeout: an expect that waited longer in the capture gets more.
constexpr int DefaultStepTimeoutMs = 5000;
constexpr int MinimumScenarioTimeoutMs = 30000;

} // namespace

ImportResult toScenario(const QList<CapturedConnection> &connections, const ImportOptions &options)
{
    ImportResult result;
    Scenario &scenario = result.scenario;
    scenario.name = !options.scenarioName.isEmpty() ? options.scenarioName
        : u"Imported from %1"_s.arg(options.source.isEmpty() ? u"a capture"_s : QFileInfo(options.source).fileName());

    std::vector<TimedStep> steps;
    QMap<QString, QString> secrets;
    for (int i = 0; i < connections.size(); ++i) {
        const CapturedConnection &connection = connections[i];
        FrameLog log;
        for (const FrameEvent &event : connection.events)
            log.append(FrameEvent(event));
        RecordOptions record;
        record.scenarioName = scenario.name;
        record.clientName = connections.size() == 1 ? u"client"_s : u"client%1"_s.arg(i + 1);
        record.keepPauses = false;  // put back below, across all clients
        record.looseJson = options.looseJson;
        record.knownSecrets = secrets;  // two clients' different tokens get two variables
        Recording recording = Recorder::record(connection.settings, log, record);
        scenario.clients.append(recording.scenario.clients);
        if (connection.refusedStatus != 0) {
            Step refused;
            refused.type = Step::Type::ExpectRejected;
            refused.clients = QStringList{record.clientName};
            // A scenario names a refusal's status from 300 to 599; any other refusal is "any".
            refused.httpStatus = connection.refusedStatus >= 300 && connection.refusedStatus < 600 ? connection.refusedStatus : 0;
            steps.push_back({connection.refusedAtMs * 1'000'000, i, 0, refused});
        }
        secrets = recording.secrets;
        for (int k = 0; k < recording.scenario.steps.size(); ++k) {
            const qint64 sequence = recording.stepEvents.value(k, -1);
            const qint64 ns = log.contains(sequence) ? log.at(sequence).monotonicNs : 0;
            steps.push_back({ns, i, k, recording.scenario.steps[k]});
        }
    }
    // In the order things happened; a client's own steps never change places.
    std::stable_sort(steps.begin(), steps.end(), [](const TimedStep &a, const TimedStep &b) {
        return a.ns < b.ns;
    });

    qint64 previousNs = -1;
    qint64 firstNs = steps.empty() ? 0 : steps.front().ns;
    qint64 lastNs = firstNs;
    for (TimedStep &timed : steps) {
        // Capped at a day, the longest wait or timeout a scenario file may hold.
        const int gapMs = previousNs < 0 ? 0 : int(std::min<qint64>((timed.ns - previousNs) / 1'000'000, MaxScenarioDurationMs));
        if (timed.step.type == Step::Type::Send && gapMs >= options.minPauseMs) {
            Step wait;
            wait.type = Step::Type::Wait;
            wait.waitMs = gapMs;
            wait.optional = true;
            wait.clients = timed.step.clients;
            scenario.steps.append(wait);
        } else if (timed.step.type == Step::Type::Expect && qint64(gapMs) * 2 > DefaultStepTimeoutMs) {
            // The server took its time in the capture too.
            timed.step.timeoutMs = int(std::min<qint64>(qint64(gapMs) * 2, MaxScenarioDurationMs));
        }
        previousNs = timed.ns;
        lastNs = std::max(lastNs, timed.ns);
        scenario.steps.append(std::move(timed.step));
    }
    const qint64 spanMs = (lastNs - firstNs) / 1'000'000;
    scenario.timeoutMs = int(std::clamp<qint64>(spanMs * 2 + 10000, MinimumScenarioTimeoutMs, MaxScenarioDurationMs));

    for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
        result.variablesToDefine.append(it.key());
        // A value the capture had masked already is no value to run with.
        if (!it.value().contains(SecretMasker::Mask))
            result.secrets.insert(it.key(), it.value());
    }
    return result;
}

} // namespace wsprobe::CaptureImport
