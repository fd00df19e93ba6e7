#include "benchdriver.h"

#include "firsttouch.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStandardPaths>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

// Where Debian installs node-ws; a node built elsewhere (nodesource, nvm) does not look there.
constexpr auto DebianNodePath = "/usr/share/nodejs"_L1;
constexpr int ServerStartTimeoutMs = 10'000;

struct ReceiverInfo
{
    QString name;
    QString label;
};

const QList<ReceiverInfo> &receivers()
{
    static const QList<ReceiverInfo> list{
        {u"engine"_s, u"engine (Session + FrameLog)"_s},
        {u"node"_s, u"node (ws client)"_s},
        {u"bare"_s, u"bare QWebSocket"_s},
        {u"raw"_s, u"raw TCP read (server ceiling)"_s},
    };
    return list;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// The medians of one receiver on one workload, over its successful runs.
struct Summary
{
    double messagesPerSecond = 0;
    double megabytesPerSecond = 0;
    double peakRssKiB = 0;
    // The engine's log (medians; 0 for the other receivers).
    double logRecordBytes = 0;
    double logPayloadBytesInMemory = 0;
    double logPayloadBytesOnDisk = 0;
    double logBytes = 0;
    int okRuns = 0;
    QList<double> runs;  // messages/s of every successful run, in order
};

Summary summarize(const QList<ReceiverResult> &results)
{
    Summary summary;
    QList<double> megabytes, rss, records, inMemory, onDisk, logBytes;
    for (const ReceiverResult &result : results) {
        if (!result.ok)
            continue;
        ++summary.okRuns;
        summary.runs.append(result.messagesPerSecond());
        megabytes.append(result.megabytesPerSecond());
        rss.append(double(result.peakRssKiB));
        if (result.hasLog()) {
            records.append(double(result.logRecordBytes));
            inMemory.append(double(result.logPayloadBytesInMemory));
            onDisk.append(double(result.logPayloadBytesOnDisk));
            logBytes.append(double(result.logBytes()));
        }
    }
    summary.messagesPerSecond = median(summary.runs);
    summary.megabytesPerSecond = median(megabytes);
    summary.peakRssKiB = median(rss);
    summary.logRecordBytes = median(records);
    summary.logPayloadBytesInMemory = median(inMemory);
    summary.logPayloadBytesOnDisk = median(onDisk);
    summary.logBytes = median(logBytes);
    return summary;
}

double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

QString cpuModel()
{
    QFile file(u"/proc/cpuinfo"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');  // /proc: no size, no atEnd()
    for (const QByteArray &line : lines) {
        if (line.startsWith("model name")) {
            const qsizetype colon = line.indexOf(':');
            return QString::fromUtf8(line.mid(colon + 1).trimmed());
        }
    }
    return {};
}

QString lastLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last().trimmed());
}

} // namespace

BenchDriver::BenchDriver(const Options &options)
    : m_options(options)
{
}

BenchDriver::~BenchDriver()
{
    stopServer();
}

bool BenchDriver::findNode(QString *error)
{
    m_nodeEnvironment = QProcessEnvironment::systemEnvironment();
    QString nodePath = DebianNodePath;
    const QString existing = m_nodeEnvironment.value(u"NODE_PATH"_s);
    if (!existing.isEmpty())
        nodePath += QDir::listSeparator() + existing;
    m_nodeEnvironment.insert(u"NODE_PATH"_s, nodePath);

    QStringList candidates;
    if (!m_options.nodeProgram.isEmpty()) {
        candidates << m_options.nodeProgram;
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
        probe.setProcessEnvironment(m_nodeEnvironment);
        probe.start(candidate, {u"-e"_s, u"const {WebSocketServer} = require('ws');"
                                         "process.stdout.write(process.version + ' ' + "
                                         "require(require.resolve('ws').replace(/index\\.js$/, "
                                         "'package.json')).version)"_s});
        if (probe.waitForFinished(10'000) && probe.exitStatus() == QProcess::NormalExit
            && probe.exitCode() == 0) {
            m_node = candidate;
            const QStringList versions = QString::fromUtf8(probe.readAllStandardOutput()).split(u' ');
            m_nodeVersion = versions.value(0);
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
        : u"No Node.js can load ws 8 with NODE_PATH=%1:%2"_s.arg(nodePath, failures);
    return false;
}

bool BenchDriver::startServer(QString *error)
{
    const QString script = QDir(m_options.scriptDir).filePath(u"flood_server.js"_s);
    if (!QFile::exists(script)) {
        *error = u"%1 does not exist (see --scripts)"_s.arg(script);
        return false;
    }
    m_server.setProcessEnvironment(m_nodeEnvironment);
    m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_server.start(m_node, {script});
    if (!m_server.waitForStarted(ServerStartTimeoutMs)) {
        *error = u"cannot start %1: %2"_s.arg(m_node, m_server.errorString());
        return false;
    }
    while (!m_server.canReadLine()) {
        if (!m_server.waitForReadyRead(ServerStartTimeoutMs)) {
            *error = u"flood_server.js did not report its port"_s;
            return false;
        }
    }
    const QJsonObject hello = QJsonDocument::fromJson(m_server.readLine()).object();
    m_port = quint16(hello.value(u"port"_s).toInt());
    if (m_port == 0) {
        *error = u"flood_server.js reported no port"_s;
        return false;
    }
    return true;
}

void BenchDriver::stopServer()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    m_server.closeWriteChannel();  // the server exits when its stdin ends
    if (!m_server.waitForFinished(3000)) {
        m_server.kill();
        m_server.waitForFinished(3000);
    }
}

QString BenchDriver::urlFor(const Workload &workload) const
{
    return u"ws://127.0.0.1:%1/flood?kind=%2&n=%3&size=%4"_s.arg(m_port)
        .arg(workload.kind)
        .arg(workload.messages)
        .arg(workload.payloadBytes);
}

ReceiverResult BenchDriver::runReceiver(const QString &receiver, const Workload &workload)
{
    QProcess process;
    const QString timeout = QString::number(m_options.clientTimeoutMs);
    if (receiver == "node"_L1) {
        process.setProcessEnvironment(m_nodeEnvironment);
        process.start(m_node, {QDir(m_options.scriptDir).filePath(u"node_client.js"_s),
                               urlFor(workload), QString::number(workload.messages), timeout});
    } else {
        QStringList arguments{u"--client"_s, receiver, u"--url"_s, urlFor(workload),
                              u"--count"_s, QString::number(workload.messages), u"--size"_s,
                              QString::number(workload.payloadBytes), u"--timeout-ms"_s, timeout};
        if (receiver == "engine"_L1 && m_options.logBudgetMiB > 0)
            arguments << u"--log-budget-mib"_s << QString::number(m_options.logBudgetMiB);
        process.start(m_options.selfPath, arguments);
    }
    ReceiverResult result;
    result.receiver = receiver;
    if (!process.waitForFinished(m_options.clientTimeoutMs + 10'000)) {
        process.kill();
        process.waitForFinished(3000);
        result.error = u"the %1 receiver did not finish: %2"_s.arg(receiver, process.errorString());
        return result;
    }
    const QString line = lastLine(process.readAllStandardOutput());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result.error = u"the %1 receiver printed no result (exit %2): %3"_s
                           .arg(receiver)
                           .arg(process.exitCode())
                           .arg(QString::fromUtf8(process.readAllStandardError().trimmed()));
        return result;
    }
    result = ReceiverResult::fromJson(document.object());
    result.receiver = receiver;
    return result;
}

int BenchDriver::run()
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QString error;
    if (!findNode(&error) || !startServer(&error)) {
        err << "wsprobe-bench-ingest: " << error << Qt::endl;
        return 2;
    }

    QList<Workload> workloads;
    if (m_options.textMessages > 0)
        workloads.append({u"text"_s, u"text"_s, m_options.textMessages, 64});
    if (m_options.binaryMessages > 0)
        workloads.append({u"binary"_s, u"binary"_s, m_options.binaryMessages, 1024});
    QList<ReceiverInfo> measured;
    for (const ReceiverInfo &info : receivers()) {
        if (info.name != "raw"_L1 || m_options.withRaw)
            measured.append(info);
    }

    const QLocale locale(QLocale::English, QLocale::UnitedStates);
    const int cores = QThread::idealThreadCount();
    const QString cpu = cpuModel();
    bool allOk = true;
    QJsonArray workloadsJson;

    // Measured before and after: a machine whose memory slows down during the run shows it.
    const double touchBefore = firstTouchGBps();
    out << "wsprobe-bench-ingest: " << cores << " cores (" << cpu << "), Qt " << qVersion()
        << ", Node " << m_nodeVersion << " with ws " << m_wsVersion << ", " << m_options.rounds
        << " rounds, median reported" << Qt::endl;
    out << "engine log: "
        << (m_options.logBudgetMiB > 0
                ? u"LogMemoryBudget of %1 MiB, older payloads spill to disk"_s.arg(m_options.logBudgetMiB)
                : u"no LogMemoryBudget, every payload in RAM"_s)
        << Qt::endl;
    out << QString::asprintf("first touch of fresh memory: %.2f GB/s", touchBefore) << Qt::endl;

    for (const Workload &workload : std::as_const(workloads)) {
        QHash<QString, QList<ReceiverResult>> results;
        for (int round = 1; round <= m_options.rounds; ++round) {
            // Receivers alternate within a round, so a drift of the machine hits all alike.
            for (const ReceiverInfo &info : std::as_const(measured)) {
                const ReceiverResult result = runReceiver(info.name, workload);
                results[info.name].append(result);
                err << "  " << workload.name << " round " << round << '/' << m_options.rounds
                    << ' ' << info.name << ": ";
                if (result.ok) {
                    err << locale.toString(qint64(result.messagesPerSecond())) << " msg/s, "
                        << result.peakRssKiB / 1024 << " MiB";
                } else {
                    err << "FAILED: " << result.error;
                    allOk = false;
                }
                err << Qt::endl;
            }
        }

        QHash<QString, Summary> summaries;
        for (const ReceiverInfo &info : std::as_const(measured))
            summaries.insert(info.name, summarize(results.value(info.name)));

        out << Qt::endl
            << "== " << workload.name << ": " << locale.toString(workload.messages) << ' '
            << workload.kind << " messages of " << workload.payloadBytes << " B ==" << Qt::endl;
        out << QString::asprintf("%-30s %14s %10s %14s   %s", "receiver", "messages/s", "MB/s",
                                 "peak RSS MiB", "runs (messages/s)")
            << Qt::endl;
        QJsonObject receiversJson;
        for (const ReceiverInfo &info : std::as_const(measured)) {
            const Summary &s = summaries[info.name];
            QStringList runs;
            QJsonArray runsJson;
            for (double run : s.runs) {
                runs << locale.toString(qint64(run));
                runsJson.append(qint64(run));
            }
            out << info.label.leftJustified(30) << ' '
                << locale.toString(qint64(s.messagesPerSecond)).rightJustified(14) << ' '
                << QString::number(s.megabytesPerSecond, 'f', 1).rightJustified(10) << ' '
                << QString::number(s.peakRssKiB / 1024, 'f', 1).rightJustified(14) << "   "
                << runs.join(u' ')
                << (s.okRuns < m_options.rounds
                        ? u"  (%1 of %2 runs failed)"_s.arg(m_options.rounds - s.okRuns)
                              .arg(m_options.rounds)
                        : QString())
                << Qt::endl;
            receiversJson.insert(info.name, QJsonObject{
                {u"messagesPerSecond"_s, qint64(s.messagesPerSecond)},
                {u"megabytesPerSecond"_s, std::round(s.megabytesPerSecond * 10) / 10},
                {u"peakRssKiB"_s, qint64(s.peakRssKiB)},
                {u"okRuns"_s, s.okRuns},
                {u"runsMessagesPerSecond"_s, runsJson},
            });
        }
        const double engine = summaries[u"engine"_s].messagesPerSecond;
        const double node = summaries[u"node"_s].messagesPerSecond;
        const double bare = summaries[u"bare"_s].messagesPerSecond;
        out << QString::asprintf("ratios: engine/node %.2fx   bare/node %.2fx   engine/bare %.2fx"
                                 "   (first touch %.2f GB/s)",
                                 ratio(engine, node), ratio(bare, node), ratio(engine, bare),
                                 touchBefore)
            << Qt::endl;

        // What the log keeps, and what the process grew by beyond a receiver that keeps nothing.
        const Summary &e = summaries[u"engine"_s];
        // A receiver that keeps every payload touches that much fresh memory once, and on two
        // cores with the server on one, it does so on the core it receives on. A receiver doing
        // bare's work per message and then that touch would reach this engine/bare; beating it
        // takes less work per message than QWebSocket does (the engine manages that for text).
        const double bareSeconds = bare > 0 ? double(workload.messages) / bare : 0;
        const double touchSeconds =
            touchBefore > 0 ? (e.logPayloadBytesInMemory + e.logRecordBytes) / (touchBefore * 1e9)
                            : 0;
        const double ceiling =
            bareSeconds > 0 ? bareSeconds / (bareSeconds + touchSeconds) : 0;
        out << QString::asprintf("bare's work + touching what the log keeps: engine/bare = %.2f"
                                 " (bare's %.0f ms + %.0f ms at %.2f GB/s)",
                                 ceiling, bareSeconds * 1000, touchSeconds * 1000, touchBefore)
            << Qt::endl;
        const double messages = double(workload.messages);
        const double payload = messages * double(workload.payloadBytes);
        const double keptBeyondPayload = (e.logBytes - payload) / messages;
        const double rssPerFrame =
            (e.peakRssKiB - summaries[u"bare"_s].peakRssKiB) * 1024 / messages;
        constexpr double MiB = 1024 * 1024;
        out << QString::asprintf("engine log: %.1f MiB = records %.1f MiB + payload in RAM %.1f MiB"
                                 " + on disk %.1f MiB, for %.1f MiB of payload",
                                 e.logBytes / MiB, e.logRecordBytes / MiB,
                                 e.logPayloadBytesInMemory / MiB, e.logPayloadBytesOnDisk / MiB,
                                 payload / MiB)
            << Qt::endl;
        out << QString::asprintf("per frame: log keeps %.1f B beyond the payload; RSS %.1f B"
                                 " ((engine peak RSS - bare peak RSS) / messages)",
                                 keptBeyondPayload, rssPerFrame)
            << Qt::endl;

        workloadsJson.append(QJsonObject{
            {u"name"_s, workload.name},
            {u"kind"_s, workload.kind},
            {u"messages"_s, workload.messages},
            {u"payloadBytes"_s, workload.payloadBytes},
            {u"receivers"_s, receiversJson},
            {u"ratios"_s, QJsonObject{
                {u"engine/node"_s, std::round(ratio(engine, node) * 100) / 100},
                {u"bare/node"_s, std::round(ratio(bare, node) * 100) / 100},
                {u"engine/bare"_s, std::round(ratio(engine, bare) * 100) / 100},
                {u"engine/bare if bare + touch"_s, std::round(ceiling * 100) / 100},
            }},
            {u"log"_s, QJsonObject{
                {u"logBytes"_s, qint64(e.logBytes)},
                {u"recordBytes"_s, qint64(e.logRecordBytes)},
                {u"payloadBytesInMemory"_s, qint64(e.logPayloadBytesInMemory)},
                {u"payloadBytesOnDisk"_s, qint64(e.logPayloadBytesOnDisk)},
                {u"bytesKeptPerFrameBeyondPayload"_s, std::round(keptBeyondPayload * 10) / 10},
                {u"rssBytesPerFrame"_s, std::round(rssPerFrame * 10) / 10},
            }},
        });
    }
    stopServer();
    const double touchAfter = firstTouchGBps();
    out << QString::asprintf("first touch of fresh memory after the run: %.2f GB/s", touchAfter)
        << Qt::endl;

    const QJsonObject summary{
        {u"benchmark"_s, u"ingest"_s},
        {u"ok"_s, allOk},
        {u"machine"_s, QJsonObject{{u"cores"_s, cores}, {u"cpu"_s, cpu},
                                   {u"firstTouchGBps"_s, std::round(touchBefore * 100) / 100},
                                   {u"firstTouchGBpsAfter"_s, std::round(touchAfter * 100) / 100}}},
        {u"qt"_s, QString::fromLatin1(qVersion())},
        {u"node"_s, m_nodeVersion},
        {u"ws"_s, m_wsVersion},
        {u"rounds"_s, m_options.rounds},
        {u"logBudgetMiB"_s, m_options.logBudgetMiB},
        {u"workloads"_s, workloadsJson},
    };
    out << Qt::endl << QJsonDocument(summary).toJson(QJsonDocument::Compact) << Qt::endl;
    return allOk ? 0 : 1;
}

} // namespace wsprobe::bench
