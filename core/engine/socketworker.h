#pragma once

#include "clienthandshake.h"
#include "framereader.h"
#include "frameevent.h"

#include <QAbstractSocket>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslConfiguration>
#include <QSslError>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace wsprobe {

// Everything a SocketWorker needs to open one connection, prepared by its Session.
struct SocketConfig
{
    ClientHandshake::Request upgrade;           // its url says where to connect, ws or wss
    std::optional<QNetworkProxy> proxy;         // unset: the system's
    std::optional<QSslConfiguration> tls;       // wss only
    bool ignoreSslErrors = false;
    FrameLimits limits;                         // over them: 1009
    // How much is read from the socket in one pass of the I/O thread's event loop: bounds the
    // batches of a flood, so the Session's thread gets them in steady portions.
    qint64 readChunkSize = 256 * 1024;
    // How long the close handshake may take once a close frame was sent, before the
    // connection is dropped (and reported as not clean).
    int closeTimeoutMs = 5000;
};

// What the socket said, other than frames, with the state the Session needs to read at that
// moment (it cannot ask the socket: the socket lives in another thread).
struct SocketNotice
{
    enum class Type : quint8 {
        Connected,     // the upgrade succeeded: subprotocol, responseText
        UpgradeFailed, // the server refused the upgrade or answered it wrongly: httpStatus
                       // (0 when there was none), errorString (why), responseText (its answer)
        Closing,       // a close frame was sent, or the server's came first
        Error,
        SslErrors,
        NotSent,       // a send arrived after the connection had ended (errorString says what)
        Failing,       // wsprobe is failing the connection on what the server sent: it sends
                       // closeCode/closeReason (logged as outgoing next) and ends TCP;
                       // errorString says what the server did
        Finished,      // the connection is over, and every signal it caused has been reported;
                       // closeCode/closeReason are the server's close frame (1005: it had no
                       // code), closeFrameReceived says whether there was one
    };

    Type type = Type::Closing;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
    QString subprotocol;                        // Connected
    QString responseText;                       // Connected, UpgradeFailed
    QList<QPair<QByteArray, QByteArray>> responseHeaders;  // Connected: the 101's, as received
    quint16 httpStatus = 0;                     // UpgradeFailed
    int closeCode = 0;                          // Finished, Failing
    QString closeReason;                        // Finished, Failing
    bool closeFrameReceived = false;            // Finished
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
    QString text;                       // TextFrame; the reason of a Close
    QByteArray data;                    // Text (its UTF-8, validated), Binary, BinaryFrame, Ping, Pong
    std::unique_ptr<SocketNotice> notice;  // set for a notice, and then nothing else is

    static SocketOutput frame(EventKind kind);
    static SocketOutput of(SocketNotice &&notice);
};

// The queue from one SocketWorker (I/O thread) to its Session (the Session's thread), in the
// order the socket produced it. The worker hands over what one pass of its event loop produced
// (one socket read: up to thousands of frames) at once, and wakes the Session once per batch;
// when the Session falls far behind, the worker stops reading its socket until told there is
// room again, so a flood cannot fill the memory with events nobody has looked at. It never
// blocks: other connections share the worker's thread (IoThreadPool).
class SocketInbox
{
public:
    static constexpr qsizetype HighWater = 65536;   // the worker stops reading above this...
    static constexpr qsizetype LowWater = 16384;    // ...until the Session is back below this

    // Called from the worker's thread when outputs are waiting; set before the worker starts.
    // Called with the inbox's lock held, so once close() returns it is never called again.
    void setWake(std::function<void()> wake) { m_wake = std::move(wake); }
    // Called from the Session's thread when it is back below LowWater after push() said the
    // inbox was full; under the lock too, and never after close().
    void setRoom(std::function<void()> room)
    {
        std::lock_guard lock(m_mutex);
        m_room = std::move(room);
    }

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
    // gave back to `spent`. Does nothing once closed. Returns false when the Session is at
    // least HighWater behind: the worker should read no more until the room callback.
    bool push(std::vector<SocketOutput> &batch, Spent &spent);
    // Session side: everything queued so far, oldest first, appended to `into`.
    void takeAll(std::vector<SocketOutput> &into);
    // Session side: `count` taken outputs have been handled (may call the room callback), and
    // `spent` goes back to the worker (freed at once when the inbox is closed); it is left empty.
    void consumed(qsizetype count, Spent &spent);
    // Session side: no more outputs are wanted; no callback is called after this returns.
    void close();
    bool isClosed() const { return m_closed.load(std::memory_order_acquire); }

private:
    std::mutex m_mutex;
    std::vector<SocketOutput> m_queue;
    qsizetype m_outstanding = 0;                    // pushed, not yet consumed
    Spent m_spent;                                  // for the worker to free
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_closed{false};
    bool m_full = false;                            // push() said so; room() not called since
    std::function<void()> m_wake;
    std::function<void()> m_room;
};

// One WebSocket connection in an I/O thread: owns the TCP (or TLS) socket and speaks RFC 6455
// on it with core/wire's codec, turns what arrives into SocketOutputs for the Session, and does
// what the Session asks. Speaking the protocol here, rather than through QWebSocket, is what lets
// the log say what was on the wire: the server's whole answer to the upgrade, the close code it
// really sent, the real size of a message over the limit, masked frames, its pings.
//
// It keeps no policy of its own beyond the protocol's (closing rules, reconnects and ping timing
// are the Session's), so the GUI thread never parses frames and the Session's logic stays in
// one thread.
class SocketWorker : public QObject, private FrameReader::Sink
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
    enum class Phase : quint8 {
        Connecting,  // TCP, the proxy, TLS
        Upgrading,   // the request is sent; reading the answer
        Open,
        Closing,     // a close frame went out or came in; waiting for the rest
        Done,        // the socket is closed or being closed
    };

    void add(SocketOutput &&output);
    void notice(SocketNotice &&notice) { add(SocketOutput::of(std::move(notice))); }
    bool canSend(const char *what);
    SocketOutput outgoing(EventKind kind);
    void write(WireOpcode opcode, QByteArrayView payload);
    void flush();
    void resumeReading();
    void sendUpgrade();
    void onReadyRead();
    bool readOnce();
    void drain();
    void readUpgrade(QByteArrayView bytes);
    void upgradeFailed();
    void onError(QAbstractSocket::SocketError error);
    void onStateChanged(QAbstractSocket::SocketState state);
    void onSslErrors(const QList<QSslError> &errors);
    void onCloseTimeout();
    void endTcp();
    void endTcpAfterFault();
    void scheduleFinished();
    // FrameReader::Sink
    void frame(FrameReader::Frame &&frame) override;
    void fault(FrameReader::Fault &&fault) override;
    void dataFrame(FrameReader::Frame &frame);
    void closeFrame(FrameReader::Frame &frame);

    std::shared_ptr<SocketInbox> m_inbox;
    QAbstractSocket *m_socket = nullptr;   // Owned (child): a QTcpSocket or a QSslSocket.
    std::unique_ptr<ClientHandshake> m_handshake;
    FrameReader m_reader;
    Phase m_phase = Phase::Connecting;
    QByteArray m_readBuffer;               // one pass's read, when not in an IoThread
    qint64 m_readChunk = 256 * 1024;
    bool m_readScheduled = false;
    bool m_readPaused = false;
    bool m_discarding = false;             // failed by us: bytes are read and dropped until TCP ends             // the Session is far behind: read nothing for now
    QTimer m_closeTimer;                   // bounds the close handshake
    int m_closeTimeoutMs = 5000;
    QRandomGenerator m_maskRandom;         // masks must be unpredictable (RFC 6455 10.3)
    std::vector<SocketOutput> m_batch;     // outputs of the current pass of the event loop
    SocketInbox::Spent m_spent;            // payloads the Session is done with, to free here
    bool m_ignoreSslErrors = false;
    // The message under way, when it came in several frames.
    std::optional<WireOpcode> m_messageOpcode;
    QByteArray m_assembled;
    QStringDecoder m_fragmentDecoder{QStringDecoder::Utf8};
    bool m_closeSent = false;
    bool m_closeReceived = false;
    int m_serverCloseCode = 1006;          // of the server's close frame; 1005: it had none
    QString m_serverCloseReason;
    bool m_finishScheduled = false;
};

} // namespace wsprobe
