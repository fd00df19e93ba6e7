#pragma once

#include "frameevent.h"

#include <QAbstractSocket>
#include <QList>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>
#include <QSslError>
#include <QWebSocketHandshakeOptions>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QWebSocket;

namespace wsprobe {

// Everything a SocketWorker needs to open one connection, prepared by its Session.
struct SocketConfig
{
    QNetworkRequest request;
    QWebSocketHandshakeOptions options;
    QString origin;
    std::optional<QNetworkProxy> proxy;         // unset: the system's
    std::optional<QSslConfiguration> tls;       // wss only
    bool ignoreSslErrors = false;
    // How much the socket reads at once while frames are small, and the most it may hold when
    // a frame is bigger (the largest frame allowed; 0 = no limit). See SocketWorker::open().
    qint64 readChunkSize = 0;
    qint64 readBufferSize = 0;
    qint64 maxIncomingFrameSize = 0;            // 0: QtWebSockets' default
    qint64 maxIncomingMessageSize = 0;
};

// What the socket said, other than frames, with the state the Session needs to read at that
// moment (it cannot ask the socket: the socket lives in another thread).
struct SocketNotice
{
    enum class Type : quint8 {
        Connected,     // the upgrade succeeded
        StateChanged,
        Error,
        SslErrors,
        NotSent,       // a send arrived after the connection had ended (errorString says what)
        Failing,       // QtWebSockets is failing the connection on what the server sent: it
                       // sends closeCode/closeReason (already logged as outgoing) and ends TCP
        Finished,      // the connection is over, and every signal it caused has been reported
    };

    Type type = Type::StateChanged;
    QAbstractSocket::SocketState state = QAbstractSocket::UnconnectedState;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
    QString subprotocol;                        // Connected
    int closeCode = 0;                          // Finished, Failing
    QString closeReason;                        // Finished, Failing
    QList<QSslError> sslErrors;                 // SslErrors
};

// One thing the socket produced: a frame (kind, arrival time and payload: the Session makes
// the FrameEvent) or a notice. Kept small on purpose: every incoming message is written once
// by the I/O thread and read once by the Session's, and cache lines crossing between the two
// cores are what a flood costs beyond the parsing itself.
struct SocketOutput
{
    qint64 monotonicNs = 0;
    EventKind kind = EventKind::Info;   // Text, Binary, TextFrame, BinaryFrame, Ping, Pong, Close
    Direction direction = Direction::Incoming;
    bool finalFrame = true;             // TextFrame/BinaryFrame
    quint16 closeCode = 0;              // Close (outgoing)
    QString text;                       // Text, TextFrame; the reason of a Close
    QByteArray data;                    // Binary, BinaryFrame, Ping, Pong
    std::unique_ptr<SocketNotice> notice;  // set for a notice, and then nothing else is

    static SocketOutput frame(EventKind kind);
    static SocketOutput of(SocketNotice &&notice);
};

// The queue from one SocketWorker (I/O thread) to its Session (the Session's thread), in the
// order the socket produced it. The worker hands over what one pass of its event loop produced
// (one socket read: up to thousands of frames) at once, and wakes the Session once per batch;
// when the Session falls far behind, the worker waits, so a flood cannot fill the memory with
// events nobody has looked at.
class SocketInbox
{
public:
    static constexpr qsizetype HighWater = 65536;   // the worker waits above this...
    static constexpr qsizetype LowWater = 16384;    // ...until the Session is back below this

    // Called from the worker's thread when outputs are waiting; set before the worker starts.
    void setWake(std::function<void()> wake) { m_wake = std::move(wake); }

    // Payloads the Session has copied and no longer needs. They go back to the worker to be
    // freed in the thread that allocated them, one per new message: the allocator then hands
    // the next message the block just freed, warm, instead of fresh pages.
    struct Spent
    {
        std::vector<QString> texts;
        std::vector<QByteArray> data;
        bool empty() const { return texts.empty() && data.empty(); }
        void releaseOne()
        {
            if (!texts.empty())
                texts.pop_back();
            else if (!data.empty())
                data.pop_back();
        }
    };

    // Worker side: appends `batch` (left empty) and wakes the Session; adds what the Session
    // gave back to `spent`. Waits while the Session is far behind. Does nothing once closed.
    void push(std::vector<SocketOutput> &batch, Spent &spent);
    // Session side: everything queued so far, oldest first, appended to `into`.
    void takeAll(std::vector<SocketOutput> &into);
    // Session side: `count` taken outputs have been handled (lets a waiting worker go on), and
    // `spent` goes back to the worker (freed at once when the inbox is closed); it is left empty.
    void consumed(qsizetype count, Spent &spent);
    // Session side: no more outputs are wanted; a waiting worker goes on at once.
    void close();
    bool isClosed() const { return m_closed.load(std::memory_order_acquire); }

private:
    std::mutex m_mutex;
    std::condition_variable m_roomAvailable;
    std::vector<SocketOutput> m_queue;
    qsizetype m_outstanding = 0;                    // pushed, not yet consumed
    Spent m_spent;                                  // for the worker to free
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_closed{false};
    std::function<void()> m_wake;
};

// One WebSocket connection in an I/O thread: owns the QWebSocket, turns its signals into
// FrameEvents and SocketNotices for the Session, and does what the Session asks. It keeps no
// policy of its own (closing rules, reconnects and ping timing are the Session's), so the
// GUI thread never parses frames and the Session's logic stays in one thread.
class SocketWorker : public QObject
{
    Q_OBJECT

public:
    explicit SocketWorker(std::shared_ptr<SocketInbox> inbox);
    ~SocketWorker() override;

    // All of these run in the worker's thread (the Session calls them through a queued
    // invocation). What is sent is reported as an outgoing output, stamped just before it is
    // written to the socket, in the same queue as what arrives: the log's order is the wire's.
    void open(const SocketConfig &config);
    void close(int code, const QString &reason);
    void abort();
    void sendText(const QString &message);
    void sendBinary(const QByteArray &message);
    void ping(const QByteArray &payload);

private:
    void add(SocketOutput &&output);
    bool canSend(const char *what);
    SocketOutput outgoing(EventKind kind);
    void flush();
    void onConnected();
    void onError(QAbstractSocket::SocketError error);
    void onStateChanged(QAbstractSocket::SocketState state);
    void onSslErrors(const QList<QSslError> &errors);
    template <typename Payload>
    void onFrame(const Payload &frame, bool isLastFrame, EventKind messageKind,
                 EventKind fragmentKind, Payload SocketOutput::*field, Payload &assembled);
    void onTextFrame(const QString &frame, bool isLastFrame);
    void onBinaryFrame(const QByteArray &frame, bool isLastFrame);
    void onPong(quint64 elapsedMs, const QByteArray &payload);
    void onAboutToClose();
    void onRawReadyRead();
    void raiseReadCapIfStuck();
    void restoreReadChunk();
    void scheduleFinished();

    std::shared_ptr<SocketInbox> m_inbox;
    QWebSocket *m_socket = nullptr;  // Owned (child).
    QAbstractSocket *m_tcp = nullptr;  // Not owned: m_socket's own TCP (or TLS) socket.
    qint64 m_readChunk = 0;          // the socket's read cap while frames fit in it
    qint64 m_readMax = 0;            // the cap while a bigger frame comes in (0 = none)
    bool m_readCapRaised = false;
    bool m_stuckCheckPending = false;
    std::vector<SocketOutput> m_batch;  // outputs of the current pass of the event loop
    SocketInbox::Spent m_spent;         // payloads the Session is done with, to free here
    bool m_ignoreSslErrors = false;
    QString m_fragmentedText;        // the fragments so far of a fragmented message
    QByteArray m_fragmentedBinary;
    bool m_inFragmentedMessage = false;
    bool m_finishScheduled = false;
    bool m_closeAsked = false;       // close() was called: the close frame is the Session's
    bool m_failureReported = false;  // QtWebSockets' failing the connection was reported
};

} // namespace wsprobe
