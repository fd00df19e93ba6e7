#include "proxycommand.h"

#include "proxyconnection.h"
#include "proxylogfile.h"
#include "proxyserver.h"
#include "quitonsignals.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QSet>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

} // namespace

int runProxyCommand(QCoreApplication &app, const QStringList &arguments)
{
    QTextStream err(stderr);
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        QTextStream(stdout)
                << "Usage: wsprobe-run --proxy LISTEN=TARGET [--rules RULES.json] [--log-dir DIR]\n"
                   "\n"
                   "Runs the intercepting proxy until SIGINT or SIGTERM: listens on LISTEN\n"
                   "(127.0.0.1:8081; port 0: any free port) and forwards each WebSocket\n"
                   "connection to TARGET (ws:// or wss://), the path the client asked for\n"
                   "appended. The first line of stdout is the proxy's URL.\n"
                   "\n"
                   "Options:\n"
                   "  --rules FILE   hold, rewrite, drop, delay, inject and close rules (docs/proxy.md)\n"
                   "  --log-dir DIR  each connection's log as JSON Lines, written when it ends\n"
                   "  --help         this text\n";
        return Success;
    }
    QString spec;
    QString rulesFile;
    QString logDir;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        const bool hasValue = i + 1 < arguments.size();
        if (argument == "--proxy"_L1 && hasValue && spec.isEmpty())
            spec = arguments[++i];
        else if (argument == "--rules"_L1 && hasValue && rulesFile.isEmpty())
            rulesFile = arguments[++i];
        else if (argument == "--log-dir"_L1 && hasValue && logDir.isEmpty())
            logDir = arguments[++i];
        else {
            err << "wsprobe-run: --proxy takes LISTEN=TARGET, --rules FILE and --log-dir DIR, not "
                << argument << Qt::endl;
            return Usage;
        }
    }
    const qsizetype equals = spec.indexOf(u'=');
    const QString listen = spec.left(equals);
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const uint port = listen.mid(colon + 1).toUInt(&portOk);
    const QString host = listen.left(colon);
    const QHostAddress address(host == "localhost"_L1 ? u"127.0.0.1"_s : host);
    const QUrl target(spec.mid(equals + 1), QUrl::StrictMode);
    if (equals <= 0 || colon <= 0 || !portOk || port > 65535 || address.isNull() || !target.isValid()) {
        err << "wsprobe-run: --proxy needs LISTEN=TARGET, e.g. 127.0.0.1:8081=ws://server:8080, got \""
            << spec << "\"" << Qt::endl;
        return Usage;
    }

    ProxyServer server(target);
    server.setKeepFinished(false);
    if (!rulesFile.isEmpty()) {
        QList<JsonError> errors;
        std::optional<ProxyRules> rules = ProxyRulesReader::readFile(rulesFile, &errors);
        if (!rules) {
            for (const JsonError &error : std::as_const(errors))
                err << error.toString() << Qt::endl;
            return Failure;
        }
        server.setRules(std::move(*rules));
    }
    if (!logDir.isEmpty() && !QDir().mkpath(logDir)) {
        err << "wsprobe-run: cannot create the log directory " << logDir << Qt::endl;
        return Failure;
    }
    if (!server.listen(address, quint16(port))) {
        err << "wsprobe-run: cannot start the proxy: " << server.errorString() << Qt::endl;
        return Failure;
    }
    int number = 0;
    QSet<const ProxyConnection *> written;
    // Each connection's log is written once: when it finishes, or when the proxy stops.
    const auto writeLog = [&err, &number, &written, logDir](const ProxyConnection *connection) {
        if (logDir.isEmpty() || written.contains(connection))
            return;
        written.insert(connection);
        const QString name = u"proxy-%1-%2.jsonl"_s.arg(
                QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s)).arg(++number, 4, 10, QChar(u'0'));
        QString error;
        const QString path = QDir(logDir).filePath(name);
        if (!ProxyLogFile::write(*connection, path, &error))
            err << "wsprobe-run: " << error << Qt::endl;
        else
            err << "wsprobe-run: wrote " << path << Qt::endl;
    };
    bool stopping = false;
    QObject::connect(&server, &ProxyServer::connectionStarted, &server, [&](ProxyConnection *c) {
        written.remove(c);  // a finished connection is deleted: a new one may get its address
        err << "wsprobe-run: proxy " << c->request().target << " -> " << c->upstreamUrl().toString()
            << Qt::endl;
    });
    QObject::connect(&server, &ProxyServer::connectionFinished, &server,
                     [&](ProxyConnection *connection) {
                         writeLog(connection);
                         if (stopping && server.openConnections() == 0)
                             app.quit();
                     });
    QuitOnSignals quitOnSignals;
    if (!quitOnSignals.install()) {
        err << "wsprobe-run: cannot handle SIGINT and SIGTERM: " << quitOnSignals.errorString()
            << Qt::endl;
        return Failure;
    }
    // The first signal closes the open connections with 1001 and waits up to StopGraceMs for
    // their peers to answer, so both sides see a clean close and every log is complete; a second
    // signal, or the grace running out, stops at once.
    constexpr int StopGraceMs = 2000;
    QTimer grace;
    grace.setSingleShot(true);
    grace.setInterval(StopGraceMs);
    QObject::connect(&grace, &QTimer::timeout, &app, &QCoreApplication::quit);
    QObject::connect(&quitOnSignals, &QuitOnSignals::quitRequested, &app, [&] {
        if (stopping) {
            app.quit();
            return;
        }
        stopping = true;
        const qsizetype open = server.openConnections();
        err << "wsprobe-run: stopping; closing " << open << " open connection(s) with 1001" << Qt::endl;
        server.shutDown();
        if (server.openConnections() == 0)
            app.quit();
        else
            grace.start();
    });
    // The first line of stdout is the contract with scripts and tests: flush it at once.
    QTextStream(stdout) << server.url().toString() << Qt::endl;
    err << "wsprobe-run: proxying " << server.url().toString() << " to " << target.toString() << Qt::endl;
    const int code = app.exec();
    // Whatever did not end in the grace period is cut; its log is written as it stands.
    const QList<ProxyConnection *> left = server.connections();
    server.close();
    for (const ProxyConnection *connection : left)
        writeLog(connection);
    return code;
}

} // namespace wsprobe
