#pragma once

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace wsprobe {

class FrameLogView;
class ProxyConnection;
class ProxyConnectionsModel;
class ProxyServer;

// The Proxy tab: starts the intercepting proxy (docs/proxy.md) on a loopback address toward a
// target, with a rules file; lists its connections, shows the selected one's log (both legs:
// outgoing is client → server) and its held messages, each to edit and forward, or drop.
// Held messages wait for the user here: no timeout releases them while the tab shows them.
class ProxyView : public QWidget
{
    Q_OBJECT

public:
    explicit ProxyView(QWidget *parent = nullptr);
    ~ProxyView() override;

    QString title() const;
    ProxyServer *server() const { return m_server.get(); }
    // Starts with what the fields say; false, with the reason in the status line, when it cannot.
    bool start();
    void stop();

    // For tests and scripts: the fields.
    void setListen(const QString &listen);
    void setTarget(const QString &target);
    void setRulesFile(const QString &path);
    // The connection whose log and held messages are shown.
    ProxyConnection *currentConnection() const { return m_current; }
    void showConnection(int row);
    // Forwards (with the editor's text) or drops the held message selected.
    void forwardSelected();
    void dropSelected();

Q_SIGNALS:
    void titleChanged(const QString &title);

private:
    void refreshHeld();
    void refreshHits();

    std::unique_ptr<ProxyServer> m_server;
    ProxyConnectionsModel *m_connections = nullptr;  // Owned (child).
    ProxyConnection *m_current = nullptr;            // Not owned: m_server's.
    QLineEdit *m_listen = nullptr;
    QLineEdit *m_target = nullptr;
    QLineEdit *m_rules = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_status = nullptr;
    QListView *m_connectionList = nullptr;
    FrameLogView *m_log = nullptr;
    QListWidget *m_held = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QPushButton *m_forward = nullptr;
    QPushButton *m_drop = nullptr;
    QLabel *m_hits = nullptr;
};

} // namespace wsprobe
