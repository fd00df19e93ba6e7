// wsprobe: the WebSocket workbench window. Starts the built-in demo server on loopback so the
// first session has somewhere to connect, even offline.
#include "applicationicon.h"
#include "demoserver.h"
#include "loadview.h"
#include "mainwindow.h"
#include "mockscriptreader.h"
#include "quitonsignals.h"
#include "scenariorunview.h"
#include "sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace {

void describeApplication()
{
    QCoreApplication::setApplicationName(u"wsprobe"_s);
    QCoreApplication::setOrganizationName(u"wsprobe"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(WSPROBE_VERSION));
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(u"Exploratory WebSocket testing workbench"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"url-or-scenario"_s,
                                 u"Open a session to this URL instead of the demo server, or open "
                                 "scenario files (*.json), or serve mock server files (*.mock.json) "
                                 "in Server tabs."_s,
                                 u"[url | scenario.json...]"_s);
    parser.addOption({u"no-demo"_s, u"Do not start the built-in demo server."_s});
    parser.addOption({u"demo-port"_s,
                      u"Port of the built-in demo server (default %1; when it is taken, any free "
                      "port, and the status bar says so; 0: any free port)."_s.arg(wsprobe::DemoServer::DefaultPort),
                      u"N"_s, QString::number(wsprobe::DemoServer::DefaultPort)});
    parser.addOption({u"connect"_s, u"Connect the first session at start."_s});
    parser.addOption({u"run"_s, u"Run the scenarios given at start."_s});
    parser.addOption({u"load"_s, u"Open the scenarios given in Load tabs (with --run: start them)."_s});
    parser.addOption({u"workspace"_s, u"Open this folder as the workspace."_s, u"folder"_s});
}

// --help and --version print and exit before any window exists, so they work without a
// display (a QApplication would abort looking for one).
void answerWithoutADisplay(int argc, char *argv[])
{
    bool asked = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        asked = asked || argument == "-h" || argument == "--help" || argument == "--help-all"
            || argument == "-?" || argument == "-v" || argument == "--version";
    }
    if (!asked)
        return;
    QCoreApplication core(argc, argv);
    describeApplication();
    QCommandLineParser parser;
    addOptions(parser);
    parser.process(core);  // prints and exits
}

} // namespace

int main(int argc, char *argv[])
{
    answerWithoutADisplay(argc, argv);
    QApplication app(argc, argv);
    describeApplication();
    QApplication::setWindowIcon(wsprobe::applicationIcon());
    // Wayland names the window by this, and the desktop shows the installed entry's icon for it.
    QGuiApplication::setDesktopFileName(QStringLiteral(WSPROBE_APP_ID));

    QCommandLineParser parser;
    addOptions(parser);
    const QString noDemo = u"no-demo"_s;
    const QString connectNow = u"connect"_s;
    const QString runNow = u"run"_s;
    const QString workspace = u"workspace"_s;
    const QString demoPort = u"demo-port"_s;
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(demoPort).toUInt(&portOk);
    if (!portOk || port > 65535) {
        qCritical("wsprobe: --demo-port needs a number from 0 to 65535, got %s",
                  qPrintable(parser.value(demoPort)));
        return 2;
    }
    QUrl defaultUrl;  // empty: the demo server's /echo
    QStringList scenarios;
    QStringList servers;
    for (const QString &argument : parser.positionalArguments()) {
        if (wsprobe::MockScriptReader::isMockFileName(argument) && QFileInfo::exists(argument))
            servers.append(argument);
        else if (argument.endsWith(u".json"_s, Qt::CaseInsensitive) && QFileInfo::exists(argument))
            scenarios.append(argument);
        else
            defaultUrl = QUrl::fromUserInput(argument);
    }

    wsprobe::MainWindow window(defaultUrl);
    QString demoError;
    if (!parser.isSet(noDemo) && !window.startDemoServer(quint16(port), &demoError)) {
        QMessageBox::warning(nullptr, u"wsprobe"_s,
                             u"The built-in demo server could not start: %1"_s.arg(demoError));
    }
    // SIGTERM (a logout, `kill`) or Ctrl+C in the terminal quit like File > Quit: the window
    // writes its settings and closes its sessions, and the exit status is 0.
    wsprobe::QuitOnSignals quitOnSignals;
    if (!quitOnSignals.install())
        qWarning("wsprobe: cannot handle SIGINT and SIGTERM: %s", qPrintable(quitOnSignals.errorString()));
    QObject::connect(&quitOnSignals, &wsprobe::QuitOnSignals::quitRequested, &window, [&window] {
        window.closeWithoutAsking();
        QApplication::quit();
    });
    if (parser.isSet(workspace))
        window.setWorkspace(parser.value(workspace));
    wsprobe::SessionView *first = window.newSession();
    window.show();
    if (parser.isSet(connectNow))
        first->toggleConnection();
    for (const QString &path : std::as_const(servers)) {
        QString error;
        if (!window.openServer(path, &error))
            qWarning("wsprobe: %s", qPrintable(error));
    }
    for (const QString &path : std::as_const(scenarios)) {
        if (parser.isSet(u"load"_s)) {
            wsprobe::LoadView *view = window.openLoad(path);
            if (parser.isSet(runNow))
                view->start();
            continue;
        }
        if (window.openScenario(path) && parser.isSet(runNow))
            window.currentScenarioView()->run();
    }
    return app.exec();
}
