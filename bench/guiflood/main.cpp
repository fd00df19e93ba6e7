// bench/guiflood: the window under a flood. A session in the real window takes the built-in
// demo server's /flood as fast as it comes, while a 1 ms timer measures how long the event loop
// goes without turning: the longest stall is what a user feels as a frozen window.
#include "demoserverthread.h"
#include "framelog.h"
#include "mainwindow.h"
#include "session.h"
#include "sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption messagesOption(u"messages"_s, u"Messages in the flood."_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Bytes per message."_s, u"bytes"_s, u"64"_s);
    parser.addOption(messagesOption);
    parser.addOption(sizeOption);
    parser.process(app);
    const int messages = parser.value(messagesOption).toInt();
    const int size = parser.value(sizeOption).toInt();

    wsprobe::DemoServerThread demo;
    if (!demo.start()) {
        QTextStream(stderr) << "demo server: " << demo.errorString() << Qt::endl;
        return 1;
    }
    QUrl url = demo.url();
    url.setPath(u"/flood"_s);
    url.setQuery(u"n=%1&size=%2"_s.arg(messages).arg(size));

    wsprobe::MainWindow window(url);
    wsprobe::SessionView *view = window.newSession();
    window.resize(1400, 900);
    window.show();

    // The loop's heartbeat: any gap between two ticks beyond 1 ms is time the window was stuck.
    std::vector<qint64> gapsMs;
    QElapsedTimer sinceTick;
    QTimer heartbeat;
    heartbeat.setInterval(1);
    heartbeat.setTimerType(Qt::PreciseTimer);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        gapsMs.push_back(sinceTick.restart());
    });

    QElapsedTimer clock;
    wsprobe::Session *session = view->session();
    QObject::connect(session, &wsprobe::Session::opened, [&] {
        clock.start();
        sinceTick.start();
        heartbeat.start();
    });
    qint64 floodMs = 0;
    QObject::connect(session, &wsprobe::Session::closed, [&] {
        floodMs = clock.elapsed();
        heartbeat.stop();
        QTimer::singleShot(200, &app, &QCoreApplication::quit);
    });
    QTimer::singleShot(0, view, &wsprobe::SessionView::toggleConnection);
    QTimer::singleShot(600000, &app, &QCoreApplication::quit);
    app.exec();

    std::sort(gapsMs.begin(), gapsMs.end());
    const auto percentile = [&](double p) {
        return gapsMs.empty() ? 0 : gapsMs[std::min(gapsMs.size() - 1, std::size_t(p * double(gapsMs.size())))];
    };
    qint64 received = 0;
    const wsprobe::FrameLog *log = session->log();
    for (qint64 seq = log->firstSequence(); seq < log->endSequence(); ++seq)
        received += log->at(seq).kind == wsprobe::EventKind::Text && log->at(seq).direction == wsprobe::Direction::Incoming;
    QTextStream(stdout) << "flood: " << received << " of " << messages << " messages of " << size
                        << " B in " << floodMs << " ms (" << (floodMs ? received * 1000 / floodMs : 0)
                        << " msg/s)\n"
                        << "event-loop gaps: " << gapsMs.size() << " ticks, median " << percentile(0.5)
                        << " ms, p99 " << percentile(0.99) << " ms, longest " << (gapsMs.empty() ? 0 : gapsMs.back())
                        << " ms\n"
                        << "{\"benchmark\":\"guiflood\",\"messages\":" << received << ",\"floodMs\":" << floodMs
                        << ",\"longestStallMs\":" << (gapsMs.empty() ? 0 : gapsMs.back())
                        << ",\"p99StallMs\":" << percentile(0.99) << "}" << Qt::endl;
    return received == messages ? 0 : 1;
}
