#include "session.h"

#include "clock.h"
#include "closecodes.h"
#include "socketerrors.h"

#include <QFile>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QScopeGuard>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A ping payload is a control frame body: at most 125 bytes (RFC 6455 5.5).
constexpr qsizetype MaxControlPayload = 125;
// Close reasons share the control frame with the 2-byte code.
constexpr qsizetype MaxCloseReasonBytes = MaxControlPayload - 2;
// How much the I/O thread reads from the socket in one pass: see SocketConfig.
constexpr qint64 ReadChunkBytes = 256 * 1024;
// How many of the I/O thread's outputs one pass of the event loop handles: bounds the time the
// Session's thread (the GUI's, in the window) spends on a flood before it repaints.
constexpr std::size_t MaxOutputsPerPass = 4096;

QString truncatedToUtf8Bytes(const QString &text, qsizetype maxBytes)
{
    QString result = text;
    while (utf8Length(result) > maxBytes)
        result.chop(1);
    return result;
}

} // namespace

QString displayName(SessionState state)
{
    switch (state) {
    case SessionState::Idle: return u"idle"_s;
    case SessionState::Connecting: return u"connecting"_s;
    case SessionState::Open: return u"open"_s;
    case SessionState::Closing: return u"closing"_s;
    case SessionState::Closed: return u"closed"_s;
    case SessionState::WaitingToReconnect: return u"waiting to reconnect"_s;
    }
    return {};
}

Session::Session(QObject *parent)
    : Session(SessionSettings{}, parent)
{
}

Session::Session(const SessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_log(new FrameLog(this))
    , m_connectTimer(this)
    , m_pingTimer(this)
    , m_reconnectTimer(this)
    , m_random(QRandomGenerator::global()->generate())
{
    m_connectTimer.setSingleShot(true);
    // A coarse timer may fire up to 5 % early: a connect timeout never comes before its time.
    m_connectTimer.setTimerType(Qt::PreciseTimer);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, &Session::onConnectTimeout);
    connect(&m_pingTimer, &QTimer::timeout, this, &Session::onPingTimer);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Session::startSocket);
    m_log->setCapacity(m_settings.logCapacity);
}

Session::~Session()
{
    // The inbox first: once closed it calls nothing of this session's or the worker's.
    if (m_inbox)
        m_inbox->close();
    // The worker (and its socket) dies in its own thread, later; if this session was the last
    // user of its pool, the pool's threads end here, deleting it on their way out.
    if (m_worker) {
        m_worker->deleteLater();
        m_worker = nullptr;
    }
}

void Session::setIoThreads(std::shared_ptr<IoThreadPool> pool)
{
    m_ioThreads = std::move(pool);
}

template <typename Call>
void Session::toWorker(Call &&call)
{
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, call = std::forward<Call>(call)] {
        call(worker);
    }, Qt::QueuedConnection);
}

void Session::setSettings(const SessionSettings &settings)
{
    m_settings = settings;
    m_log->setCapacity(m_settings.logCapacity);
}

void Session::open()
{
    if (m_state == SessionState::Connecting || m_state == SessionState::Open
        || m_state == SessionState::Closing) {
        return;
    }
    m_reconnectTimer.stop();
    m_reconnectAttempt = 0;
    startSocket();
}

void Session::startSocket()
{
    releaseSocket();
    m_closeRequested = false;
    m_clientSentClose = false;
    m_serverSentClose = false;
    m_transportError = false;
    m_connectionLost = false;
    m_failedByUs = false;
    m_handshakeFailed = false;
    m_refused = false;
    m_refusedStatus = 0;
    m_failCode = 0;
    m_failReason.clear();
    m_subprotocol.clear();
    m_responseHeaders.clear();
    m_pings.reset();
    m_openedAtNs = 0;

    const QUrl url = m_settings.effectiveUrl();
    if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1)
        || url.host().isEmpty()) {
        logError(ErrorKind::Other,
                 u"Not a WebSocket URL: \"%1\" (expected ws://host[:port]/path or wss://...)"_s
                     .arg(url.toDisplayString()));
        setState(SessionState::Closed);
        Q_EMIT finished();
        return;
    }

    SocketConfig config;
    config.upgrade.url = url;
    config.upgrade.origin = m_settings.origin;
    config.upgrade.subprotocols = m_settings.subprotocols;
    for (const KeyValue &header : std::as_const(m_settings.headers)) {
        if (header.enabled && !header.key.isEmpty())
            config.upgrade.headers.append({header.key.toUtf8(), header.value.toUtf8()});
    }
    config.upgrade.key = ClientHandshake::randomKey();
    // A flood is held back by the inbox, which stops the I/O thread (and so TCP) when the
    // session falls behind; a frame bigger than a read is gathered by the FrameReader, up to
    // the limits.
    config.readChunkSize = ReadChunkBytes;
    config.limits = {.maxFrameSize = m_settings.maxIncomingFrameSize,
                     .maxMessageSize = m_settings.maxIncomingMessageSize};
    const ProxySettings &proxy = m_settings.proxy;
    switch (proxy.mode) {
    case ProxySettings::Mode::System:
        break;
    case ProxySettings::Mode::None:
        config.proxy = QNetworkProxy(QNetworkProxy::NoProxy);
        break;
    case ProxySettings::Mode::Http:
        config.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, proxy.host, proxy.port,
                                     proxy.user, proxy.password);
        break;
    case ProxySettings::Mode::Socks5:
        config.proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, proxy.host, proxy.port,
                                     proxy.user, proxy.password);
        break;
    }
    if (url.scheme() == "wss"_L1) {
        config.tls = tlsConfiguration();
        config.ignoreSslErrors = m_settings.tls.ignoreCertificateErrors;
    }
    if (!m_ioThreads)
        m_ioThreads = std::make_shared<IoThreadPool>(1);
    auto inbox = std::make_shared<SocketInbox>();
    m_inbox = inbox;
    // The inbox wakes this session (from the I/O thread) once per batch. The session outlives
    // its workers: its destructor closes the inbox and deletes the worker before it goes.
    std::weak_ptr<SocketInbox> weakInbox = inbox;
    inbox->setWake([this, weakInbox] {
        QMetaObject::invokeMethod(this, [this, weakInbox] {
            if (const auto inbox = weakInbox.lock())
                drainInbox(inbox);
        }, Qt::QueuedConnection);
    });
    m_worker = new SocketWorker(inbox);
    m_worker->moveToThread(m_ioThreads->next());

    setState(SessionState::Connecting);
    logHandshakeRequest(ClientHandshake(config.upgrade).requestText());
    if (m_settings.connectTimeoutMs > 0)
        m_connectTimer.start(m_settings.connectTimeoutMs);
    toWorker([config](SocketWorker *worker) { worker->open(config); });
}

void Session::releaseSocket()
{
    m_connectTimer.stop();
    m_pingTimer.stop();
    if (m_inbox) {
        // Whatever the old connection still says is not wanted.
        m_inbox->close();
        m_inbox.reset();
    }
    m_pending.clear();
    m_pendingNext = 0;
    if (!m_worker)
        return;
    m_worker->deleteLater();  // in its own thread, which may be inside one of its signals now
    m_worker = nullptr;
}

QSslConfiguration Session::tlsConfiguration()
{
    const TlsSettings &tls = m_settings.tls;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!tls.caCertificateFile.isEmpty()) {
        const QList<QSslCertificate> cas =
            QSslCertificate::fromPath(tls.caCertificateFile, QSsl::Pem);
        if (cas.isEmpty())
            logError(ErrorKind::Tls, u"No PEM certificate in CA file %1"_s.arg(tls.caCertificateFile));
        else
            config.addCaCertificates(cas);
    }
    if (!tls.clientCertificateFile.isEmpty()) {
        const QList<QSslCertificate> certs =
            QSslCertificate::fromPath(tls.clientCertificateFile, QSsl::Pem);
        if (certs.isEmpty()) {
            logError(ErrorKind::Tls,
                     u"No PEM certificate in client certificate file %1"_s.arg(tls.clientCertificateFile));
        } else {
            config.setLocalCertificate(certs.first());
        }
    }
    if (!tls.clientKeyFile.isEmpty()) {
        QFile file(tls.clientKeyFile);
        if (!file.open(QIODevice::ReadOnly)) {
            logError(ErrorKind::Tls, u"Cannot read client key %1: %2"_s.arg(tls.clientKeyFile,
                                                                             file.errorString()));
        } else {
            const QByteArray pem = file.readAll();
            QSslKey key(pem, QSsl::Rsa);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Ec);
            if (key.isNull())
                logError(ErrorKind::Tls, u"Client key %1 is not an RSA or EC PEM key"_s.arg(tls.clientKeyFile));
            else
                config.setPrivateKey(key);
        }
    }
    return config;
}

void Session::setState(SessionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void Session::logEvent(FrameEvent &&event)
{
    // What a notice causes is stamped when the socket said it, not when this thread got to it:
    // the log's times follow the wire.
    if (m_noticeNs != 0 && event.monotonicNs > m_noticeNs) {
        event.monotonicNs = m_noticeNs;
        event.wallMs = wallClockMsAt(m_noticeNs);
    }
    m_log->append(std::move(event));
}

void Session::logInfo(const QString &text)
{
    FrameEvent event = makeFrameEvent(EventKind::Info, Direction::Local);
    event.text = text;
    logEvent(std::move(event));
}

void Session::logError(ErrorKind kind, const QString &text, quint16 httpStatus)
{
    if (kind == ErrorKind::HandshakeRejected) {
        m_refused = true;
        m_refusedStatus = httpStatus;
    }
    FrameEvent event = makeFrameEvent(EventKind::Error, Direction::Local);
    event.error = kind;
    event.httpStatus = httpStatus;
    event.text = text;
    logEvent(std::move(event));
}

void Session::logHandshakeRequest(const QString &requestText)
{
    FrameEvent event = makeFrameEvent(EventKind::Handshake, Direction::Outgoing);
    event.text = requestText;
    logEvent(std::move(event));
}

void Session::drainInbox(const std::shared_ptr<SocketInbox> &inbox)
{
    if (inbox != m_inbox)
        return;
    if (m_pendingNext == m_pending.size()) {
        m_pending.clear();
        m_pendingNext = 0;
        inbox->takeAll(m_pending);
    }
    const std::size_t end = std::min(m_pending.size(), m_pendingNext + MaxOutputsPerPass);
    const std::size_t begin = m_pendingNext;
    {
        // The frames of a pass reach the log's readers as one eventsAppended; a notice (which
        // may change the state and emit) first lets them see every frame before it.
        FrameLog::Batch batch(m_log);
        while (m_pendingNext < end) {
            SocketOutput &output = m_pending[m_pendingNext++];
            if (output.notice) {
                m_log->announce();
                handleNotice(*output.notice, output.monotonicNs);
            } else {
                handleFrame(output);
            }
            if (inbox != m_inbox)
                return;  // the connection was released: what remains is not wanted
        }
    }
    inbox->consumed(qsizetype(end - begin), m_spent);
    if (m_pendingNext < m_pending.size()) {
        // More than one pass's worth: let the event loop breathe, then go on.
        QMetaObject::invokeMethod(this, [this, inbox] { drainInbox(inbox); }, Qt::QueuedConnection);
    }
}

void Session::handleFrame(SocketOutput &output)
{
    FrameEvent event;
    event.monotonicNs = output.monotonicNs;
    event.wallMs = wallClockMsAt(output.monotonicNs);
    event.kind = output.kind;
    event.direction = output.direction;
    event.finalFrame = output.finalFrame;
    const bool incoming = output.direction == Direction::Incoming;
    if (event.kind == EventKind::TextFrame) {
        event.text = std::move(output.text);
        event.size = utf8Length(event.text);
        logEvent(std::move(event));
        return;
    }
    if (event.kind == EventKind::Close) {
        event.closeCode = output.closeCode;
        event.closeInitiator = CloseInitiator::Client;
        event.text = std::move(output.text);
        event.size = 2 + utf8Length(event.text);
        logEvent(std::move(event));
        return;
    }
    // Our pings are timed; the server's pings and our answers to them are only logged.
    if (event.kind == EventKind::Ping && !incoming)
        m_pings.sent(output.data, event.monotonicNs);
    else if (event.kind == EventKind::Pong && incoming)
        event.rttNs = m_pings.answered(output.data, event.monotonicNs);
    // Text as UTF-8 and binary alike: the log copies the bytes into its arena, and the I/O
    // thread's buffer goes back to it (see SocketInbox::Spent), so it goes on in memory already
    // mapped while the cost of fresh pages for what is kept falls here, off the parsing thread.
    event.size = output.data.size();
    m_log->append(event, output.data, event.kind == EventKind::Text);
    if (incoming)
        m_spent.data.push_back(std::move(output.data));
}

void Session::handleNotice(SocketNotice &notice, qint64 monotonicNs)
{
    m_noticeNs = monotonicNs;
    const auto unstamp = qScopeGuard([this] { m_noticeNs = 0; });
    switch (notice.type) {
    case SocketNotice::Type::Connected:
        onConnected(notice, monotonicNs);
        break;
    case SocketNotice::Type::UpgradeFailed:
        onUpgradeFailed(notice.httpStatus, notice.errorString, notice.responseText);
        break;
    case SocketNotice::Type::Failing:
        onFailing(notice.closeCode, notice.closeReason, notice.errorString);
        break;
    case SocketNotice::Type::Closing:
        onClosing();
        break;
    case SocketNotice::Type::Error:
        onSocketError(notice.error, notice.errorString);
        break;
    case SocketNotice::Type::SslErrors:
        onSslErrors(notice.sslErrors);
        break;
    case SocketNotice::Type::NotSent:
        logError(ErrorKind::Other, notice.errorString);
        break;
    case SocketNotice::Type::Finished:
        finishConnection(notice.closeCode, notice.closeReason, notice.closeFrameReceived);
        break;
    }
}

void Session::logHandshakeResponse(const QString &responseText, quint16 httpStatus)
{
    FrameEvent event = makeFrameEvent(EventKind::Handshake, Direction::Incoming);
    event.text = responseText;
    event.httpStatus = httpStatus;
    logEvent(std::move(event));
}

void Session::onConnected(const SocketNotice &notice, qint64 monotonicNs)
{
    m_connectTimer.stop();
    m_subprotocol = notice.subprotocol;
    m_responseHeaders = notice.responseHeaders;
    m_openedAtNs = monotonicNs;

    logHandshakeResponse(notice.responseText, 101);
    if (!m_settings.subprotocols.isEmpty() && m_subprotocol.isEmpty()) {
        logInfo(u"The server chose none of the offered subprotocols (%1)"_s
                    .arg(m_settings.subprotocols.join(u", "_s)));
    }

    setState(SessionState::Open);
    if (m_settings.autoPingIntervalMs > 0)
        m_pingTimer.start(m_settings.autoPingIntervalMs);
    Q_EMIT opened();
}

void Session::onClosing()
{
    // Closing without our close() means the server's close frame arrived first.
    if (!m_clientSentClose && !m_connectionLost && !m_failedByUs)
        m_serverSentClose = true;
    setState(SessionState::Closing);
}

void Session::onUpgradeFailed(quint16 httpStatus, const QString &why, const QString &responseText)
{
    m_connectTimer.stop();
    m_handshakeFailed = true;
    m_transportError = true;
    if (!responseText.isEmpty())
        logHandshakeResponse(responseText, httpStatus);
    logError(ErrorKind::HandshakeRejected,
             httpStatus != 0 && httpStatus != 101
                 ? u"The upgrade was %1; no message was exchanged"_s.arg(why)
                 : u"The upgrade failed: %1"_s.arg(why),
             httpStatus == 101 ? quint16(0) : httpStatus);
}

void Session::finishConnection(int closeCode, const QString &closeReason, bool closeFrameReceived)
{
    const bool anyCloseFrame = m_clientSentClose || m_serverSentClose;

    CloseInfo info;
    if (m_failedByUs) {
        // wsprobe ended it: the close it sent is the one that counts, whatever came back.
        info.code = m_failCode;
        info.reason = m_failReason;
        info.initiator = CloseInitiator::Client;
        info.clean = false;
    } else if (anyCloseFrame) {
        info.code = closeCode;
        info.reason = closeReason;
        info.initiator = m_clientSentClose ? CloseInitiator::Client : CloseInitiator::Server;
        // Clean: both close frames crossed and nothing went wrong on the way.
        info.clean = !m_transportError && closeFrameReceived;
    } else {
        info.code = 1006;
        info.initiator = CloseInitiator::Nobody;
        info.clean = false;
    }
    if (m_openedAtNs != 0)
        info.openDurationMs = (monotonicNowNs() - m_openedAtNs) / 1'000'000;
    info.refused = m_refused && m_openedAtNs == 0;
    info.httpStatus = info.refused ? m_refusedStatus : 0;
    m_lastClose = info;
    releaseSocket();

    FrameEvent event = makeFrameEvent(EventKind::Close,
                                 anyCloseFrame ? Direction::Incoming : Direction::Local);
    event.closeCode = quint16(info.code);
    event.closeInitiator = info.initiator;
    event.cleanClose = info.clean;
    event.text = info.reason;
    event.size = anyCloseFrame ? 2 + utf8Length(info.reason) : 0;
    logEvent(std::move(event));
    Q_EMIT closed(info);

    // Only a connection that stayed up a while resets the backoff: a server that accepts and
    // drops at once must not be hammered for ever.
    if (info.openDurationMs >= m_settings.reconnect.resetAfterMs)
        m_reconnectAttempt = 0;
    if (!m_closeRequested && m_settings.reconnect.enabled && scheduleReconnect()) {
        setState(SessionState::WaitingToReconnect);
        return;
    }
    setState(SessionState::Closed);
    Q_EMIT finished();
}

bool Session::scheduleReconnect()
{
    const ReconnectPolicy &policy = m_settings.reconnect;
    if (policy.maxAttempts > 0 && m_reconnectAttempt >= policy.maxAttempts) {
        logInfo(u"Giving up after %1 reconnect attempts"_s.arg(m_reconnectAttempt));
        return false;
    }
    const double base = std::min<double>(policy.maxDelayMs,
                                         policy.initialDelayMs * std::pow(2.0, m_reconnectAttempt));
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
    const double factor = 1.0 + jitter * (2.0 * m_random.generateDouble() - 1.0);
    const int delayMs = qMax(0, int(std::lround(base * factor)));
    ++m_reconnectAttempt;
    logInfo(policy.maxAttempts > 0
                ? u"Reconnecting in %1 ms (attempt %2 of %3)"_s.arg(delayMs).arg(m_reconnectAttempt).arg(policy.maxAttempts)
                : u"Reconnecting in %1 ms (attempt %2)"_s.arg(delayMs).arg(m_reconnectAttempt));
    m_reconnectTimer.start(delayMs);
    return true;
}

void Session::onSocketError(QAbstractSocket::SocketError error, const QString &errorString)
{
    if (error == QAbstractSocket::RemoteHostClosedError) {
        // The TCP end after a close handshake is how a close completes, not an error.
        if (m_clientSentClose || m_serverSentClose)
            return;
        m_connectionLost = true;
        if (m_handshakeFailed)
            return;  // the refusal said why; the server closing after it is no news
        if (m_state == SessionState::Connecting) {
            // TCP was up (else the error would be a refused connection): the server hung up
            // on the upgrade request, which refuses it as surely as a 4xx.
            logError(ErrorKind::HandshakeRejected,
                     u"The upgrade failed: the server ended the TCP connection before answering the upgrade"_s);
            return;
        }
        logError(ErrorKind::RemoteClosed,
                 u"The server ended the TCP connection without a close frame"_s);
        return;
    }
    m_transportError = true;
    logError(errorKind(error), errorString);
}

void Session::onSslErrors(const QList<QSslError> &errors)
{
    for (const QSslError &error : errors) {
        QString text = error.errorString();
        if (!error.certificate().isNull())
            text += u" (certificate: "_s + error.certificate().subjectDisplayName() + u')';
        logError(ErrorKind::Tls, text);
    }
    // The worker has already told the socket (only a call inside its signal counts).
    if (m_settings.tls.ignoreCertificateErrors) {
        logInfo(u"TLS errors ignored, as this session's settings ask"_s);
    }
}

void Session::onFailing(int closeCode, const QString &closeReason, const QString &what)
{
    m_failedByUs = true;
    m_failCode = closeCode;
    m_failReason = closeReason;
    m_transportError = true;
    // What the server sent, then what wsprobe answers (the close frame is logged next).
    logError(ErrorKind::Protocol,
             closeCode == 1009
                 ? u"%1; wsprobe closed with 1009"_s.arg(what)
                 : u"The server broke the protocol: %1; wsprobe failed the connection with %2"_s
                       .arg(what, CloseCodes::label(closeCode)));
}

void Session::onPingTimer()
{
    const int limit = m_settings.maxMissedPongs;
    if (limit > 0 && m_pings.unanswered() >= limit) {
        const QString text = u"no pong for %1 pings"_s.arg(m_pings.unanswered());
        m_pingTimer.stop();
        logError(ErrorKind::Timeout, text);
        if (m_settings.closeOnMissedPongs)
            close(1001, text);
        return;
    }
    if (ping())
        m_pings.autoPingSent();
}

void Session::onConnectTimeout()
{
    if (m_state != SessionState::Connecting || !m_worker)
        return;
    logError(ErrorKind::Timeout,
             u"No connection after %1 ms (connect timeout)"_s.arg(m_settings.connectTimeoutMs));
    toWorker([](SocketWorker *worker) { worker->abort(); });
}

void Session::close(int code, const QString &reason)
{
    if (m_state == SessionState::WaitingToReconnect) {
        m_closeRequested = true;
        m_reconnectTimer.stop();
        logInfo(u"Reconnect cancelled"_s);
        setState(SessionState::Closed);
        Q_EMIT finished();
        return;
    }
    if (!m_worker || (m_state != SessionState::Open && m_state != SessionState::Connecting))
        return;
    if (!CloseCodes::canBeSent(code)) {
        logError(ErrorKind::Other, u"Close code %1 cannot be sent in a close frame: %2"_s
                                       .arg(CloseCodes::label(code), CloseCodes::description(code)));
        return;
    }
    m_closeRequested = true;
    if (m_state == SessionState::Connecting) {
        toWorker([](SocketWorker *worker) { worker->abort(); });
        return;
    }
    const QString sentReason = truncatedToUtf8Bytes(reason, MaxCloseReasonBytes);
    if (sentReason.size() != reason.size())
        logInfo(u"Close reason cut to 123 bytes, the most a close frame carries"_s);
    m_clientSentClose = true;
    // Logged by the worker as it sends it, in order with what arrives.
    toWorker([code, sentReason](SocketWorker *worker) { worker->close(code, sentReason); });
}

void Session::abort()
{
    m_closeRequested = true;
    m_reconnectTimer.stop();
    if (m_worker) {
        toWorker([](SocketWorker *worker) { worker->abort(); });
        return;
    }
    if (m_state == SessionState::WaitingToReconnect) {
        setState(SessionState::Closed);
        Q_EMIT finished();
    }
}

bool Session::sendText(const QString &message)
{
    if (!m_worker || m_state != SessionState::Open) {
        logError(ErrorKind::Other, u"Not sent: the session is %1"_s.arg(displayName(m_state)));
        return false;
    }
    // Logged by the worker as it writes it to the socket, in order with what arrives.
    toWorker([message](SocketWorker *worker) { worker->sendText(message); });
    return true;
}

bool Session::sendBinary(const QByteArray &message)
{
    if (!m_worker || m_state != SessionState::Open) {
        logError(ErrorKind::Other, u"Not sent: the session is %1"_s.arg(displayName(m_state)));
        return false;
    }
    toWorker([message](SocketWorker *worker) { worker->sendBinary(message); });
    return true;
}

bool Session::ping(const QByteArray &payload)
{
    if (!m_worker || m_state != SessionState::Open) {
        logError(ErrorKind::Other, u"Ping not sent: the session is %1"_s.arg(displayName(m_state)));
        return false;
    }
    if (payload.size() > MaxControlPayload) {
        logError(ErrorKind::Other,
                 u"Ping not sent: its payload has %1 bytes, a control frame carries at most 125"_s
                     .arg(payload.size()));
        return false;
    }
    const QByteArray body = payload.isEmpty()
        ? m_pings.nextPayload()
        : payload;
    // Timed from when the worker sends it (see handleFrame).
    toWorker([body](SocketWorker *worker) { worker->ping(body); });
    return true;
}

} // namespace wsprobe
