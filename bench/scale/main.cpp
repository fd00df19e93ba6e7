// wsprobe-bench-scale: many sessions in one process through the shared IoThreadPool. Opens N
// sessions against a Node `ws` echo server, measures connections per second and idle RSS per
// session, holds them, then has every session send M echoed messages; a Node `ws` client and
// (when installed) Artillery do the same against the same server in the same run. See
// bench/README.md and docs/benchmarks.md.

#include "engineload.h"
#include "firsttouch.h"
#include "peerprocesses.h"
#include "processstats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace wsprobe::bench;

namespace {

// Files besides the sessions' sockets: the pool's threads, the server pipes, Qt's own.
constexpr qint64 SpareFiles = 64;

QString firstLineOf(const QString &path, const QByteArray &prefix = {})
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');  // /proc: read it whole
    for (const QByteArray &line : lines) {
        if (line.startsWith(prefix))
            return QString::fromUtf8(prefix.isEmpty() ? line : line.mid(line.indexOf(':') + 1)).trimmed();
    }
    return {};
}

QString number(double value, int decimals = 0)
{
    return value < 0 ? u"-"_s : QString::number(value, 'f', decimals);
}

void printTable(QTextStream &out, const QList<PeerFigures> &peers)
{
    const QStringList header{u"peer"_s, u"connected"_s, u"conn/s"_s, u"KiB/session"_s,
                             u"dropped"_s, u"messages"_s, u"msg/s"_s, u"CPU s"_s,
                             u"msg/CPU-s"_s};
    QList<QStringList> rows{header};
    for (const PeerFigures &peer : peers) {
        if (peer.skipped) {
            rows.append({peer.peer, u"skipped"_s});
            continue;
        }
        rows.append({peer.peer + (peer.ok ? QString() : u" (!)"_s),
                     u"%1/%2"_s.arg(peer.connected).arg(peer.sessions),
                     number(peer.connectionsPerSecond()), number(peer.rssPerSessionKiB(), 1),
                     peer.peer == "artillery"_L1 ? u"-"_s : QString::number(peer.dropped),
                     QString::number(peer.messages), number(peer.messagesPerSecond()),
                     number(peer.messageCpuSeconds, 2), number(peer.messagesPerCpuSecond())});
    }
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &row : std::as_const(rows))
        for (qsizetype column = 0; column < row.size(); ++column)
            widths[column] = qMax(widths[column], row[column].size());
    for (const QStringList &row : std::as_const(rows)) {
        QString line;
        for (qsizetype column = 0; column < row.size(); ++column)
            line += column == 0 ? row[column].leftJustified(widths[column] + 2)
                                : row[column].rightJustified(widths[column] + 2);
        out << line.trimmed() << '\n';
    }
    for (const PeerFigures &peer : peers) {
        if (!peer.note.isEmpty())
            out << "  " << peer.peer << ": " << peer.note << '\n';
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wsprobe-bench-scale"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Scale benchmark: N wsprobe sessions sharing one I/O thread pool, against a Node ws "
        "echo server; a Node ws client and Artillery measured in the same run. Prints a table, "
        "then one JSON line."_s);
    parser.addHelpOption();
    const QCommandLineOption sessionsOption(u"sessions"_s,
        u"Connections each peer opens and holds (default 10000)."_s, u"n"_s, u"10000"_s);
    const QCommandLineOption concurrencyOption(u"concurrency"_s,
        u"Connects pending at once (default 256)."_s, u"n"_s, u"256"_s);
    const QCommandLineOption holdOption(u"hold"_s,
        u"Seconds the connections are held before the messages (default 60)."_s, u"s"_s, u"60"_s);
    const QCommandLineOption messagesOption(u"messages"_s,
        u"Echoed text messages each connection sends (default 100)."_s, u"n"_s, u"100"_s);
    const QCommandLineOption payloadOption(u"payload-size"_s,
        u"Bytes of one message (default 32)."_s, u"bytes"_s, u"32"_s);
    const QCommandLineOption scriptsOption(u"scripts"_s,
        u"Folder of echo_server.js and node_client.js (default: the source folder)."_s,
        u"dir"_s, QStringLiteral(WSPROBE_BENCH_SCALE_DIR));
    const QCommandLineOption nodeOption(u"node"_s,
        u"Node.js to run the server and the Node client (default: node, else nodejs)."_s,
        u"program"_s);
    const QCommandLineOption artilleryOption(u"artillery"_s,
        u"Artillery's launcher (default: the one the tests install under <build>/npm)."_s,
        u"path"_s, QStringLiteral(WSPROBE_BENCH_NPM_PREFIX "/node_modules/.bin/artillery"));
    const QCommandLineOption noNodeOption(u"no-node"_s, u"Skip the Node client."_s);
    const QCommandLineOption noArtilleryOption(u"no-artillery"_s, u"Skip Artillery."_s);
    const QCommandLineOption timeoutOption(u"timeout-ms"_s,
        u"Give up on a phase (connects, echoes) or a peer's run after this long, plus the hold "
        "(default 300000)."_s, u"ms"_s, u"300000"_s);
    parser.addOptions({sessionsOption, concurrencyOption, holdOption, messagesOption,
                       payloadOption, scriptsOption, nodeOption, artilleryOption, noNodeOption,
                       noArtilleryOption, timeoutOption});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const int sessions = parser.value(sessionsOption).toInt();
    const int concurrency = parser.value(concurrencyOption).toInt();
    const int hold = parser.value(holdOption).toInt();
    const int messages = parser.value(messagesOption).toInt();
    const int payloadSize = parser.value(payloadOption).toInt();
    const int timeoutMs = parser.value(timeoutOption).toInt();
    if (sessions <= 0 || concurrency <= 0 || hold < 0 || messages < 0 || payloadSize <= 0
        || timeoutMs <= 0) {
        err << "--sessions, --concurrency, --payload-size and --timeout-ms must be positive, "
               "--hold and --messages not negative\n";
        return 2;
    }
    // Plain letters: the same text is valid in a JSON frame, a shell argument and a YAML string.
    QString payload;
    for (int at = 0; at < payloadSize; ++at)
        payload += QChar(u'a' + at % 26);

    // The open-file limit: one per session, plus spares.
    QString limitNote;
    const qint64 fileLimit = raiseOpenFileLimit(&limitNote);
    if (fileLimit >= 0 && fileLimit < sessions + SpareFiles) {
        limitNote += (limitNote.isEmpty() ? QString() : u"; "_s)
            + u"the open-file limit is %1, short of the %2 that %3 sessions need: raise the hard "
               "limit (ulimit -Hn, /etc/security/limits.conf); connects past it will fail"_s
                  .arg(fileLimit).arg(sessions + SpareFiles).arg(sessions);
    }

    NodeRuntime node;
    QString error;
    if (!node.find(parser.value(nodeOption), &error)) {
        err << error << '\n';
        return 1;
    }
    const QDir scripts(parser.value(scriptsOption));
    EchoServer server;
    if (!server.start(node, scripts.filePath(u"echo_server.js"_s), 3, &error)) {
        err << error << '\n';
        return 1;
    }

    const double firstTouch = firstTouchGBps();
    const QString loadBefore = firstLineOf(u"/proc/loadavg"_s).section(u' ', 0, 2);
    out << "wsprobe-bench-scale: " << sessions << " sessions, " << concurrency
        << " connecting at once, held " << hold << " s, then " << messages << " x " << payloadSize
        << " B echoed text messages each\n";
    out << "machine: " << firstLineOf(u"/proc/cpuinfo"_s, "model name") << ", "
        << QThread::idealThreadCount() << " cores (the I/O pool's size), first touch "
        << number(firstTouch, 2) << " GB/s, load average " << loadBefore << " at the start\n";
    out << "node " << node.program() << ' ' << node.version() << ", ws " << node.wsVersion()
        << "; open-file limit " << fileLimit << '\n';
    if (!limitNote.isEmpty())
        out << "note: " << limitNote << '\n';
    out.flush();

    const auto progress = [&](const QString &text) { err << text << '\n' << Qt::flush; };
    QList<PeerFigures> peers;

    EngineLoad::Options engineOptions;
    engineOptions.url = QUrl(u"ws://127.0.0.1:%1/"_s.arg(server.port(0)));
    engineOptions.sessions = sessions;
    engineOptions.concurrency = concurrency;
    engineOptions.holdSeconds = hold;
    engineOptions.messages = messages;
    engineOptions.payload = payload;
    engineOptions.phaseTimeoutMs = timeoutMs;
    const PeerFigures engine = EngineLoad(engineOptions).run(progress);
    peers.append(engine);

    PeerLoad load;
    load.sessions = sessions;
    load.concurrency = concurrency;
    load.holdSeconds = hold;
    load.messages = messages;
    load.payload = payload;
    load.timeoutMs = 2 * timeoutMs + hold * 1000;

    if (parser.isSet(noNodeOption)) {
        PeerFigures skipped{.peer = u"node"_s, .skipped = true, .sessions = sessions};
        skipped.note = u"skipped (--no-node)"_s;
        peers.append(skipped);
    } else {
        progress(u"node: the same with a Node ws client"_s);
        load.url = u"ws://127.0.0.1:%1/"_s.arg(server.port(1));
        peers.append(runNodeClient(node, scripts.filePath(u"node_client.js"_s), load));
    }

    const QString artillery = parser.value(artilleryOption);
    if (parser.isSet(noArtilleryOption) || !QFileInfo(artillery).isExecutable()) {
        PeerFigures skipped{.peer = u"artillery"_s, .skipped = true, .sessions = sessions};
        skipped.note = parser.isSet(noArtilleryOption)
            ? u"skipped (--no-artillery)"_s
            : u"skipped: %1 is not installed (the tests install it: ctest -R tst_artillery; or "
               "pass --artillery)"_s.arg(artillery);
        peers.append(skipped);
    } else {
        // Users arrive at the rate the engine connected at.
        const int rate = qMax(1, int(std::lround(engine.connectionsPerSecond())));
        progress(u"artillery: %1 users arriving at %2/s"_s.arg(sessions).arg(rate));
        peers.append(runArtillery(artillery, node, server, 2, load, rate));
    }
    server.stop();

    out << '\n';
    printTable(out, peers);
    const QString loadAfter = firstLineOf(u"/proc/loadavg"_s).section(u' ', 0, 2);
    out << "load average " << loadAfter << " at the end (other processes share the machine)\n";

    QJsonArray peerArray;
    for (const PeerFigures &peer : std::as_const(peers))
        peerArray.append(peer.toJson());
    const QJsonObject summary{
        {u"benchmark"_s, u"scale"_s},
        {u"sessions"_s, sessions},
        {u"concurrency"_s, concurrency},
        {u"holdSeconds"_s, hold},
        {u"messages"_s, messages},
        {u"payloadBytes"_s, payloadSize},
        {u"ioThreads"_s, QThread::idealThreadCount()},
        {u"openFileLimit"_s, fileLimit},
        {u"firstTouchGBps"_s, std::round(firstTouch * 100) / 100},
        {u"loadAverageStart"_s, loadBefore},
        {u"loadAverageEnd"_s, loadAfter},
        {u"node"_s, node.version()},
        {u"ws"_s, node.wsVersion()},
        {u"peers"_s, peerArray},
    };
    out << QJsonDocument(summary).toJson(QJsonDocument::Compact) << '\n';
    return engine.ok ? 0 : 1;
}
