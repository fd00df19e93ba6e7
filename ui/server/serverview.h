#pragma once

#include "mockscript.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace wsprobe {

class FrameLogView;
class MockClientsModel;
class MockRulesModel;
class MockServer;

// A Server tab: one mock server file served beside the sessions. Start and stop on a port of the
// user's (0: any free one), its URL, the clients connected (where from, path, headers with
// secrets masked, subprotocol), the selected client's frame log in a FrameLogView, a line to send
// to that client or to all, "Close client" with any code and reason, and the rules with how
// many messages each answered.
//
// Object names for the window and the tests: "serverPort", "startStop", "serverUrl",
// "serverStatus", "clientsTable", "clearEnded", "clientDetail", "rulesTable", "clientLog",
// "sendText", "sendToClient", "sendToAll", "closeCode", "closeReason", "closeClient".
class ServerView : public QWidget
{
    Q_OBJECT

public:
    explicit ServerView(MockScript script, QWidget *parent = nullptr);
    ~ServerView() override;

    MockServer *server() const { return m_server; }
    MockClientsModel *clientsModel() const { return m_clients; }
    MockRulesModel *rulesModel() const { return m_rules; }
    FrameLogView *logView() const { return m_log; }
    // The file's name, else its file name.
    QString title() const;

    // Listens on the port field's port; false, with the reason beside the URL, when it cannot.
    bool start();
    // Closes every client (1001) and stops listening.
    void stop();
    bool isRunning() const;
    // Why the last start() failed; empty after one that worked.
    QString errorString() const { return m_error; }
    void setPort(quint16 port);

    // The selected client's id, 0 when none.
    quint64 selectedClient() const;
    bool selectClient(quint64 id);

Q_SIGNALS:
    void runningChanged(bool running);

private:
    QWidget *createBar();
    QWidget *createClients();
    QWidget *createLogSide();
    void onListeningChanged(bool listening);
    void onCurrentClientChanged();
    void updateStatus();
    void updateActions();
    void sendToSelected();
    void sendToAll();
    void closeSelected();

    MockServer *m_server;          // Owned (child).
    MockClientsModel *m_clients;   // Owned (child).
    MockRulesModel *m_rules;       // Owned (child).
    QSpinBox *m_port = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_url = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_clientsTable = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QTableView *m_rulesTable = nullptr;
    FrameLogView *m_log = nullptr;
    QLineEdit *m_sendText = nullptr;
    QPushButton *m_sendToClient = nullptr;
    QPushButton *m_sendToAll = nullptr;
    QSpinBox *m_closeCode = nullptr;
    QLineEdit *m_closeReason = nullptr;
    QPushButton *m_closeClient = nullptr;
    QString m_error;  // why the last start failed
};

} // namespace wsprobe
