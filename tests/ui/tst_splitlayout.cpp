// Two sessions side by side fit a 1280-pixel screen, and nothing in their bars overlaps.
#include "framefilterbar.h"
#include "framefindbar.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "mainwindow.h"
#include "requesteditor.h"
#include "sessionview.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// The visible child widgets of a bar, none overlapping another, each inside the bar and given at
// least its minimum width.
void verifyNoOverlap(const QWidget *bar)
{
    QList<const QWidget *> shown;
    for (QObject *object : bar->children()) {
        auto *widget = qobject_cast<QWidget *>(object);
        if (widget && widget->isVisible())
            shown.append(widget);
    }
    QVERIFY2(shown.size() >= 2, qPrintable(bar->objectName()));
    for (int i = 0; i < shown.size(); ++i) {
        const QWidget *a = shown.at(i);
        QVERIFY2(bar->rect().contains(a->geometry()),
                 qPrintable(u"%1 sticks out of %2"_s.arg(a->objectName(), bar->objectName())));
        QVERIFY2(a->width() >= a->minimumSizeHint().width(),
                 qPrintable(u"%1 is squeezed: %2 < %3"_s.arg(a->objectName()).arg(a->width()).arg(a->minimumSizeHint().width())));
        for (int j = i + 1; j < shown.size(); ++j) {
            const QWidget *b = shown.at(j);
            QVERIFY2(!a->geometry().intersects(b->geometry()),
                     qPrintable(u"%1 overlaps %2 in %3"_s.arg(a->objectName(), b->objectName(), bar->objectName())));
        }
    }
}

} // namespace

class TestSplitLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoSessionsSideBySideFit1280();
    void theLogGetsHalfTheTabAt1280x800();
};

void TestSplitLayout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
}

void TestSplitLayout::twoSessionsSideBySideFit1280()
{
    MainWindow window(QUrl(u"ws://127.0.0.1:1/echo"_s));
    SessionView *first = window.newSession();
    SessionView *second = window.newSession();
    window.moveCurrentTabToOtherPane();
    QVERIFY(window.isSplit());
    QVERIFY(first->isVisibleTo(&window) && second->isVisibleTo(&window));
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    qInfo() << "minimum width of the window split in two:" << window.minimumSizeHint().width()
            << "of a session:" << second->minimumSizeHint().width() << "widths" << first->width() << second->width();
    QVERIFY2(window.minimumSizeHint().width() <= 1280, qPrintable(QString::number(window.minimumSizeHint().width())));
    QCOMPARE(window.width(), 1280);

    for (SessionView *view : {first, second}) {
        QTRY_VERIFY(view->width() > 0);
        verifyNoOverlap(view->logView()->filterBar());
        verifyNoOverlap(view->logView()->findChild<QWidget *>(u"logBar"_s));
        verifyNoOverlap(view->logView()->findBar());
        // The payload column starts well inside the table: the detail went under it.
        QTableView *table = view->logView()->table();
        const int payloadX = table->horizontalHeader()->sectionViewportPosition(FrameLogModel::PreviewColumn);
        QVERIFY2(payloadX < table->viewport()->width() - 150,
                 qPrintable(u"payload at %1 of %2"_s.arg(payloadX).arg(table->viewport()->width())));
        // The request's tabs and the composer fold away for a taller log; the log does not.
        auto *sessionSplitter = view->findChild<QSplitter *>(u"sessionSplitter"_s);
        QVERIFY(sessionSplitter->isCollapsible(sessionSplitter->indexOf(view->requestEditor())));
        QVERIFY(!sessionSplitter->isCollapsible(sessionSplitter->indexOf(view->logView())));
        QVERIFY(sessionSplitter->isCollapsible(2));
        // The bars fit the pane: nothing is cut at its right edge.
        QVERIFY(view->logView()->rect().contains(view->logView()->findChild<QWidget *>(u"logBar"_s)->geometry()));
    }
}

// The Params and Headers table took ~180 px of an 840-pixel window, and left the log ~270 px: the
// request area is as tall as its rows need (a few at most, then it scrolls), and the log gets the
// rest.
void TestSplitLayout::theLogGetsHalfTheTabAt1280x800()
{
    QSettings().remove(u"session/splitter"_s);  // the layout as a new user meets it
    QSettings().remove(u"window/geometry"_s);
    MainWindow window(QUrl(u"ws://127.0.0.1:1/echo"_s));
    SessionView *view = window.newSession();
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(view->height() > 0);
    const int request = view->requestEditor()->height();
    const int log = view->logView()->height();
    qInfo() << "at 1280x800: session tab" << view->height() << "request" << request << "log" << log
            << "composer" << view->findChild<QSplitter *>(u"sessionSplitter"_s)->sizes().value(2);
    QVERIFY2(log * 2 >= view->height(), qPrintable(u"log %1 of %2"_s.arg(log).arg(view->height())));

    // The Params table is still usable: its header and a row are in view, and the empty row
    // that takes typing is one of them.
    QTableView *params = view->requestEditor()->findChild<QWidget *>(u"paramsEditor"_s)->findChild<QTableView *>(u"table"_s);
    QVERIFY(params->isVisible());
    QVERIFY2(params->viewport()->height() >= params->rowHeight(0),
             qPrintable(u"params viewport %1 < row %2"_s.arg(params->viewport()->height()).arg(params->rowHeight(0))));
}

QTEST_MAIN(TestSplitLayout)
#include "tst_splitlayout.moc"
