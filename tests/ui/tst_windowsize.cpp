// The first window (nothing remembered yet) fits the screen it opens on: a 1280x840 default
// used to reach past the bottom of 1280x800 and 1366x768 screens. CTest runs this on the
// offscreen platform with screens of those sizes (tests/ui/screens/*.json), and on its default.
#include "mainwindow.h"

#include <QFile>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

class TestWindowSize : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstWindowFitsTheScreen();
    void rememberedGeometryWins();
    void cleanupTestCase();
};

void TestWindowSize::initTestCase()
{
    // CTest runs this binary for several screens at once: each run keeps its settings in a file
    // of its own, or one run's cleanup removes what another just remembered.
    QCoreApplication::setApplicationName(u"tst_windowsize_%1"_s.arg(QCoreApplication::applicationPid()));
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QSettings().remove(u"window/geometry"_s);
}

void TestWindowSize::firstWindowFitsTheScreen()
{
    MainWindow window(QUrl(u"ws://127.0.0.1:1/echo"_s));
    window.newSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QRect available = window.screen()->availableGeometry();
    qInfo() << "screen" << available << "window" << window.geometry() << "frame" << window.frameGeometry();
    QVERIFY2(available.contains(window.frameGeometry()),
             qPrintable(u"%1x%2 at %3,%4 on %5x%6"_s.arg(window.frameGeometry().width())
                            .arg(window.frameGeometry().height()).arg(window.frameGeometry().x())
                            .arg(window.frameGeometry().y()).arg(available.width()).arg(available.height())));
    // No smaller than it needs to be: the preferred size where it fits, most of the screen
    // where it does not.
    QVERIFY(window.width() >= std::min(1280, available.width() - 100));
    QVERIFY(window.height() >= std::min(840, available.height() - 100));
    QVERIFY(window.width() <= 1280 && window.height() <= 840);
    window.close();
}

// What a user gave the window last time stays theirs.
void TestWindowSize::rememberedGeometryWins()
{
    {
        MainWindow window(QUrl(u"ws://127.0.0.1:1/echo"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(700, 500);
        QTRY_COMPARE(window.size(), QSize(700, 500));
        window.close();  // writes the settings
    }
    MainWindow again(QUrl(u"ws://127.0.0.1:1/echo"_s));
    QCOMPARE(again.size(), QSize(700, 500));
    QSettings().remove(u"window/geometry"_s);
}

void TestWindowSize::cleanupTestCase()
{
    QFile::remove(QSettings().fileName());
}

QTEST_MAIN(TestWindowSize)
#include "tst_windowsize.moc"
