#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QtGlobal>

namespace wsprobe {

// A key/value row of a table the user edits (query parameters, headers); disabled rows are kept
// but not sent.
struct KeyValue
{
    QString key;
    QString value;
    bool enabled = true;

    friend bool operator==(const KeyValue &, const KeyValue &) = default;
};

struct TlsSettings
{
    bool ignoreCertificateErrors = false;
    QString caCertificateFile;      // PEM, added to the system CAs
    QString clientCertificateFile;  // PEM
    QString clientKeyFile;          // PEM, RSA or EC

    friend bool operator==(const TlsSettings &, const TlsSettings &) = default;
};

struct ProxySettings
{
    enum class Mode { System, None, Http, Socks5 };
    Mode mode = Mode::System;
    QString host;
    quint16 port = 0;
    QString user;
    QString password;

    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

// Exponential backoff with jitter: delay n = min(maxDelay, initialDelay * 2^n) * (1 +/- jitter).
struct ReconnectPolicy
{
    bool enabled = false;
    int maxAttempts = 5;        // 0 = unbounded
    int initialDelayMs = 500;
    int maxDelayMs = 30000;
    double jitter = 0.2;        // fraction of the delay, 0..1
    // A connection that stays open this long resets the attempt count; shorter ones count as
    // failed attempts, so a server that accepts and drops at once is given up on.
    int resetAfterMs = 5000;

    friend bool operator==(const ReconnectPolicy &, const ReconnectPolicy &) = default;
};

// Everything that describes one connection, independent of any widget or file format.
struct SessionSettings
{
    // A server may send nothing bigger than this, in one frame or one message, unless the
    // settings say otherwise: without a limit one endless frame costs several times its bytes.
    static constexpr qint64 DefaultMaxIncomingSize = 64 * 1024 * 1024;

    QUrl url;
    QList<KeyValue> query;          // appended to url's own query
    QList<KeyValue> headers;        // extra handshake headers
    QString origin;
    QStringList subprotocols;
    int connectTimeoutMs = 10000;   // 0 = none
    TlsSettings tls;
    ProxySettings proxy;
    // Over the limit the connection is failed with 1009. 0 = no limit.
    qint64 maxIncomingFrameSize = DefaultMaxIncomingSize;
    qint64 maxIncomingMessageSize = DefaultMaxIncomingSize;
    int autoPingIntervalMs = 0;         // 0 = off
    // With auto-ping: this many pings in a row without a pong is logged ("no pong for N
    // pings") and, when closeOnMissedPongs, ends the connection with 1001. 0 = never.
    int maxMissedPongs = 0;
    bool closeOnMissedPongs = true;
    ReconnectPolicy reconnect;
    qsizetype logCapacity = 0;          // 0 = keep every event
    // How the Stats tab pairs a sent message with its answer: the JSON Pointer of an id both
    // carry ("/id"), or "" for the next message received (see docs/load.md).
    QString correlation;

    // url with the enabled query rows appended.
    QUrl effectiveUrl() const;

    friend bool operator==(const SessionSettings &, const SessionSettings &) = default;
};

} // namespace wsprobe
