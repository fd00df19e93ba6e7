// wsprobe-run: runs wsprobe without a window: suites of scenarios as a QTest test, or the
// built-in demo server, or a mock server file.

#include "demoserver.h"
#include "exportcommand.h"
#include "importcommand.h"
#include "proxycommand.h"
#include "quitonsignals.h"
#include "servecommand.h"
#include "suitecommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

int serveDemo(QCoreApplication &app, quint16 port)
{
    wsprobe::DemoServer server;
    if (!server.listen(QHostAddress::LocalHost, port)) {
        QTextStream(stderr) << "wsprobe-run: cannot start the demo server: "
                            << server.errorString() << Qt::endl;
        return Failure;
    }
    wsprobe::QuitOnSignals quitOnSignals;
    if (!quitOnSignals.install()) {
        QTextStream(stderr) << "wsprobe-run: cannot handle SIGINT and SIGTERM: "
                            << quitOnSignals.errorString() << Qt::endl;
        return Failure;
    }
    QObject::connect(&quitOnSignals, &wsprobe::QuitOnSignals::quitRequested, &app,
                     &QCoreApplication::quit);
    // The first line of stdout is the contract with scripts and tests: flush it at once.
    QTextStream(stdout) << server.url().toString() << Qt::endl;
    const int code = app.exec();
    server.close();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"wsprobe-run"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(u"--export"_s))
        return wsprobe::runExportCommand(arguments);
    if (arguments.contains(u"--import-har"_s) || arguments.contains(u"--import-log"_s))
        return wsprobe::runImportCommand(arguments);
    if (arguments.contains(u"--proxy"_s))
        return wsprobe::runProxyCommand(app, arguments);
    if (arguments.contains(u"--serve"_s))
        return wsprobe::runServeCommand(app, arguments);
    if (!arguments.contains(u"--serve-demo"_s))
        return wsprobe::runSuiteCommand(arguments);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Serves the built-in demo server."_s);
    parser.addHelpOption();
    const QCommandLineOption serveDemoOption(
            u"serve-demo"_s,
            u"Serve the demo server on 127.0.0.1, print its URL, run until SIGINT/SIGTERM."_s);
    // --port is the older name; --demo-port is the one --with-demo and wsprobe share.
    const QCommandLineOption portOption(QStringList{u"demo-port"_s, u"port"_s},
                                        u"Port for --serve-demo (default 0: any free port)."_s,
                                        u"N"_s, u"0"_s);
    parser.addOption(serveDemoOption);
    parser.addOption(portOption);
    parser.process(app);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        QTextStream(stderr) << "wsprobe-run: --demo-port needs a number from 0 to 65535, got "
                            << parser.value(portOption) << Qt::endl;
        return Usage;
    }
    return serveDemo(app, quint16(port));
}
