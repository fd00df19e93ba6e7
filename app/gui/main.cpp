// wsprobe: the WebSocket workbench window. Starts the built-in demo server on loopback so the
// first session has somewhere to connect, even offline.
#include "demoserverthread.h"
#include "mainwindow.h"
#include "sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
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
    parser.addPositionalArgument(u"url"_s, u"Open a session to this URL instead of the demo server."_s,
                                 u"[url]"_s);
    const QCommandLineOption noDemo(u"no-demo"_s, u"Do not start the built-in demo server."_s);
    parser.addOption(noDemo);
    const QCommandLineOption connectNow(u"connect"_s, u"Connect the first session at start."_s);
    parser.addOption(connectNow);
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
    if (!parser.positionalArguments().isEmpty())
        defaultUrl = QUrl::fromUserInput(parser.positionalArguments().constFirst());

    wsprobe::MainWindow window(defaultUrl);
    wsprobe::SessionView *first = window.newSession();
    window.show();
    if (parser.isSet(connectNow))
        first->toggleConnection();
    return app.exec();
}
