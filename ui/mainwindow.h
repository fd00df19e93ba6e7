#pragma once

#include <QMainWindow>
#include <QUrl>

class QTabWidget;

namespace wsprobe {

class SessionManager;
class SessionView;

// The application window: sessions in tabs, each shown by a SessionView.
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

private:
    void createActions();

    QUrl m_defaultUrl;
    SessionManager *m_sessions;  // Owned (child).
    QTabWidget *m_tabs;          // Owned (child).
};

} // namespace wsprobe
