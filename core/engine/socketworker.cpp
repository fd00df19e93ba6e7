#include "socketworker.h"

#include "clock.h"

#include <QWebSocket>

#include <utility>

using namespace Qt::StringLiterals;

namespace wsprobe {
SocketOutput SocketOutput::frame(EventKind kind)
{
    SocketOutput output;
    output.monotonicNs = monotonicNowNs();
    output.kind = kind;
    return output;
}

SocketOutput SocketOutput::of(SocketNotice &&notice)
{
    SocketOutput output;
    output.monotonicNs = monotonicNowNs();
    output.notice = std::make_unique<SocketNotice>(std::move(notice));
    return output;
}

namespace {
// Moves everything in `from` behind what `to` holds, leaving `from` empty. When `to` is empty
// the two swap, so vectors hand their spare capacity back and forth instead of reallocating.
template <typename T>
void moveAppend(std::vector<T> &to, std::vector<T> &from)
{
    if (to.empty()) {
        to.swap(from);
        return;
    }
    to.reserve(to.size() + from.size());
    for (T &item : from)
        to.push_back(std::move(item));
    from.clear();
}
} // namespace

void SocketInbox::push(std::vector<SocketOutput> &batch, Spent &spent)
{
    if (batch.empty())
        return;
    {
        std::unique_lock lock(m_mutex);
        moveAppend(spent.texts, m_spent.texts);
        moveAppend(spent.data, m_spent.data);
        // Bounded wait steps: close() wakes us, but never trust one notification with a thread.
        while (m_outstanding >= HighWater && !isClosed())
            m_roomAvailable.wait_for(lock, std::chrono::milliseconds(50));
        if (isClosed()) {
            batch.clear();
            return;
        }
        m_outstanding += qsizetype(batch.size());
        moveAppend(m_queue, batch);
    }
    // One wake-up per batch: the Session clears the flag before it takes the queue, so a batch
    // pushed after that take always wakes it again.
    if (!m_wakePending.exchange(true, std::memory_order_acq_rel))
        m_wake();
}

void SocketInbox::takeAll(std::vector<SocketOutput> &into)
{
    m_wakePending.store(false, std::memory_order_release);
    std::lock_guard lock(m_mutex);
    moveAppend(into, m_queue);
}

void SocketInbox::consumed(qsizetype count, Spent &spent)
{
    bool wasFull = false;
    {
        std::lock_guard lock(m_mutex);
        if (isClosed()) {
            spent = {};  // nobody will take them back: free them here
        } else {
            moveAppend(m_spent.texts, spent.texts);
            moveAppend(m_spent.data, spent.data);
        }
        wasFull = m_outstanding >= HighWater;
        m_outstanding -= count;
        if (!wasFull || m_outstanding > LowWater)
            return;
    }
    m_roomAvailable.notify_all();
}

void SocketInbox::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed.store(true, std::memory_order_release);
        m_queue.clear();
        m_spent = {};
    }
    m_roomAvailable.notify_all();
}

SocketWorker::SocketWorker(std::shared_ptr<SocketInbox> inbox)
    : m_inbox(std::move(inbox))
{
}

SocketWorker::~SocketWorker()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SocketWorker::open(const SocketConfig &config)
{
    auto *socket = new QWebSocket(config.origin, QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_ignoreSslErrors = config.ignoreSslErrors;
    // QWebSocket parses everything its socket has buffered in one go: a bounded read keeps the
    // batches of a flood steady. But QtWebSockets 6.4 parses a frame only once its whole
    // payload is buffered, so when a frame is bigger than that the cap is raised to the
    // largest frame allowed until it is through (onRawReadyRead).
    m_readChunk = config.readChunkSize;
    m_readMax = config.readBufferSize;
    if (m_readMax > 0 && m_readChunk > m_readMax)
        m_readChunk = m_readMax;
    socket->setReadBufferSize(m_readChunk > 0 ? m_readChunk : m_readMax);
    if (config.maxIncomingFrameSize > 0)
        socket->setMaxAllowedIncomingFrameSize(quint64(config.maxIncomingFrameSize));
    if (config.maxIncomingMessageSize > 0)
        socket->setMaxAllowedIncomingMessageSize(quint64(config.maxIncomingMessageSize));
    if (config.proxy)
        socket->setProxy(*config.proxy);
    if (config.tls)
        socket->setSslConfiguration(*config.tls);

    connect(socket, &QWebSocket::connected, this, &SocketWorker::onConnected);
    connect(socket, &QWebSocket::disconnected, this, &SocketWorker::scheduleFinished);
    // QWebSocket::errorOccurred arrives with Qt 6.5; 6.4 has the overloaded error signal.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SocketWorker::onError);
    connect(socket, &QWebSocket::sslErrors, this, &SocketWorker::onSslErrors);
    connect(socket, &QWebSocket::stateChanged, this, &SocketWorker::onStateChanged);
    connect(socket, &QWebSocket::textFrameReceived, this, &SocketWorker::onTextFrame);
    connect(socket, &QWebSocket::binaryFrameReceived, this, &SocketWorker::onBinaryFrame);
    connect(socket, &QWebSocket::pong, this, &SocketWorker::onPong);
    connect(socket, &QWebSocket::aboutToClose, this, &SocketWorker::onAboutToClose);
    socket->open(config.request, config.options);
    // The socket QWebSocket made in open(), its child. QWebSocket parses it in its own readyRead
    // handler, connected in open() before this one (in 6.4 a direct call, so the bytes are gone
    // before this slot can look at them): the check posted from here runs after that parse.
    m_tcp = socket->findChild<QAbstractSocket *>();
    if (m_tcp && m_readChunk > 0)
        connect(m_tcp, &QIODevice::readyRead, this, &SocketWorker::onRawReadyRead);
    else if (m_readChunk > 0)
        socket->setReadBufferSize(m_readMax);  // cannot watch it: never hold a frame back
}

void SocketWorker::onRawReadyRead()
{
    if (m_readCapRaised || m_stuckCheckPending || m_tcp->bytesAvailable() < m_readChunk)
        return;
    m_stuckCheckPending = true;
    QMetaObject::invokeMethod(this, &SocketWorker::raiseReadCapIfStuck, Qt::QueuedConnection);
}

void SocketWorker::raiseReadCapIfStuck()
{
    m_stuckCheckPending = false;
    // Still full after QWebSocket read it: it waits for a payload bigger than the buffer.
    if (!m_socket || !m_tcp || m_readCapRaised || m_tcp->bytesAvailable() < m_readChunk)
        return;
    m_readCapRaised = true;
    m_socket->setReadBufferSize(m_readMax);
}

void SocketWorker::restoreReadChunk()
{
    // Called when a frame has been parsed: the big one is through.
    if (!m_readCapRaised || !m_tcp || m_tcp->bytesAvailable() >= m_readChunk)
        return;
    m_readCapRaised = false;
    m_socket->setReadBufferSize(m_readChunk);
}

bool SocketWorker::canSend(const char *what)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        return true;
    add(SocketOutput::of({.type = SocketNotice::Type::NotSent, .errorString = QString::fromLatin1(what)}));
    return false;
}

SocketOutput SocketWorker::outgoing(EventKind kind)
{
    SocketOutput output = SocketOutput::frame(kind);
    output.direction = Direction::Outgoing;
    return output;
}

void SocketWorker::close(int code, const QString &reason)
{
    if (!canSend("Close frame not sent: the connection had already ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Close);
    sent.closeCode = quint16(code);
    sent.text = reason;
    add(std::move(sent));
    m_closeAsked = true;
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void SocketWorker::abort()
{
    if (m_socket)
        m_socket->abort();
}

void SocketWorker::sendText(const QString &message)
{
    if (!canSend("Not sent: the connection had ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Text);
    sent.text = message;
    add(std::move(sent));
    m_socket->sendTextMessage(message);
}

void SocketWorker::sendBinary(const QByteArray &message)
{
    if (!canSend("Not sent: the connection had ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Binary);
    sent.data = message;
    add(std::move(sent));
    m_socket->sendBinaryMessage(message);
}

void SocketWorker::ping(const QByteArray &payload)
{
    if (!canSend("Ping not sent: the connection had ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Ping);
    sent.data = payload;
    add(std::move(sent));
    m_socket->ping(payload);
}

void SocketWorker::add(SocketOutput &&output)
{
    // The first output of a pass schedules the hand-over for when the pass is over: one socket
    // read becomes one batch, and a lone message still leaves at once.
    if (m_batch.empty())
        QMetaObject::invokeMethod(this, &SocketWorker::flush, Qt::QueuedConnection);
    m_batch.push_back(std::move(output));
}

void SocketWorker::flush()
{
    m_inbox->push(m_batch, m_spent);
}

void SocketWorker::onConnected()
{
    add(SocketOutput::of({.type = SocketNotice::Type::Connected, .subprotocol = m_socket->subprotocol()}));
}

void SocketWorker::onError(QAbstractSocket::SocketError error)
{
    add(SocketOutput::of(
        {.type = SocketNotice::Type::Error, .error = error, .errorString = m_socket->errorString()}));
}

void SocketWorker::onStateChanged(QAbstractSocket::SocketState state)
{
    add(SocketOutput::of({.type = SocketNotice::Type::StateChanged, .state = state}));
    // A failed connect may end here without a disconnected() signal.
    if (state == QAbstractSocket::UnconnectedState)
        scheduleFinished();
}

void SocketWorker::onSslErrors(const QList<QSslError> &errors)
{
    add(SocketOutput::of({.type = SocketNotice::Type::SslErrors, .sslErrors = errors}));
    // Only a call from inside this signal's handler lets the handshake go on.
    if (m_ignoreSslErrors)
        m_socket->ignoreSslErrors();
}

// Only the frame signals are connected: a message in one frame (nearly all of them) is logged
// from its frame, and only fragmented messages are put together here, which spares a signal
// per message. The size of text is counted by the Session, off this thread.
template <typename Payload>
void SocketWorker::onFrame(const Payload &frame, bool isLastFrame, EventKind messageKind,
                           EventKind fragmentKind, Payload SocketOutput::*field, Payload &assembled)
{
    m_spent.releaseOne();
    if (m_readCapRaised)
        restoreReadChunk();
    if (isLastFrame && !m_inFragmentedMessage) {
        SocketOutput message = SocketOutput::frame(messageKind);
        message.*field = frame;
        add(std::move(message));
        return;
    }
    SocketOutput fragment = SocketOutput::frame(fragmentKind);
    fragment.*field = frame;
    fragment.finalFrame = isLastFrame;
    add(std::move(fragment));
    assembled += frame;
    m_inFragmentedMessage = !isLastFrame;
    if (isLastFrame) {
        SocketOutput message = SocketOutput::frame(messageKind);
        message.*field = std::exchange(assembled, {});
        add(std::move(message));
    }
}

void SocketWorker::onTextFrame(const QString &frame, bool isLastFrame)
{
    onFrame(frame, isLastFrame, EventKind::Text, EventKind::TextFrame, &SocketOutput::text,
            m_fragmentedText);
}

void SocketWorker::onBinaryFrame(const QByteArray &frame, bool isLastFrame)
{
    onFrame(frame, isLastFrame, EventKind::Binary, EventKind::BinaryFrame, &SocketOutput::data,
            m_fragmentedBinary);
}

void SocketWorker::onPong(quint64 elapsedMs, const QByteArray &payload)
{
    Q_UNUSED(elapsedMs)  // timed from the latest ping only; the Session times each ping itself
    SocketOutput pong = SocketOutput::frame(EventKind::Pong);
    pong.data = payload;
    add(std::move(pong));
}

namespace {
// What QtWebSockets 6.4 puts in the close frame it sends when it fails the connection on what
// the server sent (qwebsocketframe.cpp, qwebsocketdataprocessor.cpp): the only way to tell its
// own close from the echo of the server's, which takes the same path and the same signal.
bool isQtFailureReason(const QString &reason)
{
    static const QStringList exact = {
        u"Rsv field is non-zero"_s,
        u"Used reserved opcode"_s,
        u"Control frame is larger than 125 bytes"_s,
        u"Control frames cannot be fragmented"_s,
        u"Maximum framesize exceeded."_s,
        u"Received message is too big."_s,
        u"Lengths smaller than 126 must be expressed as one byte."_s,
        u"Lengths smaller than 65536 (2^16) must be expressed as 2 bytes."_s,
        u"Highest bit of payload length is not 0."_s,
        u"Something went wrong during reading from the network."_s,
        u"Some serious error occurred while reading from the network."_s,
        u"Payload of close frame is too small."_s,
        u"Invalid UTF-8 code encountered."_s,
        u"Received Continuation frame, while there is nothing to continue."_s,
        u"All data frames after the initial data frame must have opcode 0 (continuation)."_s,
        u"Timeout when reading data from socket."_s,
    };
    static const QStringList prefixes = {
        u"Invalid close code "_s,
        u"Invalid opcode detected: "_s,
        u"Error occurred while reading from the network: "_s,
        u"Error occurred while reading header from the network: "_s,
        u"Error while reading from the network: "_s,
    };
    if (exact.contains(reason))
        return true;
    for (const QString &prefix : prefixes) {
        if (reason.startsWith(prefix))
            return true;
    }
    return false;
}
} // namespace

void SocketWorker::onAboutToClose()
{
    // Emitted when a close frame is about to go out: ours (close()), the echo of the server's,
    // or QtWebSockets failing the connection. Only the last one is news to the Session.
    // Also emitted again when the server's close frame comes after ours: report once.
    if (m_closeAsked || m_failureReported || !isQtFailureReason(m_socket->closeReason()))
        return;
    m_failureReported = true;
    SocketOutput sent = outgoing(EventKind::Close);
    sent.closeCode = quint16(m_socket->closeCode());
    sent.text = m_socket->closeReason();
    add(SocketOutput::of({.type = SocketNotice::Type::Failing,
                          .closeCode = int(m_socket->closeCode()),
                          .closeReason = m_socket->closeReason()}));
    add(std::move(sent));
}

void SocketWorker::scheduleFinished()
{
    // QWebSocket reports a refused connection's error *after* disconnected(): report the end
    // once the current signal cascade is over, so that the error comes before it.
    if (m_finishScheduled)
        return;
    m_finishScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            add(SocketOutput::of({.type = SocketNotice::Type::Finished,
                                  .closeCode = int(m_socket->closeCode()),
                                  .closeReason = m_socket->closeReason()}));
        },
        Qt::QueuedConnection);
}

} // namespace wsprobe
