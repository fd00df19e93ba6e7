// wsprobe-bench-ingest: how fast wsprobe's engine takes in a flood of messages, against a Node
// `ws` client and a bare QWebSocket measured in the same run. See bench/README.md.
//
// Without --client, runs the whole benchmark (the driver). With --client, is one receiver for
// one connection, and prints its measurement as one JSON line (the driver starts these).

#include "barereceiver.h"
#include "benchdriver.h"
#include "enginereceiver.h"
#include "rawreceiver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace wsprobe::bench;

namespace {

void printResult(const ReceiverResult &result)
{
    const QByteArray line = QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

template <typename Receiver>
int runClient(QCoreApplication &app, Receiver &receiver, const QUrl &url, int timeoutMs)
{
    bool timedOut = false;
    QObject::connect(&receiver, &Receiver::done, &app, [&] { app.quit(); });
    QTimer::singleShot(timeoutMs, &app, [&] {
        timedOut = true;
        app.quit();
    });
    receiver.start(url);
    app.exec();
    ReceiverResult result = receiver.result();
    if (timedOut) {
        result.ok = false;
        result.error = u"timed out after %1 ms with %2 messages"_s.arg(timeoutMs).arg(result.messages);
    }
    printResult(result);
    return result.ok ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wsprobe-bench-ingest"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Ingest benchmark: wsprobe's engine vs a Node ws client vs a bare QWebSocket, "
        "receiving a flood from a Node server. Prints a table per workload, then one JSON line."_s);
    parser.addHelpOption();
    const QCommandLineOption roundsOption(u"rounds"_s,
        u"Runs of each receiver on each workload; the median is reported (default 3)."_s,
        u"n"_s, u"3"_s);
    const QCommandLineOption textOption(u"text-messages"_s,
        u"Messages in the text workload, 64 bytes each (default 500000)."_s, u"n"_s, u"500000"_s);
    const QCommandLineOption binaryOption(u"binary-messages"_s,
        u"Messages in the binary workload, 1 KiB each (default 200000)."_s, u"n"_s, u"200000"_s);
    const QCommandLineOption messagesOption(u"messages"_s,
        u"Messages in both workloads (--text-messages and --binary-messages, given too, win: "
        "--messages 10000000 --binary-messages 2000000 caps the binary one)."_s, u"n"_s);
    const QCommandLineOption budgetOption(u"log-budget-mib"_s,
        u"Give the engine's log a LogMemoryBudget of this many MiB, beyond which it spills old "
        "payloads to a temporary file (default 0: no budget, everything in RAM)."_s,
        u"mib"_s, u"0"_s);
    const QCommandLineOption scriptsOption(u"scripts"_s,
        u"Folder of flood_server.js and node_client.js (default: the source folder)."_s,
        u"dir"_s, QStringLiteral(WSPROBE_BENCH_INGEST_DIR));
    const QCommandLineOption nodeOption(u"node"_s,
        u"Node.js to run the server and the Node client (default: node, else nodejs)."_s,
        u"program"_s);
    const QCommandLineOption noRawOption(u"no-raw"_s,
        u"Skip the raw TCP reader that measures the server's ceiling."_s);
    const QCommandLineOption timeoutOption(u"timeout-ms"_s,
        u"Give up on one receiver run after this long (default 120000, plus 20 ms per 1,000 "
        "messages past 1,000,000)."_s, u"ms"_s, u"120000"_s);
    const QCommandLineOption clientOption(u"client"_s,
        u"Internal: be one receiver (engine, bare or raw) and print its result as JSON."_s,
        u"receiver"_s);
    const QCommandLineOption urlOption(u"url"_s, u"Internal, with --client: where to connect."_s,
                                       u"url"_s);
    const QCommandLineOption countOption(u"count"_s,
        u"Internal, with --client: messages to expect."_s, u"n"_s);
    const QCommandLineOption sizeOption(u"size"_s,
        u"Internal, with --client raw: payload bytes of one message."_s, u"bytes"_s);
    parser.addOptions({roundsOption, textOption, binaryOption, messagesOption, budgetOption,
                       scriptsOption, nodeOption,
                       noRawOption, timeoutOption, clientOption, urlOption, countOption,
                       sizeOption});
    parser.process(app);

    const int timeoutMs = parser.value(timeoutOption).toInt();
    if (parser.isSet(clientOption)) {
        const QString receiver = parser.value(clientOption);
        const QUrl url(parser.value(urlOption));
        const qint64 count = parser.value(countOption).toLongLong();
        if (!url.isValid() || count <= 0) {
            QTextStream(stderr) << "--client needs --url and a positive --count\n";
            return 2;
        }
        if (receiver == "engine"_L1) {
            EngineReceiver engine(count, parser.value(budgetOption).toLongLong() << 20);
            return runClient(app, engine, url, timeoutMs);
        }
        if (receiver == "bare"_L1) {
            BareReceiver bare(count);
            return runClient(app, bare, url, timeoutMs);
        }
        if (receiver == "raw"_L1) {
            const ReceiverResult result =
                receiveRaw(url, count, parser.value(sizeOption).toLongLong(), timeoutMs);
            printResult(result);
            return result.ok ? 0 : 1;
        }
        QTextStream(stderr) << "unknown receiver " << receiver << " (engine, bare or raw)\n";
        return 2;
    }

    BenchDriver::Options options;
    options.selfPath = QCoreApplication::applicationFilePath();
    options.scriptDir = parser.value(scriptsOption);
    options.nodeProgram = parser.value(nodeOption);
    options.rounds = qMax(1, parser.value(roundsOption).toInt());
    const QString both = parser.value(messagesOption);
    options.textMessages = (parser.isSet(textOption) || both.isEmpty() ? parser.value(textOption)
                                                                         : both).toLongLong();
    options.binaryMessages = (parser.isSet(binaryOption) || both.isEmpty()
                                  ? parser.value(binaryOption) : both).toLongLong();
    options.logBudgetMiB = qMax<qint64>(0, parser.value(budgetOption).toLongLong());
    options.clientTimeoutMs = timeoutMs;
    if (!parser.isSet(timeoutOption)) {
        // A flood of 10M messages into a log on slow memory takes minutes, not seconds.
        const qint64 most = qMax(options.textMessages, options.binaryMessages);
        options.clientTimeoutMs = int(qMin<qint64>(3'600'000,
                                                   timeoutMs + qMax<qint64>(0, most - 1'000'000) / 50));
    }
    options.withRaw = !parser.isSet(noRawOption);
    return BenchDriver(options).run();
}
