// The Stats tab: it shows the figures of a real echo exchange, refreshes on its timer and not
// per event (the window keeps turning through a 200,000-message flood), and exports the figures
// atomically as CSV and JSON.

#include "demoserverthread.h"
#include "requesteditor.h"
#include "roundtripcharts.h"
#include "session.h"
#include "sessionstats.h"
#include "sessionview.h"
#include "statsmodel.h"
#include "statsview.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr int Timeout = 10000;

// The text the table shows for a figure.
QString shown(const StatsModel &model, const QString &key)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, StatsModel::ValueColumn);
        if (model.data(index, StatsModel::KeyRole).toString() == key)
            return model.data(index).toString();
    }
    return u"(no row %1)"_s.arg(key);
}

double number(const QString &text)
{
    bool ok = false;
    const double value = QLocale().toDouble(text, &ok);
    return ok ? value : -1;
}

QUrl demoUrl(const DemoServerThread &server, const QString &path, const QString &query = {})
{
    QUrl url = server.url();
    url.setPath(path);
    url.setQuery(query);
    return url;
}

} // namespace

class TestStatsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheFiguresOfAnEchoExchange();
    void windowKeepsTurningThroughAFlood();
    void exportsCsvAndJsonAtomically();
};

void TestStatsView::showsTheFiguresOfAnEchoExchange()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SessionSettings settings;
    settings.url = demoUrl(server, u"/echo"_s);
    settings.correlation = u"/id"_s;
    Session session(settings);
    SessionView view(&session);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    // The tab is there, beside the assertions.
    auto *tabs = view.findChild<QTabWidget *>();
    QVERIFY(tabs);
    const int statsTab = tabs->indexOf(view.findChild<QWidget *>(u"statsScroll"_s));
    QVERIFY(statsTab >= 0);
    QCOMPARE(tabs->tabText(statsTab), u"Stats"_s);
    tabs->setCurrentIndex(statsTab);
    const StatsModel &model = *view.statsView()->model();
    QCOMPARE(shown(model, u"roundTripP50Ms"_s), u"–"_s);

    QSignalSpy opened(&session, &Session::opened);
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Timeout);
    for (int i = 1; i <= 10; ++i) {
        QVERIFY(session.sendText(u"{\"id\":%1}"_s.arg(i)));
        QTest::qWait(20);  // spread over time, as a person's would be
    }
    QTRY_COMPARE_WITH_TIMEOUT(view.stats()->pairCount(), qint64(10), Timeout);
    // Shown at the next refresh, not at once.
    QTRY_COMPARE_WITH_TIMEOUT(shown(model, u"pairs"_s), u"10"_s, Timeout);
    const double p50 = number(shown(model, u"roundTripP50Ms"_s));
    const double max = number(shown(model, u"roundTripMaxMs"_s));
    QVERIFY2(p50 > 0 && p50 <= max && max < 5000, qPrintable(shown(model, u"roundTripP50Ms"_s)));
    const double connect = number(shown(model, u"connectMs"_s));
    QVERIFY2(connect > 0 && connect < 5000, qPrintable(shown(model, u"connectMs"_s)));
    QCOMPARE(shown(model, u"messagesOut"_s), u"10"_s);
    QCOMPARE(shown(model, u"messagesIn"_s), u"10"_s);
    QVERIFY(view.statsView()->findChild<QLabel *>(u"statsPairing"_s)->text().contains(u"/id"_s));
    // The charts: every pair in the histogram's bins, each one a point over time.
    const RoundTripCharts &charts = *view.statsView()->charts();
    QCOMPARE(charts.pointCount(), 10);
    QCOMPARE(std::accumulate(charts.binCounts().begin(), charts.binCounts().end(), qint64(0)), qint64(10));
    QVERIFY(charts.binCounts().last() >= 1);  // the max is in the last bin

    const QString dir = qEnvironmentVariable("WSPROBE_SCREENSHOTS");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        // The request tabs dragged taller, as one reading the figures would.
        if (auto *splitter = view.findChild<QSplitter *>(u"sessionSplitter"_s))
            splitter->setSizes({760, 100, 0});
        view.resize(1000, 1000);
        QTest::qWait(300);  // a refresh and a repaint
        view.grab().save(dir + u"/stats.png"_s);
        // Under Xvfb, the whole screen as a person would see it (docs/screenshots.md).
        if (QGuiApplication::platformName() == u"xcb"_s)
            QProcess::execute(u"import"_s, {u"-window"_s, u"root"_s, u"-crop"_s, u"1000x1000+0+0"_s,
                                            u"+repage"_s, dir + u"/stats-screen.png"_s});
    }

    QSignalSpy finished(&session, &Session::finished);
    session.close(1000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
}

// The flood's 200,000 messages (256 bytes, so that it lasts a few refreshes) arrive in batches
// of thousands; the tab reads the figures on its timer only, and the event loop keeps turning:
// a 10 ms timer here never waits long.
void TestStatsView::windowKeepsTurningThroughAFlood()
{
    DemoServerThread server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    constexpr int Count = 200'000;
    SessionSettings settings;
    settings.url = demoUrl(server, u"/flood"_s, u"n=%1&size=256"_s.arg(Count));
    Session session(settings);
    SessionStats stats;
    stats.setLog(session.log());
    StatsView view;
    view.setStats(&stats);
    view.show();

    QElapsedTimer clock;
    qint64 lastTickMs = 0;
    qint64 longestGapMs = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        longestGapMs = qMax(longestGapMs, now - lastTickMs);
        lastTickMs = now;
    });
    QSignalSpy finished(&session, &Session::finished);
    const qint64 refreshesBefore = view.refreshCount();
    clock.start();
    ticker.start();
    session.open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 90000);
    const qint64 elapsedMs = clock.elapsed();
    ticker.stop();

    QCOMPARE(stats.figures().messagesIn, qint64(Count));
    const qint64 refreshes = view.refreshCount() - refreshesBefore;
    QVERIFY2(refreshes <= elapsedMs / 100 + 2,
             qPrintable(u"%1 refreshes in %2 ms"_s.arg(refreshes).arg(elapsedMs)));
    QVERIFY2(longestGapMs < 1000, qPrintable(u"the event loop stalled for %1 ms"_s.arg(longestGapMs)));
    QTRY_COMPARE_WITH_TIMEOUT(shown(*view.model(), u"messagesIn"_s), QLocale().toString(Count), Timeout);
    qInfo("flood of %d messages in %lld ms: %lld refreshes, longest event-loop gap %lld ms",
          Count, elapsedMs, refreshes, longestGapMs);
}

void TestStatsView::exportsCsvAndJsonAtomically()
{
    FrameLog log;
    SessionStats stats;
    stats.setLog(&log);
    FrameEvent sent;
    sent.kind = EventKind::Text;
    sent.direction = Direction::Outgoing;
    sent.monotonicNs = 1'000'000;
    log.append(FrameEvent(sent));
    FrameEvent answer = sent;
    answer.direction = Direction::Incoming;
    answer.monotonicNs = 4'000'000;  // 3 ms later
    log.append(std::move(answer));
    StatsView view;
    view.setStats(&stats);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY2(view.exportTo(dir.filePath(u"s.csv"_s), StatsView::Format::Csv, &error), qPrintable(error));
    QFile csv(dir.filePath(u"s.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray csvText = csv.readAll();
    QVERIFY2(csvText.contains("\nroundTripMaxMs,3,ms\n"), csvText.constData());

    QVERIFY2(view.exportTo(dir.filePath(u"s.json"_s), StatsView::Format::Json, &error), qPrintable(error));
    QFile json(dir.filePath(u"s.json"_s));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject object = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(object.value(u"roundTripP50Ms").toDouble(), 3.0);
    QCOMPARE(object.value(u"pairs").toDouble(), 1.0);

    // Nowhere to write: an error, and no file left behind.
    const QString bad = dir.filePath(u"missing/s.csv"_s);
    QVERIFY(!view.exportTo(bad, StatsView::Format::Csv, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(bad));
}

QTEST_MAIN(TestStatsView)
#include "tst_statsview.moc"
