#pragma once

#include <QIcon>

#include <optional>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;

namespace wsprobe {

class AssertionsPanel;
class Composer;
class LiveAssertions;
class SessionStats;
class StatsView;
class FrameLogModel;
class FrameLogView;
class RequestEditor;
class Session;
struct CloseInfo;
struct ComposedMessage;

// Shows one Session and drives it: URL bar and state, the request (params, headers,
// subprotocols, settings, handshake), the frame log, the composer, and how the connection ended.
// It shows the engine; it never owns or runs the connection itself.
class SessionView : public QWidget
{
    Q_OBJECT

public:
    // session: not owned; it must outlive the view.
    explicit SessionView(Session *session, QWidget *parent = nullptr);

    Session *session() const { return m_session; }
    FrameLogModel *logModel() const;
    FrameLogView *logView() const { return m_logView; }
    RequestEditor *requestEditor() const { return m_request; }
    Composer *composer() const { return m_composer; }
    AssertionsPanel *assertionsPanel() const { return m_assertionsPanel; }
    LiveAssertions *liveAssertions() const { return m_assertions; }
    SessionStats *stats() const { return m_stats; }
    StatsView *statsView() const { return m_statsView; }
    // Scrolls the log to an event and selects it (from a failing assertion, say).
    void showEvent(qint64 sequence);
    // For the tab: host, port and path of the URL as typed (while not connected) or in use.
    QString title() const;
    // For the tab: a dot in the colour of the connection's state, as beside the Connect button.
    QIcon stateIcon() const;

    // The actions a user has, also used by the window's menus and by tests.
    void toggleConnection();
    void sendPing();
    void closeWithChosenCode();
    void send(const ComposedMessage &message);

Q_SIGNALS:
    void titleChanged(const QString &title);
    void stateIconChanged(const QIcon &icon);
    // A connection ended: for the window's history.
    void connectionEnded(const QUrl &url, const wsprobe::CloseInfo &info);
    // The user asked to replay what this session did as a scenario (the window records and runs it).
    void replayRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyRequest();
    void updateState();
    // The code the Close controls would send; nothing when the text is not a code.
    std::optional<int> chosenCloseCode() const;
    void checkChosenCloseCode();
    void showClose(const CloseInfo &info);

    Session *m_session;            // Not owned.
    QLineEdit *m_url;
    QPushButton *m_connectButton;
    QLabel *m_stateLabel;
    RequestEditor *m_request;
    FrameLogView *m_logView;
    Composer *m_composer;
    LiveAssertions *m_assertions;        // Owned (child).
    AssertionsPanel *m_assertionsPanel;
    SessionStats *m_stats;               // Owned (child).
    StatsView *m_statsView;
    QComboBox *m_closeCode;
    QLineEdit *m_closeReason;
    QLabel *m_closeDisplay;
    QLabel *m_closeCodeWarning;
};

} // namespace wsprobe
