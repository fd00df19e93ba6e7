// bench/guiflood: the window under a flood. A session in the real window takes the built-in
// demo server's /flood as fast as it comes, while a 1 ms timer measures how long the event loop
// goes without turning: the longest stall is what a user feels as a frozen window. Then a text
// filter is typed over the whole log, measured the same way, with how long it takes to finish.
// Also: start-up to first paint, RSS idle and after the flood, what the log keeps per frame.
#include "demoserverthread.h"
#include "framefilterbar.h"
#include "framelog.h"
#include "framelogfilter.h"
#include "framelogview.h"
#include "mainwindow.h"
#include "session.h"
#include "sessionview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// A field of /proc/self/status in KiB (VmRSS now, VmHWM the peak); 0 where there is none.
qint64 statusKiB(const QByteArray &field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    const QList<QByteArray> lines = status.readAll().split('\n');  // /proc: no size, read whole
    for (const QByteArray &line : lines) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// Gaps between the ticks of a 1 ms timer while it runs: any gap beyond 1 ms is time the event
// loop was stuck.
class Heartbeat
{
public:
    // where() says where the work stood (events logged, say), noted at the longest gap.
    explicit Heartbeat(std::function<qint64()> where) : m_where(std::move(where))
    {
        m_timer.setInterval(1);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 gap = m_sinceTick.restart();
            if (gap > m_longestSoFar) {
                m_longestSoFar = gap;
                m_longestAt = m_where();
            }
            m_gapsMs.push_back(gap);
        });
    }
    void start()
    {
        m_sinceTick.start();
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        std::sort(m_gapsMs.begin(), m_gapsMs.end());
    }
    std::size_t ticks() const { return m_gapsMs.size(); }
    qint64 percentile(double p) const
    {
        return m_gapsMs.empty() ? 0 : m_gapsMs[std::min(m_gapsMs.size() - 1, std::size_t(p * double(m_gapsMs.size())))];
    }
    qint64 longest() const { return m_gapsMs.empty() ? 0 : m_gapsMs.back(); }
    qint64 longestAt() const { return m_longestAt; }

private:
    std::function<qint64()> m_where;
    qint64 m_longestSoFar = -1;
    qint64 m_longestAt = -1;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    std::vector<qint64> m_gapsMs;
};

// Notes when the window is first painted: the first Paint event any of its widgets gets, and
// the end of that event-loop pass (when the whole first frame has been drawn).
class FirstPaint : public QObject
{
public:
    FirstPaint(const QElapsedTimer &sinceStart, std::function<void()> then)
        : m_sinceStart(sinceStart), m_then(std::move(then)) {}
    qint64 ms() const { return m_ms; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_ms < 0 && !m_pending) {
            m_pending = true;
            QTimer::singleShot(0, this, [this] {
                m_ms = m_sinceStart.elapsed();
                qApp->removeEventFilter(this);
                m_then();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer &m_sinceStart;
    std::function<void()> m_then;
    qint64 m_ms = -1;
    bool m_pending = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;  // start-up counts from here: the QApplication's making included
    sinceStart.start();
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption messagesOption(u"messages"_s, u"Messages in the flood (at most 10,000,000)."_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Bytes per message."_s, u"bytes"_s, u"64"_s);
    const QCommandLineOption filterOption(u"filter"_s,
        u"Text typed into the log's filter after the flood (default 99999: a few rows of 10M; "
        "empty: no filter step)."_s, u"text"_s, u"99999"_s);
    const QCommandLineOption idleOption(u"idle-ms"_s,
        u"How long the window idles after its first paint before the idle RSS is read."_s, u"ms"_s, u"1000"_s);
    const QCommandLineOption timeoutOption(u"timeout-ms"_s,
        u"Give up after this long in all (default 600000)."_s, u"ms"_s, u"600000"_s);
    parser.addOptions({messagesOption, sizeOption, filterOption, idleOption, timeoutOption});
    parser.process(app);
    const qint64 messages = parser.value(messagesOption).toLongLong();
    const int size = parser.value(sizeOption).toInt();
    const QString filterText = parser.value(filterOption);

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
    wsprobe::Session *session = view->session();
    wsprobe::FrameLogView *logView = view->logView();
    window.resize(1400, 900);

    qint64 idleRssKiB = 0;
    FirstPaint firstPaint(sinceStart, [&] {
        // Idle first, so the RSS read is the window's own, then the flood.
        QTimer::singleShot(parser.value(idleOption).toInt(), &app, [&] {
            idleRssKiB = statusKiB("VmRSS");
            view->toggleConnection();
        });
    });
    app.installEventFilter(&firstPaint);
    window.show();

    const wsprobe::FrameLog *log = session->log();
    Heartbeat floodBeat([log] { return log->endSequence(); });
    wsprobe::FrameLogFilter *filter = logView->filter();
    Heartbeat filterBeat([filter] { return qint64(filter->scanProgress() * 100); });
    QElapsedTimer clock;
    QObject::connect(session, &wsprobe::Session::opened, [&] {
        clock.start();
        floodBeat.start();
    });

    qint64 floodMs = 0;
    qint64 rssAfterFloodKiB = 0;
    qint64 filterMs = -1;
    int filterRows = 0;
    bool filterStarted = false;
    bool timedOut = false;
    const auto filterDone = [&] {
        filterMs = clock.elapsed();
        filterBeat.stop();
        filterRows = filter->rowCount();
        QTimer::singleShot(200, &app, &QCoreApplication::quit);
    };
    QObject::connect(filter, &wsprobe::FrameLogFilter::scanningChanged, [&](bool scanning) {
        if (!scanning && filterStarted && filterMs < 0)
            filterDone();
    });
    QObject::connect(session, &wsprobe::Session::closed, [&] {
        floodMs = clock.elapsed();
        floodBeat.stop();
        QTimer::singleShot(200, &app, [&] {
            rssAfterFloodKiB = statusKiB("VmRSS");
            if (filterText.isEmpty()) {
                QCoreApplication::quit();
                return;
            }
            // Typed as a user would: the text into the filter bar's box, then applied.
            auto *box = logView->filterBar()->findChild<QLineEdit *>();
            filterStarted = true;
            clock.start();
            filterBeat.start();
            box->setText(filterText);
            logView->filterBar()->apply();
            if (!filter->isScanning() && filterMs < 0)
                filterDone();  // the whole log fitted in the first slice
        });
    });
    QTimer::singleShot(parser.value(timeoutOption).toInt(), &app, [&] {
        timedOut = true;
        QCoreApplication::quit();
    });
    app.exec();
    const qint64 peakRssKiB = statusKiB("VmHWM");

    qint64 received = 0;
    for (qint64 seq = log->firstSequence(); seq < log->endSequence(); ++seq)
        received += log->kindAt(seq) == wsprobe::EventKind::Text && log->directionAt(seq) == wsprobe::Direction::Incoming;
    const qint64 logBytes = log->recordBytes() + log->payloadBytesInMemory() + log->payloadBytesOnDisk();
    const double frames = double(qMax<qint64>(1, received));
    const double logBeyondPayload = (double(logBytes) - double(received) * size) / frames;
    const double rssPerFrame = double(rssAfterFloodKiB - idleRssKiB) * 1024 / frames;

    QTextStream out(stdout);
    out << "start-up to first paint: " << firstPaint.ms() << " ms; idle RSS " << idleRssKiB / 1024 << " MiB\n"
        << "flood: " << received << " of " << messages << " messages of " << size << " B in " << floodMs
        << " ms (" << (floodMs ? received * 1000 / floodMs : 0) << " msg/s)\n"
        << "event-loop gaps during the flood: " << floodBeat.ticks() << " ticks, median " << floodBeat.percentile(0.5)
        << " ms, p99 " << floodBeat.percentile(0.99) << " ms, longest " << floodBeat.longest()
        << " ms (with " << floodBeat.longestAt() << " events logged)\n"
        << "RSS after the flood " << rssAfterFloodKiB / 1024 << " MiB (peak " << peakRssKiB / 1024 << " MiB): "
        << QString::number(rssPerFrame, 'f', 1) << " B per frame over idle; the log keeps " << logBytes / (1024 * 1024)
        << " MiB, " << QString::number(logBeyondPayload, 'f', 1) << " B per frame beyond the payload\n";
    if (!filterText.isEmpty()) {
        out << "filter \"" << filterText << "\" over " << log->size() << " events: " << filterRows << " rows in "
            << filterMs << " ms; event-loop gaps: median " << filterBeat.percentile(0.5) << " ms, p99 "
            << filterBeat.percentile(0.99) << " ms, longest " << filterBeat.longest() << " ms (at "
            << filterBeat.longestAt() << " % scanned)\n";
    }
    if (timedOut)
        out << "TIMED OUT after " << parser.value(timeoutOption) << " ms\n";
    const QJsonObject summary{
        {u"benchmark"_s, u"guiflood"_s},
        {u"messages"_s, received},
        {u"payloadBytes"_s, size},
        {u"startupToFirstPaintMs"_s, firstPaint.ms()},
        {u"idleRssKiB"_s, idleRssKiB},
        {u"floodMs"_s, floodMs},
        {u"longestStallMs"_s, floodBeat.longest()},
        {u"p99StallMs"_s, floodBeat.percentile(0.99)},
        {u"longestStallAtEvent"_s, floodBeat.longestAt()},
        {u"rssAfterFloodKiB"_s, rssAfterFloodKiB},
        {u"peakRssKiB"_s, peakRssKiB},
        {u"rssBytesPerFrame"_s, std::round(rssPerFrame * 10) / 10},
        {u"logBytes"_s, logBytes},
        {u"logBytesPerFrameBeyondPayload"_s, std::round(logBeyondPayload * 10) / 10},
        {u"filter"_s, filterText},
        {u"filterMs"_s, filterMs},
        {u"filterRows"_s, filterRows},
        {u"filterLongestStallMs"_s, filterBeat.longest()},
        {u"filterP99StallMs"_s, filterBeat.percentile(0.99)},
        {u"timedOut"_s, timedOut},
    };
    out << QJsonDocument(summary).toJson(QJsonDocument::Compact) << Qt::endl;
    return received == messages && !timedOut ? 0 : 1;
}
