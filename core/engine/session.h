#pragma once

#include "framelog.h"
#include "iothreadpool.h"
#include "pingtracker.h"
#include "sessionsettings.h"
#include "socketworker.h"

#include <QAbstractSocket>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslError>
#include <QTimer>

namespace wsprobe {

enum class SessionState {
    Idle,                // never connected
    Connecting,          // TCP, TLS or upgrade under way
    Open,
    Closing,             // a close frame was sent or received
    Closed,
    WaitingToReconnect,  // the connection dropped; a reconnect is scheduled
};

QString displayName(SessionState state);

// How the last connection ended.
struct CloseInfo
{
    int code = 0;
    QString reason;
    CloseInitiator initiator = CloseInitiator::Nobody;
    bool clean = false;
    qint64 openDurationMs = -1;  // -1 when the connection never opened
    // The upgrade was refused (an HTTP status other than 101, a bad Sec-WebSocket-Accept, a
    // hang-up on the request): the connection never was a WebSocket, and code is only the
    // 1006 the RFC gives a connection that ended without a close frame.
    bool refused = false;
    quint16 httpStatus = 0;  // of the refusal, when the server answered with one
};

// One WebSocket connection and its log: applies the settings, records every
// event into its FrameLog, times pings itself, and reconnects when told to.
//
// The socket itself lives in an I/O thread (see SocketWorker), one of an IoThreadPool the
// session may share with others: frames are parsed there and reach the log here in batches, in
// order. Everything else (state, policy, the log and
// every signal) stays in the thread the Session lives in.
class Session : public QObject
{
    Q_OBJECT

public:
    explicit Session(QObject *parent = nullptr);
    explicit Session(const SessionSettings &settings, QObject *parent = nullptr);
    ~Session() override;

    const SessionSettings &settings() const { return m_settings; }
    // Takes effect at the next open().
    void setSettings(const SessionSettings &settings);
    // The threads its connections live in, shared with other sessions; takes effect at the next
    // connection. Without one, the session starts a pool of one thread of its own.
    void setIoThreads(std::shared_ptr<IoThreadPool> pool);

    SessionState state() const { return m_state; }
    FrameLog *log() const { return m_log; }
    QString negotiatedSubprotocol() const { return m_subprotocol; }
    // The header fields of the server's 101, as received (names in their case), once opened;
    // unmasked: the log holds the masked text.
    const QList<QPair<QByteArray, QByteArray>> &responseHeaders() const { return m_responseHeaders; }
    CloseInfo lastClose() const { return m_lastClose; }
    // Reconnects scheduled since the last connection that stayed up (see ReconnectPolicy).
    int reconnectAttempt() const { return m_reconnectAttempt; }

    // Starts connecting; does nothing while connecting or open.
    void open();
    // Sends a close frame. A code the protocol forbids on the wire is refused and logged.
    void close(int code = 1000, const QString &reason = {});
    // Drops the TCP connection without a close frame and cancels any pending reconnect.
    void abort();

    // Return false when not open (and log why). What is sent appears in the log as it is
    // written to the socket (by the I/O thread), in order with what arrives: shortly after the
    // call returns, not during it.
    bool sendText(const QString &message);
    bool sendBinary(const QByteArray &message);
    // Each ping is timed on its own, so overlapping pings each get their round trip. An empty
    // payload gets a unique one.
    bool ping(const QByteArray &payload = {});

Q_SIGNALS:
    void stateChanged(wsprobe::SessionState state);
    void opened();
    // The connection ended (cleanly or not); a reconnect may follow.
    void closed(const wsprobe::CloseInfo &info);
    // No reconnect follows; the session is Closed.
    void finished();

private:
    void setState(SessionState state);
    void startSocket();
    void releaseSocket();
    QSslConfiguration tlsConfiguration();
    void logEvent(FrameEvent &&event);
    void logInfo(const QString &text);
    void logError(ErrorKind kind, const QString &text, quint16 httpStatus = 0);
    void logHandshakeRequest(const QString &requestText);
    void logHandshakeResponse(const QString &responseText, quint16 httpStatus);

    template <typename Call> void toWorker(Call &&call);
    void drainInbox(const std::shared_ptr<SocketInbox> &inbox);
    void handleNotice(SocketNotice &notice, qint64 monotonicNs);
    void onFailing(int closeCode, const QString &closeReason, const QString &what);
    void onUpgradeFailed(quint16 httpStatus, const QString &why, const QString &responseText);
    void onPingTimer();
    void handleFrame(SocketOutput &output);
    void onConnected(const SocketNotice &notice, qint64 monotonicNs);
    void finishConnection(int closeCode, const QString &closeReason, bool closeFrameReceived);
    void onSocketError(QAbstractSocket::SocketError error, const QString &errorString);
    void onSslErrors(const QList<QSslError> &errors);
    void onClosing();
    void onConnectTimeout();
    bool scheduleReconnect();

    SessionSettings m_settings;
    FrameLog *m_log = nullptr;         // Owned (child).
    std::shared_ptr<IoThreadPool> m_ioThreads;  // made at the first connection unless given
    SocketWorker *m_worker = nullptr;  // Owned, lives in an I/O thread; one per connection attempt.
    std::shared_ptr<SocketInbox> m_inbox;  // m_worker's
    std::vector<SocketOutput> m_pending;   // taken from m_inbox, not handled yet
    std::size_t m_pendingNext = 0;
    SocketInbox::Spent m_spent;            // payloads copied into the log, to give back
    QTimer m_connectTimer;
    QTimer m_pingTimer;
    QTimer m_reconnectTimer;
    QRandomGenerator m_random;
    PingTracker m_pings;
    qint64 m_noticeNs = 0;             // set while a notice is handled: when the socket said it
    SessionState m_state = SessionState::Idle;
    QString m_subprotocol;
    QList<QPair<QByteArray, QByteArray>> m_responseHeaders;
    CloseInfo m_lastClose;
    qint64 m_openedAtNs = 0;
    int m_reconnectAttempt = 0;
    bool m_closeRequested = false;     // the user asked for the end: no reconnect
    bool m_clientSentClose = false;
    bool m_serverSentClose = false;
    bool m_transportError = false;     // the socket reported an error: the close is not clean
    bool m_connectionLost = false;     // the TCP connection ended without a close frame
    bool m_handshakeFailed = false;    // the upgrade failed, and the log says why
    bool m_refused = false;            // an upgrade refusal was logged for this connection
    quint16 m_refusedStatus = 0;
    bool m_failedByUs = false;         // wsprobe failed the connection on what the server sent
    int m_failCode = 0;                // ...with this close frame
    QString m_failReason;
};

} // namespace wsprobe

Q_DECLARE_METATYPE(wsprobe::CloseInfo)
