// The frame log's exports: JSON Lines with every field (and back), CSV quoted as RFC 4180, HAR
// as Chrome writes WebSocket traffic, secrets masked in all three; a million events written in
// slices while the event loop keeps turning; a cancelled export leaves no file.
#include "eventjson.h"
#include "framelog.h"
#include "harreader.h"
#include "logexporter.h"
#include "secretmasker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

constexpr qint64 BaseMs = 1772359200000;  // 2026-03-01T10:00:00Z

FrameEvent makeEvent(EventKind kind, Direction direction, qint64 offsetMs)
{
    FrameEvent e;
    e.kind = kind;
    e.direction = direction;
    e.wallMs = BaseMs + offsetMs;
    e.monotonicNs = 5'000'000'000 + offsetMs * 1'000'000 + 123;
    return e;
}

// One event of every kind the log keeps, with every field set that its kind uses.
void fillWithEveryKind(FrameLog &log)
{
    FrameEvent request = makeEvent(EventKind::Handshake, Direction::Outgoing, 0);
    request.text = u"GET /socket?room=lobby&token=••••••• HTTP/1.1\nHost: app.example.com\nUpgrade: websocket\n"
                   "Connection: Upgrade\nSec-WebSocket-Version: 13\nAuthorization: Bearer ••••••\nX-Client: web"_s;
    log.append(std::move(request));
    FrameEvent accepted = makeEvent(EventKind::Handshake, Direction::Incoming, 5);
    accepted.text = u"HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Protocol: chat"_s;
    log.append(std::move(accepted));
    FrameEvent text = makeEvent(EventKind::Text, Direction::Outgoing, 10);
    text.text = u"say \"hi\", then\nbye ✓"_s;
    text.size = utf8Length(text.text);
    log.append(std::move(text));
    FrameEvent binary = makeEvent(EventKind::Binary, Direction::Incoming, 20);
    binary.data = QByteArray::fromHex("00ff10");
    binary.size = 3;
    log.append(std::move(binary));
    FrameEvent fragment = makeEvent(EventKind::TextFrame, Direction::Incoming, 25);
    fragment.text = u"par"_s;
    fragment.size = 3;
    fragment.finalFrame = false;
    log.append(std::move(fragment));
    FrameEvent ping = makeEvent(EventKind::Ping, Direction::Outgoing, 30);
    ping.data = "wsprobe-1";
    ping.size = 9;
    log.append(std::move(ping));
    FrameEvent pong = makeEvent(EventKind::Pong, Direction::Incoming, 31);
    pong.data = "wsprobe-1";
    pong.size = 9;
    pong.rttNs = 1'234'567;
    log.append(std::move(pong));
    FrameEvent error = makeEvent(EventKind::Error, Direction::Local, 40);
    error.error = ErrorKind::HandshakeRejected;
    error.httpStatus = 401;
    error.text = u"refused with HTTP 401"_s;
    log.append(std::move(error));
    FrameEvent close = makeEvent(EventKind::Close, Direction::Incoming, 50);
    close.closeCode = 4001;
    close.text = u"token expired"_s;
    close.closeInitiator = CloseInitiator::Server;
    close.cleanClose = true;
    close.size = 15;
    log.append(std::move(close));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QList<QJsonObject> jsonLines(const QByteArray &bytes)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : bytes.split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

bool sameEvent(const FrameEvent &a, const FrameEvent &b)
{
    return a.kind == b.kind && a.direction == b.direction && a.wallMs == b.wallMs
        && a.monotonicNs == b.monotonicNs && a.size == b.size && a.text == b.text && a.data == b.data
        && a.rttNs == b.rttNs && a.error == b.error && a.closeCode == b.closeCode
        && a.closeInitiator == b.closeInitiator && a.cleanClose == b.cleanClose
        && a.httpStatus == b.httpStatus && a.finalFrame == b.finalFrame;
}

QStringList filesIn(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

} // namespace

class tst_LogExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonlHoldsEveryFieldAndReadsBack();
    void jsonlMasksWithTheGivenMask();
    void csvIsTheTablesColumnsQuoted();
    void harIsWhatChromeWrites();
    void harStartsAnEntryPerConnection();
    void onlyTheSelectedEvents();
    void millionEventsKeepTheEventLoopTurning();
    void cancelLeavesNoFile();
    void closedLogFailsTheExport();
    void unwritableFolderIsReported();
};

void tst_LogExport::jsonlHoldsEveryFieldAndReadsBack()
{
    FrameLog log;
    fillWithEveryKind(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.jsonl"_s);
    QString error;
    QVERIFY2(LogExporter::writeFile(log, path, LogFormat::Jsonl, {QUrl(u"wss://app.example.com/socket?room=lobby&token=abc12345"_s), {}}, &error),
             qPrintable(error));
    const QList<QJsonObject> lines = jsonLines(readAll(path));
    QCOMPARE(lines.size(), log.size());

    const QJsonObject &request = lines[0];
    QCOMPARE(request.value(u"seq"_s).toInteger(), 0);
    QCOMPARE(request.value(u"kind"_s).toString(), u"handshake"_s);
    QCOMPARE(request.value(u"direction"_s).toString(), u"out"_s);
    QCOMPARE(request.value(u"time"_s).toString(), u"2026-03-01T10:00:00.000Z"_s);
    QCOMPARE(request.value(u"wallMs"_s).toInteger(), BaseMs);
    QCOMPARE(request.value(u"monotonicNs"_s).toInteger(), 5'000'000'123);
    QCOMPARE(request.value(u"encoding"_s).toString(), u"text"_s);
    QVERIFY(request.value(u"payload"_s).toString().startsWith(u"GET /socket"_s));
    // The URL given is written masked.
    QCOMPARE(request.value(u"url"_s).toString(), SecretMasker::maskUrl(QUrl(u"wss://app.example.com/socket?room=lobby&token=abc12345"_s)));
    QVERIFY(!request.value(u"url"_s).toString().contains(u"abc12345"_s));

    const QJsonObject &text = lines[2];
    QCOMPARE(text.value(u"kind"_s).toString(), u"text"_s);
    QCOMPARE(text.value(u"payload"_s).toString(), u"say \"hi\", then\nbye ✓"_s);
    QCOMPARE(text.value(u"size"_s).toInteger(), 22);  // UTF-8 bytes
    const QJsonObject &binary = lines[3];
    QCOMPARE(binary.value(u"encoding"_s).toString(), u"base64"_s);
    QCOMPARE(QByteArray::fromBase64(binary.value(u"payload"_s).toString().toLatin1()), QByteArray::fromHex("00ff10"));
    QCOMPARE(lines[4].value(u"final"_s).toBool(true), false);
    QCOMPARE(lines[6].value(u"rttNs"_s).toInteger(), 1'234'567);
    QCOMPARE(lines[7].value(u"error"_s).toString(), u"handshakeRejected"_s);
    QCOMPARE(lines[7].value(u"httpStatus"_s).toInt(), 401);
    const QJsonObject &close = lines[8];
    QCOMPARE(close.value(u"closeCode"_s).toInt(), 4001);
    QCOMPARE(close.value(u"closeReason"_s).toString(), u"token expired"_s);
    QCOMPARE(close.value(u"closeInitiator"_s).toString(), u"server"_s);
    QCOMPARE(close.value(u"clean"_s).toBool(), true);

    // Every line reads back to the event it was written from.
    for (int i = 0; i < lines.size(); ++i) {
        QString problem;
        const std::optional<FrameEvent> back = EventJson::fromJson(lines[i], &problem);
        QVERIFY2(back, qPrintable(problem));
        QVERIFY2(sameEvent(*back, log.at(i)), qPrintable(u"line %1"_s.arg(i + 1)));
    }
}

void tst_LogExport::jsonlMasksWithTheGivenMask()
{
    FrameLog log;
    FrameEvent text = makeEvent(EventKind::Text, Direction::Outgoing, 0);
    text.text = u"{\"password\":\"hunter2-long\"}"_s;
    log.append(std::move(text));
    QTemporaryDir dir;
    ExportOptions options;
    options.mask = [](QStringView t) { return t.toString().replace(u"hunter2-long"_s, SecretMasker::Mask.toString()); };
    for (LogFormat format : {LogFormat::Jsonl, LogFormat::Csv, LogFormat::Har}) {
        const QString path = dir.filePath(u"log."_s + fileSuffix(format));
        QVERIFY(LogExporter::writeFile(log, path, format, options, nullptr));
        const QString written = QString::fromUtf8(readAll(path));
        QVERIFY2(!written.contains(u"hunter2"_s), qPrintable(written));
        QVERIFY2(written.contains(SecretMasker::Mask), qPrintable(written));
    }
}

void tst_LogExport::csvIsTheTablesColumnsQuoted()
{
    FrameLog log;
    fillWithEveryKind(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.csv"_s);
    QVERIFY(LogExporter::writeFile(log, path, LogFormat::Csv, {}, nullptr));
    const QString csv = QString::fromUtf8(readAll(path));
    const QStringList rows = csv.split(u"\r\n"_s);
    QCOMPARE(rows.first(), u"time,direction,type,size,payload"_s);
    // A field with a comma, a quote or a line break is quoted, its quotes doubled.
    QVERIFY2(csv.contains(u"2026-03-01T10:00:00.010Z,out,text,22,\"say \"\"hi\"\", then\nbye ✓\"\r\n"_s), qPrintable(csv));
    QVERIFY2(csv.contains(u"2026-03-01T10:00:00.020Z,in,binary,3,00 ff 10\r\n"_s), qPrintable(csv));
    QVERIFY(csv.endsWith(u"\r\n"_s));
}

void tst_LogExport::harIsWhatChromeWrites()
{
    FrameLog log;
    fillWithEveryKind(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.har"_s);
    QVERIFY(LogExporter::writeFile(log, path, LogFormat::Har, {QUrl(u"wss://app.example.com/socket?room=lobby&token=abc12345"_s), {}}, nullptr));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(readAll(path), &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    const QJsonObject har = document.object().value(u"log"_s).toObject();
    QCOMPARE(har.value(u"version"_s).toString(), u"1.2"_s);
    QCOMPARE(har.value(u"creator"_s).toObject().value(u"name"_s).toString(), u"wsprobe"_s);
    const QJsonArray entries = har.value(u"entries"_s).toArray();
    QCOMPARE(entries.size(), 1);
    const QJsonObject entry = entries[0].toObject();
    QCOMPARE(entry.value(u"_resourceType"_s).toString(), u"websocket"_s);
    QCOMPARE(entry.value(u"startedDateTime"_s).toString(), u"2026-03-01T10:00:00.000Z"_s);
    for (const QString &key : {u"time"_s, u"cache"_s, u"timings"_s, u"request"_s, u"response"_s})
        QVERIFY2(entry.contains(key), qPrintable(key));

    const QJsonObject request = entry.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"method"_s).toString(), u"GET"_s);
    const QString url = request.value(u"url"_s).toString();
    QVERIFY2(url.startsWith(u"wss://app.example.com/socket?room=lobby&token="_s), qPrintable(url));
    QVERIFY2(!url.contains(u"abc12345"_s), qPrintable(url));
    bool sawAuthorization = false;
    for (const QJsonValue &header : request.value(u"headers"_s).toArray()) {
        if (header[u"name"_s].toString() == "Authorization"_L1) {
            sawAuthorization = true;
            QCOMPARE(header[u"value"_s].toString(), u"Bearer "_s + SecretMasker::Mask.toString());
        }
    }
    QVERIFY(sawAuthorization);
    const QJsonObject response = entry.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 101);
    QVERIFY(QJsonDocument(response.value(u"headers"_s).toArray()).toJson().contains("\"chat\""));

    const QJsonArray messages = entry.value(u"_webSocketMessages"_s).toArray();
    QCOMPARE(messages.size(), 2);  // the whole messages; fragments, pings and closes are not Chrome's
    QCOMPARE(messages[0][u"type"_s].toString(), u"send"_s);
    QCOMPARE(messages[0][u"opcode"_s].toInt(), 1);
    QCOMPARE(messages[0][u"time"_s].toDouble(), (BaseMs + 10) / 1000.0);
    QCOMPARE(messages[0][u"data"_s].toString(), u"say \"hi\", then\nbye ✓"_s);
    QCOMPARE(messages[1][u"type"_s].toString(), u"receive"_s);
    QCOMPARE(messages[1][u"opcode"_s].toInt(), 2);
    QCOMPARE(messages[1][u"data"_s].toString(), QString::fromLatin1(QByteArray::fromHex("00ff10").toBase64()));

    // And it reads as a capture.
    QList<CapturedConnection> connections;
    JsonError error;
    QVERIFY2(HarReader::read(path, &connections, &error), qPrintable(error.toString()));
    QCOMPARE(connections.size(), 1);
    QCOMPARE(connections[0].events.size(), size_t(3));
}

void tst_LogExport::harStartsAnEntryPerConnection()
{
    FrameLog log;
    fillWithEveryKind(log);
    fillWithEveryKind(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.har"_s);
    QVERIFY(LogExporter::writeFile(log, path, LogFormat::Har, {}, nullptr));
    const QJsonArray entries = QJsonDocument::fromJson(readAll(path)).object()[u"log"_s][u"entries"_s].toArray();
    QCOMPARE(entries.size(), 2);
    // Without a URL given, the Host line and the path make one.
    QVERIFY2(entries[1][u"request"_s][u"url"_s].toString().startsWith(u"ws://app.example.com/socket?room=lobby"_s),
             qPrintable(entries[1][u"request"_s][u"url"_s].toString()));
}

void tst_LogExport::onlyTheSelectedEvents()
{
    FrameLog log;
    fillWithEveryKind(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"picked.jsonl"_s);
    LogExporter exporter;
    QSignalSpy finished(&exporter, &LogExporter::finished);
    QVERIFY(exporter.start(&log, {2, 3, 8}, path, LogFormat::Jsonl, {}, nullptr));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    const QList<QJsonObject> lines = jsonLines(readAll(path));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0][u"seq"_s].toInteger(), 2);
    QCOMPARE(lines[2][u"kind"_s].toString(), u"close"_s);

    // Picked messages without their upgrade still make a HAR entry.
    const QString har = dir.filePath(u"picked.har"_s);
    QVERIFY(exporter.start(&log, {2, 3}, har, LogFormat::Har, {QUrl(u"ws://127.0.0.1:1/x"_s), {}}, nullptr));
    QVERIFY(finished.wait(10000));
    const QJsonArray entries = QJsonDocument::fromJson(readAll(har)).object()[u"log"_s][u"entries"_s].toArray();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0][u"_webSocketMessages"_s].toArray().size(), 2);
    QCOMPARE(entries[0][u"request"_s][u"url"_s].toString(), u"ws://127.0.0.1:1/x"_s);
}

void tst_LogExport::millionEventsKeepTheEventLoopTurning()
{
    constexpr qint64 Events = 1'000'000;
    FrameLog log;
    const QString payload = u"{\"type\":\"tick\",\"value\":12345}"_s;
    for (qint64 i = 0; i < Events; ++i) {
        FrameEvent e = makeEvent(i % 2 ? EventKind::Text : EventKind::Binary,
                             i % 2 ? Direction::Incoming : Direction::Outgoing, i);
        if (i % 2)
            e.text = payload;  // shared, not copied
        else
            e.data = QByteArray::number(i);
        e.size = 28;
        log.append(std::move(e));
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(u"million.jsonl"_s);
    LogExporter exporter;
    QSignalSpy finished(&exporter, &LogExporter::finished);
    QSignalSpy progressed(&exporter, &LogExporter::progressed);
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(50);
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    QElapsedTimer clock;
    clock.start();
    ticker.start();
    QVERIFY(exporter.start(&log, {}, path, LogFormat::Jsonl, {}, nullptr));
    QVERIFY(finished.wait(180000));
    const qint64 elapsedMs = clock.elapsed();
    ticker.stop();
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    qInfo("1,000,000 events exported in %lld ms, %d progress reports, %d of %lld timer ticks",
          elapsedMs, int(progressed.size()), ticks, elapsedMs / 50);
    // The timer got most of its ticks: no slice held the loop for long.
    QVERIFY2(ticks >= elapsedMs / 50 * 6 / 10, qPrintable(u"%1 ticks in %2 ms"_s.arg(ticks).arg(elapsedMs)));
    QVERIFY(progressed.size() > 1);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    qint64 lines = 0;
    QByteArray middle;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        if (lines == 500'001)
            middle = line;
        ++lines;
    }
    QCOMPARE(lines, Events);
    QString problem;
    const std::optional<FrameEvent> back = EventJson::fromJson(QJsonDocument::fromJson(middle).object(), &problem);
    QVERIFY2(back, qPrintable(problem));
    QVERIFY(sameEvent(*back, log.at(500'001)));
}

void tst_LogExport::cancelLeavesNoFile()
{
    FrameLog log;
    for (int i = 0; i < 300'000; ++i) {
        FrameEvent e = makeEvent(EventKind::Text, Direction::Incoming, i);
        e.text = u"a message long enough to take a while to write out, a while"_s;
        log.append(std::move(e));
    }
    QTemporaryDir dir;
    const QString fresh = dir.filePath(u"fresh.jsonl"_s);
    const QString existing = dir.filePath(u"existing.csv"_s);
    {
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("kept\n");
    }
    for (const QString &path : {fresh, existing}) {
        LogExporter exporter;
        QSignalSpy progressed(&exporter, &LogExporter::progressed);
        QSignalSpy finished(&exporter, &LogExporter::finished);
        QVERIFY(exporter.start(&log, {}, path, logFormatForPath(path), {}, nullptr));
        QVERIFY(progressed.wait(10000));
        QVERIFY(exporter.isBusy());
        exporter.cancel();
        QVERIFY(!exporter.isBusy());
        QTest::qWait(100);  // any slice still queued would run now
        QCOMPARE(finished.size(), 0);
    }
    QCOMPARE(filesIn(dir.path()), QStringList{u"existing.csv"_s});  // no partial or temporary file
    QCOMPARE(readAll(existing), QByteArray("kept\n"));
}

void tst_LogExport::closedLogFailsTheExport()
{
    auto log = std::make_unique<FrameLog>();
    for (int i = 0; i < 200'000; ++i) {
        FrameEvent e = makeEvent(EventKind::Text, Direction::Incoming, i);
        e.text = u"a message long enough to take a while to write out"_s;
        log->append(std::move(e));
    }
    QTemporaryDir dir;
    LogExporter exporter;
    QSignalSpy progressed(&exporter, &LogExporter::progressed);
    QSignalSpy finished(&exporter, &LogExporter::finished);
    QVERIFY(exporter.start(log.get(), {}, dir.filePath(u"x.jsonl"_s), LogFormat::Jsonl, {}, nullptr));
    QVERIFY(progressed.wait(10000));
    log.reset();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(finished.at(0).at(1).toString().contains(u"closed"_s));
    QVERIFY(filesIn(dir.path()).isEmpty());
}

void tst_LogExport::unwritableFolderIsReported()
{
    FrameLog log;
    fillWithEveryKind(log);
    LogExporter exporter;
    QString error;
    const QString path = u"/nonexistent-folder-of-wsprobe/log.jsonl"_s;
    QVERIFY(!exporter.start(&log, {}, path, LogFormat::Jsonl, {}, &error));
    QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
    QVERIFY(!LogExporter::writeFile(log, path, LogFormat::Jsonl, {}, &error));
    QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_LogExport)
#include "tst_logexport.moc"
