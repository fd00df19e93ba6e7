#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QsciScintilla;

namespace wsprobe {

class FrameLogModel;
class Session;
struct CloseInfo;

// Shows one Session and drives it: URL bar, connect/disconnect, the frame log, a composer and
// the close controls. It shows the engine; it never owns or runs the connection itself.
class SessionView : public QWidget
{
    Q_OBJECT

public:
    // session: not owned; it must outlive the view.
    explicit SessionView(Session *session, QWidget *parent = nullptr);

    Session *session() const { return m_session; }
    FrameLogModel *logModel() const { return m_model; }
    QString title() const;

    // The actions a user has, also used by the window's menus and by tests.
    void toggleConnection();
    void sendComposer();
    void sendPing();
    void closeWithChosenCode();

Q_SIGNALS:
    void titleChanged(const QString &title);

private:
    void applyUrl();
    void updateState();
    void showClose(const CloseInfo &info);
    void followTail(bool wasAtBottom);

    Session *m_session;            // Not owned.
    FrameLogModel *m_model;        // Owned (child).
    QLineEdit *m_url;
    QPushButton *m_connectButton;
    QLabel *m_stateLabel;
    QTableView *m_logView;
    QsciScintilla *m_composer;
    QComboBox *m_closeCode;
    QLineEdit *m_closeReason;
    QLabel *m_closeDisplay;
};

} // namespace wsprobe
