// wsprobe-bench-mock: the mock server's echo round trip for small messages, beside a node `ws`
// echo server's on the same machine in the same run. The mock runs as users run it
// (`wsprobe-run --serve echo.mock.json`, every message echoed by "unmatched": "echo", each
// client's log kept); the node server is tests/peers/node_server.js. One node `ws` client
// (bench/common/latency_pair.js) alternates batches of round trips between the two. Prints the machine's
// first-touch rate first, as the other benchmarks do, then the figures, then one JSON line.

#include "firsttouch.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace wsprobe::bench;

namespace {

constexpr int StartTimeoutMs = 10000;

// Waits (bounded) for a first line of stdout that `accept` takes; empty when none came.
QString firstLine(QProcess &process, int timeoutMs, const std::function<bool(const QString &)> &accept)
{
    QElapsedTimer clock;
    clock.start();
    QByteArray buffer;
    while (clock.elapsed() < timeoutMs) {
        process.waitForReadyRead(100);
        buffer += process.readAllStandardOutput();
        for (const QByteArray &line : buffer.split('\n')) {
            const QString text = QString::fromUtf8(line).trimmed();
            if (accept(text))
                return text;
        }
        if (process.state() == QProcess::NotRunning)
            break;
    }
    return {};
}

void stop(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.closeWriteChannel();
    process.terminate();
    if (!process.waitForFinished(3000)) {
        process.kill();
        process.waitForFinished(3000);
    }
}

QString number(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"The mock server's echo round trip beside a node ws echo server's."_s);
    parser.addHelpOption();
    const QCommandLineOption roundTripsOption(u"round-trips"_s, u"Round trips to each server (5000)."_s, u"N"_s, u"5000"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Message size in bytes (64)."_s, u"BYTES"_s, u"64"_s);
    const QCommandLineOption nodeOption(u"node"_s, u"The Node.js program (node, else nodejs, on PATH)."_s, u"PROGRAM"_s);
    const QCommandLineOption runOption(u"wsprobe-run"_s, u"The wsprobe-run program (beside this one)."_s, u"PROGRAM"_s);
    parser.addOptions({roundTripsOption, sizeOption, nodeOption, runOption});
    parser.process(app);
    QTextStream out(stdout);
    QTextStream err(stderr);

    QString node = parser.value(nodeOption);
    if (node.isEmpty())
        node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        node = QStandardPaths::findExecutable(u"nodejs"_s);
    if (node.isEmpty()) {
        err << "Node.js was not found on PATH (tried node and nodejs): apt install nodejs node-ws\n";
        return 1;
    }
    const QString wsprobeRun = parser.isSet(runOption)
            ? parser.value(runOption)
            : QCoreApplication::applicationDirPath() + u"/wsprobe-run"_s;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString existing = environment.value(u"NODE_PATH"_s);
    environment.insert(u"NODE_PATH"_s, u"/usr/share/nodejs"_s
                                               + (existing.isEmpty() ? QString() : QDir::listSeparator() + existing));

    // Measured before any peer runs, so their memory does not weigh on it.
    const double firstTouch = firstTouchGBps();
    out << "first-touch rate: " << number(firstTouch, 2) << " GB/s\n";
    out.flush();

    QProcess nodeServer;
    nodeServer.setProcessEnvironment(environment);
    nodeServer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    nodeServer.start(node, {QStringLiteral(WSPROBE_SOURCE_ROOT "/tests/peers/node_server.js")});
    const QString portLine = firstLine(nodeServer, StartTimeoutMs,
                                       [](const QString &line) { return line.contains(u"\"port\""_s); });
    const int nodePort = QJsonDocument::fromJson(portLine.toUtf8()).object().value(u"port"_s).toInt();
    if (nodePort <= 0) {
        err << "the node echo server did not start (" << node << ")\n";
        return 1;
    }

    QProcess mock;
    mock.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    mock.start(wsprobeRun, {u"--serve"_s, QStringLiteral(WSPROBE_BENCH_MOCK_DIR "/echo.mock.json"),
                            u"--port"_s, u"0"_s});
    const QString mockUrl = firstLine(mock, StartTimeoutMs,
                                      [](const QString &line) { return line.startsWith(u"ws://"_s); });
    if (mockUrl.isEmpty()) {
        err << "the mock server did not start (" << wsprobeRun << ")\n";
        stop(nodeServer);
        return 1;
    }

    QProcess client;
    client.setProcessEnvironment(environment);
    client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    client.start(node, {QStringLiteral(WSPROBE_BENCH_MOCK_DIR "/../common/latency_pair.js"), u"node"_s,
                        u"ws://127.0.0.1:%1/echo"_s.arg(nodePort), u"mock"_s, mockUrl + u"/echo"_s,
                        parser.value(roundTripsOption), parser.value(sizeOption)});
    const bool finished = client.waitForFinished(600000);
    const QByteArray result = client.readAllStandardOutput().trimmed();
    stop(mock);
    stop(nodeServer);
    if (!finished || client.exitCode() != 0 || result.isEmpty()) {
        err << "latency_pair.js failed\n";
        return 1;
    }

    QJsonObject figures = QJsonDocument::fromJson(result).object();
    const QJsonObject n = figures.value(u"node"_s).toObject();
    const QJsonObject m = figures.value(u"mock"_s).toObject();
    out << "echo round trip, " << figures.value(u"size"_s).toInt() << " B, " << n.value(u"n"_s).toInt()
        << " each, microseconds:\n";
    out << "  node ws server  p50 " << number(n.value(u"p50Us"_s).toDouble()) << "  p99 "
        << number(n.value(u"p99Us"_s).toDouble()) << '\n';
    out << "  wsprobe mock    p50 " << number(m.value(u"p50Us"_s).toDouble()) << "  p99 "
        << number(m.value(u"p99Us"_s).toDouble()) << '\n';
    figures.insert(u"firstTouchGBps"_s, std::round(firstTouch * 100) / 100);
    out << QJsonDocument(figures).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}
