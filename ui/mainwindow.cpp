#include "mainwindow.h"

#include "demoserver.h"
#include "demoserverthread.h"
#include "captureimport.h"
#include "environmenteditor.h"
#include "environmentsmodel.h"
#include "framelogexporttask.h"
#include "framelogview.h"
#include "harreader.h"
#include "jsonlreader.h"
#include "loadview.h"
#include "logmemorydialog.h"
#include "mockserver.h"
#include "mockscriptreader.h"
#include "recorder.h"
#include "scenarioerrorview.h"
#include "scenarioloader.h"
#include "proxyview.h"
#include "scenariorunview.h"
#include "scenariowriter.h"
#include "session.h"
#include "sessionmanager.h"
#include "sessionview.h"
#include "serverview.h"
#include "theme.h"
#include "historymodel.h"
#include "variables.h"
#include "workspacepanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QDateTime>
#include <QDir>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int MaxRecentFiles = 10;
// How long a change to what the window remembers waits before it is written: a burst of
// changes (a scenario run ending many sessions) costs one write.
constexpr int SettingsWriteDelayMs = 500;

bool isCaptureFile(const QUrl &url)
{
    return url.isLocalFile() && (url.toLocalFile().endsWith(u".har"_s, Qt::CaseInsensitive)
                                 || url.toLocalFile().endsWith(u".jsonl"_s, Qt::CaseInsensitive));
}

bool isMockFile(const QUrl &url)
{
    return url.isLocalFile() && MockScriptReader::isMockFileName(url.toLocalFile());
}

bool isScenarioFile(const QUrl &url)
{
    return url.isLocalFile() && url.toLocalFile().endsWith(u".json"_s, Qt::CaseInsensitive)
        && !url.toLocalFile().endsWith(u".env.json"_s, Qt::CaseInsensitive) && !isMockFile(url);
}

// Saving and replaying record through this one path, so a replay runs what a saved file holds.
// No steps: the session never connected. Built-in servers (the demo) are written as their
// variable, so the file still runs when the demo server's port has changed.
Recording recordSession(const Session &session, const QString &scenarioName,
                        const QMap<QString, QString> &builtIns)
{
    RecordOptions options;
    options.scenarioName = scenarioName;
    options.serverVariables = builtIns;
    return Recorder::record(session.settings(), *session.log(), options);
}

} // namespace

MainWindow::MainWindow(const QUrl &defaultUrl, QWidget *parent)
    : QMainWindow(parent)
    , m_defaultUrl(defaultUrl)
    , m_sessions(new SessionManager(this))
    , m_panes(new QSplitter(Qt::Horizontal, this))
    , m_left(new QTabWidget(m_panes))
    , m_right(new QTabWidget(m_panes))
    , m_lastActive(m_left)
    , m_workspace(new WorkspacePanel(this))
{
    setWindowTitle(tr("wsprobe"));
    setAcceptDrops(true);
    m_left->setObjectName(u"sessions"_s);
    m_right->setObjectName(u"sessionsRight"_s);
    m_panes->setObjectName(u"panes"_s);
    for (QTabWidget *pane : {m_left, m_right}) {
        pane->setDocumentMode(true);
        pane->setTabsClosable(true);
        pane->setMovable(true);
        connect(pane, &QTabWidget::tabCloseRequested, this, [this, pane](int index) {
            m_lastActive = pane;
            closeSession(index);
        });
        connect(pane, &QTabWidget::currentChanged, this, [this, pane] { m_lastActive = pane; });
        connect(pane, &QTabWidget::tabBarClicked, this, [this, pane] { m_lastActive = pane; });
    }
    m_panes->addWidget(m_left);
    m_panes->addWidget(m_right);
    m_right->hide();
    setCentralWidget(m_panes);
    // Made now, not on its first message: the window's layout does not jump then.
    statusBar()->setObjectName(u"statusBar"_s);

    auto *dock = new QDockWidget(tr("Workspace"), this);
    dock->setObjectName(u"workspaceDock"_s);
    dock->setWidget(m_workspace);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    connect(m_workspace, &WorkspacePanel::scenarioActivated, this, [this](const QString &path) { openScenario(path); });
    connect(m_workspace, &WorkspacePanel::urlActivated, this, [this](const QUrl &url) { newSession(url); });
    createActions();
    restoreSettings();
    if (!restoreGeometry(QSettings().value(u"window/geometry"_s).toByteArray()))
        fitFirstWindowToScreen();

    m_settingsWrite.setSingleShot(true);
    m_settingsWrite.setInterval(SettingsWriteDelayMs);
    connect(&m_settingsWrite, &QTimer::timeout, this, &MainWindow::saveSettings);
    HistoryModel *history = m_workspace->historyModel();
    connect(history, &QAbstractItemModel::rowsInserted, this, &MainWindow::scheduleSettingsWrite);
    connect(history, &QAbstractItemModel::rowsRemoved, this, &MainWindow::scheduleSettingsWrite);
    connect(history, &QAbstractItemModel::modelReset, this, &MainWindow::scheduleSettingsWrite);
    connect(history, &QAbstractItemModel::dataChanged, this, &MainWindow::scheduleSettingsWrite);
    connect(m_workspace->environmentEditor(), &EnvironmentEditor::activeFileChanged, this,
            &MainWindow::scheduleSettingsWrite);
}

void MainWindow::fitFirstWindowToScreen()
{
    constexpr QSize Preferred(1280, 840);
    const QRect available = screen()->availableGeometry();
    // The frame is the window manager's, unknown until the window is shown: leave room for a
    // title bar and borders, so that a 1366x768 or 1280x800 screen shows the whole window.
    const int titleBar = style()->pixelMetric(QStyle::PM_TitleBarHeight, nullptr, this);
    const QSize frame(16, titleBar + 16);
    const QSize size = Preferred.boundedTo(available.size() - frame).expandedTo(minimumSizeHint());
    resize(size);
    move(available.topLeft() + QPoint((available.width() - size.width()) / 2,
                                      (available.height() - size.height() - titleBar) / 2));
}

MainWindow::~MainWindow()
{
    // Views hold raw pointers to sessions: take the views down first.
    for (QTabWidget *pane : {m_left, m_right}) {
        while (pane->count() > 0) {
            QWidget *page = pane->widget(0);
            pane->removeTab(0);
            delete page;
        }
    }
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Session"), QKeySequence::AddTab, this, [this] { newSession(); });
    file->addAction(tr("New &Proxy"), this, [this] {
        auto *view = new ProxyView(this);
        addTab(view, view->title());
        connect(view, &ProxyView::titleChanged, this, [this, view](const QString &title) { retitle(view, title); });
    })->setObjectName(u"newProxyAction"_s);
    file->addAction(tr("&Open Scenario…"), QKeySequence::Open, this, &MainWindow::openScenarioDialog);
    file->addAction(tr("Open &Workspace Folder…"), this, &MainWindow::openWorkspaceDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Save as Scenario…"), QKeySequence::Save, this, &MainWindow::saveCurrentTab);
    file->addSeparator();
    file->addAction(tr("New Ser&ver…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S), this,
                    &MainWindow::openServerDialog)->setObjectName(u"newServerAction"_s);
    file->addAction(tr("New &Load Test"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this,
                    [this] { openLoad(); })->setObjectName(u"newLoadAction"_s);
    QMenu *examples = file->addMenu(tr("Open E&xample Server"));
    examples->setObjectName(u"exampleServersMenu"_s);
    for (const QString &path : exampleServers()) {
        const QString name = QFileInfo(path).fileName();
        QAction *action = examples->addAction(name, this, [this, path] { openServer(path); });
        action->setObjectName(u"exampleServer_"_s + name.section(u'.', 0, 0));
    }
    file->addSeparator();
    file->addAction(tr("&Export Log…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportLogDialog)->setObjectName(u"exportLogAction"_s);
    file->addAction(tr("&Import HAR…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    &MainWindow::importCaptureDialog)->setObjectName(u"importHarAction"_s);
    file->addSeparator();
    file->addAction(tr("&Close Tab"), QKeySequence::Close, this, &MainWindow::closeCurrentTab);
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *session = menuBar()->addMenu(tr("&Session"));
    session->addAction(tr("&Connect / Disconnect"), QKeySequence(Qt::CTRL | Qt::Key_D), this, [this] {
        if (SessionView *view = currentSessionView())
            view->toggleConnection();
    });
    session->addAction(tr("&Ping"), QKeySequence(Qt::CTRL | Qt::Key_P), this, [this] {
        if (SessionView *view = currentSessionView())
            view->sendPing();
    });
    QAction *replay = session->addAction(tr("&Replay as Scenario"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                                         this, [this] { replaySession(currentSessionView()); });
    replay->setObjectName(u"replayAction"_s);
    QAction *logMemory = session->addAction(tr("Log &Memory…"), this, [this] {
        LogMemoryDialog dialog(m_sessions, this);
        dialog.exec();
    });
    logMemory->setObjectName(u"logMemoryAction"_s);
    session->addSeparator();
    session->addAction(tr("Ne&xt Tab"), QKeySequence(Qt::CTRL | Qt::Key_Tab), this, [this] {
        QTabWidget *pane = activePane();
        if (pane->count() > 0)
            pane->setCurrentIndex((pane->currentIndex() + 1) % pane->count());
    });
    session->addAction(tr("Pre&vious Tab"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab), this, [this] {
        QTabWidget *pane = activePane();
        if (pane->count() > 0)
            pane->setCurrentIndex((pane->currentIndex() + pane->count() - 1) % pane->count());
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *sidebar = findChild<QDockWidget *>(u"workspaceDock"_s)->toggleViewAction();
    sidebar->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    view->addAction(sidebar);
    QAction *split = view->addAction(tr("&Split View"), QKeySequence(Qt::CTRL | Qt::Key_Backslash), this,
                                     [this] { setSplit(!isSplit()); });
    split->setObjectName(u"splitAction"_s);
    view->addAction(tr("&Move Tab to Other Side"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                    &MainWindow::moveCurrentTabToOtherPane);
    view->addSeparator();
    QMenu *themeMenu = view->addMenu(tr("&Theme"));
    auto *themes = new QActionGroup(themeMenu);  // exclusive
    const Theme theme;  // built before any choice is applied: it remembers the platform's style
    const Theme::Choice savedTheme = Theme::saved();
    for (const auto &entry : {std::pair(Theme::Choice::System, tr("&System")),
                              std::pair(Theme::Choice::Light, tr("&Light")),
                              std::pair(Theme::Choice::Dark, tr("&Dark"))}) {
        const Theme::Choice choice = entry.first;
        QAction *action = themeMenu->addAction(entry.second);
        action->setObjectName(u"theme_"_s + Theme::key(choice));
        action->setCheckable(true);
        action->setChecked(choice == savedTheme);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [theme, choice] {
            theme.apply(choice);
            Theme::save(choice);
        });
    }
    theme.apply(savedTheme);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction(tr("&About wsprobe"), this, [this] {
        QMessageBox::about(this, tr("About wsprobe"),
                           tr("wsprobe %1: an exploratory WebSocket testing workbench.")
                               .arg(QApplication::applicationVersion()));
    });
}

QTabWidget *MainWindow::activePane() const
{
    return m_lastActive->isVisible() || m_lastActive == m_left ? m_lastActive : m_left;
}

QTabWidget *MainWindow::paneOf(QWidget *page) const
{
    if (m_left->indexOf(page) >= 0)
        return m_left;
    if (m_right->indexOf(page) >= 0)
        return m_right;
    return nullptr;
}

void MainWindow::addTab(QWidget *page, const QString &title)
{
    QTabWidget *pane = activePane();
    const int index = pane->addTab(page, title);
    pane->setCurrentIndex(index);
}

void MainWindow::retitle(QWidget *page, const QString &title)
{
    if (QTabWidget *pane = paneOf(page))
        pane->setTabText(pane->indexOf(page), title);
}

bool MainWindow::startDemoServer(quint16 port, QString *error)
{
    if (!m_demo)
        m_demo = new DemoServerThread(this);
    const auto whenTaken = port == 0 ? DemoServerThread::WhenTaken::Fail
                                     : DemoServerThread::WhenTaken::TakeAnyFreePort;
    if (!m_demo->start(port, whenTaken)) {
        if (error)
            *error = m_demo->errorString();
        return false;
    }
    if (m_defaultUrl.isEmpty()) {
        m_defaultUrl = m_demo->url();
        m_defaultUrl.setPath(u"/echo"_s);
    }
    if (!m_demoStatus) {
        m_demoStatus = new QLabel(this);
        m_demoStatus->setObjectName(u"demoServerStatus"_s);
        m_demoStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
        statusBar()->addPermanentWidget(m_demoStatus);
    }
    const QString notice = m_demo->notice();
    m_demoStatus->setText(tr("Demo server: %1").arg(m_demo->url().toString()));
    m_demoStatus->setToolTip(notice.isEmpty()
                                 ? tr("The built-in demo server; scenarios reach it as {{%1}}.")
                                       .arg(Variables::DemoUrl)
                                 : notice);
    m_workspace->environmentEditor()->setBuiltInVariables(builtInVariables());
    if (!notice.isEmpty()) {
        // Not silent: what was saved for the usual port points elsewhere until the next start.
        qWarning("wsprobe: %s", qPrintable(notice));
        statusBar()->showMessage(notice);
    }
    return true;
}

QUrl MainWindow::demoServerUrl() const
{
    return m_demo ? m_demo->url() : QUrl();
}

QMap<QString, QString> MainWindow::builtInVariables() const
{
    QMap<QString, QString> variables;
    if (m_demo && m_demo->isRunning())
        variables.insert(Variables::DemoUrl.toString(), m_demo->url().toString());
    return variables;
}

SessionView *MainWindow::newSession(const QUrl &url)
{
    SessionSettings settings;
    settings.url = url.isEmpty() ? m_defaultUrl : url;
    Session *session = m_sessions->createSession(settings);
    auto *view = new SessionView(session, this);
    addTab(view, view->title());
    connect(view, &SessionView::titleChanged, this, [this, view](const QString &title) { retitle(view, title); });
    connect(view, &SessionView::stateIconChanged, this, [this, view](const QIcon &icon) {
        if (QTabWidget *pane = paneOf(view))
            pane->setTabIcon(pane->indexOf(view), icon);
    });
    if (QTabWidget *pane = paneOf(view))
        pane->setTabIcon(pane->indexOf(view), view->stateIcon());
    connect(view, &SessionView::connectionEnded, this, [this](const QUrl &url, const CloseInfo &info) {
        m_workspace->historyModel()->addEntry(url, QDateTime::currentDateTime(), info);
    });
    connect(view, &SessionView::replayRequested, this, [this, view] { replaySession(view); });
    return view;
}

SessionView *MainWindow::currentSessionView() const
{
    return qobject_cast<SessionView *>(activePane()->currentWidget());
}

ServerView *MainWindow::openServer(const QString &path, QString *error)
{
    QList<JsonError> errors;
    std::optional<MockScript> script;
    if (path.startsWith(u":/"_s)) {
        // A shipped example, compiled in: not a file core/'s reader may open.
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            script = MockScriptReader::readText(QString::fromUtf8(file.readAll()), path, &errors);
    } else {
        script = MockScriptReader::readFile(path, &errors);
    }
    if (!script) {
        QStringList lines;
        for (const JsonError &e : std::as_const(errors))
            lines.append(e.toString());
        const QString text = lines.isEmpty() ? tr("%1 cannot be read.").arg(path) : lines.join(u'\n');
        if (error)
            *error = text;
        statusBar()->showMessage(lines.value(0, text), 10000);
        return nullptr;
    }
    auto *view = new ServerView(std::move(*script), this);
    view->server()->setLogMemoryBudget(m_sessions->sharedLogMemoryBudget());
    addTab(view, view->title());
    auto setIcon = [this, view](bool running) {
        if (QTabWidget *pane = paneOf(view))
            pane->setTabIcon(pane->indexOf(view), style()->standardIcon(running ? QStyle::SP_MediaPlay
                                                                                 : QStyle::SP_MediaStop));
    };
    connect(view, &ServerView::runningChanged, this, setIcon);
    if (!view->start())
        statusBar()->showMessage(tr("%1 cannot listen: %2").arg(view->title(), view->errorString()), 10000);
    setIcon(view->isRunning());
    return view;
}

ServerView *MainWindow::currentServerView() const
{
    return qobject_cast<ServerView *>(activePane()->currentWidget());
}

QStringList MainWindow::exampleServers()
{
    QStringList paths;
    const QStringList names = QDir(u":/examples"_s).entryList({u"*.mock.json"_s}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        paths.append(u":/examples/"_s + name);
    return paths;
}

void MainWindow::openServerDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("New Server"), m_workspace->workspace(),
                                                      tr("Mock server files (*.mock.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openServer(path, &error))
        QMessageBox::warning(this, tr("New Server"), error);
}

LoadView *MainWindow::openLoad(const QString &path)
{
    QString scenario = path;
    if (scenario.isEmpty()) {
        if (const ScenarioRunView *view = currentScenarioView())
            scenario = view->scenario().filePath;
    }
    if (scenario.isEmpty())
        scenario = m_workspace->selectedScenario();
    auto *view = new LoadView(this);
    // Asked at each Start: the environment picked then, with {{demoUrl}}.
    view->setVariablesSource([this] { return m_workspace->activeVariables(); });
    if (!scenario.isEmpty())
        view->openScenario(scenario);
    addTab(view, view->title());
    connect(view, &LoadView::titleChanged, this, [this, view](const QString &title) { retitle(view, title); });
    connect(view, &LoadView::runningChanged, this, [this, view](bool running) {
        if (QTabWidget *pane = paneOf(view))
            pane->setTabIcon(pane->indexOf(view), running ? style()->standardIcon(QStyle::SP_MediaPlay) : QIcon());
    });
    return view;
}

LoadView *MainWindow::currentLoadView() const
{
    return qobject_cast<LoadView *>(activePane()->currentWidget());
}

ScenarioRunView *MainWindow::currentScenarioView() const
{
    return qobject_cast<ScenarioRunView *>(activePane()->currentWidget());
}

int MainWindow::sessionCount() const
{
    int count = 0;
    for (QTabWidget *pane : {m_left, m_right}) {
        for (int i = 0; i < pane->count(); ++i)
            count += qobject_cast<SessionView *>(pane->widget(i)) != nullptr;
    }
    return count;
}

void MainWindow::closeSession(int index)
{
    QTabWidget *pane = activePane();
    QWidget *page = pane->widget(index);
    if (!page)
        return;
    pane->removeTab(index);
    if (auto *view = qobject_cast<SessionView *>(page)) {
        Session *session = view->session();
        delete view;
        m_sessions->removeSession(session);
    } else {
        delete page;
    }
    if (pane == m_right && m_right->count() == 0)
        setSplit(false);
}

void MainWindow::closeCurrentTab()
{
    closeSession(activePane()->currentIndex());
}

bool MainWindow::isSplit() const
{
    return !m_right->isHidden();
}

void MainWindow::setSplit(bool split)
{
    if (split == isSplit())
        return;
    if (!split) {
        // The right pane's tabs come back to the left.
        while (m_right->count() > 0) {
            QWidget *page = m_right->widget(0);
            const QString title = m_right->tabText(0);
            const QIcon icon = m_right->tabIcon(0);
            m_right->removeTab(0);
            m_left->addTab(page, icon, title);
        }
        m_right->hide();
        m_lastActive = m_left;
        return;
    }
    m_right->show();
    // Two halves. The sizes are weights for the width the splitter gets, but below a pane's
    // minimum they are not: {1, 1} left the left pane as wide as it was. Sizes larger than any
    // screen weigh equally whether the window is laid out yet or not.
    m_panes->setSizes({1 << 16, 1 << 16});
}

void MainWindow::moveCurrentTabToOtherPane()
{
    QTabWidget *from = activePane();
    QWidget *page = from->currentWidget();
    if (!page)
        return;
    if (!isSplit())
        setSplit(true);
    QTabWidget *to = from == m_left ? m_right : m_left;
    const QString title = from->tabText(from->currentIndex());
    const QIcon icon = from->tabIcon(from->currentIndex());
    from->removeTab(from->currentIndex());
    to->setCurrentIndex(to->addTab(page, icon, title));
    m_lastActive = to;
    if (m_right->count() == 0)
        setSplit(false);
}

bool MainWindow::openScenario(const QString &path)
{
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(path);
    ScenarioErrorView *errorView = errorViewFor(path);
    if (!loaded.scenario) {
        // In a tab, not a dialog: the errors stay in view while the file is fixed in an editor.
        if (!errorView) {
            errorView = new ScenarioErrorView(path, this);
            connect(errorView, &ScenarioErrorView::loaded, this, [this, errorView](const Scenario &scenario) {
                replaceErrorView(errorView, scenario);
            });
            addTab(errorView, errorView->title());
            QTabWidget *pane = paneOf(errorView);
            const int index = pane->indexOf(errorView);
            pane->setTabIcon(index, style()->standardIcon(QStyle::SP_MessageBoxWarning));
            pane->setTabToolTip(index, errorView->absolutePath());
        } else {
            QTabWidget *pane = paneOf(errorView);
            pane->setCurrentWidget(errorView);
            m_lastActive = pane;
        }
        errorView->setErrors(loaded.errors);
        return false;
    }
    if (errorView) {
        replaceErrorView(errorView, *loaded.scenario);
        return true;
    }
    ScenarioRunView *view = newScenarioRunView(*loaded.scenario);
    addTab(view, view->title());
    addRecentFile(path);
    return true;
}

bool MainWindow::saveSessionAsScenario(const QString &path, QStringList *secretNames, QString *error)
{
    SessionView *view = currentSessionView();
    if (!view) {
        *error = tr("The current tab is not a session.");
        return false;
    }
    const Recording recording = recordSession(*view->session(), QFileInfo(path).completeBaseName(),
                                                builtInVariables());
    if (recording.scenario.steps.isEmpty()) {
        *error = tr("Nothing to save: the session has not connected yet.");
        return false;
    }
    if (!ScenarioWriter::save(recording.scenario, path, error))
        return false;
    *secretNames = recording.secrets.keys();
    addRecentFile(path);
    return true;
}

ScenarioRunView *MainWindow::replaySession(SessionView *sessionView)
{
    constexpr int MessageMs = 8000;
    if (!sessionView) {
        statusBar()->showMessage(tr("Nothing to replay: the current tab is not a session."), MessageMs);
        return nullptr;
    }
    const QUrl url = sessionView->session()->settings().url;
    Recording recording = recordSession(*sessionView->session(), tr("Replay of %1").arg(url.host() + url.path()),
                                        builtInVariables());
    if (recording.scenario.steps.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to replay: the session has not connected yet."), MessageMs);
        return nullptr;
    }
    // The file would leave the secrets to be given; this run has them from the session itself.
    const QStringList secretNames = recording.secrets.keys();
    ScenarioRunView *view = newScenarioRunView(recording.scenario, recording.secrets);
    addTab(view, view->title());
    if (!secretNames.isEmpty()) {
        view->setNotice(tr("The session's secrets are given to this run as variables, and kept out "
                           "of a saved file: %1").arg(secretNames.join(u", "_s)));
    }
    connect(view, &ScenarioRunView::saved, this, [this, view, secretNames](const QString &path) {
        addRecentFile(path);
        if (!secretNames.isEmpty()) {
            view->setNotice(tr("Saved to %1. To run it again, define %2 (--var, --env, or an "
                               "environment).").arg(QDir::toNativeSeparators(path), secretNames.join(u", "_s)));
        }
    });
    view->run();
    return view;
}

ScenarioErrorView *MainWindow::errorViewFor(const QString &path) const
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (QTabWidget *pane : {m_left, m_right}) {
        for (int i = 0; i < pane->count(); ++i) {
            auto *view = qobject_cast<ScenarioErrorView *>(pane->widget(i));
            if (view && view->absolutePath() == absolute)
                return view;
        }
    }
    return nullptr;
}

ScenarioRunView *MainWindow::newScenarioRunView(const Scenario &scenario, const QMap<QString, QString> &secrets)
{
    auto *view = new ScenarioRunView(this);
    view->setScenario(scenario, Variables());
    view->setEnvironmentSource([this, secrets] {
        // The built-in variables ({{demoUrl}}) come with the environment (EnvironmentEditor).
        ScenarioRunView::Environment environment{activeEnvironmentName(), m_workspace->activeVariables()};
        for (auto it = secrets.cbegin(); it != secrets.cend(); ++it) {
            environment.variables.set(Variables::Layer::CommandLine, it.key(), it.value(),
                                      Variables::Secrecy::Secret);
        }
        return environment;
    });
    connect(m_workspace->environmentEditor(), &EnvironmentEditor::variablesChanged, view,
            &ScenarioRunView::environmentChanged);
    return view;
}

QString MainWindow::activeEnvironmentName() const
{
    const EnvironmentEditor *editor = m_workspace->environmentEditor();
    return editor->activeFile().isEmpty()
        ? QString()
        : editor->environmentsModel()->environmentName(editor->activeFile());
}

void MainWindow::replaceErrorView(ScenarioErrorView *errorView, const Scenario &scenario)
{
    QTabWidget *pane = paneOf(errorView);
    if (!pane)
        return;
    ScenarioRunView *view = newScenarioRunView(scenario);
    const int index = pane->indexOf(errorView);
    pane->insertTab(index, view, view->title());
    pane->removeTab(index + 1);
    pane->setCurrentIndex(index);
    m_lastActive = pane;
    addRecentFile(errorView->path());
    // Later: this is reached from the error view's own Reload.
    errorView->deleteLater();
}

void MainWindow::openScenarioDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Scenario"), QString(),
                                                      tr("Scenarios (*.json)"));
    if (!path.isEmpty())
        openScenario(path);
}

void MainWindow::setWorkspace(const QString &folder)
{
    m_workspace->setWorkspace(folder);
    scheduleSettingsWrite();
}

void MainWindow::openWorkspaceDialog()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Workspace Folder"), m_workspace->workspace());
    if (!folder.isEmpty())
        setWorkspace(folder);
}

void MainWindow::saveCurrentTab()
{
    constexpr int MessageMs = 8000;
    if (currentSessionView()) {
        saveSessionDialog();
        return;
    }
    if (ScenarioRunView *view = currentScenarioView()) {
        if (view->scenario().filePath.isEmpty())
            view->saveDialog();
        else
            statusBar()->showMessage(tr("Nothing to save: this scenario is its file, %1.")
                                         .arg(QDir::toNativeSeparators(view->scenario().filePath)),
                                     MessageMs);
        return;
    }
    statusBar()->showMessage(tr("Nothing to save in this tab."), MessageMs);
}

void MainWindow::saveSessionDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Session as Scenario"), QString(),
                                                      tr("Scenarios (*.json)"));
    if (path.isEmpty())
        return;
    QStringList secrets;
    QString error;
    if (!saveSessionAsScenario(path, &secrets, &error)) {
        QMessageBox::warning(this, tr("Cannot save"), error);
        return;
    }
    if (!secrets.isEmpty()) {
        QMessageBox::information(this, tr("Secrets kept out of the file"),
                                 tr("These values were replaced by variables, to give when the "
                                    "scenario runs (--var, --env, or the environment): %1")
                                     .arg(secrets.join(u", "_s)));
    }
}

void MainWindow::addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_recentFiles.removeAll(absolute);
    m_recentFiles.prepend(absolute);
    while (m_recentFiles.size() > MaxRecentFiles)
        m_recentFiles.removeLast();
    rebuildRecentMenu();
    scheduleSettingsWrite();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_recentFiles))
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openScenario(path); })->setToolTip(path);
    m_recentMenu->setEnabled(!m_recentFiles.isEmpty());
}

void MainWindow::showShortcuts()
{
    QStringList lines;
    for (QAction *menu : menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (!action->shortcut().isEmpty())
                lines.append(u"%1\t%2"_s.arg(action->shortcut().toString(QKeySequence::NativeText),
                                             action->text().remove(u'&')));
        }
    }
    lines.append(tr("Ctrl+Enter\tSend the composer's message"));
    QMessageBox::information(this, tr("Keyboard Shortcuts"), lines.join(u'\n'));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    LogMemoryDialog::applySaved(m_sessions);
    m_recentFiles = settings.value(u"files/recent"_s).toStringList();
    m_workspace->historyModel()->setEntries(HistoryModel::fromSettings(settings.value(u"history"_s)));
    const QString workspace = settings.value(u"workspace/path"_s).toString();
    if (!workspace.isEmpty())
        m_workspace->setWorkspace(workspace);
    // The environment picked last time, when its file is still one of the workspace's.
    EnvironmentEditor *environments = m_workspace->environmentEditor();
    const QString environment = settings.value(u"workspace/environment"_s).toString();
    if (!environment.isEmpty() && environments->environmentsModel()->rowOf(environment) > 0)
        environments->setActiveFile(environment);
    rebuildRecentMenu();
    m_panes->restoreState(settings.value(u"window/panes"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/panes"_s, m_panes->saveState());
    settings.setValue(u"files/recent"_s, m_recentFiles);
    settings.setValue(u"history"_s, HistoryModel::toSettings(m_workspace->historyModel()->entries()));
    settings.setValue(u"workspace/path"_s, m_workspace->workspace());
    settings.setValue(u"workspace/environment"_s, m_workspace->environmentEditor()->activeFile());
}

void MainWindow::scheduleSettingsWrite()
{
    if (!m_settingsWrite.isActive())
        m_settingsWrite.start();
}

int MainWindow::unsavedReplayCount() const
{
    int count = 0;
    for (const QTabWidget *pane : {m_left, m_right}) {
        for (int i = 0; i < pane->count(); ++i) {
            const auto *view = qobject_cast<const ScenarioRunView *>(pane->widget(i));
            count += view && view->scenario().filePath.isEmpty() && !view->scenario().steps.isEmpty();
        }
    }
    return count;
}

void MainWindow::closeWithoutAsking()
{
    m_askBeforeClosing = false;
    close();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int unsaved = unsavedReplayCount();
    if (m_askBeforeClosing && unsaved > 0 && !qEnvironmentVariableIsSet("WSPROBE_NO_DIALOGS")) {
        const auto answer = QMessageBox::question(
            this, tr("Quit wsprobe"),
            tr("%n replayed scenario(s) are not saved and will be lost.", nullptr, unsaved),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard) {
            event->ignore();
            return;
        }
    }
    m_settingsWrite.stop();
    saveSettings();
    m_sessions->closeAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.cbegin(), urls.cend(), isScenarioFile) || std::any_of(urls.cbegin(), urls.cend(), isCaptureFile)
        || std::any_of(urls.cbegin(), urls.cend(), isMockFile))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (isMockFile(url))
            openServer(url.toLocalFile());
        else if (isScenarioFile(url))
            openScenario(url.toLocalFile());
        else if (isCaptureFile(url))
            importCapture(url.toLocalFile());
    }
    event->acceptProposedAction();
}

void MainWindow::exportLogDialog()
{
    SessionView *view = currentSessionView();
    if (!view) {
        statusBar()->showMessage(tr("Nothing to export: the current tab is not a session."), 8000);
        return;
    }
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export Log"), QString(),
                                                FrameLogExportTask::fileFilters(), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + fileSuffix(FrameLogExportTask::formatFor(path, filter));
    exportLog(view, path);
}

FrameLogExportTask *MainWindow::exportLog(SessionView *view, const QString &path)
{
    const Session *session = view->session();
    ExportOptions options;
    options.url = session->settings().url;
    auto *task = new FrameLogExportTask(this);
    QString error;
    if (!task->start(session->log(), view->logView()->selectedSequences(), path,
                     FrameLogExportTask::formatFor(path, {}), options, &error)) {
        delete task;
        statusBar()->showMessage(tr("Export failed: %1").arg(error));
        return nullptr;
    }
    connect(task, &FrameLogExportTask::finished, this, [this, path](bool ok, const QString &why) {
        statusBar()->showMessage(ok ? tr("Log exported to %1").arg(QDir::toNativeSeparators(path))
                                 : why.isEmpty() ? tr("Export cancelled: no file written.")
                                                 : tr("Export failed: %1").arg(why), 8000);
    });
    return task;
}

void MainWindow::importCaptureDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import HAR"), QString(),
                                                      tr("HAR and logs (*.har *.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QMessageBox question(QMessageBox::Question, tr("Import HAR"),
                         tr("Expect received JSON messages exactly as captured, or loosely: a subset "
                            "without the fields that change between runs (ids, timestamps, nonces)?"),
                         QMessageBox::Cancel, this);
    QPushButton *exact = question.addButton(tr("&Exactly"), QMessageBox::AcceptRole);
    QPushButton *loose = question.addButton(tr("&Loosely"), QMessageBox::AcceptRole);
    question.setDefaultButton(exact);
    question.exec();
    if (question.clickedButton() == exact || question.clickedButton() == loose)
        importCapture(path, question.clickedButton() == loose);
}

bool MainWindow::importCapture(const QString &path, bool looseJson)
{
    QList<CapturedConnection> connections;
    JsonError error;
    bool read = false;
    if (path.endsWith(u".jsonl"_s, Qt::CaseInsensitive)) {
        CapturedConnection connection;
        read = JsonlReader::read(path, &connection, &error);
        connections.append(std::move(connection));
    } else {
        read = HarReader::read(path, &connections, &error);
    }
    if (!read) {
        statusBar()->showMessage(tr("Cannot import: %1").arg(error.toString()));
        if (!qEnvironmentVariableIsSet("WSPROBE_NO_DIALOGS"))
            QMessageBox::warning(this, tr("Import HAR"), error.toString());
        return false;
    }
    ImportOptions options;
    options.source = path;
    options.looseJson = looseJson;
    const ImportResult imported = CaptureImport::toScenario(connections, options);
    ScenarioRunView *view = newScenarioRunView(imported.scenario, imported.secrets);
    addTab(view, view->title());
    QStringList toDefine = imported.variablesToDefine;
    toDefine.removeIf([&imported](const QString &name) { return imported.secrets.contains(name); });
    QStringList notes;
    if (!imported.secrets.isEmpty()) {
        notes.append(tr("Secrets became variables, given their captured values in runs from this tab "
                        "and kept out of a saved file: %1").arg(imported.secrets.keys().join(u", "_s)));
    }
    if (!toDefine.isEmpty())
        notes.append(tr("The capture had them masked; define before running: %1").arg(toDefine.join(u", "_s)));
    if (!notes.isEmpty())
        view->setNotice(notes.join(u' '));
    connect(view, &ScenarioRunView::saved, this, &MainWindow::addRecentFile);
    return true;
}

} // namespace wsprobe
