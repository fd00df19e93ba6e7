// The icon compiled into wsprobe: the window shows it, in every size of the icon theme, each
// size drawn (not an empty or fully transparent image).
#include "applicationicon.h"
#include "mainwindow.h"

#include <QApplication>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

class TestApplicationIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theWindowShowsTheIconInEverySize_data();
    void theWindowShowsTheIconInEverySize();
};

void TestApplicationIcon::initTestCase()
{
    // Never touch the user's own settings.
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    // As wsprobe's main() does.
    QApplication::setWindowIcon(wsprobe::applicationIcon());
}

void TestApplicationIcon::theWindowShowsTheIconInEverySize_data()
{
    QTest::addColumn<int>("size");
    // The sizes of the hicolor theme the package installs the icon in.
    for (const int size : {16, 32, 48, 64, 128, 256})
        QTest::addRow("%dx%d", size, size) << size;
}

void TestApplicationIcon::theWindowShowsTheIconInEverySize()
{
    QFETCH(int, size);
    wsprobe::MainWindow window(QUrl(u"ws://127.0.0.1:9/echo"_s));
    const QIcon icon = window.windowIcon();
    QVERIFY(!icon.isNull());
    QVERIFY2(icon.availableSizes().contains(QSize(size, size)),
             qPrintable(u"available: %1"_s.arg(QDebug::toString(icon.availableSizes()))));

    const QImage image = icon.pixmap(QSize(size, size), 1.0).toImage();
    QCOMPARE(image.size(), QSize(size, size));
    // Drawn at this size: the plate covers the middle, and the corners stay clear.
    QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
}

QTEST_MAIN(TestApplicationIcon)
#include "tst_applicationicon.moc"
