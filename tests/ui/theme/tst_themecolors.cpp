// Themes: the semantic colours read on a light and a dark palette, the models pick them when
// painted, and the View → Theme menu changes the application's look and remembers it.
#include "assertionspanel.h"
#include "composer.h"
#include "framelog.h"
#include "framelogfilter.h"
#include "framelogmodel.h"
#include "framelogview.h"
#include "mainwindow.h"
#include "qscintilla.h"
#include "scenarioloader.h"
#include "steplistmodel.h"
#include "theme.h"
#include "themecolors.h"

#include <QAction>
#include <QApplication>
#include <QBrush>
#include <QDir>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

// WCAG's minimum for large text and user-interface parts; normal text should reach 4.5.
constexpr double MinimumContrast = 3.0;

using ColorOf = QColor (*)(const QPalette &);

ColorOf semanticColor(const QString &name)
{
    const QHash<QString, ColorOf> colors{
        {u"failure"_s, ThemeColors::failure},   {u"success"_s, ThemeColors::success},
        {u"info"_s, ThemeColors::info},         {u"incoming"_s, ThemeColors::incoming},
        {u"outgoing"_s, ThemeColors::outgoing}, {u"warning"_s, ThemeColors::warning},
        {u"reference"_s, ThemeColors::reference}, {u"muted"_s, ThemeColors::muted},
    };
    return colors.value(name);
}

QColor foregroundOf(const QModelIndex &index)
{
    return index.data(Qt::ForegroundRole).value<QBrush>().color();
}

// Where the tests leave pictures of the widgets, for a person to look at.
QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(WSPROBE_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir + u'/' + name;
}

FrameEvent textEvent(qint64 n, Direction direction, const QString &text)
{
    FrameEvent event;
    event.kind = EventKind::Text;
    event.direction = direction;
    event.monotonicNs = n * 1'000'000;
    event.wallMs = 1'700'000'000'000 + n;
    event.text = text;
    event.size = text.size();
    return event;
}

// The colour a model gives index under each palette, checked to read on that palette's base.
void checkFollowsPalette(const std::function<QColor()> &colorNow)
{
    const QPalette light = Theme::lightPalette();
    const QPalette dark = Theme::darkPalette();
    QApplication::setPalette(light);
    const QColor onLight = colorNow();
    QApplication::setPalette(dark);
    const QColor onDark = colorNow();

    QVERIFY(onLight.isValid());
    QVERIFY(onDark.isValid());
    QVERIFY2(onLight != onDark, qPrintable(onLight.name()));
    const double lightContrast = ThemeColors::contrast(onLight, light.color(QPalette::Base));
    const double darkContrast = ThemeColors::contrast(onDark, dark.color(QPalette::Base));
    QVERIFY2(lightContrast >= MinimumContrast,
             qPrintable(u"%1 on light: %2"_s.arg(onLight.name()).arg(lightContrast)));
    QVERIFY2(darkContrast >= MinimumContrast,
             qPrintable(u"%1 on dark: %2"_s.arg(onDark.name()).arg(darkContrast)));
}

} // namespace

class TestThemeColors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void contrastIsWcags();
    void palettesAreWhatTheyAreCalled();
    void semanticColoursReadOnBothPalettes_data();
    void semanticColoursReadOnBothPalettes();
    void readableKeepsTheHueAndReachesAA();
    void failingFrameFollowsThePalette();
    void failedStepFollowsThePalette();
    void composerEditorFollowsThePalette();
    void styleSheetColoursFollowALiveSwitch();
    void darkScreenshots();
    void themeMenuAppliesAndRemembers();
    void unknownSavedThemeMeansSystem();

private:
    QString m_startStyle;
};

void TestThemeColors::initTestCase()
{
    // Never touch the user's own settings.
    QStandardPaths::setTestModeEnabled(true);
    qputenv("WSPROBE_NO_DIALOGS", "1");
    QSettings().remove(u"appearance/theme"_s);
    m_startStyle = QApplication::style()->name();
}

void TestThemeColors::cleanup()
{
    if (QApplication::style()->name() != m_startStyle)
        QApplication::setStyle(QStyleFactory::create(m_startStyle));
    QApplication::setPalette(QPalette());
    QSettings().remove(u"appearance/theme"_s);
}

void TestThemeColors::contrastIsWcags()
{
    QCOMPARE(qRound(ThemeColors::contrast(Qt::black, Qt::white) * 10), 210);
    QCOMPARE(ThemeColors::contrast(Qt::white, Qt::black), ThemeColors::contrast(Qt::black, Qt::white));
    QCOMPARE(ThemeColors::contrast(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
    // #777 on white is the textbook example of "just below 4.5".
    QCOMPARE(qRound(ThemeColors::contrast(QColor(0x77, 0x77, 0x77), Qt::white) * 100), 448);
}

void TestThemeColors::palettesAreWhatTheyAreCalled()
{
    QVERIFY(ThemeColors::isDark(Theme::darkPalette()));
    QVERIFY(!ThemeColors::isDark(Theme::lightPalette()));
    for (const QPalette &palette : {Theme::lightPalette(), Theme::darkPalette()}) {
        for (auto [fore, back] : {std::pair(QPalette::Text, QPalette::Base),
                                  std::pair(QPalette::WindowText, QPalette::Window),
                                  std::pair(QPalette::ButtonText, QPalette::Button),
                                  std::pair(QPalette::HighlightedText, QPalette::Highlight),
                                  std::pair(QPalette::ToolTipText, QPalette::ToolTipBase)}) {
            QVERIFY2(ThemeColors::contrast(palette.color(fore), palette.color(back)) >= 4.5,
                     qPrintable(palette.color(fore).name() + u" on "_s + palette.color(back).name()));
        }
        QVERIFY(ThemeColors::contrast(palette.color(QPalette::Link), palette.color(QPalette::Base)) >= 4.5);
    }
}

void TestThemeColors::semanticColoursReadOnBothPalettes_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"failure", "success", "info", "incoming", "outgoing", "warning",
                             "reference", "muted"}) {
        QTest::newRow(name) << QString::fromLatin1(name);
    }
}

void TestThemeColors::semanticColoursReadOnBothPalettes()
{
    QFETCH(QString, name);
    const ColorOf color = semanticColor(name);
    QVERIFY(color);
    const QPalette light = Theme::lightPalette();
    const QPalette dark = Theme::darkPalette();
    QVERIFY(ThemeColors::contrast(color(light), light.color(QPalette::Base)) >= MinimumContrast);
    QVERIFY(ThemeColors::contrast(color(dark), dark.color(QPalette::Base)) >= MinimumContrast);
    // Also on the window, where labels show them.
    QVERIFY(ThemeColors::contrast(color(dark), dark.color(QPalette::Window)) >= MinimumContrast);
    QVERIFY(color(light) != color(dark));
    // The colour is the dark one only because the palette is dark, not because of the app's.
    QApplication::setPalette(dark);
    QCOMPARE(color(light), color(Theme::lightPalette()));
}

void TestThemeColors::readableKeepsTheHueAndReachesAA()
{
    const QColor purple(0x7f, 0x00, 0x7f);  // a lexer's string colour, made for white paper
    const QPalette dark = Theme::darkPalette();
    const QColor onDark = ThemeColors::readable(purple, dark);
    QVERIFY(ThemeColors::contrast(purple, dark.color(QPalette::Base)) < 4.5);
    QVERIFY(ThemeColors::contrast(onDark, dark.color(QPalette::Base)) >= 4.5);
    QCOMPARE(onDark.hslHue(), purple.hslHue());
    // Already readable: left alone.
    QCOMPARE(ThemeColors::readable(purple, Theme::lightPalette()), purple);
    // Too pale for white paper: darkened instead.
    const QColor pale(0xff, 0xd0, 0x80);
    const QColor onLight = ThemeColors::readable(pale, Theme::lightPalette());
    QVERIFY(ThemeColors::contrast(onLight, Qt::white) >= 4.5);
    QVERIFY(onLight.lightness() < pale.lightness());
}

void TestThemeColors::failingFrameFollowsThePalette()
{
    FrameLog log;
    FrameEvent error;
    error.kind = EventKind::Error;
    error.direction = Direction::Local;
    error.text = u"Connection refused"_s;
    log.append(std::move(error));
    FrameEvent sent;
    sent.kind = EventKind::Text;
    sent.direction = Direction::Outgoing;
    sent.text = u"hello"_s;
    log.append(std::move(sent));
    FrameLogModel model;
    model.setLog(&log);
    QCOMPARE(model.rowCount(), 2);

    checkFollowsPalette([&] { return foregroundOf(model.index(0, FrameLogModel::PreviewColumn)); });
    checkFollowsPalette([&] { return foregroundOf(model.index(1, FrameLogModel::DirectionColumn)); });
    // Read when painted: the error row's colour is the application palette's failure colour.
    QApplication::setPalette(Theme::darkPalette());
    QCOMPARE(foregroundOf(model.index(0, FrameLogModel::TypeColumn)),
             ThemeColors::failure(Theme::darkPalette()));
}

void TestThemeColors::failedStepFollowsThePalette()
{
    const ScenarioLoader::Result loaded = ScenarioLoader::loadText(uR"({
      "wsprobe": 1,
      "name": "one step",
      "clients": { "alice": { "url": "ws://127.0.0.1:9/" } },
      "steps": [ { "connect": "alice" }, { "send": "alice", "text": "hi" } ]
    })"_s, u"theme.json"_s, QDir::currentPath());
    QVERIFY2(loaded.scenario, qPrintable(loaded.errorText()));
    StepListModel model;
    model.setScenario(*loaded.scenario);
    StepResult failed;
    failed.status = StepResult::Status::Failed;
    failed.message = u"connection refused"_s;
    model.setStepResult(0, failed);
    StepResult passed;
    passed.status = StepResult::Status::Passed;
    model.setStepResult(1, passed);

    checkFollowsPalette([&] { return foregroundOf(model.index(0, StepListModel::TitleColumn)); });
    checkFollowsPalette([&] { return foregroundOf(model.index(1, StepListModel::StatusColumn)); });
}

void TestThemeColors::composerEditorFollowsThePalette()
{
    Composer composer;
    composer.show();
    QsciScintilla *editor = composer.editor();
    QVERIFY(editor->lexer());  // JSON by default: the lexer paints the text
    QApplication::setPalette(Theme::darkPalette());
    const QColor darkBase = Theme::darkPalette().color(QPalette::Base);
    QTRY_COMPARE(editor->lexer()->paper(QsciLexerJSON::Default), darkBase);
    QCOMPARE(editor->lexer()->paper(QsciLexerJSON::String), darkBase);
    for (int style : {int(QsciLexerJSON::Default), int(QsciLexerJSON::Number), int(QsciLexerJSON::String),
                      int(QsciLexerJSON::Property), int(QsciLexerJSON::Keyword)}) {
        const QColor color = editor->lexer()->color(style);
        QVERIFY2(ThemeColors::contrast(color, darkBase) >= 4.5, qPrintable(color.name()));
    }
    // Without the lexer too (hex).
    composer.setSendMode(SendMode::BinaryHex);
    QVERIFY(!editor->lexer());
    QCOMPARE(editor->paper(), darkBase);

    QApplication::setPalette(Theme::lightPalette());
    QTRY_COMPARE(editor->paper(), Theme::lightPalette().color(QPalette::Base));
}

// Colours baked into style sheets (an invalid filter's border, the assertion editor's error)
// are redrawn when the theme changes, not at their next update.
void TestThemeColors::styleSheetColoursFollowALiveSwitch()
{
    QApplication::setPalette(Theme::lightPalette());
    FrameLog log;
    FrameLogView view;
    view.setLog(&log);
    AssertionsPanel panel;
    view.show();
    panel.show();
    auto *filterText = view.findChild<QLineEdit *>(u"filterText"_s);
    auto *filterRegex = view.findChild<QToolButton *>(u"filterRegex"_s);
    auto *assertionError = panel.findChild<QLabel *>(u"assertionError"_s);
    QVERIFY(filterText && filterRegex && assertionError);
    filterRegex->setChecked(true);
    filterText->setText(u"(unclosed"_s);
    const QString lightRed = ThemeColors::failure(Theme::lightPalette()).name();
    const QString darkRed = ThemeColors::failure(Theme::darkPalette()).name();
    QVERIFY(lightRed != darkRed);
    QVERIFY(filterText->styleSheet().contains(lightRed));
    QVERIFY(assertionError->styleSheet().contains(lightRed));

    QApplication::setPalette(Theme::darkPalette());
    QTRY_VERIFY(filterText->styleSheet().contains(darkRed));
    QTRY_VERIFY(assertionError->styleSheet().contains(darkRed));

    filterText->setText(u"(closed)"_s);  // valid again: no border
    QVERIFY(filterText->styleSheet().isEmpty());
}

void TestThemeColors::darkScreenshots()
{
    Theme().apply(Theme::Choice::Dark);
    FrameLog log;
    for (int i = 0; i < 12; ++i) {
        const Direction direction = i % 3 == 0 ? Direction::Outgoing : Direction::Incoming;
        const QString user = i % 2 ? u"bob"_s : u"ann"_s;
        log.append(textEvent(i, direction, u"{\"n\":%1,\"user\":\"%2\"}"_s.arg(i).arg(user)));
    }
    FrameEvent refused;
    refused.kind = EventKind::Error;
    refused.direction = Direction::Local;
    refused.monotonicNs = 12'000'000;
    refused.wallMs = 1'700'000'000'012;
    refused.text = u"Connection refused"_s;
    log.append(std::move(refused));
    FrameLogView view;
    view.resize(1000, 420);
    view.setLog(&log);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.findChild<QLineEdit *>(u"searchText"_s)->setText(u"bob"_s);
    view.findNext();
    view.model()->flush();
    view.filter()->finishScan();
    view.searchMatches()->finishScan();
    QTest::qWait(50);
    QVERIFY(ThemeColors::isDark(view.palette()));
    QVERIFY(view.grab().save(screenshotPath(u"theme-dark-log.png"_s)));

    Composer composer;
    composer.resize(700, 200);
    composer.setText(u"{\n  \"type\": \"message\",\n  \"n\": 42,\n  \"ok\": true,\n  \"to\": null\n}"_s);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    QVERIFY(composer.grab().save(screenshotPath(u"theme-dark-composer.png"_s)));
}

void TestThemeColors::themeMenuAppliesAndRemembers()
{
    // Offscreen, the platform's style is Fusion too: start from another, so System is seen to
    // give it back.
    QApplication::setStyle(QStyleFactory::create(u"Windows"_s));
    const QPalette systemPalette = QApplication::palette();
    {
        MainWindow window(QUrl(u"ws://127.0.0.1:9/echo"_s));
        window.show();
        auto *system = window.findChild<QAction *>(u"theme_system"_s);
        auto *dark = window.findChild<QAction *>(u"theme_dark"_s);
        auto *light = window.findChild<QAction *>(u"theme_light"_s);
        QVERIFY(system && dark && light);
        QVERIFY(system->isChecked());  // nothing saved yet
        QVERIFY(!ThemeColors::isDark(QApplication::palette()));

        dark->trigger();
        QVERIFY(dark->isChecked());
        QVERIFY(!system->isChecked());
        QCOMPARE(QApplication::palette().color(QPalette::Base), Theme::darkPalette().color(QPalette::Base));
        QCOMPARE(QApplication::style()->name(), u"fusion"_s);
        QCOMPARE(QSettings().value(u"appearance/theme"_s).toString(), u"dark"_s);
        // The widgets follow once their palette events are delivered.
        QTRY_VERIFY(ThemeColors::isDark(window.palette()));

        light->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window),
                 Theme::lightPalette().color(QPalette::Window));
        QCOMPARE(QApplication::style()->name(), u"fusion"_s);
        QCOMPARE(QSettings().value(u"appearance/theme"_s).toString(), u"light"_s);

        // System gives back the platform's style and palette.
        system->trigger();
        QCOMPARE(QSettings().value(u"appearance/theme"_s).toString(), u"system"_s);
        QCOMPARE(QApplication::style()->name(), u"windows"_s);
        QCOMPARE(QApplication::palette().color(QPalette::Window), systemPalette.color(QPalette::Window));
        QCOMPARE(QApplication::palette().color(QPalette::Base), systemPalette.color(QPalette::Base));
        QVERIFY(!QCoreApplication::testAttribute(Qt::AA_SetPalette));
        dark->trigger();
    }

    // The next start applies what was chosen, and ticks it.
    QApplication::setPalette(QPalette());
    MainWindow window(QUrl(u"ws://127.0.0.1:9/echo"_s));
    QVERIFY(window.findChild<QAction *>(u"theme_dark"_s)->isChecked());
    QVERIFY(!window.findChild<QAction *>(u"theme_system"_s)->isChecked());
    QVERIFY(ThemeColors::isDark(QApplication::palette()));
}

void TestThemeColors::unknownSavedThemeMeansSystem()
{
    QSettings().setValue(u"appearance/theme"_s, u"solarized"_s);
    QCOMPARE(Theme::saved(), Theme::Choice::System);
    Theme::save(Theme::Choice::Light);
    QCOMPARE(Theme::saved(), Theme::Choice::Light);
    QCOMPARE(Theme::fromKey(Theme::key(Theme::Choice::Dark)), Theme::Choice::Dark);
    QCOMPARE(Theme::fromKey(u"Dark"_s), std::nullopt);
}

QTEST_MAIN(TestThemeColors)
#include "tst_themecolors.moc"
