// FrameFilterBar and FrameFindBar: what each says, and when, to the log view that listens.
#include "framefilterbar.h"
#include "framefindbar.h"
#include "theme.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

template <typename T>
T *child(const QWidget &parent, const QString &name)
{
    T *found = parent.findChild<T *>(name);
    if (!found)
        qFatal("no child %s", qPrintable(name));
    return found;
}

FrameEvent textEvent(Direction direction, const QString &text)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = direction;
    event.text = text;
    event.size = utf8Length(text);
    return event;
}

} // namespace

class TestFrameBars : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filterTogglesAnnounceAtOnce();
    void filterTextWaitsForTheTypingPause();
    void invalidRegexKeepsTheAnnouncedPatterns();
    void relaxToShowAnnouncesOnce();
    void findBarAnnouncesAndAsks();
    void findBarCountsMatches();
    void directionTogglesShowTheirStateInEveryTheme();
};

void TestFrameBars::filterTogglesAnnounceAtOnce()
{
    FrameFilterBar bar;
    QSignalSpy changed(&bar, &FrameFilterBar::filterChanged);
    QVERIFY(bar.matcher().acceptsEverything());

    QTest::mouseClick(child<QToolButton>(bar, u"filterIncoming"_s), Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!bar.matcher().showsDirection(Direction::Incoming));
    QVERIFY(bar.matcher().showsDirection(Direction::Outgoing));

    bar.setTypeGroupShown(FrameFilterBar::Fragments, false);
    QCOMPARE(changed.count(), 2);
    QVERIFY(!bar.matcher().showsKind(EventKind::TextFrame));
    QVERIFY(!bar.matcher().showsKind(EventKind::BinaryFrame));
    QVERIFY(bar.matcher().showsKind(EventKind::Text));
    QCOMPARE(child<QToolButton>(bar, u"filterTypes"_s)->text(), u"8 types"_s);

    bar.setDirectionShown(Direction::Local, false);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(bar.matcher().directions, 1u << int(Direction::Outgoing));

    QTest::mouseClick(child<QToolButton>(bar, u"filterRegex"_s), Qt::LeftButton);
    QCOMPARE(changed.count(), 4);
    QCOMPARE(child<QLineEdit>(bar, u"filterText"_s)->placeholderText(), u"Filter by regular expression"_s);
}

void TestFrameBars::filterTextWaitsForTheTypingPause()
{
    FrameFilterBar bar;
    QSignalSpy changed(&bar, &FrameFilterBar::filterChanged);
    auto *text = child<QLineEdit>(bar, u"filterText"_s);
    QTest::keyClicks(text, u"bob"_s);
    QCOMPARE(changed.count(), 0);  // not once a keystroke
    QCOMPARE(bar.matcher().patterns, QList<TextPattern>{TextPattern::substring(u"bob"_s)});
    QTRY_COMPARE(changed.count(), 1);

    // Enter does not wait.
    QTest::keyClicks(text, u"by"_s);
    QTest::keyClick(text, Qt::Key_Return);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(bar.matcher().patterns, QList<TextPattern>{TextPattern::substring(u"bobby"_s)});
}

void TestFrameBars::invalidRegexKeepsTheAnnouncedPatterns()
{
    FrameFilterBar bar;
    auto *text = child<QLineEdit>(bar, u"filterText"_s);
    child<QToolButton>(bar, u"filterRegex"_s)->setChecked(true);
    text->setText(u"bob|dave"_s);
    bar.apply();
    const QList<TextPattern> announced{TextPattern::regularExpression(u"bob|dave"_s)};
    QCOMPARE(bar.matcher().patterns, announced);

    // "bob|dave|" is valid on the way, but was never announced: the filter keeps what was.
    text->setText(u"bob|dave|(("_s);
    QVERIFY(text->property("invalid").toBool());
    QCOMPARE(bar.matcher().patterns, announced);
    bar.apply();
    QCOMPARE(bar.matcher().patterns, announced);

    text->setText(u"(("_s);
    child<QToolButton>(bar, u"filterRegex"_s)->setChecked(false);  // a plain substring: valid
    QVERIFY(!text->property("invalid").toBool());
    QCOMPARE(bar.matcher().patterns, QList<TextPattern>{TextPattern::substring(u"(("_s)});
}

void TestFrameBars::relaxToShowAnnouncesOnce()
{
    FrameFilterBar bar;
    auto *text = child<QLineEdit>(bar, u"filterText"_s);
    bar.setDirectionShown(Direction::Outgoing, false);
    bar.setTypeGroupShown(FrameFilterBar::Texts, false);
    text->setText(u"alice"_s);
    bar.apply();
    QSignalSpy changed(&bar, &FrameFilterBar::filterChanged);

    // Contains the text: direction and type switched on, the text kept.
    const FrameEvent ours = textEvent(Direction::Outgoing, u"hello alice"_s);
    QVERIFY(!bar.matcher().accepts(ours));
    bar.relaxToShow(ours);
    QCOMPARE(changed.count(), 1);
    QVERIFY(bar.matcher().accepts(ours));
    QCOMPARE(text->text(), u"alice"_s);
    QVERIFY(child<QToolButton>(bar, u"filterOutgoing"_s)->isChecked());
    QVERIFY(child<QAction>(bar, u"filterType_text"_s)->isChecked());
    QCOMPARE(child<QToolButton>(bar, u"filterTypes"_s)->text(), u"All types"_s);

    // Does not: the text goes too.
    const FrameEvent theirs = textEvent(Direction::Incoming, u"hello bob"_s);
    bar.relaxToShow(theirs);
    QCOMPARE(changed.count(), 2);
    QVERIFY(text->text().isEmpty());
    QVERIFY(bar.matcher().acceptsEverything());
}

void TestFrameBars::findBarAnnouncesAndAsks()
{
    FrameFindBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy changed(&bar, &FrameFindBar::searchChanged);
    QSignalSpy next(&bar, &FrameFindBar::nextRequested);
    QSignalSpy previous(&bar, &FrameFindBar::previousRequested);
    auto *text = child<QLineEdit>(bar, u"searchText"_s);

    QTest::keyClicks(text, u"needle"_s);
    QVERIFY(bar.isTyping());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(bar.text(), u"needle"_s);
    QTRY_COMPARE(changed.count(), 1);
    QVERIFY(!bar.isTyping());

    QTest::keyClick(text, Qt::Key_Return);
    QCOMPARE(next.count(), 1);
    QTest::keyClick(text, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(previous.count(), 1);
    QTest::mouseClick(child<QToolButton>(bar, u"findPrevious"_s), Qt::LeftButton);
    QTest::mouseClick(child<QToolButton>(bar, u"findNext"_s), Qt::LeftButton);
    QCOMPARE(previous.count(), 2);
    QCOMPARE(next.count(), 2);

    // Escape empties the box and says so at once.
    QTest::keyClick(text, Qt::Key_Escape);
    QVERIFY(text->text().isEmpty());
    QCOMPARE(changed.count(), 2);
    QVERIFY(!bar.isTyping());
}

void TestFrameBars::findBarCountsMatches()
{
    FrameFindBar bar;
    auto *status = child<QLabel>(bar, u"searchStatus"_s);
    bar.showMatches(0, 3, false);
    QCOMPARE(status->text(), u"1 of 3"_s);
    bar.showMatches(2, 3, true);
    QCOMPARE(status->text(), u"3 of 3…"_s);
    bar.showMatches(-1, 1, false);
    QCOMPARE(status->text(), u"1 match"_s);
    bar.showMatches(-1, 5, true);
    QCOMPARE(status->text(), u"5 matches…"_s);
    bar.showMatches(-1, 0, true);
    QCOMPARE(status->text(), u"searching…"_s);
    bar.showMatches(-1, 0, false);
    QCOMPARE(status->text(), u"no matches"_s);
    bar.clearMatches();
    QVERIFY(status->text().isEmpty());
}

void TestFrameBars::directionTogglesShowTheirStateInEveryTheme()
{
    const Theme theme;
    for (const Theme::Choice choice : {Theme::Choice::Dark, Theme::Choice::Light}) {
        theme.apply(choice);
        FrameFilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        auto *button = child<QToolButton>(bar, u"filterIncoming"_s);
        QVERIFY(button->isChecked());
        const QImage on = button->grab().toImage().convertToFormat(QImage::Format_RGB32);
        button->setChecked(false);
        const QImage off = button->grab().toImage().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(on.size(), off.size());
        // Pixels that differ clearly (not by a shade of the bevel's gradient).
        int differing = 0;
        for (int y = 0; y < on.height(); ++y) {
            for (int x = 0; x < on.width(); ++x) {
                const QRgb a = on.pixel(x, y);
                const QRgb b = off.pixel(x, y);
                const int delta = std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
                differing += delta > 90;
            }
        }
        const double share = double(differing) / (on.width() * on.height());
        qInfo("%s: %.1f%% of the button's pixels differ clearly between on and off", qPrintable(Theme::key(choice)), share * 100);
        QVERIFY2(share > 0.05, qPrintable(QString::number(share)));
    }
    theme.apply(Theme::Choice::System);
}

QTEST_MAIN(TestFrameBars)
#include "tst_framebars.moc"
