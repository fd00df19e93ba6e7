#include "socketworker.h"

#include "clock.h"
#include "iothreadpool.h"

#include "framewriter.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <utility>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

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

bool SocketInbox::push(std::vector<SocketOutput> &batch, Spent &spent)
{
    if (batch.empty())
        return true;
    std::lock_guard lock(m_mutex);
    moveAppend(spent.texts, m_spent.texts);
    moveAppend(spent.data, m_spent.data);
    if (isClosed()) {
        batch.clear();
        return true;
    }
    m_outstanding += qsizetype(batch.size());
    moveAppend(m_queue, batch);
    // One wake-up per batch: the Session clears the flag before it takes the queue, so a batch
    // pushed after that take always wakes it again. Under the lock: close() waits for it.
    if (!m_wakePending.exchange(true, std::memory_order_acq_rel))
        m_wake();
    m_full = m_outstanding >= HighWater;
    return !m_full;
}

void SocketInbox::takeAll(std::vector<SocketOutput> &into)
{
    m_wakePending.store(false, std::memory_order_release);
    std::lock_guard lock(m_mutex);
    moveAppend(into, m_queue);
}

void SocketInbox::consumed(qsizetype count, Spent &spent)
{
    std::lock_guard lock(m_mutex);
    if (isClosed()) {
        spent = {};  // nobody will take them back: free them here
        return;
    }
    moveAppend(m_spent.texts, spent.texts);
    moveAppend(m_spent.data, spent.data);
    m_outstanding -= count;
    if (m_full && m_outstanding <= LowWater) {
        m_full = false;
        if (m_room)
            m_room();
    }
}

void SocketInbox::close()
{
    std::lock_guard lock(m_mutex);
    m_closed.store(true, std::memory_order_release);
    m_queue.clear();
    m_spent = {};
}

SocketWorker::SocketWorker(std::shared_ptr<SocketInbox> inbox)
    : m_inbox(std::move(inbox))
    , m_closeTimer(this)
    , m_maskRandom(QRandomGenerator::securelySeeded())
{
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setTimerType(Qt::PreciseTimer);  // a coarse one may fire 5 % early
    connect(&m_closeTimer, &QTimer::timeout, this, &SocketWorker::onCloseTimeout);
    // The Session never deletes a worker before it has closed the inbox, and the inbox calls
    // this only while open: the worker is alive when it runs.
    m_inbox->setRoom([this] {
        QMetaObject::invokeMethod(this, &SocketWorker::resumeReading, Qt::QueuedConnection);
    });
}

SocketWorker::~SocketWorker()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

namespace {
// The socket's own buffer, beyond what one pass reads: when the Session falls behind this worker
// stops reading (SocketInbox::push says so), the socket stops reading once this is full, and
// TCP's window closes on the server: a flood is held back at its source, not in memory here.
constexpr qint64 SocketBufferChunks = 4;
// Once both close frames are exchanged the server ends TCP (RFC 6455 7.1.1); if it does not,
// the client does after this.
constexpr int TcpEndGraceMs = 1000;
// A close reason fits a control frame with its 2-byte code.
constexpr qsizetype MaxCloseReasonBytes = 123;

QByteArray closeReasonBytes(const QString &reason)
{
    QByteArray bytes = reason.toUtf8();
    if (bytes.size() <= MaxCloseReasonBytes)
        return bytes;
    // Cut on a character boundary.
    qsizetype end = MaxCloseReasonBytes;
    while (end > 0 && (quint8(bytes.at(end)) & 0xC0) == 0x80)
        --end;
    return bytes.left(end);
}
} // namespace

void SocketWorker::open(const SocketConfig &config)
{
    const QUrl &url = config.upgrade.url;
    const bool secure = url.scheme() == "wss"_L1;
    m_handshake = std::make_unique<ClientHandshake>(config.upgrade);
    m_reader = FrameReader(config.limits);
    m_readChunk = qMax<qint64>(config.readChunkSize, 4096);
    m_closeTimeoutMs = config.closeTimeoutMs;
    m_ignoreSslErrors = config.ignoreSslErrors;

    QSslSocket *tls = secure ? new QSslSocket(this) : nullptr;
    m_socket = tls ? static_cast<QAbstractSocket *>(tls) : new QTcpSocket(this);
    m_socket->setReadBufferSize(m_readChunk * SocketBufferChunks);
    if (config.proxy)
        m_socket->setProxy(*config.proxy);
    connect(m_socket, &QAbstractSocket::readyRead, this, &SocketWorker::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &SocketWorker::onError);
    connect(m_socket, &QAbstractSocket::stateChanged, this, &SocketWorker::onStateChanged);
    connect(m_socket, &QAbstractSocket::disconnected, this, &SocketWorker::scheduleFinished);
    // Each frame is one write: Nagle's algorithm would hold a small one until the previous is
    // acknowledged, ~40 ms when the server delays its ACK, and the log would lie about when it
    // left. Set once connected: before, there is no socket to set it on.
    connect(m_socket, &QAbstractSocket::connected, this,
            [this] { m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });

    const quint16 port = quint16(url.port(secure ? 443 : 80));
    if (tls) {
        if (config.tls)
            tls->setSslConfiguration(*config.tls);
        connect(tls, &QSslSocket::sslErrors, this, &SocketWorker::onSslErrors);
        connect(tls, &QSslSocket::encrypted, this, &SocketWorker::sendUpgrade);
        tls->connectToHostEncrypted(url.host(), port);
    } else {
        connect(m_socket, &QAbstractSocket::connected, this, &SocketWorker::sendUpgrade);
        m_socket->connectToHost(url.host(), port);
    }
}

void SocketWorker::sendUpgrade()
{
    m_phase = Phase::Upgrading;
    m_socket->write(m_handshake->requestBytes());
}

void SocketWorker::onReadyRead()
{
    m_readScheduled = false;
    if (m_discarding) {
        m_socket->readAll();  // the connection was failed: what comes now is not read as frames
        return;
    }
    if (m_readPaused)
        return;  // resumeReading() goes on from here
    readOnce();
    // One bounded read a pass: a flood's batches stay steady, and the Session's thread is woken
    // once per read. What is left is read in the next pass (the socket will not say readyRead
    // again for bytes it already holds).
    if (m_socket && m_socket->bytesAvailable() > 0 && m_phase != Phase::Done && !m_readScheduled) {
        m_readScheduled = true;
        QMetaObject::invokeMethod(this, &SocketWorker::onReadyRead, Qt::QueuedConnection);
    }
}

bool SocketWorker::readOnce()
{
    if (!m_socket || m_phase == Phase::Connecting || m_socket->bytesAvailable() <= 0)
        return false;
    if (m_phase == Phase::Done && m_handshake->status() != ClientHandshake::Status::Accepted)
        return false;
    // The I/O thread's buffer when there is one (see IoThread): nothing below keeps a view of it.
    auto *ioThread = qobject_cast<IoThread *>(QThread::currentThread());
    QByteArray &buffer = ioThread ? ioThread->readScratch() : m_readBuffer;
    if (buffer.size() < m_readChunk)
        buffer.resize(m_readChunk);
    const qint64 got = m_socket->read(buffer.data(), m_readChunk);
    if (got <= 0)
        return false;
    const QByteArrayView bytes(buffer.constData(), got);
    if (m_phase == Phase::Upgrading)
        readUpgrade(bytes);
    else if (!m_reader.failed() && !m_reader.closeReceived())
        m_reader.read(bytes, *this);
    // After the server's close frame or a fault, whatever else comes is not read as frames.
    return !m_reader.failed() && !m_reader.closeReceived();
}

void SocketWorker::drain()
{
    // What the socket still holds when TCP ends is what the server sent last (often a big
    // message and its close frame): read it all before the end is reported. Bounded: every
    // pass consumes bytes, and the socket gets no more once TCP is over.
    while (readOnce()) {
    }
}

void SocketWorker::readUpgrade(QByteArrayView bytes)
{
    switch (m_handshake->read(bytes)) {
    case ClientHandshake::Status::Incomplete:
        return;
    case ClientHandshake::Status::Accepted:
        break;
    case ClientHandshake::Status::Refused:
    case ClientHandshake::Status::Failed:
        upgradeFailed();
        return;
    }
    m_phase = Phase::Open;
    notice({.type = SocketNotice::Type::Connected,
            .subprotocol = m_handshake->subprotocol(),
            .responseText = m_handshake->responseText(),
            .responseHeaders = m_handshake->responseHeaders()});
    // Frames the server sent right behind its 101.
    const QByteArray leftover = m_handshake->takeLeftover();
    if (!leftover.isEmpty())
        m_reader.read(leftover, *this);
}

void SocketWorker::upgradeFailed()
{
    m_phase = Phase::Done;
    const bool refused = m_handshake->status() == ClientHandshake::Status::Refused;
    notice({.type = SocketNotice::Type::UpgradeFailed,
            .errorString = m_handshake->failure(),
            .responseText = m_handshake->httpStatus() != 0 ? m_handshake->responseText() : QString(),
            .httpStatus = quint16(refused || m_handshake->httpStatus() != 101 ? m_handshake->httpStatus() : 0)});
    // The connection never became a WebSocket: nothing to close but TCP.
    m_socket->abort();
}

bool SocketWorker::canSend(const char *what)
{
    if (m_socket && m_phase == Phase::Open && !m_closeSent)
        return true;
    notice({.type = SocketNotice::Type::NotSent, .errorString = QString::fromLatin1(what)});
    return false;
}

SocketOutput SocketWorker::outgoing(EventKind kind)
{
    SocketOutput output = SocketOutput::frame(kind);
    output.direction = Direction::Outgoing;
    return output;
}

void SocketWorker::write(WireOpcode opcode, QByteArrayView payload)
{
    m_socket->write(FrameWriter::clientFrame(opcode, payload, m_maskRandom.generate()));
}

void SocketWorker::close(int code, const QString &reason)
{
    if (!canSend("Close frame not sent: the connection had already ended"))
        return;
    const QByteArray reasonBytes = closeReasonBytes(reason);
    SocketOutput sent = outgoing(EventKind::Close);
    sent.closeCode = quint16(code);
    sent.text = QString::fromUtf8(reasonBytes);
    add(std::move(sent));
    write(WireOpcode::Close, FrameWriter::closePayload(quint16(code), reasonBytes));
    m_closeSent = true;
    m_phase = Phase::Closing;
    notice({.type = SocketNotice::Type::Closing});
    m_closeTimer.start(m_closeTimeoutMs);
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
    sent.data = message.toUtf8();
    write(WireOpcode::Text, sent.data);
    add(std::move(sent));
}

void SocketWorker::sendBinary(const QByteArray &message)
{
    if (!canSend("Not sent: the connection had ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Binary);
    sent.data = message;
    add(std::move(sent));
    write(WireOpcode::Binary, message);
}

void SocketWorker::ping(const QByteArray &payload)
{
    if (!canSend("Ping not sent: the connection had ended"))
        return;
    SocketOutput sent = outgoing(EventKind::Ping);
    sent.data = payload;
    add(std::move(sent));
    write(WireOpcode::Ping, payload);
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
    m_readPaused = !m_inbox->push(m_batch, m_spent);
}

void SocketWorker::resumeReading()
{
    m_readPaused = false;
    if (!m_readScheduled) {
        m_readScheduled = true;
        onReadyRead();
    }
}

void SocketWorker::frame(FrameReader::Frame &&frame)
{
    switch (frame.opcode) {
    case WireOpcode::Continuation:
    case WireOpcode::Text:
    case WireOpcode::Binary:
        dataFrame(frame);
        return;
    case WireOpcode::Ping: {
        SocketOutput ping = SocketOutput::frame(EventKind::Ping);
        ping.data = frame.payload;
        add(std::move(ping));
        // Answered at once with the same payload (RFC 6455 5.5.2), unless our close is out.
        if (m_phase == Phase::Open && !m_closeSent) {
            SocketOutput pong = outgoing(EventKind::Pong);
            pong.data = frame.payload;
            add(std::move(pong));
            write(WireOpcode::Pong, frame.payload);
        }
        return;
    }
    case WireOpcode::Pong: {
        SocketOutput pong = SocketOutput::frame(EventKind::Pong);
        pong.data = std::move(frame.payload);
        add(std::move(pong));
        return;
    }
    case WireOpcode::Close:
        closeFrame(frame);
        return;
    }
}

// A message in one frame (nearly all of them) is one output; a fragmented one is an output per
// fragment and then the message put together. The size of text is counted by the Session, off
// this thread.
void SocketWorker::dataFrame(FrameReader::Frame &frame)
{
    m_spent.releaseOne();
    const bool text = frame.opcode == WireOpcode::Text
        || (frame.opcode == WireOpcode::Continuation && m_messageOpcode == WireOpcode::Text);
    if (frame.fin && !m_messageOpcode) {
        // Text stays the UTF-8 it came as (the reader validated it): the log keeps it so.
        SocketOutput message = SocketOutput::frame(text ? EventKind::Text : EventKind::Binary);
        message.data = std::move(frame.payload);
        add(std::move(message));
        return;
    }
    if (!m_messageOpcode) {
        m_messageOpcode = frame.opcode;
        m_fragmentDecoder.resetState();
    }
    SocketOutput fragment = SocketOutput::frame(text ? EventKind::TextFrame : EventKind::BinaryFrame);
    fragment.finalFrame = frame.fin;
    m_assembled += frame.payload;
    if (text)
        fragment.text = m_fragmentDecoder.decode(frame.payload);  // a character may span frames
    else
        fragment.data = std::move(frame.payload);
    add(std::move(fragment));
    if (!frame.fin)
        return;
    SocketOutput message = SocketOutput::frame(text ? EventKind::Text : EventKind::Binary);
    message.data = std::exchange(m_assembled, {});
    m_messageOpcode.reset();
    add(std::move(message));
}

void SocketWorker::closeFrame(FrameReader::Frame &frame)
{
    m_closeReceived = true;
    m_serverCloseCode = frame.closeCode ? *frame.closeCode : 1005;
    m_serverCloseReason = frame.closeReason;
    if (!m_closeSent) {
        // The server closed first: answer with its code (RFC 6455 5.5.1), or with no code when
        // it gave none. The answer is part of the handshake the log's close row reports
        // ("clean"), so it is not logged as a close of our own.
        notice({.type = SocketNotice::Type::Closing});
        write(WireOpcode::Close, FrameWriter::closePayload(frame.closeCode.value_or(0),
                                                          frame.closeReason.toUtf8()));
        m_closeSent = true;
    }
    // Both close frames are out: the server ends TCP, or we do after a grace period.
    m_phase = Phase::Closing;
    m_closeTimer.start(TcpEndGraceMs);
}

void SocketWorker::fault(FrameReader::Fault &&fault)
{
    // Failing the connection (RFC 6455 7.1.7): say why, send a close frame unless one is out
    // already, and end TCP.
    const QString reason = QString::fromUtf8(closeReasonBytes(fault.text));
    notice({.type = SocketNotice::Type::Failing,
            .errorString = fault.text,
            .closeCode = fault.closeCode,
            .closeReason = reason});
    if (!m_closeSent) {
        SocketOutput sent = outgoing(EventKind::Close);
        sent.closeCode = fault.closeCode;
        sent.text = reason;
        add(std::move(sent));
        write(WireOpcode::Close, FrameWriter::closePayload(fault.closeCode, reason.toUtf8()));
        m_closeSent = true;
    }
    notice({.type = SocketNotice::Type::Closing});
    endTcpAfterFault();
}

void SocketWorker::endTcpAfterFault()
{
    m_phase = Phase::Done;
    m_closeTimer.stop();
    m_socket->flush();
#ifdef Q_OS_UNIX
    // Closing a socket that still has unread bytes makes the kernel answer with a reset, and a
    // reset may destroy our close frame in the server's buffers before it is read: a server that
    // floods us would never learn why we left. So only our side ends (FIN after the close
    // frame), what still comes is read and dropped, and TCP ends when the server ends it, or
    // after the grace.
    const qintptr descriptor = m_socket->socketDescriptor();
    if (descriptor != -1 && m_socket->bytesToWrite() == 0 && !qobject_cast<QSslSocket *>(m_socket)
        && ::shutdown(int(descriptor), SHUT_WR) == 0) {
        m_discarding = true;
        m_socket->readAll();
        QTimer::singleShot(TcpEndGraceMs, this, [this] {
            if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
                m_socket->abort();
        });
        return;
    }
#endif
    m_socket->disconnectFromHost();
}

void SocketWorker::onCloseTimeout()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    if (!m_closeReceived) {
        notice({.type = SocketNotice::Type::Error,
                .error = QAbstractSocket::SocketTimeoutError,
                .errorString = u"No close frame from the server within %1 ms of ours: connection dropped"_s
                                   .arg(m_closeTimeoutMs)});
        m_phase = Phase::Done;
        m_socket->abort();
        return;
    }
    endTcp();  // the server did not end TCP after the close handshake
}

void SocketWorker::endTcp()
{
    m_phase = Phase::Done;
    m_closeTimer.stop();
    // Writes what is queued (our close frame) before the FIN.
    m_socket->disconnectFromHost();
}

void SocketWorker::onError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError)
        drain();
    if (error == QAbstractSocket::RemoteHostClosedError && m_phase == Phase::Upgrading) {
        // The server hung up on the upgrade: the head it sent may be a whole refusal.
        m_handshake->endOfStream();
        upgradeFailed();
        return;
    }
    notice({.type = SocketNotice::Type::Error, .error = error, .errorString = m_socket->errorString()});
}

void SocketWorker::onStateChanged(QAbstractSocket::SocketState state)
{
    // A failed connect may end here without a disconnected() signal.
    if (state == QAbstractSocket::UnconnectedState)
        scheduleFinished();
}

void SocketWorker::onSslErrors(const QList<QSslError> &errors)
{
    notice({.type = SocketNotice::Type::SslErrors, .sslErrors = errors});
    // Only a call from inside this signal's handler lets the handshake go on.
    if (m_ignoreSslErrors)
        qobject_cast<QSslSocket *>(m_socket)->ignoreSslErrors();
}

void SocketWorker::scheduleFinished()
{
    // Reported once the current signal cascade is over, so that an error the socket reports
    // after disconnected() comes before it.
    if (m_finishScheduled)
        return;
    m_finishScheduled = true;
    m_phase = Phase::Done;
    m_closeTimer.stop();
    QMetaObject::invokeMethod(
        this,
        [this] {
            drain();
            notice({.type = SocketNotice::Type::Finished,
                    .closeCode = m_closeReceived ? m_serverCloseCode : 1006,
                    .closeReason = m_serverCloseReason,
                    .closeFrameReceived = m_closeReceived});
        },
        Qt::QueuedConnection);
}

} // namespace wsprobe
