#pragma once

#include "variables.h"

#include <QSet>
#include <QUrl>
#include <QWidget>

class QLabel;
class QListView;
class QModelIndex;
class QTreeView;

namespace wsprobe {

class EnvironmentEditor;
class HistoryModel;
class WorkspaceModel;

// The window's sidebar: the workspace folder's scenarios as a tree, its environments (the active
// one and its variables), and the recent connections. It shows and picks; opening a scenario or
// a URL is the window's business, told through the signals.
class WorkspacePanel : public QWidget
{
    Q_OBJECT

public:
    explicit WorkspacePanel(QWidget *parent = nullptr);

    // "" shows no workspace.
    void setWorkspace(const QString &folder);
    QString workspace() const;

    WorkspaceModel *scenarioModel() const { return m_scenarios; }
    // The window fills it from QSettings at start and writes entries() back at exit.
    HistoryModel *historyModel() const { return m_history; }
    EnvironmentEditor *environmentEditor() const { return m_environment; }
    // What a run started from the window gets: the active environment and the process
    // environment (EnvironmentEditor::activeVariables()).
    Variables activeVariables() const;
    // The scenario file selected in the tree (absolute), "" when a folder or nothing is.
    QString selectedScenario() const;

Q_SIGNALS:
    // A scenario file was double-clicked or chosen with Enter (also a file that does not load:
    // opening it shows why).
    void scenarioActivated(const QString &path);
    // A recent connection was chosen. Secret query parameters come back masked: the history
    // never held them.
    void urlActivated(const QUrl &url);

private:
    void onTreeActivated(const QModelIndex &index);
    void rememberCollapsed();
    void restoreExpansion();

    WorkspaceModel *m_scenarios;       // Owned (child).
    HistoryModel *m_history;           // Owned (child).
    QLabel *m_title;
    QTreeView *m_tree;
    EnvironmentEditor *m_environment;
    QListView *m_historyList;
    QSet<QString> m_collapsed;         // folders the user closed; new ones open expanded
    QString m_currentPath;             // the item to select again after a refresh
};

} // namespace wsprobe
