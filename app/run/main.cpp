// wsprobe-run: runs wsprobe without a window: suites of scenarios as a QTest test, or the
// built-in demo server.

#include "demoserver.h"
#include "suitecommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

// A signal handler may only do async-signal-safe work, so it writes one byte to a socket pair
// and the event loop, watching the other end, quits cleanly. The descriptor has to be a static:
// a handler receives nothing but the signal number.
int signalWriteFd = -1;

void onQuitSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalWriteFd, &byte, 1);
}

// Quits the application on SIGINT or SIGTERM, from inside the event loop.
bool quitOnSignals(QCoreApplication &app)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return false;
    signalWriteFd = fds[0];
    auto *notifier = new QSocketNotifier(fds[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
        notifier->setEnabled(false);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onQuitSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0
            && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

int serveDemo(QCoreApplication &app, quint16 port)
{
    wsprobe::DemoServer server;
    if (!server.listen(QHostAddress::LocalHost, port)) {
        QTextStream(stderr) << "wsprobe-run: cannot start the demo server: "
                            << server.errorString() << Qt::endl;
        return Failure;
    }
    if (!quitOnSignals(app)) {
        QTextStream(stderr) << "wsprobe-run: cannot install the signal handlers" << Qt::endl;
        return Failure;
    }
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
    if (!arguments.contains(u"--serve-demo"_s))
        return wsprobe::runSuiteCommand(arguments);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Serves the built-in demo server."_s);
    parser.addHelpOption();
    const QCommandLineOption serveDemoOption(
            u"serve-demo"_s,
            u"Serve the demo server on 127.0.0.1, print its URL, run until SIGINT/SIGTERM."_s);
    const QCommandLineOption portOption(u"port"_s,
                                        u"Port for --serve-demo (default: any free port)."_s,
                                        u"N"_s, u"0"_s);
    parser.addOption(serveDemoOption);
    parser.addOption(portOption);
    parser.process(app);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        QTextStream(stderr) << "wsprobe-run: --port needs a number from 0 to 65535, got "
                            << parser.value(portOption) << Qt::endl;
        return Usage;
    }
    return serveDemo(app, quint16(port));
}
