#pragma once

#include <QMainWindow>
#include <QMap>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;

namespace wsprobe {

class DemoServerThread;
class FrameLogExportTask;
class LoadView;
class ScenarioErrorView;
class ScenarioRunView;
class ServerView;
class WorkspacePanel;
class SessionManager;
class SessionView;
struct Scenario;

// The application window: sessions and scenario runs in tabs, in one pane or split in two; the
// menus; opening, recording and saving scenarios; what the window remembers between runs.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // defaultUrl: where a new session points; empty: the built-in demo server's /echo once
    // startDemoServer() has started it.
    explicit MainWindow(const QUrl &defaultUrl, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the built-in demo server on 127.0.0.1:port (DemoServer::DefaultPort by default),
    // in a thread of its own, for as long as the window lives. A port that is taken gives way
    // to any free one, and the status bar and the log say so; port 0 takes any free port.
    // False, with the reason, when it cannot listen at all.
    bool startDemoServer(quint16 port, QString *error = nullptr);
    // ws://127.0.0.1:<port>; empty unless the demo server runs.
    QUrl demoServerUrl() const;
    // What the window defines for every run, whatever the environment ({{demoUrl}} while the
    // demo server runs); an environment, --var or the scenario that defines a name wins.
    QMap<QString, QString> builtInVariables() const;

    SessionView *newSession(const QUrl &url = {});
    SessionView *currentSessionView() const;
    int sessionCount() const;
    void closeSession(int index);
    void closeCurrentTab();

    // Opens a scenario file in a run tab; false when it cannot be read, and a tab that lists each
    // error with its file, line and column, to reload once the file is fixed. A file whose error
    // tab is open reuses that tab.
    bool openScenario(const QString &path);
    ScenarioRunView *currentScenarioView() const;
    // Records the current session as a scenario and saves it to path (atomically). The
    // secrets it took out are returned by name, for the user to define.
    bool saveSessionAsScenario(const QString &path, QStringList *secretNames, QString *error);
    // Records view's session in memory as saveSessionAsScenario does and runs it at once in a
    // new tab against the same server, with the active environment and the session's secrets.
    // Null, with the reason in the status bar, when the session has nothing to replay.
    ScenarioRunView *replaySession(SessionView *view);
    // Exports view's log (only its selected rows when rows are selected) to path, in the format
    // its suffix names, with a progress dialog; null, with the reason in the status bar, when
    // the file cannot be opened. The task reports its end and deletes itself.
    FrameLogExportTask *exportLog(SessionView *view, const QString &path);
    // Opens a HAR (or a JSON Lines log) as a scenario in a new tab, not saved and not run; false,
    // with file, line and column in the status bar (and a message box), when it cannot be read.
    bool importCapture(const QString &path, bool looseJson = false);

    // Serves a mock server file (*.mock.json, or a shipped example at ":/examples/...") in a new
    // Server tab, listening at once; null, with file:line:column in *error and the status bar,
    // when the file cannot be read. A server that cannot listen still gets its tab, which says
    // why beside its Start button.
    ServerView *openServer(const QString &path, QString *error = nullptr);
    ServerView *currentServerView() const;
    // The mock server files shipped with wsprobe, as openServer takes them.
    static QStringList exampleServers();

    // Opens a Load tab on the scenario at path (its load block fills the fields); with no path,
    // on the scenario of the current tab, else the one selected in the workspace, else none.
    LoadView *openLoad(const QString &path = {});
    LoadView *currentLoadView() const;

    bool isSplit() const;
    void setSplit(bool split);
    // Moves the current tab to the other pane (splitting the window if needed).
    void moveCurrentTabToOtherPane();

    QStringList recentFiles() const { return m_recentFiles; }
    WorkspacePanel *workspacePanel() const { return m_workspace; }
    void setWorkspace(const QString &folder);

    // Replayed scenarios not saved yet: closing the window asks before they are lost.
    int unsavedReplayCount() const;
    // Closes without asking (SIGTERM, SIGINT): a question nobody is there to answer must not
    // keep the process alive.
    void closeWithoutAsking();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void addTab(QWidget *page, const QString &title);
    QTabWidget *activePane() const;
    QTabWidget *paneOf(QWidget *page) const;
    void retitle(QWidget *page, const QString &title);
    // The open error tab of the file at path, or null.
    ScenarioErrorView *errorViewFor(const QString &path) const;
    // A run tab's view for scenario, resolving {{variables}} with the environment picked when Run
    // is pressed, plus secrets (a replayed session's own) on top.
    ScenarioRunView *newScenarioRunView(const Scenario &scenario, const QMap<QString, QString> &secrets = {});
    // The picked environment's name, as the picker shows it ("local" for local.env.json), "" when
    // none is picked.
    QString activeEnvironmentName() const;
    // A run tab for scenario, in the place of the error tab that read it.
    void replaceErrorView(ScenarioErrorView *errorView, const Scenario &scenario);
    void openScenarioDialog();
    void openWorkspaceDialog();
    // Ctrl+S: a session is saved as a scenario, a scenario made in memory (a replay) as itself;
    // any other tab says why there is nothing to save, before any dialog.
    void saveCurrentTab();
    void saveSessionDialog();
    void exportLogDialog();
    void importCaptureDialog();
    void openServerDialog();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void showShortcuts();
    void restoreSettings();
    // 1280x840, or less on a screen whose available area (less panels and docks) is smaller.
    void fitFirstWindowToScreen();
    void saveSettings() const;
    // What the window remembers is written shortly after it changes, not only at a clean
    // exit: a killed or crashed wsprobe keeps its recent connections and files.
    void scheduleSettingsWrite();

    QUrl m_defaultUrl;
    DemoServerThread *m_demo = nullptr;  // Owned (child); null until startDemoServer().
    QLabel *m_demoStatus = nullptr;      // Owned (child of the status bar).
    SessionManager *m_sessions;  // Owned (child).
    QSplitter *m_panes;          // Owned (child).
    QTabWidget *m_left;          // Owned (child of m_panes).
    QTabWidget *m_right;         // Owned (child of m_panes); hidden until split.
    QTabWidget *m_lastActive;    // Not owned: one of the two panes.
    WorkspacePanel *m_workspace; // Owned (child of its dock).
    QMenu *m_recentMenu = nullptr;
    QStringList m_recentFiles;
    QTimer m_settingsWrite;  // single shot: changes in a burst are written once
    bool m_askBeforeClosing = true;
};

} // namespace wsprobe
