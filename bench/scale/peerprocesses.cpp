#include "peerprocesses.h"

#include "processstats.h"

#include <clock.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

constexpr auto DebianNodePath = "/usr/share/nodejs"_L1;
constexpr int StartTimeoutMs = 10'000;

QString lastLines(const QByteArray &output, int count)
{
    QList<QByteArray> lines = output.trimmed().split('\n');
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return QString::fromUtf8(lines.join('\n'));
}

} // namespace

bool NodeRuntime::find(const QString &program, QString *error)
{
    m_environment = QProcessEnvironment::systemEnvironment();
    QString nodePath = DebianNodePath;
    const QString existing = m_environment.value(u"NODE_PATH"_s);
    if (!existing.isEmpty())
        nodePath += QDir::listSeparator() + existing;
    m_environment.insert(u"NODE_PATH"_s, nodePath);

    QStringList candidates;
    if (!program.isEmpty()) {
        candidates << program;
    } else {
        for (const QString &name : {u"node"_s, u"nodejs"_s}) {
            const QString path = QStandardPaths::findExecutable(name);
            if (!path.isEmpty())
                candidates << path;
        }
    }
    QString failures;
    for (const QString &candidate : std::as_const(candidates)) {
        QProcess probe;
        probe.setProcessEnvironment(m_environment);
        probe.start(candidate, {u"-e"_s, u"const {WebSocketServer} = require('ws');"
                                         "process.stdout.write(process.version + ' ' + "
                                         "require(require.resolve('ws').replace(/index\\.js$/, "
                                         "'package.json')).version)"_s});
        if (probe.waitForFinished(StartTimeoutMs) && probe.exitStatus() == QProcess::NormalExit
            && probe.exitCode() == 0) {
            m_program = candidate;
            const QStringList versions = QString::fromUtf8(probe.readAllStandardOutput()).split(u' ');
            m_version = versions.value(0);
            m_wsVersion = versions.value(1);
            return true;
        }
        QString why = QString::fromUtf8(probe.readAllStandardError().trimmed());
        if (why.isEmpty())
            why = probe.errorString();
        failures += u"\n  %1: %2"_s.arg(candidate, why);
    }
    *error = candidates.isEmpty()
        ? u"Node.js was not found on PATH (tried node and nodejs): apt install nodejs node-ws"_s
        : u"No Node.js can load ws with NODE_PATH=%1:%2"_s.arg(nodePath, failures);
    return false;
}

void startWithRaisedFileLimit(QProcess &process, const QString &program, const QStringList &arguments)
{
    // $0 is the program, "$@" its arguments: nothing is parsed by the shell.
    process.start(u"/bin/sh"_s, QStringList{u"-c"_s,
                      u"ulimit -n \"$(ulimit -H -n)\" 2>/dev/null; exec \"$0\" \"$@\""_s, program}
                      + arguments);
}

EchoServer::~EchoServer()
{
    stop();
}

bool EchoServer::start(const NodeRuntime &node, const QString &script, int ports, QString *error)
{
    if (!QFile::exists(script)) {
        *error = u"%1 does not exist (see --scripts)"_s.arg(script);
        return false;
    }
    m_process.setProcessEnvironment(node.environment());
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    startWithRaisedFileLimit(m_process, node.program(), {script, QString::number(ports)});
    if (!m_process.waitForStarted(StartTimeoutMs)) {
        *error = u"cannot start %1: %2"_s.arg(node.program(), m_process.errorString());
        return false;
    }
    while (!m_process.canReadLine()) {
        if (!m_process.waitForReadyRead(StartTimeoutMs)) {
            *error = u"echo_server.js did not report its ports"_s;
            return false;
        }
    }
    const QJsonArray list = QJsonDocument::fromJson(m_process.readLine()).object()
                                .value(u"ports"_s).toArray();
    for (const QJsonValue &port : list)
        m_ports.append(quint16(port.toInt()));
    if (m_ports.size() != ports) {
        *error = u"echo_server.js reported %1 ports, not %2"_s.arg(m_ports.size()).arg(ports);
        return false;
    }
    return true;
}

QJsonArray EchoServer::stats()
{
    if (m_process.state() != QProcess::Running)
        return {};
    m_process.write("stats\n");
    while (!m_process.canReadLine()) {
        if (!m_process.waitForReadyRead(StartTimeoutMs))
            return {};
    }
    return QJsonDocument::fromJson(m_process.readLine()).array();
}

void EchoServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel();  // the server exits when its stdin ends
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

PeerFigures runNodeClient(const NodeRuntime &node, const QString &script, const PeerLoad &load)
{
    PeerFigures figures;
    figures.peer = u"node"_s;
    figures.sessions = load.sessions;
    QProcess client;
    client.setProcessEnvironment(node.environment());
    startWithRaisedFileLimit(client, node.program(),
                             {u"--expose-gc"_s, script, load.url, QString::number(load.sessions),
                              QString::number(load.concurrency), QString::number(load.holdSeconds),
                              QString::number(load.messages), load.payload});
    if (!client.waitForStarted(StartTimeoutMs)) {
        figures.note = u"cannot start %1: %2"_s.arg(node.program(), client.errorString());
        return figures;
    }
    if (!client.waitForFinished(load.timeoutMs)) {
        client.kill();
        client.waitForFinished(3000);
        figures.note = u"node_client.js did not finish in %1 ms"_s.arg(load.timeoutMs);
        return figures;
    }
    const QByteArray output = client.readAllStandardOutput();
    const QJsonObject result = QJsonDocument::fromJson(output.trimmed().split('\n').last()).object();
    if (result.isEmpty()) {
        figures.note = u"node_client.js printed no result: %1"_s
                           .arg(lastLines(client.readAllStandardError(), 5));
        return figures;
    }
    return PeerFigures::fromJson(result);
}

namespace {

struct ArtilleryRun
{
    bool ok = false;
    double seconds = 0;
    double cpuSeconds = 0;
    QString error;
    QString output;  // its last lines, for a failure
};

// Runs one Artillery ws scenario: users arriving at `rate` a second for `duration` seconds,
// each sending `messages` times `payload`, then leaving.
ArtilleryRun runArtilleryOnce(const QString &artillery, const NodeRuntime &node, quint16 port,
                              int duration, int rate, int messages, const QString &payload,
                              int timeoutMs)
{
    ArtilleryRun run;
    QTemporaryDir dir;
    if (!dir.isValid()) {
        run.error = u"no temporary folder: %1"_s.arg(dir.errorString());
        return run;
    }
    const QString scriptPath = dir.filePath(u"scale.yml"_s);
    QFile script(scriptPath);
    if (!script.open(QIODevice::WriteOnly | QIODevice::Text)) {
        run.error = u"cannot write %1: %2"_s.arg(scriptPath, script.errorString());
        return run;
    }
    // The payload is plain letters (see main.cpp), so it needs no YAML escaping.
    script.write(u"config:\n"
                  "  target: \"ws://127.0.0.1:%1\"\n"
                  "  phases:\n"
                  "    - duration: %2\n"
                  "      arrivalRate: %3\n"
                  "scenarios:\n"
                  "  - engine: ws\n"
                  "    flow:\n"
                  "      - loop:\n"
                  "          - send: \"%4\"\n"
                  "        count: %5\n"_s
                     .arg(port).arg(duration).arg(rate).arg(payload).arg(messages).toUtf8());
    script.close();

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ARTILLERY_DISABLE_TELEMETRY"_s, u"true"_s);
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(dir.path());
    const double cpuStart = cpuSecondsChildren();
    const qint64 start = monotonicNowNs();
    // Run by the same Node as the others, not whichever `env node` finds.
    startWithRaisedFileLimit(process, node.program(),
                             {artillery, u"run"_s, u"--output"_s, dir.filePath(u"report.json"_s),
                              scriptPath});
    if (!process.waitForStarted(StartTimeoutMs)) {
        run.error = u"cannot start %1: %2"_s.arg(artillery, process.errorString());
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(3000);
        run.error = u"artillery did not finish in %1 ms"_s.arg(timeoutMs);
        return run;
    }
    run.seconds = double(monotonicNowNs() - start) / 1e9;
    run.cpuSeconds = cpuSecondsChildren() - cpuStart;  // the child has been waited for
    run.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!run.ok) {
        run.error = u"exit %1: %2"_s.arg(process.exitCode())
                        .arg(lastLines(process.readAllStandardOutput()
                                           + process.readAllStandardError(), 5));
    }
    return run;
}

} // namespace

PeerFigures runArtillery(const QString &artillery, const NodeRuntime &node, EchoServer &server,
                         int portIndex, const PeerLoad &load, int arrivalRate)
{
    PeerFigures figures;
    figures.peer = u"artillery"_s;
    figures.sessions = load.sessions;
    const quint16 port = server.port(portIndex);

    // What Artillery costs with next to no load: one user, one message. Starting Node, loading
    // its plugins and writing its reports is a fixed cost, shown apart from the load's.
    const ArtilleryRun baseline = runArtilleryOnce(artillery, node, port, 1, 1, 1, load.payload,
                                                   load.timeoutMs);
    if (!baseline.ok) {
        figures.note = u"the baseline run failed: "_s + baseline.error;
        return figures;
    }
    figures.baselineCpuSeconds = baseline.cpuSeconds;

    // Whole seconds of arrivals at about the engine's rate, rate * duration close to --sessions.
    const int duration = qMax(1, int(std::ceil(double(load.sessions) / qMax(1, arrivalRate))));
    const int rate = int(std::ceil(double(load.sessions) / duration));
    const QJsonObject before = server.stats().at(portIndex).toObject();
    const ArtilleryRun run = runArtilleryOnce(artillery, node, port, duration, rate, load.messages,
                                              load.payload, load.timeoutMs);
    const QJsonObject after = server.stats().at(portIndex).toObject();
    figures.messageSeconds = run.seconds;
    figures.messageCpuSeconds = run.cpuSeconds;
    figures.connected = after.value(u"accepted"_s).toInteger() - before.value(u"accepted"_s).toInteger();
    figures.messages = after.value(u"received"_s).toInteger() - before.value(u"received"_s).toInteger();
    const qint64 users = qint64(rate) * duration;
    figures.sessions = users;
    // Artillery may start a few users more than rate * duration: each that came must have sent
    // all of its messages.
    figures.ok = run.ok && figures.connected >= users
        && figures.messages == figures.connected * load.messages;
    figures.note = u"%1 users at %2/s for %3 s, each connecting, sending %4 and leaving; wall and "
                   "CPU time are the whole run (%5 CPU-s for a run of one user and one message: "
                   "%6 msg/CPU-s without it)"_s
                       .arg(users).arg(rate).arg(duration).arg(load.messages)
                       .arg(baseline.cpuSeconds, 0, 'f', 2)
                       .arg(run.cpuSeconds > baseline.cpuSeconds
                                ? QString::number(std::round(double(figures.messages)
                                                             / (run.cpuSeconds - baseline.cpuSeconds)))
                                : u"-"_s);
    if (!figures.ok) {
        figures.note += u"; the server received %1 of %2 messages from %3 connections; %4"_s
                            .arg(figures.messages).arg(figures.connected * load.messages)
                            .arg(figures.connected).arg(run.error);
    }
    return figures;
}

} // namespace wsprobe::bench
