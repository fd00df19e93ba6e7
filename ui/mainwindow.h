#pragma once

#include <QMainWindow>
#include <QStringList>
#include <QUrl>

class QMenu;
class QSplitter;
class QTabWidget;

namespace wsprobe {

class ScenarioRunView;
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
    // defaultUrl: where a new session points (the built-in demo server's /echo).
    explicit MainWindow(const QUrl &defaultUrl, QWidget *parent = nullptr);
    ~MainWindow() override;

    SessionView *newSession(const QUrl &url = {});
    SessionView *currentSessionView() const;
    int sessionCount() const;
    void closeSession(int index);
    void closeCurrentTab();

    // Opens a scenario file in a run tab; false (and a message naming file, line and column)
    // when it cannot be read.
    bool openScenario(const QString &path);
    ScenarioRunView *currentScenarioView() const;
    // Records the current session as a scenario and saves it to path (atomically). The
    // secrets it took out are returned by name, for the user to define.
    bool saveSessionAsScenario(const QString &path, QStringList *secretNames, QString *error);

    bool isSplit() const;
    void setSplit(bool split);
    // Moves the current tab to the other pane (splitting the window if needed).
    void moveCurrentTabToOtherPane();

    QStringList recentFiles() const { return m_recentFiles; }
    WorkspacePanel *workspacePanel() const { return m_workspace; }
    void setWorkspace(const QString &folder);

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
    void openScenarioDialog();
    void openWorkspaceDialog();
    void saveSessionDialog();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void showShortcuts();
    void restoreSettings();
    void saveSettings() const;

    QUrl m_defaultUrl;
    SessionManager *m_sessions;  // Owned (child).
    QSplitter *m_panes;          // Owned (child).
    QTabWidget *m_left;          // Owned (child of m_panes).
    QTabWidget *m_right;         // Owned (child of m_panes); hidden until split.
    QTabWidget *m_lastActive;    // Not owned: one of the two panes.
    WorkspacePanel *m_workspace; // Owned (child of its dock).
    QMenu *m_recentMenu = nullptr;
    QStringList m_recentFiles;
};

} // namespace wsprobe
