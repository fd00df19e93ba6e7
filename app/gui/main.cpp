// wsprobe: the WebSocket workbench window. Starts the built-in demo server on loopback so the
// first session has somewhere to connect, even offline.
#include "demoserverthread.h"
#include "mainwindow.h"
#include "quitonsignals.h"
#include "scenariorunview.h"
#include "sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"wsprobe"_s);
    QApplication::setOrganizationName(u"wsprobe"_s);
    QApplication::setApplicationVersion(QStringLiteral(WSPROBE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Exploratory WebSocket testing workbench"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"url-or-scenario"_s,
                                 u"Open a session to this URL instead of the demo server, or open "
                                 "scenario files (*.json)."_s,
                                 u"[url | scenario.json...]"_s);
    const QCommandLineOption noDemo(u"no-demo"_s, u"Do not start the built-in demo server."_s);
    parser.addOption(noDemo);
    const QCommandLineOption connectNow(u"connect"_s, u"Connect the first session at start."_s);
    parser.addOption(connectNow);
    const QCommandLineOption runNow(u"run"_s, u"Run the scenarios given at start."_s);
    parser.addOption(runNow);
    const QCommandLineOption workspace(u"workspace"_s, u"Open this folder as the workspace."_s, u"folder"_s);
    parser.addOption(workspace);
    parser.process(app);

    wsprobe::DemoServerThread demo;
    QUrl defaultUrl;
    if (!parser.isSet(noDemo)) {
        if (demo.start()) {
            defaultUrl = demo.url();
            defaultUrl.setPath(u"/echo"_s);
        } else {
            QMessageBox::warning(nullptr, u"wsprobe"_s,
                                 u"The built-in demo server could not start: %1"_s.arg(demo.errorString()));
        }
    }
    QStringList scenarios;
    for (const QString &argument : parser.positionalArguments()) {
        if (argument.endsWith(u".json"_s, Qt::CaseInsensitive) && QFileInfo::exists(argument))
            scenarios.append(argument);
        else
            defaultUrl = QUrl::fromUserInput(argument);
    }

    wsprobe::MainWindow window(defaultUrl);
    // SIGTERM (a logout, `kill`) or Ctrl+C in the terminal quit like File > Quit: the window
    // writes its settings and closes its sessions, and the exit status is 0.
    wsprobe::QuitOnSignals quitOnSignals;
    if (!quitOnSignals.install())
        qWarning("wsprobe: cannot handle SIGINT and SIGTERM: %s", qPrintable(quitOnSignals.errorString()));
    QObject::connect(&quitOnSignals, &wsprobe::QuitOnSignals::quitRequested, &window, [&window] {
        window.close();
        QApplication::quit();
    });
    if (parser.isSet(workspace))
        window.setWorkspace(parser.value(workspace));
    wsprobe::SessionView *first = window.newSession();
    window.show();
    if (parser.isSet(connectNow))
        first->toggleConnection();
    for (const QString &path : std::as_const(scenarios)) {
        if (window.openScenario(path) && parser.isSet(runNow))
            window.currentScenarioView()->run();
    }
    return app.exec();
}
